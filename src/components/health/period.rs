//! The dashboard's period: the last 7 or 30 days up to now, or whole calendar days
//! From–To (inclusive) in my time zone. Pure: the zone comes in as an offset function.

use tandem_protocol::Timestamp;

use crate::components::working_hours::wall::{date_value, parse_date, to_instant, wall_at, DAY_MS};

/// The server's limit for one report.
pub const MAX_DAYS: i64 = 92;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Last7,
    Last30,
    Custom,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Last7, Period::Last30, Period::Custom];

    pub fn value(self) -> &'static str {
        match self {
            Period::Last7 => "7",
            Period::Last30 => "30",
            Period::Custom => "custom",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Period::Last7 => "Last 7 days",
            Period::Last30 => "Last 30 days",
            Period::Custom => "Custom",
        }
    }

    pub fn parse(value: &str) -> Period {
        Period::ALL
            .into_iter()
            .find(|p| p.value() == value)
            .unwrap_or(Period::Last7)
    }
}

/// `[from, to)` in ms, or what is wrong with the dates.
pub fn period_range(
    period: Period,
    now: Timestamp,
    from_date: &str,
    to_date: &str,
    offset_at: impl Fn(Timestamp) -> i64,
) -> Result<(Timestamp, Timestamp), String> {
    match period {
        Period::Last7 => Ok((now - 7 * DAY_MS, now)),
        Period::Last30 => Ok((now - 30 * DAY_MS, now)),
        Period::Custom => {
            let (Some(from), Some(to)) = (parse_date(from_date), parse_date(to_date)) else {
                return Err("Pick a From and a To date.".into());
            };
            if to < from {
                return Err("“To” must be on or after “From”.".into());
            }
            let start = to_instant(from, &offset_at);
            // To is inclusive: up to the start of the next day.
            let end = to_instant(to.next_day(), &offset_at);
            if end - start > MAX_DAYS * DAY_MS + 2 * 3_600_000 {
                return Err(format!("Pick at most {MAX_DAYS} days."));
            }
            Ok((start, end))
        }
    }
}

/// The dates a range covers in my zone, for the CSV's file name (`to` is exclusive).
pub fn range_dates(
    from: Timestamp,
    to: Timestamp,
    offset_at: impl Fn(Timestamp) -> i64,
) -> (String, String) {
    let last = (to - 1).max(from);
    (
        date_value(wall_at(from, offset_at(from))),
        date_value(wall_at(last, offset_at(last))),
    )
}

/// The custom inputs' starting values: the 7 days ending today.
pub fn default_dates(now: Timestamp, offset_at: impl Fn(Timestamp) -> i64) -> (String, String) {
    let week_ago = now - 6 * DAY_MS;
    (
        date_value(wall_at(week_ago, offset_at(week_ago))),
        date_value(wall_at(now, offset_at(now))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::working_hours::wall::naive_ms;
    use crate::components::working_hours::wall::tests::{at, lisbon};

    #[test]
    fn period_last_days_end_now() {
        let now = 1_750_000_000_000;
        assert_eq!(
            period_range(Period::Last7, now, "", "", lisbon),
            Ok((now - 7 * DAY_MS, now))
        );
        assert_eq!(
            period_range(Period::Last30, now, "", "", lisbon),
            Ok((now - 30 * DAY_MS, now))
        );
        assert_eq!(Period::parse("30"), Period::Last30);
        assert_eq!(Period::parse("custom"), Period::Custom);
        assert_eq!(Period::parse("nonsense"), Period::Last7);
    }

    #[test]
    fn period_custom_is_whole_local_days_across_dst() {
        // 29–30 March 2025 in Lisbon: 24 h + 23 h (clocks go forward on the 30th).
        let (from, to) =
            period_range(Period::Custom, 0, "2025-03-29", "2025-03-30", lisbon).unwrap();
        assert_eq!(from, naive_ms(at(2025, 3, 29, 0, 0)));
        assert_eq!(to, naive_ms(at(2025, 3, 30, 23, 0)));
        assert_eq!(to - from, 47 * 3_600_000);
        assert_eq!(
            range_dates(from, to, lisbon),
            ("2025-03-29".to_string(), "2025-03-30".to_string())
        );
    }

    #[test]
    fn period_custom_checks_the_dates() {
        let err = |f: &str, t: &str| period_range(Period::Custom, 0, f, t, lisbon).unwrap_err();
        assert_eq!(err("", "2025-03-01"), "Pick a From and a To date.");
        assert_eq!(
            err("2025-03-02", "2025-03-01"),
            "“To” must be on or after “From”."
        );
        assert_eq!(err("2025-01-01", "2025-06-01"), "Pick at most 92 days.");
        assert!(period_range(Period::Custom, 0, "2025-01-01", "2025-04-02", lisbon).is_ok());
        assert!(period_range(Period::Custom, 0, "2025-03-01", "2025-03-01", lisbon).is_ok());
    }

    #[test]
    fn period_default_dates_are_the_last_week() {
        let now = naive_ms(at(2025, 7, 10, 12, 0));
        assert_eq!(
            default_dates(now, lisbon),
            ("2025-07-04".to_string(), "2025-07-10".to_string())
        );
    }
}
