//! Meetings past the mesh, against real Janus nodes (see `common::janus`): the switch
//! from mesh to the SFU, tokens Janus accepts (and refuses), refreshing after a Janus
//! restart, kicks, the capacity notice without an SFU, and the town hall's stage.

use crate::common;

use std::time::Duration;

use common::janus::{self, JanusNode, JanusSession, Refused};
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::chat::Channel;
use tandem_protocol::meetings::{
    HostAction, Meeting, MeetingId, MeetingNotice, MeetingRequest, Participant,
    MAX_MEETING_PARTICIPANTS,
};
use tandem_protocol::sfu::{MediaRoute, SfuAccess};
use tandem_protocol::ErrorCode;

/// Admin, Bob and Carol, all in one public channel.
async fn setup(ts: &TestServer) -> (Client, Client, Client, Channel) {
    let (admin, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&admin, "Bob", "bob@example.com").await;
    let (carol, carol_user) = ts.member(&admin, "Carol", "carol@example.com").await;
    let channel = admin
        .create_channel("all-hands", "public", &[bob_user.id, carol_user.id])
        .await;
    (admin, bob, carol, channel)
}

/// One Janus node; a server on it that keeps meetings of up to `mesh_max` peer to peer;
/// Admin, Bob and Carol in a channel with a meeting Admin started; a live socket each
/// (nobody has joined yet). Keep `server` bound for as long as the test runs.
struct Scene {
    node: JanusNode,
    server: TestServer,
    carol: Client,
    meeting: Meeting,
    admin_ws: Ws,
    bob_ws: Ws,
    carol_ws: Ws,
}

async fn scene(mesh_max: usize) -> Scene {
    let node = JanusNode::start().await;
    let server = spawn_with(|c| janus::configure(c, &[&node], mesh_max)).await;
    let (admin, bob, carol, channel) = setup(&server).await;
    let meeting = admin.start_meeting(channel.id).await;
    let admin_ws = admin.live_ws().await;
    let bob_ws = bob.live_ws().await;
    let carol_ws = carol.live_ws().await;
    Scene {
        node,
        server,
        carol,
        meeting,
        admin_ws,
        bob_ws,
        carol_ws,
    }
}

fn sfu(route: MediaRoute) -> SfuAccess {
    match route {
        MediaRoute::Sfu(access) => access,
        MediaRoute::Mesh => panic!("expected an SFU route, got mesh"),
    }
}

/// Joins and returns (my participant, the route in `joined`).
async fn join(ws: &mut Ws, meeting_id: MeetingId) -> (Participant, MediaRoute) {
    ws.meeting(MeetingRequest::Join {
        meeting_id,
        media: Default::default(),
    })
    .await;
    loop {
        match ws.notice().await {
            MeetingNotice::Joined {
                you,
                participants,
                route,
                meeting,
            } if meeting.id == meeting_id => {
                return (
                    participants.into_iter().find(|p| p.id == you).unwrap(),
                    route,
                )
            }
            // What happens meanwhile in another meeting of this tab.
            MeetingNotice::ParticipantJoined {
                meeting_id: other, ..
            }
            | MeetingNotice::Route {
                meeting_id: other, ..
            } if other != meeting_id => {}
            other => panic!("expected joined, got {other:?}"),
        }
    }
}

/// Skips notices until a `route` one.
async fn next_route(ws: &mut Ws) -> MediaRoute {
    loop {
        match ws.notice().await {
            MeetingNotice::Route { route, .. } => return route,
            MeetingNotice::ParticipantJoined { .. }
            | MeetingNotice::ParticipantLeft { .. }
            | MeetingNotice::ParticipantUpdated { .. } => continue,
            other => panic!("expected route, got {other:?}"),
        }
    }
}

async fn next_refusal(ws: &mut Ws) -> ErrorCode {
    loop {
        match ws.notice().await {
            MeetingNotice::Refused { code, .. } => return code,
            MeetingNotice::ParticipantJoined { .. } | MeetingNotice::ParticipantUpdated { .. } => {}
            other => panic!("expected refused, got {other:?}"),
        }
    }
}

async fn host(ws: &mut Ws, meeting_id: MeetingId, action: HostAction) {
    ws.meeting(MeetingRequest::Host { meeting_id, action })
        .await;
}

