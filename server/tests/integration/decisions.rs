//! Decision records (issue #7): a message becomes a proposal, members vote, the owner
//! decides once the consent window closed or everyone voted, objections are escalated
//! to a call, and the decision logs find it. On a clock the test moves.

use crate::common;

use common::bridge::*;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tandem_protocol::decisions::{DecidedIn, Proposal, ProposalState, Vote};
use tandem_protocol::meetings::Meeting;
use tandem_protocol::ws::Event;
use tandem_protocol::ErrorCode;
use uuid::Uuid;

const HOUR: i64 = 60 * MINUTE;
/// Monday 13 January 2025, 09:00 UTC.
const MONDAY_0900: i64 = 1_736_758_800_000;

async fn propose(client: &Client, message: Uuid, body: Value) -> reqwest::Response {
    client
        .post(&format!("/api/messages/{message}/proposal"), &body)
        .await
}

async fn vote(client: &Client, proposal: Uuid, vote: &str, reason: &str) -> reqwest::Response {
    put(
        client,
        &format!("/api/proposals/{proposal}/vote"),
        &json!({"vote": vote, "reason": reason}),
    )
    .await
}

async fn decide(client: &Client, proposal: Uuid, decision: &str) -> reqwest::Response {
    client
        .post(
            &format!("/api/proposals/{proposal}/decide"),
            &json!({"decision": decision}),
        )
        .await
}

