//! Working hours and focus blocks as the server uses them: checking someone's hours
//! before they are stored, and everyone's state now (`GET /api/availability`). The calendar
//! arithmetic (time zones, daylight saving) is `tandem_working_hours`'s.

use tandem_protocol::working_hours::{Availability, AvailabilityList, WorkSchedule};
use tandem_protocol::{ApiError, UserId};
use tandem_working_hours::WorkingWeek;

use crate::db::{users, working_hours};
use crate::error::AppResult;
use crate::state::AppState;

/// Working hours fit to store: right shape, a zone the server knows, and they compile.
pub fn check(hours: &WorkSchedule) -> Result<(), ApiError> {
    if !crate::time_zone::is_known(hours.time_zone.trim()) {
        return Err(ApiError::new(
            tandem_protocol::ErrorCode::Validation,
            "That is not a known time zone.",
        )
        .with_field("time_zone"));
    }
    WorkingWeek::new(hours).map(|_| ())
}

/// Stored working hours, compiled. Hours that no longer compile (a zone a newer tz
/// database renamed, say) falls back to the default hours in its zone, then in UTC,
/// rather than hiding the person or making them impossible to plan with.
pub fn compile(hours: &WorkSchedule) -> WorkingWeek {
    WorkingWeek::new(hours)
        .or_else(|_| WorkingWeek::new(&WorkSchedule::default_for(&hours.time_zone)))
        .or_else(|_| WorkingWeek::new(&WorkSchedule::default_for("UTC")))
        .expect("the default UTC hours are valid")
}

/// The person's state at `now`.
fn availability_of(user_id: UserId, hours: &WorkSchedule, now: i64) -> Availability {
    compile(hours).availability(user_id, now)
}

/// Every active member's availability now (server clock), in directory order.
pub async fn everyone(state: &AppState) -> AppResult<AvailabilityList> {
    let now = state.now();
    let rows = users::list(&state.db).await?;
    let ids = rows
        .iter()
        .map(|row| crate::db::uuid(&row.id))
        .collect::<Result<Vec<UserId>, _>>()?;
    let stored = working_hours::get_many(&state.db, &ids).await?;
    let people = ids
        .iter()
        .filter_map(|id| {
            let hours = stored.get(id)?;
            Some(availability_of(*id, hours, now))
        })
        .collect();
    Ok(AvailabilityList { now, people })
}
