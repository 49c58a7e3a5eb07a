//! One weekday's working ranges as the form holds them (a split shift is several):
//! reading the time inputs, checking them (each starts before it ends, none overlap),
//! and merging ranges that touch into the `WeeklyRange`s to save. Pure, so it is
//! tested natively.
//!
//! An end of "00:00" means midnight at the end of the day (minute 1440), since a time
//! input cannot say "24:00".

use tandem_protocol::working_hours::{WeeklyRange, MINUTES_PER_DAY};

use super::hours::{minutes_to_input, parse_time, weekday_name};

/// The most ranges one day may hold (the protocol allows 4 a day over the week).
pub const MAX_RANGES_PER_DAY: usize = tandem_protocol::working_hours::MAX_WEEKLY_RANGES / 7;

/// One range's two time inputs, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeInput {
    pub start: String,
    pub end: String,
}

impl RangeInput {
    pub fn new(start: &str, end: &str) -> Self {
        Self {
            start: start.into(),
            end: end.into(),
        }
    }

    /// Start and end minutes, or `None` while either input is incomplete. An end of
    /// "00:00" is the end of the day.
    pub fn minutes(&self) -> Option<(u16, u16)> {
        let start = parse_time(&self.start)?;
        let end = parse_time(&self.end)?;
        Some((start, if end == 0 { MINUTES_PER_DAY } else { end }))
    }

    /// "14:00–18:00" (what the remove button names), or `None` while incomplete.
    pub fn label(&self) -> Option<String> {
        self.minutes().map(|(s, e)| span_label(s, e))
    }
}

fn span_label(start: u16, end: u16) -> String {
    format!("{}–{}", minutes_to_input(start), minutes_to_input(end))
}

/// The rows for a stored day: its ranges in order of start.
pub fn day_inputs(ranges: &[WeeklyRange], weekday: u8) -> Vec<RangeInput> {
    let mut mine: Vec<(u16, u16)> = ranges
        .iter()
        .filter(|r| r.weekday == weekday)
        .map(|r| (r.start_minute, r.end_minute))
        .collect();
    mine.sort_unstable();
    mine.into_iter()
        .map(|(s, e)| RangeInput {
            start: minutes_to_input(s),
            end: minutes_to_input(e),
        })
        .collect()
}

/// The day's ranges to save, sorted and with touching ranges merged (09:00–12:00 and
/// 12:00–14:00 are one stretch), or the first problem in words.
pub fn check_day(weekday: u8, inputs: &[RangeInput]) -> Result<Vec<WeeklyRange>, String> {
    let day = weekday_name(weekday);
    if inputs.len() > MAX_RANGES_PER_DAY {
        return Err(format!(
            "{day} can have at most {MAX_RANGES_PER_DAY} working ranges."
        ));
    }
    let mut spans = Vec::with_capacity(inputs.len());
    for input in inputs {
        let Some((start, end)) = input.minutes() else {
            return Err(format!(
                "Working time on {day} needs a start and an end time."
            ));
        };
        if start >= end {
            return Err(format!(
                "Working time on {day} must end after it starts ({}).",
                span_label(start, end)
            ));
        }
        spans.push((start, end));
    }
    spans.sort_unstable();
    for pair in spans.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if b.0 < a.1 {
            return Err(format!(
                "Working times on {day} overlap: {} and {}.",
                span_label(a.0, a.1),
                span_label(b.0, b.1)
            ));
        }
    }
    Ok(merge_touching(spans)
        .into_iter()
        .map(|(start_minute, end_minute)| WeeklyRange {
            weekday,
            start_minute,
            end_minute,
        })
        .collect())
}

