//! `WorkingWeek`: a validated `WorkSchedule` compiled for fast questions about
//! instants.
//!
//! A working week is a set of wall-clock ranges per weekday. To answer questions in
//! real time we expand it day by day over the span asked about: each local calendar
//! day's ranges become instants in the week's zone (see `zone` for daylight saving),
//! and the result is a normalised interval list (`intervals`). Ranges that meet at
//! midnight merge, so a night shift written as Mon 22:00–24:00 + Tue 00:00–06:00 is one
//! 8-hour stretch.

use jiff::tz::TimeZone;
use tandem_protocol::working_hours::{Interval, WeeklyRange, WorkSchedule};
use tandem_protocol::{ApiError, ErrorCode, Timestamp};

use crate::{intervals, zone};

/// Wall-clock `[start_minute, end_minute)` ranges for one weekday, normalised.
type DayRanges = Vec<Interval>;

#[derive(Debug, Clone)]
pub struct WorkingWeek {
    time_zone: String,
    tz: TimeZone,
    /// Index 0 = Monday … 6 = Sunday. Minutes stored as `Interval`s so the interval
    /// arithmetic applies (the unit is irrelevant to it).
    working: [DayRanges; 7],
    focus: [DayRanges; 7],
    /// Whether some weekday has working time outside focus: if not, the SLA clock can
    /// never run, and we know it without searching the calendar.
    has_available_time: bool,
}

impl WorkingWeek {
    /// Checks the shape (`WorkSchedule::validate`) and that the zone is in the bundled
    /// tz database (a Validation error on field "time_zone" otherwise).
    pub fn new(ws: &WorkSchedule) -> Result<WorkingWeek, ApiError> {
        ws.validate()?;
        let tz = zone::lookup(&ws.time_zone).ok_or_else(|| {
            ApiError::new(ErrorCode::Validation, "Unknown time zone.").with_field("time_zone")
        })?;
        let working = by_weekday(&ws.working_hours);
        let focus = by_weekday(&ws.focus_blocks);
        let has_available_time = working
            .iter()
            .zip(&focus)
            .any(|(w, f)| !intervals::subtract(w, f).is_empty());
        Ok(WorkingWeek {
            time_zone: ws.time_zone.clone(),
            tz,
            working,
            focus,
            has_available_time,
        })
    }

    /// The IANA name the week was built with.
    pub fn time_zone(&self) -> &str {
        &self.time_zone
    }

    /// Whether any working time lies outside focus blocks (in wall-clock terms). When
    /// false the SLA clock never runs and nobody is ever "available".
    pub fn has_available_time(&self) -> bool {
        self.has_available_time
    }

    /// Working time in `[from, to)`, focus blocks inside it included.
    pub fn working_intervals(&self, from: Timestamp, to: Timestamp) -> Vec<Interval> {
        self.expand(&self.working, from, to)
    }

    /// Focus blocks in `[from, to)`, including any outside working hours.
    pub fn focus_intervals(&self, from: Timestamp, to: Timestamp) -> Vec<Interval> {
        self.expand(&self.focus, from, to)
    }

    /// Working time outside focus blocks in `[from, to)`: when the SLA clock runs and
    /// when the person can be reached without interrupting focus.
    pub fn available_intervals(&self, from: Timestamp, to: Timestamp) -> Vec<Interval> {
        intervals::subtract(
            &self.working_intervals(from, to),
            &self.focus_intervals(from, to),
        )
    }

    /// The weekly ranges as instants over `[from, to)`, clipped and normalised.
    fn expand(&self, ranges: &[DayRanges; 7], from: Timestamp, to: Timestamp) -> Vec<Interval> {
        let (from, to) = (zone::clamp(from), zone::clamp(to));
        if from >= to || ranges.iter().all(Vec::is_empty) {
            return Vec::new();
        }
        let (Some(first), Some(last)) = (
            zone::local_date(&self.tz, from),
            zone::local_date(&self.tz, to),
        ) else {
            return Vec::new();
        };
        // A day of margin either side. Normally a day's ranges lie within its own
        // midnights, but a clock change around midnight can make instants of one local
        // date come after the start of the next; the margin keeps such edges exact at
        // the cost of two extra days' arithmetic.
        let mut day = first.yesterday().unwrap_or(first);
        let last = last.tomorrow().unwrap_or(last);
        let mut out = Vec::new();
        loop {
            let weekday = day.weekday().to_monday_zero_offset() as usize;
            for r in &ranges[weekday] {
                // The bounds are minutes of a day, stored from u16 by `by_weekday`.
                let start = zone::instant(&self.tz, day, r.start as u16);
                let end = zone::instant(&self.tz, day, r.end as u16);
                // Compatible disambiguation is not monotonic inside a gap (02:30 → 03:30
                // but 03:00 → 03:00), so a range wholly inside a gap can come out empty
                // or inverted; `clip` drops those.
                if let (Some(start), Some(end)) = (start, end) {
                    out.push(Interval { start, end });
                }
            }
            if day >= last {
                break;
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        intervals::clip(&out, from, to)
    }
}

/// Groups validated weekly ranges by weekday, merging overlaps within a day.
fn by_weekday(ranges: &[WeeklyRange]) -> [DayRanges; 7] {
    let mut days: [DayRanges; 7] = Default::default();
    for r in ranges {
        // `WorkSchedule::validate` guarantees 1..=7; the guard keeps a bad value harmless.
        if let Some(day) = days.get_mut(usize::from(r.weekday).wrapping_sub(1)) {
            day.push(Interval {
                start: r.start_minute.into(),
                end: r.end_minute.into(),
            });
        }
    }
    days.map(|d| intervals::normalize(&d))
}
