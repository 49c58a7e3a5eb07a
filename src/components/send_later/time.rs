//! Calendar arithmetic for "send later", free of the browser so it is unit-tested
//! natively. Converting a local wall-clock time to an instant needs the browser's
//! time-zone rules; that one step lives in `clock.rs`.

use tandem_protocol::Timestamp;

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;

/// A wall-clock time in the viewer's zone, to the minute: what
/// `<input type="datetime-local">` edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDateTime {
    pub year: i32,
    /// 1 ..= 12
    pub month: u32,
    /// 1 ..= days in the month
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl LocalDateTime {
    /// Reads the input's value: `YYYY-MM-DDTHH:MM`, optionally with seconds (which
    /// are dropped: send later is to the minute). Anything else, or an impossible
    /// date, is `None`.
    pub fn parse_input(value: &str) -> Option<Self> {
        let (date, time) = value.trim().split_once('T')?;
        let mut d = date.split('-');
        let year = d.next()?.parse().ok()?;
        let month = d.next()?.parse().ok()?;
        let day = d.next()?.parse().ok()?;
        if d.next().is_some() {
            return None;
        }
        let mut t = time.split(':');
        let hour = t.next()?.parse().ok()?;
        let minute = t.next()?.parse().ok()?;
        let parsed = Self {
            year,
            month,
            day,
            hour,
            minute,
        };
        parsed.is_valid().then_some(parsed)
    }

    pub fn to_input_value(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }

    pub fn is_valid(&self) -> bool {
        (1..=12).contains(&self.month)
            && (1..=days_in_month(self.year, self.month)).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
    }

    /// The same date at another time of day.
    pub fn at(self, hour: u32, minute: u32) -> Self {
        Self {
            hour,
            minute,
            ..self
        }
    }

    /// The next calendar day, across month and year ends and leap days.
    pub fn next_day(self) -> Self {
        if self.day < days_in_month(self.year, self.month) {
            Self {
                day: self.day + 1,
                ..self
            }
        } else if self.month < 12 {
            Self {
                month: self.month + 1,
                day: 1,
                ..self
            }
        } else {
            Self {
                year: self.year + 1,
                month: 1,
                day: 1,
                ..self
            }
        }
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// "Tomorrow at 9:00" from the local date and time now.
pub fn tomorrow_at_nine(now: LocalDateTime) -> LocalDateTime {
    now.next_day().at(9, 0)
}

/// "In 1 hour", to the minute (seconds would only make the confirmation odd).
pub fn in_one_hour(now_ms: Timestamp) -> Timestamp {
    let t = now_ms + HOUR_MS;
    t - t.rem_euclid(MINUTE_MS)
}

/// The server refuses the past too; checking here gives the message at once.
pub fn check_future(send_at: Timestamp, now_ms: Timestamp) -> Result<(), String> {
    if send_at > now_ms {
        Ok(())
    } else {
        Err("Pick a time in the future.".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> LocalDateTime {
        LocalDateTime {
            year,
            month,
            day,
            hour,
            minute,
        }
    }

    #[test]
    fn input_values_round_trip() {
        let t = at(2025, 3, 4, 9, 5);
        assert_eq!(t.to_input_value(), "2025-03-04T09:05");
        assert_eq!(LocalDateTime::parse_input("2025-03-04T09:05"), Some(t));
        assert_eq!(
            LocalDateTime::parse_input("2025-03-04T09:05:59.123"),
            Some(t)
        );
        assert_eq!(LocalDateTime::parse_input(""), None);
        assert_eq!(LocalDateTime::parse_input("2025-03-04"), None);
        assert_eq!(LocalDateTime::parse_input("2025-02-29T10:00"), None);
        assert_eq!(
            LocalDateTime::parse_input("2024-02-29T10:00"),
            Some(at(2024, 2, 29, 10, 0))
        );
        assert_eq!(LocalDateTime::parse_input("2025-13-01T10:00"), None);
        assert_eq!(LocalDateTime::parse_input("2025-01-01T24:00"), None);
    }

    #[test]
    fn tomorrow_rolls_over_months_years_and_leap_days() {
        assert_eq!(
            tomorrow_at_nine(at(2025, 3, 4, 23, 59)),
            at(2025, 3, 5, 9, 0)
        );
        assert_eq!(
            tomorrow_at_nine(at(2025, 4, 30, 8, 0)),
            at(2025, 5, 1, 9, 0)
        );
        assert_eq!(
            tomorrow_at_nine(at(2025, 12, 31, 12, 0)),
            at(2026, 1, 1, 9, 0)
        );
        assert_eq!(
            tomorrow_at_nine(at(2024, 2, 28, 0, 0)),
            at(2024, 2, 29, 9, 0)
        );
        assert_eq!(
            tomorrow_at_nine(at(2023, 2, 28, 0, 0)),
            at(2023, 3, 1, 9, 0)
        );
        assert!(is_leap_year(2000) && !is_leap_year(1900));
    }

    #[test]
    fn one_hour_is_whole_minutes_and_future_is_checked() {
        let now = 1_700_000_000_000 + 12_345; // 12.345 s past a minute
        let later = in_one_hour(now);
        assert_eq!(later % MINUTE_MS, 0);
        assert!(later > now && later <= now + HOUR_MS);
        assert!(check_future(later, now).is_ok());
        assert!(check_future(now, now).is_err());
        assert!(check_future(now - 1, now).is_err());
    }
}