#[tokio::test]
async fn the_join_past_mesh_max_moves_everyone_to_the_sfu_with_working_tokens() {
    let Scene {
        node,
        server: _server,
        carol,
        meeting,
        mut admin_ws,
        mut bob_ws,
        mut carol_ws,
    } = scene(2).await;

    assert_eq!(join(&mut admin_ws, meeting.id).await.1, MediaRoute::Mesh);
    assert_eq!(join(&mut bob_ws, meeting.id).await.1, MediaRoute::Mesh);
    // The third joiner is past --mesh-max 2: the meeting moves to the SFU.
    let (carol_p, route) = join(&mut carol_ws, meeting.id).await;
    let carol_access = sfu(route);
    assert!(carol_access.publish);
    assert_eq!(carol_access.url, node.ws());
    assert_eq!(carol_access.room, meeting.id.to_string());
    assert_eq!(carol_access.feed, carol_p.id.to_string());
    let admin_access = sfu(next_route(&mut admin_ws).await);
    let bob_access = sfu(next_route(&mut bob_ws).await);
    assert!(admin_access.publish && bob_access.publish);
    assert_ne!(admin_access.feed, bob_access.feed);

    // Every participant's access is accepted by Janus (a publisher join, no media).
    let mut sessions = Vec::new();
    for access in [&admin_access, &bob_access, &carol_access] {
        let session = JanusSession::join_with(access, &node.api())
            .await
            .unwrap_or_else(|err| panic!("Janus refused {access:?}: {err:?}"));
        sessions.push(session);
    }
    let feeds = janus::feeds_in(&node.api(), &carol_access.room)
        .await
        .unwrap();
    assert_eq!(feeds.len(), 3, "{feeds:?}");
    // The room as the SFU holds it: pin, private, VP8, audio levels, joins announced,
    // and subscriptions tied to a publisher handle (so a kick ends them too).
    let settings = janus::room_settings(&node.api(), &carol_access.room).await;
    for (key, want) in [
        ("pin_required", json!(true)),
        ("is_private", json!(true)),
        ("require_pvtid", json!(true)),
        ("videocodec", json!("vp8")),
        ("audiolevel_event", json!(true)),
        ("notify_joining", json!(true)),
    ] {
        assert_eq!(settings[key], want, "{key} in {settings}");
    }

    // The pin is needed too, and a made-up token is not accepted.
    let session = JanusSession::open(&node.api(), &carol_access.token)
        .await
        .unwrap();
    let no_pin = session
        .join(
            &carol_access.room,
            "intruder",
            &carol_access.room_token,
            "wrong",
        )
        .await;
    assert!(no_pin.is_err(), "{no_pin:?}");
    let forged =
        JanusSession::open(&node.api(), "4102444800,janus,janus.plugin.videoroom:AAAA").await;
    assert!(matches!(forged, Err(Refused(403, _))), "{:?}", forged.err());

    // Later joiners get the SFU at once; the meeting never goes back to mesh.
    let mut carol_tab = carol.live_ws().await;
    assert!(sfu(join(&mut carol_tab, meeting.id).await.1).publish);
    drop(sessions);
}

#[tokio::test]
async fn another_meetings_token_and_an_expired_token_are_refused() {
    let node = JanusNode::start().await;
    let ts = spawn_with(|c| {
        janus::configure(c, &[&node], 1);
        c.sfu_token_ttl_secs = 1;
    })
    .await;
    let (admin, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&admin, "Bob", "bob@example.com").await;
    let channel = admin.create_channel("one", "public", &[bob_user.id]).await;
    let other_channel = admin
        .create_channel("other", "public", &[bob_user.id])
        .await;
    let first = admin.start_meeting(channel.id).await;
    let second = admin.start_meeting(other_channel.id).await;
    let mut admin_ws = admin.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    join(&mut admin_ws, first.id).await;
    let first_access = sfu(join(&mut bob_ws, first.id).await.1);
    sfu(next_route(&mut admin_ws).await);
    join(&mut bob_ws, second.id).await;
    let second_access = sfu(join(&mut admin_ws, second.id).await.1);
    assert_ne!(first_access.room, second_access.room);
    assert!(first_access.expires_at > 0);

    // The second meeting's room token does not open the first meeting's room.
    let session = JanusSession::open(&node.api(), &second_access.token)
        .await
        .unwrap();
    let wrong_room = session
        .join(
            &first_access.room,
            "x",
            &second_access.room_token,
            &first_access.pin,
        )
        .await;
    assert!(
        matches!(wrong_room, Err(Refused(433 | 403, _))),
        "{wrong_room:?}"
    );

    // With --sfu-token-ttl-secs 1 the tokens stop working within two seconds.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let expired = JanusSession::open(&node.api(), &first_access.token).await;
    assert!(
        matches!(expired, Err(Refused(403, _))),
        "{:?}",
        expired.err()
    );
}