/// Sorted, non-overlapping spans with those that touch joined.
fn merge_touching(spans: Vec<(u16, u16)>) -> Vec<(u16, u16)> {
    let mut merged: Vec<(u16, u16)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if last.1 == start => last.1 = end,
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// What "Add hours" puts in: 09:00–17:00 on an empty day, otherwise an hour after
/// the day's last end for up to four hours (empty when the day is already full, for
/// the person to fill in).
pub fn suggested_range(inputs: &[RangeInput]) -> RangeInput {
    let last_end = inputs
        .iter()
        .filter_map(|r| r.minutes())
        .map(|(_, e)| e)
        .max();
    match last_end {
        None => RangeInput::new("09:00", "17:00"),
        Some(end) if end + 60 < MINUTES_PER_DAY => {
            let start = end + 60;
            let stop = (start + 4 * 60).min(MINUTES_PER_DAY);
            RangeInput {
                start: minutes_to_input(start),
                end: minutes_to_input(stop),
            }
        }
        Some(_) => RangeInput::new("", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(weekday: u8, start_minute: u16, end_minute: u16) -> WeeklyRange {
        WeeklyRange {
            weekday,
            start_minute,
            end_minute,
        }
    }

    #[test]
    fn day_ranges_split_shift_is_kept_in_order() {
        let inputs = [
            RangeInput::new("14:00", "18:00"),
            RangeInput::new("09:00", "12:00"),
        ];
        assert_eq!(
            check_day(1, &inputs),
            Ok(vec![range(1, 540, 720), range(1, 840, 1080)])
        );
        // And back to the rows, sorted by start.
        let stored = [range(1, 840, 1080), range(2, 0, 60), range(1, 540, 720)];
        assert_eq!(
            day_inputs(&stored, 1),
            vec![
                RangeInput::new("09:00", "12:00"),
                RangeInput::new("14:00", "18:00")
            ]
        );
        assert!(day_inputs(&stored, 3).is_empty());
    }

    #[test]
    fn day_ranges_that_touch_merge_and_midnight_ends_the_day() {
        let inputs = [
            RangeInput::new("12:00", "14:00"),
            RangeInput::new("09:00", "12:00"),
            RangeInput::new("22:00", "00:00"),
        ];
        assert_eq!(
            check_day(5, &inputs),
            Ok(vec![range(5, 540, 840), range(5, 1320, 1440)])
        );
        assert_eq!(check_day(5, &[]), Ok(vec![]));
    }

    #[test]
    fn day_ranges_name_the_problem() {
        let overlap = [
            RangeInput::new("09:00", "12:00"),
            RangeInput::new("11:30", "14:00"),
        ];
        assert_eq!(
            check_day(1, &overlap).unwrap_err(),
            "Working times on Monday overlap: 09:00–12:00 and 11:30–14:00."
        );
        let backwards = [RangeInput::new("18:00", "14:00")];
        assert_eq!(
            check_day(2, &backwards).unwrap_err(),
            "Working time on Tuesday must end after it starts (18:00–14:00)."
        );
        let empty = [RangeInput::new("09:00", "")];
        assert_eq!(
            check_day(3, &empty).unwrap_err(),
            "Working time on Wednesday needs a start and an end time."
        );
        let too_many: Vec<RangeInput> = (0..=MAX_RANGES_PER_DAY)
            .map(|h| RangeInput::new(&format!("{:02}:00", h * 2), &format!("{:02}:30", h * 2)))
            .collect();
        assert!(check_day(7, &too_many)
            .unwrap_err()
            .starts_with("Sunday can have at most"));
    }

    #[test]
    fn day_ranges_labels_and_suggestions() {
        assert_eq!(
            RangeInput::new("14:00", "18:00").label().as_deref(),
            Some("14:00–18:00")
        );
        assert_eq!(
            RangeInput::new("22:00", "00:00").minutes(),
            Some((1320, 1440))
        );
        assert_eq!(RangeInput::new("", "18:00").label(), None);
        assert_eq!(suggested_range(&[]), RangeInput::new("09:00", "17:00"));
        assert_eq!(
            suggested_range(&[RangeInput::new("09:00", "12:00")]),
            RangeInput::new("13:00", "17:00")
        );
        assert_eq!(
            suggested_range(&[RangeInput::new("18:00", "21:30")]),
            RangeInput::new("22:30", "00:00")
        );
        assert_eq!(
            suggested_range(&[RangeInput::new("20:00", "23:30")]),
            RangeInput::new("", "")
        );
    }
}
