//! Wall-clock time in a named zone ↔ instants, given the zone's UTC offset at an
//! instant (the browser's `Intl` supplies it, see `zone.rs`). Pure, so the DST cases
//! are unit-tested natively with a made-up offset function.

use tandem_protocol::working_hours::Interval;
use tandem_protocol::Timestamp;

use crate::components::send_later::time::LocalDateTime;

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// The wall time read as if it were UTC.
pub fn naive_ms(local: LocalDateTime) -> Timestamp {
    days_from_civil(local.year, local.month, local.day) * DAY_MS
        + i64::from(local.hour) * HOUR_MS
        + i64::from(local.minute) * MINUTE_MS
}

/// The wall time at `at` in a zone whose offset there is `offset_ms`.
pub fn wall_at(at: Timestamp, offset_ms: i64) -> LocalDateTime {
    let local = at + offset_ms;
    let (year, month, day) = civil_from_days(local.div_euclid(DAY_MS));
    let in_day = local.rem_euclid(DAY_MS);
    LocalDateTime {
        year,
        month,
        day,
        hour: (in_day / HOUR_MS) as u32,
        minute: ((in_day % HOUR_MS) / MINUTE_MS) as u32,
    }
}

/// The instant a wall time in the zone names. Two rounds settle every real zone; a
/// time skipped by a spring-forward jump comes out an hour later (as the browser's own
/// pickers do), a repeated autumn time as its first occurrence or its second — either is
/// a real instant with that wall time.
pub fn to_instant(local: LocalDateTime, offset_at: impl Fn(Timestamp) -> i64) -> Timestamp {
    let naive = naive_ms(local);
    let first = naive - offset_at(naive);
    let second = naive - offset_at(first);
    if second != first && wall_at(second, offset_at(second)) != local {
        // Inside a gap: neither guess reads back; take the later one.
        return first.max(second);
    }
    second
}

/// "YYYY-MM-DD" for the date input.
pub fn date_value(local: LocalDateTime) -> String {
    format!("{:04}-{:02}-{:02}", local.year, local.month, local.day)
}

/// Reads a date input's "YYYY-MM-DD" (at midnight).
pub fn parse_date(value: &str) -> Option<LocalDateTime> {
    LocalDateTime::parse_input(&format!("{}T00:00", value.trim()))
}

/// The ticks of a (possibly 23 or 25 hour) day: one per elapsed hour from its start,
/// labelled with the wall-clock hour it shows in the zone.
pub fn hour_ticks(day: Interval, offset_at: impl Fn(Timestamp) -> i64) -> Vec<(Timestamp, String)> {
    let mut ticks = Vec::new();
    let mut t = day.start;
    while t <= day.end && ticks.len() <= 26 {
        let wall = wall_at(t, offset_at(t));
        ticks.push((t, format!("{:02}", wall.hour)));
        t += HOUR_MS;
    }
    ticks
}

#[cfg(test)]
pub mod tests {
    use super::*;

    pub fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> LocalDateTime {
        LocalDateTime {
            year,
            month,
            day,
            hour,
            minute,
        }
    }

    /// Europe/Lisbon in 2025: UTC+0, and UTC+1 from 30 Mar 01:00 UTC to 26 Oct 01:00 UTC.
    pub fn lisbon(t: Timestamp) -> i64 {
        let spring = naive_ms(at(2025, 3, 30, 1, 0));
        let autumn = naive_ms(at(2025, 10, 26, 1, 0));
        if (spring..autumn).contains(&t) {
            HOUR_MS
        } else {
            0
        }
    }

    /// America/New_York in 2025: UTC−5, UTC−4 from 9 Mar 07:00 UTC to 2 Nov 06:00 UTC.
    pub fn new_york(t: Timestamp) -> i64 {
        let spring = naive_ms(at(2025, 3, 9, 7, 0));
        let autumn = naive_ms(at(2025, 11, 2, 6, 0));
        if (spring..autumn).contains(&t) {
            -4 * HOUR_MS
        } else {
            -5 * HOUR_MS
        }
    }

