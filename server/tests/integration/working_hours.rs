//! Working hours, focus blocks and availability (issue #7), on a clock the test sets.

use crate::common;

use common::bridge::*;
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::api::User;
use tandem_protocol::working_hours::{
    AvailabilityList, AvailabilityState, WeeklyRange, WorkSchedule,
};
use tandem_protocol::ErrorCode;

/// Wednesday 11 June 2025, 09:00 UTC: 10:00 in Lisbon, 05:00 in New York.
const WEDNESDAY_0900_UTC: i64 = 1_749_632_400_000;
const HOUR: i64 = 60 * MINUTE;

#[tokio::test]
async fn working_hours_are_read_validated_and_keep_the_profile_zone() {
    let (ts, _clock) = spawn_at(WEDNESDAY_0900_UTC).await;
    let (ada, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&ada, "Bob", "bob@example.com").await;

    // Until set: Monday to Friday 09:00–17:00 in the profile's zone.
    let mine: WorkSchedule = bob
        .get("/api/users/me/schedule")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine, WorkSchedule::default_for(&bob_user.time_zone));

    // Refused: an unknown zone, a range ending before it starts, weekday 8.
    let mut bad_zone = WorkSchedule::default_for("Mars/Olympus_Mons");
    let mut backwards = WorkSchedule::default_for("Europe/Lisbon");
    backwards.working_hours[0] = WeeklyRange {
        weekday: 1,
        start_minute: 600,
        end_minute: 540,
    };
    let mut weekday = WorkSchedule::default_for("Europe/Lisbon");
    weekday.focus_blocks.push(WeeklyRange {
        weekday: 8,
        start_minute: 60,
        end_minute: 120,
    });
    for (hours, field) in [
        (&mut bad_zone, "time_zone"),
        (&mut backwards, "working_hours"),
        (&mut weekday, "focus_blocks"),
    ] {
        let response = put(&bob, "/api/users/me/schedule", &json!(hours)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error = error_body(response).await;
        assert_eq!(error.code, ErrorCode::Validation);
        assert_eq!(error.field.as_deref(), Some(field));
    }

    // Saved: the profile takes the working hours' zone.
    let mut hours = WorkSchedule::default_for("America/New_York");
    hours.focus_blocks.push(WeeklyRange {
        weekday: 3,
        start_minute: 13 * 60,
        end_minute: 15 * 60,
    });
    let response = put(&bob, "/api/users/me/schedule", &json!(hours)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: User = bob.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me.time_zone, "America/New_York");
    // Colleagues see it; an unknown person is 404.
    let seen: WorkSchedule = ada
        .get(&format!("/api/users/{}/schedule", bob_user.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen, hours);
    let unknown = ada
        .get(&format!("/api/users/{}/schedule", uuid::Uuid::new_v4()))
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    // A profile zone change moves the working hours along (same wall-clock hours).
    let response = bob
        .patch("/api/users/me", &json!({"time_zone": "Asia/Tokyo"}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let moved: WorkSchedule = bob
        .get("/api/users/me/schedule")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved.time_zone, "Asia/Tokyo");
    assert_eq!(moved.focus_blocks, hours.focus_blocks);
}

#[tokio::test]
async fn availability_tells_working_focus_and_outside_hours_on_the_server_clock() {
    let (ts, clock) = spawn_at(WEDNESDAY_0900_UTC).await;
    let (ada, ada_user) = ts.admin().await;
    let (bob, bob_user) = ts.member(&ada, "Bob", "bob@example.com").await;
    let (cleo, cleo_user) = ts.member(&ada, "Cleo", "cleo@example.com").await;
    assert_eq!(ada_user.time_zone, "UTC");
    // Bob: Lisbon, in focus 10:00–12:00 on Wednesdays. Cleo: New York, default hours.
    let mut bob_hours = WorkSchedule::default_for("Europe/Lisbon");
    bob_hours.focus_blocks.push(WeeklyRange {
        weekday: 3,
        start_minute: 600,
        end_minute: 720,
    });
    assert!(put(&bob, "/api/users/me/schedule", &json!(bob_hours))
        .await
        .status()
        .is_success());
    let cleo_hours = WorkSchedule::default_for("America/New_York");
    assert!(put(&cleo, "/api/users/me/schedule", &json!(cleo_hours))
        .await
        .status()
        .is_success());

    let list: AvailabilityList = cleo.get("/api/availability").await.json().await.unwrap();
    assert_eq!(list.now, WEDNESDAY_0900_UTC);
    assert_eq!(list.people.len(), 3);
    let of = |id| {
        list.people
            .iter()
            .find(|p| p.user_id == id)
            .unwrap()
            .clone()
    };

    // Ada (UTC, 09:00): working until 17:00 UTC, available now.
    let ada_now = of(ada_user.id);
    assert_eq!(ada_now.state, AvailabilityState::Working);
    assert_eq!(ada_now.until, Some(WEDNESDAY_0900_UTC + 8 * HOUR));
    assert_eq!(ada_now.next_available_at, Some(WEDNESDAY_0900_UTC));
    // Bob (Lisbon, 10:00): in focus until 12:00 Lisbon = 11:00 UTC.
    let bob_now = of(bob_user.id);
    assert_eq!(bob_now.state, AvailabilityState::InFocus);
    assert_eq!(bob_now.time_zone, "Europe/Lisbon");
    assert_eq!(bob_now.until, Some(WEDNESDAY_0900_UTC + 2 * HOUR));
    assert_eq!(
        bob_now.next_available_at,
        Some(WEDNESDAY_0900_UTC + 2 * HOUR)
    );
    // Cleo (New York, 05:00): outside hours until 09:00 New York = 13:00 UTC.
    let cleo_now = of(cleo_user.id);
    assert_eq!(cleo_now.state, AvailabilityState::OutsideHours);
    assert_eq!(cleo_now.until, Some(WEDNESDAY_0900_UTC + 4 * HOUR));
    assert_eq!(
        cleo_now.next_available_at,
        Some(WEDNESDAY_0900_UTC + 4 * HOUR)
    );

    // Three hours later Bob is back from focus, Cleo still asleep.
    clock.advance(3 * HOUR);
    let list: AvailabilityList = ada.get("/api/availability").await.json().await.unwrap();
    let state_of = |id| list.people.iter().find(|p| p.user_id == id).unwrap().state;
    assert_eq!(state_of(bob_user.id), AvailabilityState::Working);
    assert_eq!(state_of(cleo_user.id), AvailabilityState::OutsideHours);

    // Only members: no session, no availability.
    let anonymous = ts.client().get("/api/availability").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
