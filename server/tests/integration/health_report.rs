//! The communication-health report (issue #7) on seeded data with a clock the test
//! moves: time in meetings against working time, SLA adherence and response times,
//! messages sent outside the recipient's hours, escalations, decisions, and who sees
//! whose figures.

use crate::common;

use common::bridge::*;
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::health::{HealthMetrics, HealthReport, TierStats, MEETING_SHARE_TARGET};
use tandem_protocol::meetings::MeetingRequest;
use tandem_protocol::urgency::Urgency;
use tandem_protocol::ws::{ClientFrame, ServerFrame};
use tandem_protocol::ErrorCode;

const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// Monday 13 January 2025, 00:00 UTC. Everyone has the default hours: Monday to Friday
/// 09:00–17:00 UTC.
const MONDAY: i64 = 1_736_726_400_000;

impl Ws {
    /// Waits until the server has handled everything sent before (frames on one
    /// socket are handled in order), skipping whatever arrives meanwhile.
    async fn settle(&mut self, nonce: u64) {
        self.send(&ClientFrame::Ping { nonce }).await;
        loop {
            if let ServerFrame::Pong { nonce: n } = self.recv().await {
                if n == nonce {
                    return;
                }
            }
        }
    }
}

async fn report(client: &Client, from: i64, to: i64) -> HealthReport {
    let response = client
        .get(&format!("/api/health-report?from={from}&to={to}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn tier(metrics: &HealthMetrics, urgency: Urgency) -> &TierStats {
    metrics
        .tiers
        .iter()
        .find(|t| t.urgency == urgency)
        .expect("every tier is listed")
}

#[tokio::test]
async fn the_report_counts_meetings_responses_and_late_messages() {
    let (ts, clock) = spawn_at(MONDAY + 10 * HOUR).await;
    let (ada, ada_user) = ts.admin().await;
    let (bob, bob_user) = ts.member(&ada, "Bob", "bob@example.com").await;
    let general = ada
        .create_channel("general", "public", &[bob_user.id])
        .await;
    let mut ada_ws = ada.live_ws().await;
    let mut bob_ws = bob.live_ws().await;

    // 10:00–11:00: both in a meeting for exactly 60 minutes.
    let meeting = ada.start_meeting(general.id).await;
    ada_ws.join(meeting.id).await;
    bob_ws.join(meeting.id).await;
    clock.advance(HOUR);
    for (ws, nonce) in [(&mut bob_ws, 1), (&mut ada_ws, 2)] {
        ws.meeting(MeetingRequest::Leave {
            meeting_id: meeting.id,
        })
        .await;
        ws.settle(nonce).await;
    }

    // 12:00 a Critical question to Bob (due 12:15), answered at 12:05: met, 5 minutes.
    clock.set(MONDAY + 12 * HOUR);
    let (question, _) = ada_ws
        .ok(send(
            general.id,
            "@Bob is the build green?",
            None,
            Some(Urgency::Critical),
        ))
        .await;
    clock.advance(5 * MINUTE);
    bob_ws
        .ok(send(general.id, "yes", Some(question), None))
        .await;
    // 13:00 another (due 13:15), never answered: missed.
    clock.set(MONDAY + 13 * HOUR);
    ada_ws
        .ok(send(
            general.id,
            "@Bob and staging?",
            None,
            Some(Urgency::Critical),
        ))
        .await;

    // 14:00 a proposal Ada owns, decided in writing once both voted.
    clock.set(MONDAY + 14 * HOUR);
    let (topic, _) = ada_ws
        .ok(send(general.id, "Move standup to 10:00?", None, None))
        .await;
    let response = ada
        .post(
            &format!("/api/messages/{topic}/proposal"),
            &json!({
                "question": "Standup at 10?",
                "owner_id": ada_user.id,
                "deadline": MONDAY + DAY
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let proposal: tandem_protocol::decisions::Proposal = response.json().await.unwrap();
    for client in [&ada, &bob] {
        let path = format!("/api/proposals/{}/vote", proposal.id);
        assert_eq!(
            put(client, &path, &json!({"vote": "agree"})).await.status(),
            StatusCode::OK
        );
    }
    let response = ada
        .post(
            &format!("/api/proposals/{}/decide", proposal.id),
            &json!({"decision": "Yes"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    // 18:00 Ada DMs Bob after his hours (counted once), then escalates that thread.
    clock.set(MONDAY + 18 * HOUR);
    let response = ada
        .post("/api/direct", &json!({"user_ids": [bob_user.id]}))
        .await;
    let dm: tandem_protocol::chat::Channel = response.json().await.unwrap();
    let (late, _) = ada_ws.ok(send(dm.id, "one more thing", None, None)).await;
    let response = ada
        .post(&format!("/api/messages/{late}/escalate"), &json!({}))
        .await;
    assert!(
        response.status().is_success(),
        "escalated: {}",
        response.status()
    );

    let (from, to) = (MONDAY, MONDAY + DAY);
    let mine = report(&bob, from, to).await;
    assert_eq!((mine.from, mine.to), (from, to));
    assert_eq!(mine.meeting_share_target, MEETING_SHARE_TARGET);

    // Privacy: a member sees only themselves; the team is everyone.
    assert_eq!(mine.people.len(), 1);
    let bob_figures = &mine.people[0];
    assert_eq!(
        (bob_figures.user_id, bob_figures.display_name.as_str()),
        (bob_user.id, "Bob")
    );
    let bob_metrics = &bob_figures.metrics;
    // 60 of 480 working minutes in meetings.
    assert_eq!(
        (bob_metrics.working_minutes, bob_metrics.meeting_minutes),
        (480, 60)
    );
    assert_eq!(bob_metrics.meeting_share, Some(0.125));
    // Two Critical items owed: one met (in 5 minutes), one missed. The Standard item
    // from the DM is due Tuesday 13:00 (four working hours later): pending, not counted.
    let critical = tier(bob_metrics, Urgency::Critical);
    assert_eq!((critical.total, critical.met), (2, 1));
    assert_eq!(critical.adherence, Some(0.5));
    assert_eq!(critical.median_response_minutes, Some(5.0));
    assert_eq!(tier(bob_metrics, Urgency::Standard).total, 0);
    assert_eq!(bob_metrics.messages_outside_recipient_hours, 0);
    assert_eq!(
        (bob_metrics.escalations, bob_metrics.decisions_async),
        (0, 0)
    );

    // The admin sees everyone.
    let all = report(&ada, from, to).await;
    assert_eq!(all.team, mine.team);
    let ids: Vec<_> = all.people.iter().map(|p| p.user_id).collect();
    assert_eq!(ids, vec![ada_user.id, bob_user.id]);
    assert_eq!(all.people[1], *bob_figures);
    let ada_metrics = &all.people[0].metrics;
    assert_eq!(
        (ada_metrics.working_minutes, ada_metrics.meeting_minutes),
        (480, 60)
    );
    assert_eq!(ada_metrics.meeting_share, Some(0.125));
    assert_eq!(tier(ada_metrics, Urgency::Critical).total, 0);
    assert_eq!(ada_metrics.messages_outside_recipient_hours, 1);
    assert_eq!(ada_metrics.escalations, 1);
    assert_eq!(
        (ada_metrics.decisions_async, ada_metrics.decisions_in_call),
        (1, 0)
    );

    // The team: sums, and a share of 120 / 960.
    let team = &all.team;
    assert_eq!((team.working_minutes, team.meeting_minutes), (960, 120));
    assert_eq!(team.meeting_share, Some(0.125));
    assert_eq!(tier(team, Urgency::Critical).adherence, Some(0.5));
    assert_eq!(team.messages_outside_recipient_hours, 1);
    assert_eq!((team.escalations, team.decisions_async), (1, 1));

    // A period without the meeting: no meeting time.
    let tuesday = report(&bob, MONDAY + DAY, MONDAY + 2 * DAY).await;
    assert_eq!(tuesday.people[0].metrics.meeting_minutes, 0);
    assert_eq!(tuesday.people[0].metrics.working_minutes, 480);
}

#[tokio::test]
async fn the_period_is_checked_and_the_report_needs_a_session() {
    let (ts, _clock) = spawn_at(MONDAY).await;
    let (ada, _) = ts.admin().await;
    for (from, to) in [
        (MONDAY, MONDAY),
        (MONDAY, MONDAY - 1),
        (MONDAY, MONDAY + 92 * DAY + 1),
    ] {
        let response = ada
            .get(&format!("/api/health-report?from={from}&to={to}"))
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error = error_body(response).await;
        assert_eq!(
            (error.code, error.field.as_deref()),
            (ErrorCode::Validation, Some("to"))
        );
    }
    let quarter = report(&ada, MONDAY, MONDAY + 92 * DAY).await;
    assert_eq!(quarter.people.len(), 1);
    let response = ada.get("/api/health-report?from=soon").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = ts
        .client()
        .get(&format!(
            "/api/health-report?from={MONDAY}&to={}",
            MONDAY + DAY
        ))
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