    #[test]
    fn wall_civil_dates_round_trip() {
        for (y, m, d) in [
            (1970, 1, 1),
            (2000, 2, 29),
            (2024, 12, 31),
            (2025, 3, 1),
            (1969, 12, 31),
        ] {
            let ms = naive_ms(at(y, m, d, 0, 0));
            assert_eq!(wall_at(ms, 0), at(y, m, d, 0, 0));
        }
        assert_eq!(naive_ms(at(1970, 1, 2, 0, 0)), DAY_MS);
        assert_eq!(naive_ms(at(2025, 1, 1, 0, 0)), 1_735_689_600_000);
    }

    #[test]
    fn wall_to_instant_follows_dst_in_two_zones() {
        // Lisbon summer 09:00 = 08:00 UTC; winter 09:00 = 09:00 UTC.
        assert_eq!(
            to_instant(at(2025, 6, 2, 9, 0), lisbon),
            naive_ms(at(2025, 6, 2, 8, 0))
        );
        assert_eq!(
            to_instant(at(2025, 1, 6, 9, 0), lisbon),
            naive_ms(at(2025, 1, 6, 9, 0))
        );
        // The change day itself: 09:00 is after the jump.
        assert_eq!(
            to_instant(at(2025, 3, 30, 9, 0), lisbon),
            naive_ms(at(2025, 3, 30, 8, 0))
        );
        // New York on its spring day: 09:00 EDT = 13:00 UTC; the day before, EST.
        assert_eq!(
            to_instant(at(2025, 3, 9, 9, 0), new_york),
            naive_ms(at(2025, 3, 9, 13, 0))
        );
        assert_eq!(
            to_instant(at(2025, 3, 8, 9, 0), new_york),
            naive_ms(at(2025, 3, 8, 14, 0))
        );
        // Autumn: 09:00 on 2 Nov is EST again.
        assert_eq!(
            to_instant(at(2025, 11, 2, 9, 0), new_york),
            naive_ms(at(2025, 11, 2, 14, 0))
        );
    }

    #[test]
    fn wall_gap_and_overlap_give_real_instants() {
        // 01:30 does not exist in Lisbon on 30 Mar (01:00 → 02:00): the later reading.
        let t = to_instant(at(2025, 3, 30, 1, 30), lisbon);
        assert_eq!(t, naive_ms(at(2025, 3, 30, 1, 30)));
        assert_eq!(wall_at(t, lisbon(t)), at(2025, 3, 30, 2, 30));
        // 01:30 happens twice on 26 Oct: either instant reads back as 01:30.
        let t = to_instant(at(2025, 10, 26, 1, 30), lisbon);
        assert_eq!(wall_at(t, lisbon(t)), at(2025, 10, 26, 1, 30));
    }

    #[test]
    fn wall_hour_ticks_skip_and_repeat_with_the_clock() {
        let spring = Interval {
            start: naive_ms(at(2025, 3, 30, 0, 0)),
            end: naive_ms(at(2025, 3, 30, 23, 0)),
        };
        let ticks = hour_ticks(spring, lisbon);
        assert_eq!(ticks.len(), 24); // 23 hours → 24 boundaries
        let labels: Vec<&str> = ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(&labels[..4], &["00", "02", "03", "04"]);
        assert_eq!(labels[23], "00");
        let autumn = Interval {
            start: naive_ms(at(2025, 10, 25, 23, 0)),
            end: naive_ms(at(2025, 10, 27, 0, 0)),
        };
        let labels: Vec<String> = hour_ticks(autumn, lisbon)
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(labels.len(), 26);
        assert_eq!(&labels[..4], &["00", "01", "01", "02"]);
    }

    #[test]
    fn wall_date_inputs() {
        assert_eq!(parse_date("2025-03-30"), Some(at(2025, 3, 30, 0, 0)));
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(date_value(at(2025, 3, 9, 7, 0)), "2025-03-09");
    }
}