async fn ok_proposal(response: reqwest::Response, status: StatusCode) -> Proposal {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

async fn search_ids(client: &Client, q: &str) -> Vec<Uuid> {
    let response = client.get(&format!("/api/decisions?q={q}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let found: Vec<Proposal> = response.json().await.unwrap();
    found.into_iter().map(|p| p.id).collect()
}

impl Ws {
    async fn proposal_changed(&mut self) -> Proposal {
        match self
            .event_matching(|e| matches!(e, Event::ProposalChanged { .. }))
            .await
        {
            Event::ProposalChanged { proposal } => proposal,
            _ => unreachable!(),
        }
    }
}

#[tokio::test]
async fn a_proposal_collects_votes_and_is_decided_in_writing_or_in_a_call() {
    let (ts, clock) = spawn_at(MONDAY_0900).await;
    let (ada, ada_user) = ts.admin().await;
    let (bob, bob_user) = ts.member(&ada, "Bob", "bob@example.com").await;
    let (cleo, cleo_user) = ts.member(&ada, "Cleo", "cleo@example.com").await;
    let (dan, dan_user) = ts.member(&ada, "Dan", "dan@example.com").await;
    let general = ada
        .create_channel("general", "public", &[bob_user.id, cleo_user.id])
        .await;
    let mut ada_ws = ada.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    let (deploy_msg, _) = ada_ws
        .ok(send(general.id, "Shall we deploy on Fridays?", None, None))
        .await;
    let (tabs_msg, _) = ada_ws
        .ok(send(general.id, "Tabs or spaces?", None, None))
        .await;
    let (lunch_msg, _) = ada_ws
        .ok(send(general.id, "Team lunch on Thursday?", None, None))
        .await;
    let deadline = MONDAY_0900 + 24 * HOUR;
    let body = |question: &str, owner: Uuid| {
        json!({
            "question": question,
            "owner_id": owner,
            "deadline": deadline
        })
    };

    // Refused: a past deadline, an owner outside the channel, a non-member proposer.
    let response = propose(
        &ada,
        deploy_msg,
        json!({"question": "Deploy on Fridays?", "owner_id": ada_user.id, "deadline": MONDAY_0900}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_body(response).await.field.as_deref(),
        Some("deadline")
    );
    let response = propose(&ada, deploy_msg, body("Deploy on Fridays?", dan_user.id)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_body(response).await.field.as_deref(),
        Some("owner_id")
    );
    let response = propose(&dan, deploy_msg, body("Deploy on Fridays?", ada_user.id)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Made: open, no votes; the channel hears about it.
    let deploy = ok_proposal(
        propose(&ada, deploy_msg, body("  Deploy on Fridays? ", ada_user.id)).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(deploy.question, "Deploy on Fridays?");
    assert_eq!(
        (deploy.state, deploy.owner_id, deploy.created_by),
        (ProposalState::Open, ada_user.id, ada_user.id)
    );
    assert_eq!(
        (deploy.created_at, deploy.deadline),
        (MONDAY_0900, deadline)
    );
    assert!(deploy.votes.is_empty());
    assert_eq!(bob_ws.proposal_changed().await, deploy);
    // One proposal per message.
    let response = propose(&bob, deploy_msg, body("Again?", bob_user.id)).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // Votes: an objection needs a reason; voting again replaces the vote.
    let response = vote(&bob, deploy.id, "object", "  ").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_body(response).await.field.as_deref(), Some("reason"));
    assert_eq!(
        vote(&dan, deploy.id, "agree", "").await.status(),
        StatusCode::FORBIDDEN
    );
    clock.advance(MINUTE);
    let voted = ok_proposal(
        vote(&bob, deploy.id, "object", "Weekend on-call").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(voted.votes.len(), 1);
    assert_eq!(bob_ws.proposal_changed().await, voted);
    let voted = ok_proposal(vote(&bob, deploy.id, "agree", "").await, StatusCode::OK).await;
    assert_eq!(voted.votes.len(), 1);
    assert_eq!(
        (voted.votes[0].user_id, voted.votes[0].vote),
        (bob_user.id, Vote::Agree)
    );
    assert_eq!(voted.votes[0].at, MONDAY_0900 + MINUTE);

    // Deciding: the owner only, and not while the window is open and someone has not
    // voted.
    let response = decide(&bob, deploy.id, "Yes").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = decide(&ada, deploy.id, "Yes").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let error = error_body(response).await;
    assert_eq!(error.code, ErrorCode::Conflict);
    assert!(
        error.message.contains("2025-01-14 09:00 (UTC)"),
        "{}",
        error.message
    );
    // Once everyone in the channel voted, it can be decided before the deadline.
    ok_proposal(vote(&cleo, deploy.id, "abstain", "").await, StatusCode::OK).await;
    ok_proposal(vote(&ada, deploy.id, "agree", "").await, StatusCode::OK).await;
    let decided = ok_proposal(
        decide(&ada, deploy.id, "Deploy on Fridays until noon.").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(decided.state, ProposalState::Decided);
    assert_eq!(decided.decided_in, Some(DecidedIn::Async));
    assert_eq!(decided.decided_at, Some(MONDAY_0900 + MINUTE));
    assert_eq!(
        decided.decision.as_deref(),
        Some("Deploy on Fridays until noon.")
    );
    // Decided is final.
    assert_eq!(
        vote(&bob, deploy.id, "abstain", "").await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        decide(&ada, deploy.id, "No").await.status(),
        StatusCode::CONFLICT
    );

    // Tabs: Bob owns it; only Cleo votes; after the deadline Bob decides (in writing).
    clock.advance(MINUTE);
    let tabs = ok_proposal(
        propose(&ada, tabs_msg, body("Tabs or spaces?", bob_user.id)).await,
        StatusCode::CREATED,
    )
    .await;
    ok_proposal(vote(&cleo, tabs.id, "agree", "").await, StatusCode::OK).await;
    // Nobody objects: nothing to take to a call.
    let response = bob
        .post(&format!("/api/proposals/{}/escalate", tabs.id), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(
        decide(&bob, tabs.id, "Spaces").await.status(),
        StatusCode::CONFLICT
    );

    // Lunch: Cleo objects; Ada (the owner) takes it to a call on the message's thread.
    clock.advance(MINUTE);
    let lunch = ok_proposal(
        propose(
            &ada,
            lunch_msg,
            body("Team lunch on Thursday?", ada_user.id),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    ok_proposal(
        vote(&cleo, lunch.id, "object", "I am away Thursday").await,
        StatusCode::OK,
    )
    .await;
    let escalate_path = format!("/api/proposals/{}/escalate", lunch.id);
    assert_eq!(
        cleo.post(&escalate_path, &json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    let response = ada.post(&escalate_path, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let call: Meeting = response.json().await.unwrap();
    assert_eq!(call.channel_id, general.id);
    let escalated = loop {
        let p = bob_ws.proposal_changed().await;
        if p.id == lunch.id && p.state == ProposalState::Escalated {
            break p;
        }
    };
    assert_eq!(escalated.meeting_id, Some(call.id));
    // Votes are still taken while the call is pending.
    ok_proposal(vote(&bob, lunch.id, "agree", "").await, StatusCode::OK).await;

    // Past the deadline: both can be decided; the escalated one was decided in a call.
    clock.set(deadline);
    let spaces = ok_proposal(
        decide(&bob, tabs.id, "Spaces, 4 wide").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (spaces.state, spaces.decided_in),
        (ProposalState::Decided, Some(DecidedIn::Async))
    );
    let lunch = ok_proposal(
        decide(&ada, lunch.id, "Lunch moves to Friday").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (lunch.state, lunch.decided_in),
        (ProposalState::Decided, Some(DecidedIn::Call))
    );
    assert_eq!(lunch.meeting_id, Some(call.id));
    // The channel saw both decisions, in order.
    let mut decided_ids = Vec::new();
    while decided_ids.len() < 2 {
        let p = bob_ws.proposal_changed().await;
        if p.state == ProposalState::Decided && p.id != deploy.id {
            decided_ids.push(p.id);
            if p.id == lunch.id {
                assert_eq!(p, lunch);
            }
        }
    }
    assert_eq!(decided_ids, vec![tabs.id, lunch.id]);

    // The channel log: newest first, members only.
    let log: Vec<Proposal> = bob
        .get(&format!("/api/channels/{}/decisions", general.id))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<Uuid> = log.iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![lunch.id, tabs.id, deploy.id]);
    let response = dan
        .get(&format!("/api/channels/{}/decisions", general.id))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // The workspace log: a case-insensitive match on the question or the decision,
    // only from my channels.
    assert_eq!(search_ids(&cleo, "FRIDAYS").await, vec![deploy.id]);
    assert_eq!(search_ids(&cleo, "friday").await, vec![lunch.id, deploy.id]);
    assert_eq!(search_ids(&cleo, "4%20WIDE").await, vec![tabs.id]);
    assert_eq!(search_ids(&cleo, "").await.len(), 3);
    assert!(search_ids(&cleo, "nothing%20like%20this").await.is_empty());
    assert!(search_ids(&dan, "friday").await.is_empty());
    let path = format!("/api/decisions?q=&channel_id={}", Uuid::new_v4());
    let none: Vec<Proposal> = cleo.get(&path).await.json().await.unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn proposals_in_private_channels_stay_private_and_guests_are_refused() {
    let (ts, _clock) = spawn_at(MONDAY_0900).await;
    let (ada, ada_user) = ts.admin().await;
    let (bob, bob_user) = ts.member(&ada, "Bob", "bob@example.com").await;
    let (dan, _) = ts.member(&ada, "Dan", "dan@example.com").await;
    let secret = ada
        .create_channel("secret", "private", &[bob_user.id])
        .await;
    let mut ada_ws = ada.live_ws().await;
    let (message, _) = ada_ws
        .ok(send(secret.id, "Rename the product?", None, None))
        .await;
    let proposal = ok_proposal(
        propose(
            &ada,
            message,
            json!({
                "question": "Rename it?",
                "owner_id": ada_user.id,
                "deadline": MONDAY_0900 + HOUR
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    // Outsiders cannot tell it exists.
    assert_eq!(
        vote(&dan, proposal.id, "agree", "").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        dan.get(&format!("/api/channels/{}/decisions", secret.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let found: Vec<Proposal> = dan
        .get("/api/decisions?q=rename")
        .await
        .json()
        .await
        .unwrap();
    assert!(found.is_empty());
    let found: Vec<Proposal> = bob
        .get("/api/decisions?q=rename")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        vote(&dan, Uuid::new_v4(), "agree", "").await.status(),
        StatusCode::NOT_FOUND
    );

    // A guest (of a meeting in that channel) may not touch decisions.
    let meeting = ada.start_meeting(secret.id).await;
    let response = ada
        .post(
            &format!("/api/meetings/{}/guest-invites", meeting.id),
            &json!({"expires_in_minutes": 60}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let link: Value = response.json().await.unwrap();
    let guest = ts.client();
    let response = guest
        .post(
            &format!("/api/guest/{}", link["token"].as_str().unwrap()),
            &json!({"display_name": "Gina"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        vote(&guest, proposal.id, "agree", "").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        guest.get("/api/decisions").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        guest
            .get(&format!("/api/channels/{}/decisions", secret.id))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
