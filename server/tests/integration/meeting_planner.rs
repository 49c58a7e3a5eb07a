//! The meeting planner (issue #7): focus blocks refuse a slot unless the organiser
//! insists, outside-hours people are listed, the upcoming list, joining at the right
//! time, cancelling, and the planner's day view across a daylight-saving change. The
//! server runs on a clock the test moves.

use crate::common;

use common::bridge::*;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tandem_protocol::api::User;
use tandem_protocol::meeting_plans::{DayPlan, ScheduledMeeting};
use tandem_protocol::meetings::Meeting;
use tandem_protocol::working_hours::{Interval, WeeklyRange, WorkSchedule};
use tandem_protocol::ws::Event;
use tandem_protocol::ErrorCode;
use uuid::Uuid;

const HOUR: i64 = 60 * MINUTE;
/// Monday 13 January 2025, 08:00 UTC (Lisbon is on UTC in winter; New York UTC−5).
const MONDAY_0800: i64 = 1_736_755_200_000;
/// Tuesday 14 January 2025, 10:30 UTC = 10:30 in Lisbon = 05:30 in New York.
const TUESDAY_1030: i64 = MONDAY_0800 + 26 * HOUR + 30 * MINUTE;

async fn set_hours(client: &Client, hours: &WorkSchedule) {
    let response = put(client, "/api/users/me/schedule", &json!(hours)).await;
    assert_eq!(response.status(), StatusCode::OK, "working hours saved");
}

async fn plan_meeting(client: &Client, body: Value) -> reqwest::Response {
    client.post("/api/scheduled-meetings", &body).await
}

