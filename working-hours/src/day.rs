//! A calendar day in a zone, as the interval of instants it covers (23 or 25 hours on
//! the days the clocks change), for the meeting planner's day view.

use jiff::civil::Date;
use tandem_protocol::working_hours::Interval;
use tandem_protocol::{ApiError, ErrorCode};

use crate::zone;

/// `[local midnight, next local midnight)` of `date` (`YYYY-MM-DD`) in `time_zone`.
/// Validation errors name the field: "date" or "time_zone".
pub fn day_interval(date: &str, time_zone: &str) -> Result<Interval, ApiError> {
    let invalid = |field: &str, message: &str| {
        ApiError::new(ErrorCode::Validation, message).with_field(field)
    };
    let day =
        parse_date(date).ok_or_else(|| invalid("date", "Please give a date as YYYY-MM-DD."))?;
    let tz = zone::lookup(time_zone).ok_or_else(|| invalid("time_zone", "Unknown time zone."))?;
    // Midnight itself can fall in a gap in zones that change clocks at midnight; the
    // compatible rule then starts the day at 01:00, the first instant that exists.
    match (zone::instant(&tz, day, 0), zone::instant(&tz, day, 24 * 60)) {
        (Some(start), Some(end)) if start < end => Ok(Interval { start, end }),
        _ => Err(invalid("date", "That date is out of range.")),
    }
}

/// Exactly `YYYY-MM-DD` (jiff alone would also take other ISO 8601 spellings).
fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    text.parse().ok()
}
