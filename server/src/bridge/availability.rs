//! Working hours and focus blocks as the server uses them: checking a schedule before
//! it is stored, and everyone's state now (`GET /api/availability`). The calendar
//! arithmetic (time zones, daylight saving) is `tandem_schedule`'s.

use tandem_protocol::schedule::{Availability, AvailabilityList, WorkSchedule};
use tandem_protocol::{ApiError, UserId};
use tandem_schedule::Schedule;

use crate::db::{schedules, users};
use crate::error::AppResult;
use crate::state::AppState;

/// A schedule fit to store: right shape, a zone the server knows, and it compiles.
pub fn check(schedule: &WorkSchedule) -> Result<(), ApiError> {
    if !crate::time_zone::is_known(schedule.time_zone.trim()) {
        return Err(ApiError::new(
            tandem_protocol::ErrorCode::Validation,
            "That is not a known time zone.",
        )
        .with_field("time_zone"));
    }
    Schedule::new(schedule).map(|_| ())
}

/// A stored schedule, compiled. One that no longer compiles (a zone a newer tz
/// database renamed, say) falls back to the default hours in its zone, then in UTC,
/// rather than hiding the person or making them impossible to plan with.
pub fn compile(schedule: &WorkSchedule) -> Schedule {
    Schedule::new(schedule)
        .or_else(|_| Schedule::new(&WorkSchedule::default_for(&schedule.time_zone)))
        .or_else(|_| Schedule::new(&WorkSchedule::default_for("UTC")))
        .expect("the default UTC schedule is valid")
}

/// The person's state at `now`.
fn availability_of(user_id: UserId, schedule: &WorkSchedule, now: i64) -> Availability {
    compile(schedule).availability(user_id, now)
}

/// Every active member's availability now (server clock), in directory order.
pub async fn everyone(state: &AppState) -> AppResult<AvailabilityList> {
    let now = state.now();
    let rows = users::list(&state.db).await?;
    let ids = rows
        .iter()
        .map(|row| crate::db::uuid(&row.id))
        .collect::<Result<Vec<UserId>, _>>()?;
    let schedules = schedules::get_many(&state.db, &ids).await?;
    let people = ids
        .iter()
        .filter_map(|id| {
            let schedule = schedules.get(id)?;
            Some(availability_of(*id, schedule, now))
        })
        .collect();
    Ok(AvailabilityList { now, people })
}