async fn upcoming(client: &Client) -> Vec<ScheduledMeeting> {
    let response = client.get("/api/scheduled-meetings").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

impl Ws {
    async fn planned_changed(&mut self) -> ScheduledMeeting {
        match self
            .event_matching(|e| matches!(e, Event::ScheduledMeetingChanged { .. }))
            .await
        {
            Event::ScheduledMeetingChanged { meeting } => meeting,
            _ => unreachable!(),
        }
    }
}

/// Ada (admin, UTC), Bob, Cleo and Dan.
async fn people(ts: &TestServer) -> [(Client, User); 4] {
    let (ada, ada_user) = ts.admin().await;
    let (bob, bob_user) = ts.member(&ada, "Bob", "bob@example.com").await;
    let (cleo, cleo_user) = ts.member(&ada, "Cleo", "cleo@example.com").await;
    let (dan, dan_user) = ts.member(&ada, "Dan", "dan@example.com").await;
    [
        (ada, ada_user),
        (bob, bob_user),
        (cleo, cleo_user),
        (dan, dan_user),
    ]
}

#[tokio::test]
async fn focus_time_refuses_a_slot_unless_the_organiser_insists() {
    let (ts, _clock) = spawn_at(MONDAY_0800).await;
    let [(ada, ada_user), (bob, bob_user), (cleo, cleo_user), (dan, dan_user)] = people(&ts).await;
    let planning = ada
        .create_channel("planning", "public", &[bob_user.id, cleo_user.id])
        .await;
    // Bob works in Lisbon and focuses Tuesdays 10:00–12:00; Cleo works in New York.
    let mut bob_hours = WorkSchedule::default_for("Europe/Lisbon");
    bob_hours.focus_blocks.push(WeeklyRange {
        weekday: 2,
        start_minute: 600,
        end_minute: 720,
    });
    set_hours(&bob, &bob_hours).await;
    set_hours(&cleo, &WorkSchedule::default_for("America/New_York")).await;
    let mut bob_ws = bob.live_ws().await;

    let request = |people: Vec<Uuid>, insist: bool| {
        json!({
            "channel_id": planning.id,
            "title": "  Roadmap review ",
            "participant_ids": people,
            "start_at": TUESDAY_1030,
            "duration_minutes": 30,
            "allow_focus_conflict": insist,
        })
    };

    // Over Bob's focus block: refused, naming him.
    let response = plan_meeting(&ada, request(vec![bob_user.id, cleo_user.id], false)).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let error = error_body(response).await;
    assert_eq!(error.code, ErrorCode::Conflict);
    assert_eq!(error.message, "Overlaps Bob's focus time.");

    // Dan is not in the channel.
    let response = plan_meeting(&ada, request(vec![bob_user.id, dan_user.id], true)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = error_body(response).await;
    assert_eq!(error.field.as_deref(), Some("participant_ids"));
    assert_eq!(error.message, "Dan is not a member of this channel.");
    // Nor may Dan organise in a channel he is not in.
    let response = plan_meeting(&dan, request(vec![bob_user.id], true)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Shape checks: a past start, too short, no title.
    for (patch, field) in [
        (json!({"start_at": MONDAY_0800}), "start_at"),
        (json!({"duration_minutes": 4}), "duration_minutes"),
        (json!({"duration_minutes": 8 * 60 + 1}), "duration_minutes"),
        (json!({"title": "   "}), "title"),
    ] {
        let mut body = request(vec![bob_user.id], true);
        for (key, value) in patch.as_object().unwrap() {
            body[key] = value.clone();
        }
        let response = plan_meeting(&ada, body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        assert_eq!(error_body(response).await.field.as_deref(), Some(field));
    }

    // Insisting: allowed, the conflict recorded; 05:30 in New York is outside Cleo's
    // hours (allowed, listed).
    let response = plan_meeting(&ada, request(vec![bob_user.id, cleo_user.id], true)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let roadmap: ScheduledMeeting = response.json().await.unwrap();
    assert_eq!(roadmap.title, "Roadmap review");
    assert_eq!(roadmap.organiser_id, ada_user.id);
    assert_eq!(roadmap.participant_ids, vec![bob_user.id, cleo_user.id]);
    assert_eq!(
        (roadmap.start_at, roadmap.end_at),
        (TUESDAY_1030, TUESDAY_1030 + 30 * MINUTE)
    );
    assert_eq!(roadmap.focus_conflicts, vec![bob_user.id]);
    assert_eq!(roadmap.outside_hours, vec![cleo_user.id]);
    assert_eq!(roadmap.meeting_id, None);
    // Participants hear about it.
    assert_eq!(bob_ws.planned_changed().await, roadmap);

    // An earlier one, inside everyone's hours and clear of focus: Monday 14:00 UTC
    // (09:00 in New York).
    let response = plan_meeting(
        &ada,
        json!({
            "channel_id": planning.id,
            "title": "Kick-off",
            "participant_ids": [bob_user.id, cleo_user.id],
            "start_at": MONDAY_0800 + 6 * HOUR,
            "duration_minutes": 60,
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let kickoff: ScheduledMeeting = response.json().await.unwrap();
    assert!(kickoff.outside_hours.is_empty() && kickoff.focus_conflicts.is_empty());

    // Upcoming lists: mine only, soonest first.
    let ids = |list: Vec<ScheduledMeeting>| list.into_iter().map(|m| m.id).collect::<Vec<_>>();
    assert_eq!(ids(upcoming(&bob).await), vec![kickoff.id, roadmap.id]);
    assert_eq!(ids(upcoming(&ada).await), vec![kickoff.id, roadmap.id]);
    assert!(upcoming(&dan).await.is_empty());
}

#[tokio::test]
async fn joining_opens_ten_minutes_early_and_everyone_gets_the_same_meeting() {
    let (ts, clock) = spawn_at(MONDAY_0800).await;
    let [(ada, _), (bob, bob_user), (cleo, cleo_user), (dan, _)] = people(&ts).await;
    let team = ada
        .create_channel("team", "public", &[bob_user.id, cleo_user.id])
        .await;
    let response = plan_meeting(
        &ada,
        json!({
            "channel_id": team.id,
            "title": "Standup",
            "participant_ids": [bob_user.id, cleo_user.id],
            "start_at": MONDAY_0800 + 2 * HOUR,
            "duration_minutes": 15,
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let standup: ScheduledMeeting = response.json().await.unwrap();
    let join_path = format!("/api/scheduled-meetings/{}/join", standup.id);
    let mut ada_ws = ada.live_ws().await;

    // Two hours early: refused, telling when (in the joiner's zone).
    let response = bob.post(&join_path, &json!({})).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let error = error_body(response).await;
    assert!(
        error
            .message
            .starts_with("This meeting starts at 2025-01-13 10:00 (UTC)"),
        "{}",
        error.message
    );
    // Someone not invited cannot even see it.
    assert_eq!(
        dan.post(&join_path, &json!({})).await.status(),
        StatusCode::NOT_FOUND
    );

    // 09:49:59: still too early; 09:50: open.
    clock.set(standup.start_at - 10 * MINUTE - 1);
    assert_eq!(
        bob.post(&join_path, &json!({})).await.status(),
        StatusCode::CONFLICT
    );
    clock.set(standup.start_at - 10 * MINUTE);
    let response = bob.post(&join_path, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let meeting: Meeting = response.json().await.unwrap();
    assert_eq!(meeting.title, "Standup");
    assert_eq!(meeting.channel_id, team.id);
    // The link is announced and listed.
    let linked = ada_ws.planned_changed().await;
    assert_eq!(linked.meeting_id, Some(meeting.id));
    assert_eq!(upcoming(&cleo).await[0].meeting_id, Some(meeting.id));

    // Everyone after gets the same meeting, the organiser too, without a new event.
    clock.set(standup.start_at + 5 * MINUTE);
    for client in [&cleo, &ada, &bob] {
        let again: Meeting = client
            .post(&join_path, &json!({}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(again.id, meeting.id);
    }
    ada_ws.assert_no_event_until_pong(7).await;

    // Over: refused, and gone from the upcoming list.
    clock.set(standup.end_at);
    let response = cleo.post(&join_path, &json!({})).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_body(response).await.message,
        "This meeting has ended."
    );
    assert!(upcoming(&cleo).await.is_empty());
}

#[tokio::test]
async fn only_the_organiser_cancels_and_everyone_is_told() {
    let (ts, _clock) = spawn_at(MONDAY_0800).await;
    let [(ada, _), (bob, bob_user), (_, _), (dan, _)] = people(&ts).await;
    let team = ada.create_channel("team", "public", &[bob_user.id]).await;
    let response = plan_meeting(
        &ada,
        json!({
            "channel_id": team.id,
            "title": "Retro",
            "participant_ids": [bob_user.id],
            "start_at": MONDAY_0800 + 4 * HOUR,
            "duration_minutes": 45,
        }),
    )
    .await;
    let retro: ScheduledMeeting = response.json().await.unwrap();
    let path = format!("/api/scheduled-meetings/{}", retro.id);
    let mut bob_ws = bob.live_ws().await;

    assert_eq!(bob.delete(&path).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(dan.delete(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ada.delete(&path).await.status(), StatusCode::NO_CONTENT);
    let cancelled = bob_ws
        .event_matching(|e| matches!(e, Event::ScheduledMeetingCancelled { .. }))
        .await;
    assert_eq!(cancelled, Event::ScheduledMeetingCancelled { id: retro.id });
    assert!(upcoming(&bob).await.is_empty());
    assert_eq!(ada.delete(&path).await.status(), StatusCode::NOT_FOUND);
}

/// Thursday 27 March 2025, 12:00 UTC.
const THURSDAY_27_MARCH: i64 = 1_743_076_800_000;
/// Sunday 30 March 2025, 00:00 UTC = midnight in Lisbon, where clocks go forward at
/// 01:00 UTC that night (to UTC+1). New York has been on UTC−4 since 9 March.
const SUNDAY_30_MARCH: i64 = 1_743_292_800_000;

#[tokio::test]
async fn the_day_plan_follows_each_persons_zone_across_a_dst_change() {
    let (ts, _clock) = spawn_at(THURSDAY_27_MARCH).await;
    let [(ada, ada_user), (bob, bob_user), _, _] = people(&ts).await;
    let team = ada.create_channel("team", "public", &[bob_user.id]).await;

    // Ada (the organiser) works Sundays 09:00–17:00 in Lisbon.
    let mut ada_hours = WorkSchedule::default_for("Europe/Lisbon");
    ada_hours.working_hours.push(WeeklyRange {
        weekday: 7,
        start_minute: 9 * 60,
        end_minute: 17 * 60,
    });
    set_hours(&ada, &ada_hours).await;
    // Bob, in New York, works Saturday 20:00–24:00 and Sunday 09:00–17:00 and
    // focuses Sunday 16:00–17:00.
    let mut bob_hours = WorkSchedule::default_for("America/New_York");
    bob_hours.working_hours.push(WeeklyRange {
        weekday: 6,
        start_minute: 20 * 60,
        end_minute: 24 * 60,
    });
    bob_hours.working_hours.push(WeeklyRange {
        weekday: 7,
        start_minute: 9 * 60,
        end_minute: 17 * 60,
    });
    bob_hours.focus_blocks.push(WeeklyRange {
        weekday: 7,
        start_minute: 16 * 60,
        end_minute: 17 * 60,
    });
    set_hours(&bob, &bob_hours).await;
    // A meeting Sunday 14:00–14:30 UTC (15:00 in Lisbon, 10:00 in New York).
    let response = plan_meeting(
        &ada,
        json!({
            "channel_id": team.id,
            "title": "Sunday sync",
            "participant_ids": [bob_user.id],
            "start_at": SUNDAY_30_MARCH + 14 * HOUR,
            "duration_minutes": 30,
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let path = format!(
        "/api/schedule/day?date=2025-03-30&time_zone=Europe/Lisbon&users={},{}",
        ada_user.id, bob_user.id
    );
    let response = ada.get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    let plan: DayPlan = response.json().await.unwrap();
    let at = |hours: i64| SUNDAY_30_MARCH + hours * HOUR;
    let span = |from: i64, to: i64| Interval {
        start: at(from),
        end: at(to),
    };
    // Lisbon's Sunday is 23 hours long: midnight WET to midnight WEST.
    assert_eq!(plan.day, span(0, 23));
    assert_eq!(
        (plan.date.as_str(), plan.time_zone.as_str()),
        ("2025-03-30", "Europe/Lisbon")
    );
    let [ada_day, bob_day] = &plan.people[..] else {
        panic!("two people: {plan:?}")
    };

    assert_eq!(ada_day.user_id, ada_user.id);
    assert_eq!(ada_day.time_zone, "Europe/Lisbon");
    // 09:00–17:00 WEST = 08:00–16:00 UTC.
    assert_eq!(ada_day.working, vec![span(8, 16)]);
    assert!(ada_day.focus.is_empty());
    assert_eq!(
        ada_day.busy,
        vec![Interval {
            start: at(14),
            end: at(14) + 30 * MINUTE
        }]
    );

    assert_eq!(bob_day.time_zone, "America/New_York");
    // Saturday 20:00–24:00 EDT = Sunday 00:00–04:00 UTC; Sunday 09:00–17:00 EDT =
    // 13:00–21:00 UTC; focus 16:00–17:00 EDT = 20:00–21:00 UTC.
    assert_eq!(bob_day.working, vec![span(0, 4), span(13, 21)]);
    assert_eq!(bob_day.focus, vec![span(20, 21)]);
    assert_eq!(bob_day.busy, ada_day.busy);

    // Refused: an unknown zone, a malformed date, more than 20 people.
    let response = ada
        .get("/api/schedule/day?date=2025-03-30&time_zone=Mars/Olympus_Mons&users=")
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_body(response).await.field.as_deref(),
        Some("time_zone")
    );
    let response = ada
        .get("/api/schedule/day?date=30/03/2025&time_zone=UTC")
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let many: Vec<String> = (0..21).map(|_| Uuid::new_v4().to_string()).collect();
    let response = ada
        .get(&format!(
            "/api/schedule/day?date=2025-03-30&time_zone=UTC&users={}",
            many.join(",")
        ))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_body(response).await.field.as_deref(), Some("users"));
}
