//! Meetings over real HTTP + WebSocket: the card, who hears about it, the room
//! (join/leave/signaling), the lobby, host controls, capacity and the empty grace.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::chat::Channel;
use tandem_protocol::meetings::{
    HostAction, MediaState, Meeting, MeetingNotice, MeetingRequest, SdpKind, Signal,
    MAX_MEETING_PARTICIPANTS,
};
use tandem_protocol::ws::{Event, ServerFrame};
use tandem_protocol::ErrorCode;

fn offer() -> Signal {
    Signal::Description {
        kind: SdpKind::Offer,
        sdp: "v=0".into(),
    }
}

/// Admin, Bob (in the channel) and Carol (not in it), with a public channel.
async fn setup(ts: &TestServer) -> (Client, Client, Client, Channel) {
    let (admin, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&admin, "Bob", "bob@example.com").await;
    let (carol, _) = ts.member(&admin, "Carol", "carol@example.com").await;
    let channel = admin
        .create_channel("standup", "public", &[bob_user.id])
        .await;
    (admin, bob, carol, channel)
}

fn refused_code(notice: MeetingNotice) -> ErrorCode {
    match notice {
        MeetingNotice::Refused { code, .. } => code,
        other => panic!("expected refused, got {other:?}"),
    }
}

#[tokio::test]
async fn starting_posts_a_card_and_updates_reach_only_channel_members() {
    let ts = spawn().await;
    let (admin, bob, carol, channel) = setup(&ts).await;
    let mut bob_ws = bob.live_ws().await;
    let mut carol_ws = carol.live_ws().await;

    let response = admin
        .post(
            &format!("/api/channels/{}/meetings", channel.id),
            &json!({"title": "Standup"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let meeting: Meeting = response.json().await.unwrap();
    assert_eq!(meeting.title, "Standup");
    assert!(meeting.ended_at.is_none());

    let card = bob_ws.posted().await;
    assert_eq!(card.id, meeting.card_message_id);
    assert_eq!(card.meeting_id, Some(meeting.id));
    assert_eq!(card.body, "Meeting started");
    let update = bob_ws.meeting_update().await;
    assert_eq!(update.id, meeting.id);
    carol_ws.assert_no_event_until_pong(1).await;

    // One active meeting per channel: starting again returns it.
    let again = admin
        .post(
            &format!("/api/channels/{}/meetings", channel.id),
            &json!({}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Meeting>().await.unwrap().id, meeting.id);

    let active: Option<Meeting> = bob
        .get(&format!("/api/channels/{}/meetings/active", channel.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(active.map(|m| m.id), Some(meeting.id));
    let got = bob.get(&format!("/api/meetings/{}", meeting.id)).await;
    assert_eq!(got.status(), StatusCode::OK);
    // Not in the channel: the meeting does not exist for Carol.
    let hidden = carol.get(&format!("/api/meetings/{}", meeting.id)).await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    // Too long a title.
    let other = admin.create_channel("other", "public", &[]).await;
    let long = admin
        .post(
            &format!("/api/channels/{}/meetings", other.id),
            &json!({"title": "x".repeat(121)}),
        )
        .await;
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn join_leave_and_signaling_only_between_participants() {
    let ts = spawn().await;
    let (admin, bob, carol, channel) = setup(&ts).await;
    let meeting = admin.start_meeting(channel.id).await;
    let mut admin_ws = admin.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    let mut carol_ws = carol.live_ws().await;

    let (admin_pid, participants) = admin_ws.join(meeting.id).await;
    assert_eq!(participants.len(), 1);
    assert!(participants[0].host);
    let (bob_pid, participants) = bob_ws.join(meeting.id).await;
    assert_eq!(participants.len(), 2);
    assert!(!participants.iter().find(|p| p.id == bob_pid).unwrap().host);
    match admin_ws.notice().await {
        MeetingNotice::ParticipantJoined { participant, .. } => assert_eq!(participant.id, bob_pid),
        other => panic!("{other:?}"),
    }
    // Joining twice from the same tab is idempotent.
    let (again, _) = bob_ws.join(meeting.id).await;
    assert_eq!(again, bob_pid);
    // The card shows who is present (one person per name).
    let now: Meeting = bob
        .get(&format!("/api/meetings/{}", meeting.id))
        .await
        .json()
        .await
        .unwrap();
    let mut names: Vec<_> = now.present.iter().map(|p| p.display_name.clone()).collect();
    names.sort();
    assert_eq!(names, ["Ada Admin", "Bob"]);
    assert_eq!(now.attendee_count, 2);

    // Relayed to the target only.
    admin_ws
        .meeting(MeetingRequest::Signal {
            meeting_id: meeting.id,
            to: bob_pid,
            signal: offer(),
        })
        .await;
    match bob_ws.notice().await {
        MeetingNotice::Signal { from, signal, .. } => {
            assert_eq!(from, admin_pid);
            assert_eq!(signal, offer());
        }
        other => panic!("{other:?}"),
    }
    admin_ws.assert_no_notice_until_pong(2).await;

    // An outsider cannot join nor signal.
    carol_ws
        .meeting(MeetingRequest::Join {
            meeting_id: meeting.id,
            media: MediaState::default(),
        })
        .await;
    assert_eq!(refused_code(carol_ws.notice().await), ErrorCode::Forbidden);
    carol_ws
        .meeting(MeetingRequest::Signal {
            meeting_id: meeting.id,
            to: bob_pid,
            signal: offer(),
        })
        .await;
    assert_eq!(refused_code(carol_ws.notice().await), ErrorCode::Forbidden);
    bob_ws.assert_no_notice_until_pong(3).await;

    // Across meetings: Carol in her own channel's meeting cannot reach Bob.
    let carol_channel = carol.create_channel("carols", "public", &[]).await;
    let other = carol.start_meeting(carol_channel.id).await;
    carol_ws.join(other.id).await;
    for meeting_id in [other.id, meeting.id] {
        carol_ws
            .meeting(MeetingRequest::Signal {
                meeting_id,
                to: bob_pid,
                signal: offer(),
            })
            .await;
        assert_eq!(refused_code(carol_ws.notice().await), ErrorCode::Forbidden);
    }
    bob_ws.assert_no_notice_until_pong(4).await;

    // Media changes reach everyone in the room.
    let muted = MediaState {
        audio_muted: true,
        ..MediaState::default()
    };
    bob_ws
        .meeting(MeetingRequest::UpdateMedia {
            meeting_id: meeting.id,
            media: muted.clone(),
        })
        .await;
    match admin_ws.notice().await {
        MeetingNotice::ParticipantUpdated { participant, .. } => {
            assert_eq!(participant.media, muted)
        }
        other => panic!("{other:?}"),
    }

    // Leave.
    bob_ws
        .meeting(MeetingRequest::Leave {
            meeting_id: meeting.id,
        })
        .await;
    match admin_ws.notice().await {
        MeetingNotice::ParticipantLeft { participant_id, .. } => {
            assert_eq!(participant_id, bob_pid)
        }
        other => panic!("{other:?}"),
    }

    // A closed socket leaves the room too.
    let mut bob_tab = bob.live_ws().await;
    let (tab_pid, _) = bob_tab.join(meeting.id).await;
    match admin_ws.notice().await {
        MeetingNotice::ParticipantJoined { participant, .. } => assert_eq!(participant.id, tab_pid),
        other => panic!("{other:?}"),
    }
    drop(bob_tab);
    match admin_ws.notice().await {
        MeetingNotice::ParticipantLeft { participant_id, .. } => {
            assert_eq!(participant_id, tab_pid)
        }
        other => panic!("{other:?}"),
    }
    // And signals to it are refused.
    admin_ws
        .meeting(MeetingRequest::Signal {
            meeting_id: meeting.id,
            to: tab_pid,
            signal: offer(),
        })
        .await;
    assert_eq!(refused_code(admin_ws.notice().await), ErrorCode::Forbidden);
}

#[tokio::test]
async fn a_locked_meeting_sends_newcomers_to_the_lobby() {
    let ts = spawn().await;
    let (admin, bob, _carol, channel) = setup(&ts).await;
    let meeting = admin.start_meeting(channel.id).await;
    let mut host = admin.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    let (host_pid, _) = host.join(meeting.id).await;
    host.meeting(MeetingRequest::Host {
        meeting_id: meeting.id,
        action: HostAction::Lock { locked: true },
    })
    .await;
    assert_eq!(
        host.notice().await,
        MeetingNotice::LockChanged {
            meeting_id: meeting.id,
            locked: true
        }
    );

    // Knock, then admitted.
    bob_ws
        .meeting(MeetingRequest::Join {
            meeting_id: meeting.id,
            media: MediaState::default(),
        })
        .await;
    let waiting = match bob_ws.notice().await {
        MeetingNotice::Waiting { you, .. } => you,
        other => panic!("{other:?}"),
    };
    match host.notice().await {
        MeetingNotice::Knocking { participant, .. } => assert_eq!(participant.id, waiting),
        other => panic!("{other:?}"),
    }
    // In the lobby: no signaling either way.
    bob_ws
        .meeting(MeetingRequest::Signal {
            meeting_id: meeting.id,
            to: host_pid,
            signal: offer(),
        })
        .await;
    assert_eq!(refused_code(bob_ws.notice().await), ErrorCode::Forbidden);
    host.meeting(MeetingRequest::Signal {
        meeting_id: meeting.id,
        to: waiting,
        signal: offer(),
    })
    .await;
    assert_eq!(refused_code(host.notice().await), ErrorCode::Forbidden);

    host.meeting(MeetingRequest::Host {
        meeting_id: meeting.id,
        action: HostAction::Admit {
            participant_id: waiting,
        },
    })
    .await;
    match bob_ws.notice().await {
        MeetingNotice::Joined {
            you, participants, ..
        } => {
            assert_eq!(you, waiting);
            assert_eq!(participants.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    let got = [host.notice().await, host.notice().await];
    assert!(got.iter().any(|n| matches!(
        n,
        MeetingNotice::ParticipantJoined { participant, .. } if participant.id == waiting
    )));
    assert!(got.iter().any(|n| matches!(
        n,
        MeetingNotice::KnockResolved { participant_id, .. } if *participant_id == waiting
    )));

    // Another tab of Bob knocks and is denied.
    let mut bob_tab = bob.live_ws().await;
    bob_tab
        .meeting(MeetingRequest::Join {
            meeting_id: meeting.id,
            media: MediaState::default(),
        })
        .await;
    let second = match bob_tab.notice().await {
        MeetingNotice::Waiting { you, .. } => you,
        other => panic!("{other:?}"),
    };
    assert!(matches!(
        host.notice().await,
        MeetingNotice::Knocking { .. }
    ));
    host.meeting(MeetingRequest::Host {
        meeting_id: meeting.id,
        action: HostAction::Deny {
            participant_id: second,
        },
    })
    .await;
    assert_eq!(
        bob_tab.notice().await,
        MeetingNotice::Denied {
            meeting_id: meeting.id
        }
    );
    let stored: Meeting = admin
        .get(&format!("/api/meetings/{}", meeting.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(stored.locked);
    assert_eq!(stored.attendee_count, 2);
}

#[tokio::test]
async fn host_controls_are_for_hosts_only() {
    let ts = spawn().await;
    let (admin, bob, _carol, channel) = setup(&ts).await;
    // Bob starts it, so Bob hosts; Dave is an ordinary participant. (Admins are hosts
    // everywhere, so the non-host here is a member.)
    let (dave, dave_user) = ts.member(&admin, "Dave", "dave@example.com").await;
    admin
        .post(
            &format!("/api/channels/{}/members", channel.id),
            &json!({"user_ids": [dave_user.id]}),
        )
        .await;
    let meeting = bob.start_meeting(channel.id).await;
    let mut host = bob.live_ws().await;
    let mut dave_ws = dave.live_ws().await;
    let (host_pid, _) = host.join(meeting.id).await;
    let (dave_pid, _) = dave_ws.join(meeting.id).await;
    assert!(matches!(
        host.notice().await,
        MeetingNotice::ParticipantJoined { .. }
    ));

    for action in [
        HostAction::Lock { locked: true },
        HostAction::Remove {
            participant_id: host_pid,
        },
        HostAction::AskUnmute {
            participant_id: host_pid,
        },
        HostAction::End,
    ] {
        dave_ws
            .meeting(MeetingRequest::Host {
                meeting_id: meeting.id,
                action,
            })
            .await;
        assert_eq!(refused_code(dave_ws.notice().await), ErrorCode::Forbidden);
    }
    host.assert_no_notice_until_pong(1).await;

    host.meeting(MeetingRequest::Host {
        meeting_id: meeting.id,
        action: HostAction::AskUnmute {
            participant_id: dave_pid,
        },
    })
    .await;
    assert_eq!(
        dave_ws.notice().await,
        MeetingNotice::AskedToUnmute {
            meeting_id: meeting.id
        }
    );
    host.meeting(MeetingRequest::Host {
        meeting_id: meeting.id,
        action: HostAction::Remove {
            participant_id: dave_pid,
        },
    })
    .await;
    assert_eq!(
        dave_ws.notice().await,
        MeetingNotice::Removed {
            meeting_id: meeting.id
        }
    );
    match host.notice().await {
        MeetingNotice::ParticipantLeft { participant_id, .. } => {
            assert_eq!(participant_id, dave_pid)
        }
        other => panic!("{other:?}"),
    }
    // Removed: further signals are refused.
    dave_ws
        .meeting(MeetingRequest::Signal {
            meeting_id: meeting.id,
            to: host_pid,
            signal: offer(),
        })
        .await;
    assert_eq!(refused_code(dave_ws.notice().await), ErrorCode::Forbidden);

    // Removed means barred until the host readmits (security_web.rs has the details).
    let removal_id = match host.notice().await {
        MeetingNotice::RemovedPeople { people, .. } => people[0].id,
        other => panic!("{other:?}"),
    };
    host.meeting(MeetingRequest::Host {
        meeting_id: meeting.id,
        action: HostAction::Readmit { removal_id },
    })
    .await;
    assert!(matches!(
        host.notice().await,
        MeetingNotice::RemovedPeople { people, .. } if people.is_empty()
    ));

    // The host ends it: everyone is told, and the card says so.
    let (_, _) = dave_ws.join(meeting.id).await;
    host.meeting(MeetingRequest::Host {
        meeting_id: meeting.id,
        action: HostAction::End,
    })
    .await;
    let ended = MeetingNotice::Ended {
        meeting_id: meeting.id,
    };
    loop {
        match dave_ws.notice().await {
            MeetingNotice::Ended { .. } => break,
            MeetingNotice::ParticipantUpdated { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    // Both the notice and the card's final state reach the host, in either order
    // (events and room notices travel separately).
    let (mut told, mut card_ended) = (false, false);
    while !(told && card_ended) {
        match host.recv().await {
            ServerFrame::Meeting(notice) if notice == ended => told = true,
            ServerFrame::Event(envelope) => {
                if let Event::MeetingUpdated { meeting } = envelope.event {
                    if meeting.ended_at.is_some() {
                        assert!(meeting.present.is_empty());
                        card_ended = true;
                    }
                }
            }
            _ => {}
        }
    }
    // Joining an ended meeting is refused.
    dave_ws
        .meeting(MeetingRequest::Join {
            meeting_id: meeting.id,
            media: MediaState::default(),
        })
        .await;
    assert_eq!(refused_code(dave_ws.notice().await), ErrorCode::Gone);
}

#[tokio::test]
async fn a_full_room_refuses_the_next_participant() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("all-hands", "public", &[]).await;
    let meeting = admin.start_meeting(channel.id).await;
    let mut tabs = Vec::new();
    for _ in 0..MAX_MEETING_PARTICIPANTS {
        let mut ws = admin.live_ws().await;
        ws.join(meeting.id).await;
        tabs.push(ws);
    }
    let mut late = admin.live_ws().await;
    late.meeting(MeetingRequest::Join {
        meeting_id: meeting.id,
        media: MediaState::default(),
    })
    .await;
    match late.notice().await {
        MeetingNotice::Refused { code, message, .. } => {
            assert_eq!(code, ErrorCode::Conflict);
            assert_eq!(message, "This meeting is full.");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_empty_meeting_ends_after_the_grace_period() {
    let ts = spawn_with(|c| c.meeting_empty_grace_secs = 1).await;
    let (admin, bob, _carol, channel) = setup(&ts).await;
    let meeting = admin.start_meeting(channel.id).await;
    let mut admin_ws = admin.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    admin_ws.join(meeting.id).await;
    admin_ws
        .meeting(MeetingRequest::Leave {
            meeting_id: meeting.id,
        })
        .await;
    let ended = loop {
        let update = bob_ws.meeting_update().await;
        if update.ended_at.is_some() {
            break update;
        }
    };
    assert_eq!(ended.id, meeting.id);
    assert!(ended.present.is_empty());
    assert_eq!(ended.attendee_count, 1);
    // The channel can start a new one.
    let response = admin
        .post(
            &format!("/api/channels/{}/meetings", channel.id),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}
