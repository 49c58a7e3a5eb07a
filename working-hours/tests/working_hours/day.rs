//! `day_interval`: a calendar day in a zone, DST days included.

use tandem_protocol::working_hours::Interval;
use tandem_protocol::ErrorCode;
use tandem_working_hours::day_interval;

use crate::ts;

const HOUR: i64 = 3_600_000;

fn day(date: &str, zone: &str) -> Interval {
    day_interval(date, zone).expect("valid day")
}

#[test]
fn ordinary_days_are_24_hours() {
    // 15 Jan in New York: 00:00 EST = 05:00Z.
    let d = day("2024-01-15", "America/New_York");
    assert_eq!(
        d,
        Interval {
            start: ts("2024-01-15T05:00:00Z"),
            end: ts("2024-01-16T05:00:00Z")
        }
    );
    assert_eq!(
        day("2024-07-01", "UTC").end - day("2024-07-01", "UTC").start,
        24 * HOUR
    );
}

#[test]
fn spring_forward_days_are_23_hours() {
    // New York 10 Mar: 00:00 EST (05:00Z) to 00:00 EDT on the 11th (04:00Z).
    let d = day("2024-03-10", "America/New_York");
    assert_eq!(
        d,
        Interval {
            start: ts("2024-03-10T05:00:00Z"),
            end: ts("2024-03-11T04:00:00Z")
        }
    );
    assert_eq!(d.end - d.start, 23 * HOUR);
    // Berlin 31 Mar: 00:00 CET (23:00Z on the 30th) to 00:00 CEST (22:00Z on the 31st).
    let d = day("2024-03-31", "Europe/Berlin");
    assert_eq!(
        d,
        Interval {
            start: ts("2024-03-30T23:00:00Z"),
            end: ts("2024-03-31T22:00:00Z")
        }
    );
}

#[test]
fn fall_back_days_are_25_hours() {
    // New York 3 Nov: 00:00 EDT (04:00Z) to 00:00 EST on the 4th (05:00Z).
    let d = day("2024-11-03", "America/New_York");
    assert_eq!(
        d,
        Interval {
            start: ts("2024-11-03T04:00:00Z"),
            end: ts("2024-11-04T05:00:00Z")
        }
    );
    assert_eq!(d.end - d.start, 25 * HOUR);
    // Lisbon 27 Oct: 00:00 WEST (23:00Z on the 26th) to 00:00 WET on the 28th (00:00Z).
    let d = day("2024-10-27", "Europe/Lisbon");
    assert_eq!(
        d,
        Interval {
            start: ts("2024-10-26T23:00:00Z"),
            end: ts("2024-10-28T00:00:00Z")
        }
    );
}

#[test]
fn a_day_whose_midnight_does_not_exist_starts_at_one() {
    // Chile springs forward at midnight: Sun 8 Sep 2024 00:00 −04 never happens, the
    // day starts at 01:00 −03 (04:00Z) and ends at 00:00 −03 on the 9th (03:00Z).
    let d = day("2024-09-08", "America/Santiago");
    assert_eq!(
        d,
        Interval {
            start: ts("2024-09-08T04:00:00Z"),
            end: ts("2024-09-09T03:00:00Z")
        }
    );
}

#[test]
fn rejects_bad_dates_and_zones() {
    for bad in [
        "",
        "2024-3-10",
        "20240310",
        "2024-02-30",
        "2024-03-10T00:00",
        "2024/03/10",
        "２０２４-03-10",
    ] {
        let err = day_interval(bad, "UTC").unwrap_err();
        assert_eq!(
            (err.code, err.field.as_deref()),
            (ErrorCode::Validation, Some("date")),
            "{bad:?}"
        );
    }
    for bad in ["", "Mars/Olympus_Mons", "../etc/passwd"] {
        let err = day_interval("2024-03-10", bad).unwrap_err();
        assert_eq!(
            (err.code, err.field.as_deref()),
            (ErrorCode::Validation, Some("time_zone")),
            "{bad:?}"
        );
    }
}
