//! Words for board lists: "updated 5 minutes ago". Pure, so it is tested natively.

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}

/// How long ago `at_ms` was, seen from `now_ms` (both ms since the epoch). A time
/// slightly in the future (another machine's clock) reads as "just now".
pub fn relative_time(now_ms: i64, at_ms: i64) -> String {
    let ago = now_ms.saturating_sub(at_ms);
    if ago < 45_000 {
        "just now".to_string()
    } else if ago < HOUR {
        plural(((ago + MINUTE / 2) / MINUTE).clamp(1, 59), "minute")
    } else if ago < DAY {
        plural(ago / HOUR, "hour")
    } else if ago < 2 * DAY {
        "yesterday".to_string()
    } else if ago < 30 * DAY {
        plural(ago / DAY, "day")
    } else if ago < 365 * DAY {
        plural(ago / (30 * DAY), "month")
    } else {
        plural(ago / (365 * DAY), "year")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_a_person_would_say_it() {
        let now = 1_000 * DAY;
        assert_eq!(relative_time(now, now), "just now");
        assert_eq!(relative_time(now, now + 5_000), "just now");
        assert_eq!(relative_time(now, now - 44_000), "just now");
        assert_eq!(relative_time(now, now - 50_000), "1 minute ago");
        assert_eq!(relative_time(now, now - 5 * MINUTE), "5 minutes ago");
        assert_eq!(relative_time(now, now - 59 * MINUTE), "59 minutes ago");
        assert_eq!(relative_time(now, now - HOUR), "1 hour ago");
        assert_eq!(relative_time(now, now - 23 * HOUR), "23 hours ago");
        assert_eq!(relative_time(now, now - 30 * HOUR), "yesterday");
        assert_eq!(relative_time(now, now - 3 * DAY), "3 days ago");
        assert_eq!(relative_time(now, now - 45 * DAY), "1 month ago");
        assert_eq!(relative_time(now, now - 800 * DAY), "2 years ago");
    }
}
