//! The planner's day view: one calendar day in the organiser's zone (23 or 25 hours on
//! the days clocks change) with each person's working hours and focus blocks, computed
//! by their own zone's rules, and the planned meetings they are already in.

use std::collections::HashSet;

use tandem_protocol::meeting_plans::{DayPlan, PersonDay};
use tandem_protocol::working_hours::WorkSchedule;
use tandem_protocol::{ApiError, ErrorCode, UserId};
use uuid::Uuid;

use super::compile;
use crate::db::{planned_meetings, users, working_hours};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The most people one day view shows.
pub const MAX_PEOPLE: usize = 20;

/// The `users` query value: comma-separated ids, distinct, in order, at most
/// `MAX_PEOPLE`. Empty parts (a trailing comma) are ignored.
pub fn parse_users(text: &str) -> Result<Vec<UserId>, ApiError> {
    let invalid = |message: &str| ApiError::new(ErrorCode::Validation, message).with_field("users");
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let id = Uuid::parse_str(part).map_err(|_| invalid("Each person must be a user id."))?;
        if seen.insert(id) {
            out.push(id);
        }
        if out.len() > MAX_PEOPLE {
            return Err(invalid(&format!(
                "Plan with at most {MAX_PEOPLE} people at a time."
            )));
        }
    }
    Ok(out)
}

/// `GET /api/schedule/day`. Ids that are not active members are left out (someone
/// deactivated since the planner was opened should not break it).
pub async fn day_plan(
    state: &AppState,
    date: &str,
    time_zone: &str,
    users_param: &str,
) -> AppResult<DayPlan> {
    let wanted = parse_users(users_param)?;
    let day = tandem_working_hours::day_interval(date, time_zone).map_err(AppError::Api)?;
    let mut conn = state.db.acquire().await?;
    let active: HashSet<UserId> = users::active_among(&mut conn, &wanted)
        .await?
        .into_iter()
        .collect();
    let people: Vec<UserId> = wanted
        .into_iter()
        .filter(|id| active.contains(id))
        .collect();
    let stored = working_hours::get_many(&mut *conn, &people).await?;
    let mut busy = planned_meetings::busy(&mut *conn, &people, day.start, day.end).await?;
    drop(conn);

    let people = people
        .into_iter()
        .map(|user_id| {
            let ws = stored
                .get(&user_id)
                .cloned()
                .unwrap_or_else(|| WorkSchedule::default_for("UTC"));
            let week = compile(&ws);
            PersonDay {
                user_id,
                time_zone: week.time_zone().to_string(),
                working: week.working_intervals(day.start, day.end),
                focus: week.focus_intervals(day.start, day.end),
                busy: busy.remove(&user_id).unwrap_or_default(),
            }
        })
        .collect();
    Ok(DayPlan {
        date: date.to_string(),
        time_zone: time_zone.to_string(),
        day,
        people,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_are_parsed_strictly_and_bounded() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(parse_users("").unwrap(), Vec::<UserId>::new());
        assert_eq!(parse_users(&format!("{a}, {b},{a},")).unwrap(), vec![a, b]);
        assert_eq!(
            parse_users("nope").unwrap_err().field.as_deref(),
            Some("users")
        );
        let twenty: Vec<String> = (0..20u128)
            .map(|i| Uuid::from_u128(i).to_string())
            .collect();
        assert_eq!(parse_users(&twenty.join(",")).unwrap().len(), 20);
        let too_many: Vec<String> = (0..21u128)
            .map(|i| Uuid::from_u128(i).to_string())
            .collect();
        assert!(parse_users(&too_many.join(",")).is_err());
    }
}
