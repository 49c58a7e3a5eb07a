//! The one place that talks to jiff: IANA zones from the bundled database, and the
//! conversions between wall-clock times and instants.
//!
//! Wall-clock → instant uses jiff's *compatible* disambiguation (RFC 5545, and the
//! default of JavaScript's Temporal, so the app would agree):
//! - a time in the spring-forward gap does not exist; it is moved later by the gap's
//!   length (New York 02:30 → 03:30 EDT). A range *crossing* the gap therefore lasts an
//!   hour less than its wall-clock length (01:00–04:00 is 2 h that night), while a range
//!   entirely after it (09:00–17:00) is untouched;
//! - a time in the autumn fold exists twice; the first (earlier) occurrence is taken, so
//!   a range crossing the fold lasts an hour more (00:00–03:00 is 4 h that night), which
//!   is what a person working through the repeated hour actually works.
//!
//! Jiff's instants span the years −9999…9999; timestamps outside are clamped to that
//! range instead of failing, so no input from the network can make us panic.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use tandem_protocol::working_hours::MINUTES_PER_DAY;
use tandem_protocol::Timestamp;

/// The zone called `name` in the bundled database, if there is one.
pub(crate) fn lookup(name: &str) -> Option<TimeZone> {
    if name.trim().is_empty() {
        return None;
    }
    jiff::tz::db().get(name).ok()
}

/// `t` moved into the range jiff can represent.
pub(crate) fn clamp(t: Timestamp) -> Timestamp {
    t.clamp(
        jiff::Timestamp::MIN.as_millisecond(),
        jiff::Timestamp::MAX.as_millisecond(),
    )
}

/// The calendar date in `tz` at instant `t` (clamped to jiff's range).
pub(crate) fn local_date(tz: &TimeZone, t: Timestamp) -> Option<Date> {
    let instant = jiff::Timestamp::from_millisecond(clamp(t)).ok()?;
    Some(tz.to_datetime(instant).date())
}

/// The instant at `minute` (0..=1440, 1440 = the next midnight) of `date` in `tz`.
/// None only at the very ends of jiff's range.
pub(crate) fn instant(tz: &TimeZone, date: Date, minute: u16) -> Option<Timestamp> {
    let (date, minute) = if minute >= MINUTES_PER_DAY {
        (date.tomorrow().ok()?, minute - MINUTES_PER_DAY)
    } else {
        (date, minute)
    };
    let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).ok()?;
    let civil = date.to_datetime(time);
    let at = tz.to_ambiguous_timestamp(civil).compatible().ok()?;
    Some(at.as_millisecond())
}
