//! Behaviour tests for tandem-working-hours, one test binary (one link) with a module per
//! area. Expected instants are written out by hand as UTC strings; jiff is only used to
//! parse them, never to compute what the answer should be.

mod working_hours {
    mod availability;
    mod day;
    mod metrics;
    mod sla;
}

use tandem_protocol::working_hours::{WeeklyRange, WorkSchedule};
use tandem_protocol::Timestamp;
use tandem_working_hours::WorkingWeek;

/// An RFC 3339 instant ("2024-01-15T21:00:00Z") as ms since the epoch.
pub fn ts(rfc3339: &str) -> Timestamp {
    rfc3339
        .parse::<jiff::Timestamp>()
        .expect("test instants are valid")
        .as_millisecond()
}

/// `weekday` 1 = Monday; times as "HH:MM" (end may be "24:00").
pub fn range(weekday: u8, start: &str, end: &str) -> WeeklyRange {
    WeeklyRange {
        weekday,
        start_minute: minute(start),
        end_minute: minute(end),
    }
}

fn minute(hh_mm: &str) -> u16 {
    let (h, m) = hh_mm.split_once(':').expect("HH:MM");
    h.parse::<u16>().expect("hours") * 60 + m.parse::<u16>().expect("minutes")
}

/// The same range on each of `weekdays`.
pub fn on(weekdays: impl IntoIterator<Item = u8>, start: &str, end: &str) -> Vec<WeeklyRange> {
    weekdays.into_iter().map(|d| range(d, start, end)).collect()
}

pub fn week(
    zone: &str,
    working_hours: Vec<WeeklyRange>,
    focus_blocks: Vec<WeeklyRange>,
) -> WorkingWeek {
    WorkingWeek::new(&WorkSchedule {
        time_zone: zone.into(),
        working_hours,
        focus_blocks,
    })
    .expect("valid working hours")
}

/// Monday to Friday 09:00–17:00 in `zone`, with these focus blocks.
pub fn office(zone: &str, focus_blocks: Vec<WeeklyRange>) -> WorkingWeek {
    week(zone, on(1..=5, "09:00", "17:00"), focus_blocks)
}