#[tokio::test]
async fn refresh_route_gives_fresh_tokens_and_recreates_the_room_after_a_janus_restart() {
    let Scene {
        mut node,
        server: _server,
        carol: _carol,
        meeting,
        mut admin_ws,
        mut bob_ws,
        mut carol_ws,
    } = scene(1).await;

    // A mesh meeting has nothing to refresh.
    join(&mut admin_ws, meeting.id).await;
    admin_ws
        .meeting(MeetingRequest::RefreshRoute {
            meeting_id: meeting.id,
        })
        .await;
    assert_eq!(next_refusal(&mut admin_ws).await, ErrorCode::Conflict);

    let bob_access = sfu(join(&mut bob_ws, meeting.id).await.1);
    sfu(next_route(&mut admin_ws).await);
    // Not a participant: no route for you.
    carol_ws
        .meeting(MeetingRequest::RefreshRoute {
            meeting_id: meeting.id,
        })
        .await;
    assert_eq!(next_refusal(&mut carol_ws).await, ErrorCode::Forbidden);

    node.restart().await;
    assert!(!janus::room_exists(&node.api(), &bob_access.room).await);
    // The old access fails now (no room); a refresh makes the room again.
    assert!(JanusSession::join_with(&bob_access, &node.api())
        .await
        .is_err());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    bob_ws
        .meeting(MeetingRequest::RefreshRoute {
            meeting_id: meeting.id,
        })
        .await;
    let fresh = sfu(next_route(&mut bob_ws).await);
    assert!(fresh.same_place(&bob_access));
    assert!(fresh.expires_at > bob_access.expires_at);
    assert_ne!(fresh.token, bob_access.token);
    assert!(janus::room_exists(&node.api(), &fresh.room).await);
    JanusSession::join_with(&fresh, &node.api())
        .await
        .expect("fresh tokens work in the recreated room");
}

