//! The working-hours form's values and the `WorkSchedule` they make, free of the browser
//! so they are unit-tested natively.
//!
//! Each weekday holds any number of working ranges (a split shift is two; a day off
//! none), checked and merged by `day_ranges`. An end of "00:00" means midnight at the
//! end of the day (minute 1440), since a time input cannot say "24:00".

use tandem_protocol::working_hours::{WeeklyRange, WorkSchedule, MINUTES_PER_DAY};

use super::day_ranges::{check_day, day_inputs, RangeInput};

/// ISO order: index 0 is weekday 1 (Monday).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

pub fn weekday_name(weekday: u8) -> &'static str {
    WEEKDAYS
        .get(usize::from(weekday.max(1)) - 1)
        .copied()
        .unwrap_or("Monday")
}

/// "09:05" for minute 545; midnight at either end is "00:00".
pub fn minutes_to_input(minutes: u16) -> String {
    let m = minutes % MINUTES_PER_DAY;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Reads a time input's value ("HH:MM", seconds allowed and dropped).
pub fn parse_time(value: &str) -> Option<u16> {
    let mut parts = value.trim().split(':');
    let hour: u16 = parts.next()?.parse().ok()?;
    let minute: u16 = parts.next()?.parse().ok()?;
    (hour < 24 && minute < 60).then_some(hour * 60 + minute)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusHours {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    pub start: String,
    pub end: String,
}

impl FocusHours {
    /// A new row's suggestion: Monday morning.
    pub fn suggested() -> Self {
        Self {
            weekday: 1,
            start: "09:00".into(),
            end: "11:00".into(),
        }
    }
}

/// The seven days' ranges of stored working hours, Monday first.
pub fn day_rows(hours: &WorkSchedule) -> Vec<Vec<RangeInput>> {
    (1..=7u8)
        .map(|weekday| day_inputs(&hours.working_hours, weekday))
        .collect()
}

pub fn focus_rows(hours: &WorkSchedule) -> Vec<FocusHours> {
    hours
        .focus_blocks
        .iter()
        .map(|r| FocusHours {
            weekday: r.weekday,
            start: minutes_to_input(r.start_minute),
            end: minutes_to_input(r.end_minute),
        })
        .collect()
}

/// A start and an end from the inputs; "00:00" as an end is midnight tonight.
fn range(weekday: u8, start: &str, end: &str, what: &str) -> Result<WeeklyRange, String> {
    let day = weekday_name(weekday);
    let (Some(start_minute), Some(end)) = (parse_time(start), parse_time(end)) else {
        return Err(format!("{what} on {day} needs a start and an end time."));
    };
    let end_minute = if end == 0 { MINUTES_PER_DAY } else { end };
    if start_minute >= end_minute {
        return Err(format!("{what} on {day} must end after it starts."));
    }
    Ok(WeeklyRange {
        weekday,
        start_minute,
        end_minute,
    })
}

/// The working hours to save, or the first problem in words.
pub fn build_working_hours(
    time_zone: &str,
    days: &[Vec<RangeInput>],
    focus: &[FocusHours],
) -> Result<WorkSchedule, String> {
    if time_zone.trim().is_empty() {
        return Err("Please choose a time zone.".into());
    }
    let mut working_hours = Vec::new();
    for (i, day) in days.iter().enumerate().take(7) {
        working_hours.extend(check_day(i as u8 + 1, day)?);
    }
    let focus_blocks = focus
        .iter()
        .map(|f| range(f.weekday.clamp(1, 7), &f.start, &f.end, "A focus block"))
        .collect::<Result<Vec<_>, _>>()?;
    let hours = WorkSchedule {
        time_zone: time_zone.to_string(),
        working_hours,
        focus_blocks,
    };
    hours.validate().map_err(|e| e.message)?;
    Ok(hours)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn off_week() -> Vec<Vec<RangeInput>> {
        vec![Vec::new(); 7]
    }

    #[test]
    fn hours_times_round_trip_and_midnight_is_the_end_of_the_day() {
        assert_eq!(minutes_to_input(545), "09:05");
        assert_eq!(minutes_to_input(0), "00:00");
        assert_eq!(minutes_to_input(MINUTES_PER_DAY), "00:00");
        assert_eq!(parse_time("17:30"), Some(1050));
        assert_eq!(parse_time("17:30:59"), Some(1050));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("9"), None);
        assert_eq!(parse_time(""), None);
        assert_eq!(weekday_name(7), "Sunday");
        assert_eq!(weekday_name(0), "Monday");
    }

    #[test]
    fn hours_form_builds_the_working_hours() {
        let mut days = off_week();
        days[0] = vec![RangeInput::new("08:30", "16:30")];
        days[4] = vec![RangeInput::new("22:00", "00:00")];
        let focus = vec![FocusHours {
            weekday: 3,
            start: "13:00".into(),
            end: "15:00".into(),
        }];
        let s = build_working_hours("Europe/Lisbon", &days, &focus).unwrap();
        assert_eq!(s.time_zone, "Europe/Lisbon");
        assert_eq!(
            s.working_hours,
            vec![
                WeeklyRange {
                    weekday: 1,
                    start_minute: 510,
                    end_minute: 990
                },
                WeeklyRange {
                    weekday: 5,
                    start_minute: 1320,
                    end_minute: 1440
                },
            ]
        );
        assert_eq!(
            s.focus_blocks,
            vec![WeeklyRange {
                weekday: 3,
                start_minute: 780,
                end_minute: 900
            }]
        );
        // And back to the rows it came from.
        assert_eq!(day_rows(&s), days);
        assert_eq!(focus_rows(&s), focus);
    }

    #[test]
    fn hours_form_names_the_problem() {
        let mut days = off_week();
        // Days without ranges are days off.
        assert!(build_working_hours("UTC", &days, &[]).is_ok());
        days[1] = vec![RangeInput::new("17:00", "09:00")];
        assert_eq!(
            build_working_hours("UTC", &days, &[]).unwrap_err(),
            "Working time on Tuesday must end after it starts (17:00–09:00)."
        );
        days[1] = vec![RangeInput::new("", "09:00")];
        assert!(build_working_hours("UTC", &days, &[])
            .unwrap_err()
            .contains("Tuesday"));
        days[1] = vec![RangeInput::new("09:00", "17:00")];
        let bad_focus = [FocusHours {
            weekday: 6,
            start: "10:00".into(),
            end: "10:00".into(),
        }];
        assert_eq!(
            build_working_hours("UTC", &days, &bad_focus).unwrap_err(),
            "A focus block on Saturday must end after it starts."
        );
        assert_eq!(
            build_working_hours(" ", &days, &[]).unwrap_err(),
            "Please choose a time zone."
        );
    }

    #[test]
    fn hours_split_shift_survives_a_round_trip() {
        let mut days = off_week();
        days[1] = vec![
            RangeInput::new("09:00", "12:00"),
            RangeInput::new("14:00", "18:00"),
        ];
        let s = build_working_hours("UTC", &days, &[]).unwrap();
        assert_eq!(
            s.working_hours,
            vec![
                WeeklyRange {
                    weekday: 2,
                    start_minute: 540,
                    end_minute: 720,
                },
                WeeklyRange {
                    weekday: 2,
                    start_minute: 840,
                    end_minute: 1080,
                },
            ]
        );
        let rows = day_rows(&s);
        assert_eq!(rows, days);
        assert!(rows[0].is_empty());
    }
}
