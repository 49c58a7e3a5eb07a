//! The inbox's countdown text ("due in 14 min", "due in 3 h 5 min", "overdue by 2 min"),
//! pure so it is tested natively. Times are the server's (see `UrgencyContext::now`).

use tandem_protocol::Timestamp;

const MINUTE_MS: i64 = 60_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Countdown {
    pub text: String,
    pub overdue: bool,
}

/// Whole minutes, rounded down: a timer that says "14 min" has at least 14 left.
/// Overdue counts from 1, so the deadline is never "overdue by 0 min".
pub fn countdown(due_at: Timestamp, now: Timestamp) -> Countdown {
    if now < due_at {
        let minutes = (due_at - now) / MINUTE_MS;
        let text = if minutes == 0 {
            "due in under 1 min".to_string()
        } else {
            format!("due in {}", span(minutes))
        };
        Countdown {
            text,
            overdue: false,
        }
    } else {
        let minutes = ((now - due_at) / MINUTE_MS).max(1);
        Countdown {
            text: format!("overdue by {}", span(minutes)),
            overdue: true,
        }
    }
}

/// "14 min", "3 h 5 min", "3 h", "2 d 4 h" (days drop the minutes: nobody counts them).
pub fn span(minutes: i64) -> String {
    let (days, hours, mins) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = 1_800_000_000_000;
    const SEC: i64 = 1_000;

    #[test]
    fn countdown_rounds_down_to_whole_minutes() {
        let c = countdown(NOW + 15 * MINUTE_MS - 10 * SEC, NOW);
        assert_eq!(
            c,
            Countdown {
                text: "due in 14 min".into(),
                overdue: false
            }
        );
        assert_eq!(countdown(NOW + 15 * MINUTE_MS, NOW).text, "due in 15 min");
        assert_eq!(countdown(NOW + 59 * SEC, NOW).text, "due in under 1 min");
    }

    #[test]
    fn countdown_hours_and_days() {
        assert_eq!(
            countdown(NOW + (3 * 60 + 5) * MINUTE_MS, NOW).text,
            "due in 3 h 5 min"
        );
        assert_eq!(countdown(NOW + 4 * 60 * MINUTE_MS, NOW).text, "due in 4 h");
        assert_eq!(
            countdown(NOW + 68 * 60 * MINUTE_MS, NOW).text,
            "due in 2 d 20 h"
        );
        assert_eq!(
            countdown(NOW + 24 * 60 * MINUTE_MS + 30 * MINUTE_MS, NOW).text,
            "due in 1 d"
        );
    }

    #[test]
    fn countdown_overdue_from_the_deadline_on() {
        assert_eq!(
            countdown(NOW, NOW),
            Countdown {
                text: "overdue by 1 min".into(),
                overdue: true
            }
        );
        assert_eq!(
            countdown(NOW - 2 * MINUTE_MS - 30 * SEC, NOW).text,
            "overdue by 2 min"
        );
        assert_eq!(
            countdown(NOW - 61 * MINUTE_MS, NOW).text,
            "overdue by 1 h 1 min"
        );
    }
}