/// Polls until `feed` is (or is not) in the room.
async fn wait_for_feed(api: &str, room: &str, feed: &str, present: bool) {
    for _ in 0..50 {
        let feeds = janus::feeds_in(api, room).await.unwrap_or_default();
        if feeds.iter().any(|f| f == feed) == present {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("feed {feed} present={present} never became true in {room}");
}

#[tokio::test]
async fn remove_and_leave_kick_the_feed_and_the_end_destroys_the_room() {
    let Scene {
        node,
        server: _server,
        carol: _carol,
        meeting,
        mut admin_ws,
        mut bob_ws,
        mut carol_ws,
    } = scene(1).await;
    join(&mut admin_ws, meeting.id).await;
    let (bob_p, route) = join(&mut bob_ws, meeting.id).await;
    let bob_access = sfu(route);
    let carol_access = sfu(join(&mut carol_ws, meeting.id).await.1);
    let _bob_janus = JanusSession::join_with(&bob_access, &node.api())
        .await
        .unwrap();
    let _carol_janus = JanusSession::join_with(&carol_access, &node.api())
        .await
        .unwrap();
    let room = bob_access.room.clone();
    wait_for_feed(&node.api(), &room, &bob_access.feed, true).await;

    host(
        &mut admin_ws,
        meeting.id,
        HostAction::Remove {
            participant_id: bob_p.id,
        },
    )
    .await;
    wait_for_feed(&node.api(), &room, &bob_access.feed, false).await;
    assert!(janus::feeds_in(&node.api(), &room)
        .await
        .unwrap()
        .contains(&carol_access.feed));

    // Leaving kicks too.
    carol_ws
        .meeting(MeetingRequest::Leave {
            meeting_id: meeting.id,
        })
        .await;
    wait_for_feed(&node.api(), &room, &carol_access.feed, false).await;

    // Ending the meeting destroys the room.
    host(&mut admin_ws, meeting.id, HostAction::End).await;
    for _ in 0..50 {
        if !janus::room_exists(&node.api(), &room).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the room outlived the meeting");
}

#[tokio::test]
async fn without_an_sfu_the_host_hears_why_someone_could_not_join() {
    let ts = spawn().await;
    let (admin, bob, _carol, channel) = setup(&ts).await;
    // No town hall without an SFU.
    let refused = admin
        .post(
            &format!("/api/channels/{}/meetings", channel.id),
            &json!({"town_hall": true}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(error_body(refused).await.message.contains("SFU"));

    let meeting = admin.start_meeting(channel.id).await;
    assert!(!meeting.town_hall);
    let mut admin_ws = admin.live_ws().await;
    assert_eq!(join(&mut admin_ws, meeting.id).await.1, MediaRoute::Mesh);
    let mut tabs = Vec::new();
    for _ in 1..MAX_MEETING_PARTICIPANTS {
        let mut tab = bob.live_ws().await;
        assert_eq!(join(&mut tab, meeting.id).await.1, MediaRoute::Mesh);
        tabs.push(tab);
    }
    let mut one_too_many = bob.live_ws().await;
    one_too_many
        .meeting(MeetingRequest::Join {
            meeting_id: meeting.id,
            media: Default::default(),
        })
        .await;
    assert_eq!(next_refusal(&mut one_too_many).await, ErrorCode::Conflict);
    loop {
        match admin_ws.notice().await {
            MeetingNotice::AtCapacity {
                meeting_id,
                message,
            } => {
                assert_eq!(meeting_id, meeting.id);
                assert!(message.contains("peer to peer"), "{message}");
                assert!(message.contains("at most 8"), "{message}");
                assert!(message.contains("SFU"), "{message}");
                break;
            }
            MeetingNotice::ParticipantJoined { .. } => continue,
            other => panic!("expected at_capacity, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_town_hall_puts_the_audience_on_node_1_and_the_stage_on_node_0() {
    let origin = JanusNode::start().await;
    let edge = JanusNode::start().await;
    let ts = spawn_with(|c| janus::configure(c, &[&origin, &edge], 4)).await;
    let (admin, bob, carol, channel) = setup(&ts).await;
    let response = admin
        .post(
            &format!("/api/channels/{}/meetings", channel.id),
            &json!({"title": "All hands", "town_hall": true}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let meeting: Meeting = response.json().await.unwrap();
    assert!(meeting.town_hall);
    let fetched: Meeting = bob
        .get(&format!("/api/meetings/{}", meeting.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(fetched.town_hall, "persisted");

    let mut admin_ws = admin.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    let mut carol_ws = carol.live_ws().await;
    // SFU from the first join: the host is on stage, on node 0.
    let (admin_p, route) = join(&mut admin_ws, meeting.id).await;
    let admin_access = sfu(route);
    assert!(admin_p.on_stage && admin_access.publish);
    assert_eq!(admin_access.url, origin.ws());
    // Everyone else is audience on node 1.
    let (bob_p, route) = join(&mut bob_ws, meeting.id).await;
    let bob_access = sfu(route);
    assert!(!bob_p.on_stage && !bob_access.publish);
    assert_eq!(bob_access.url, edge.ws());
    JanusSession::join_with(&admin_access, &origin.api())
        .await
        .unwrap();
    let _bob_janus = JanusSession::join_with(&bob_access, &edge.api())
        .await
        .unwrap();
    assert!(janus::room_exists(&edge.api(), &meeting.id.to_string()).await);

    // Only hosts manage the stage.
    let (_carol_p, _) = join(&mut carol_ws, meeting.id).await;
    host(
        &mut carol_ws,
        meeting.id,
        HostAction::BringOnStage {
            participant_id: bob_p.id,
        },
    )
    .await;
    assert_eq!(next_refusal(&mut carol_ws).await, ErrorCode::Forbidden);

    host(
        &mut admin_ws,
        meeting.id,
        HostAction::BringOnStage {
            participant_id: bob_p.id,
        },
    )
    .await;
    let on_stage = sfu(next_route(&mut bob_ws).await);
    assert!(on_stage.publish);
    assert_eq!(on_stage.url, origin.ws());
    loop {
        match admin_ws.notice().await {
            MeetingNotice::ParticipantUpdated { participant, .. } if participant.id == bob_p.id => {
                assert!(participant.on_stage);
                break;
            }
            _ => continue,
        }
    }
    // Bob's audience feed on node 1 was kicked; he joins the stage on node 0.
    wait_for_feed(&edge.api(), &bob_access.room, &bob_access.feed, false).await;
    JanusSession::join_with(&on_stage, &origin.api())
        .await
        .unwrap();

    host(
        &mut admin_ws,
        meeting.id,
        HostAction::SendToAudience {
            participant_id: bob_p.id,
        },
    )
    .await;
    let audience = sfu(next_route(&mut bob_ws).await);
    assert!(!audience.publish);
    assert_eq!(audience.url, edge.ws());
    wait_for_feed(&origin.api(), &on_stage.room, &on_stage.feed, false).await;
}

#[tokio::test]
async fn stage_actions_are_refused_outside_town_halls() {
    let node = JanusNode::start().await;
    let ts = spawn_with(|c| janus::configure(c, &[&node], 4)).await;
    let (admin, bob, _carol, channel) = setup(&ts).await;
    let meeting = admin.start_meeting(channel.id).await;
    let mut admin_ws = admin.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    join(&mut admin_ws, meeting.id).await;
    let (bob_p, _) = join(&mut bob_ws, meeting.id).await;
    host(
        &mut admin_ws,
        meeting.id,
        HostAction::BringOnStage {
            participant_id: bob_p.id,
        },
    )
    .await;
    assert_eq!(next_refusal(&mut admin_ws).await, ErrorCode::Conflict);
}
