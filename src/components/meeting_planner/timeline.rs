//! Geometry of the availability timeline: one row per person across the organiser's
//! day (which may be 23 or 25 hours long), their working hours, focus blocks and
//! meetings as bars, hour ticks, and the chosen slot. Pure numbers; `timeline_view.rs`
//! draws them as SVG.

use tandem_protocol::meeting_plans::PersonDay;
use tandem_protocol::working_hours::Interval;
use tandem_protocol::Timestamp;

/// Left margin for the names, and the drawing's fixed sizes (the SVG scales to fit).
pub const LABEL_WIDTH: f64 = 120.0;
pub const WIDTH: f64 = 720.0;
pub const ROW_HEIGHT: f64 = 28.0;
pub const AXIS_HEIGHT: f64 = 22.0;
/// Where the day ends on the drawing: room on the right for the last hour's label.
pub const PLOT_RIGHT: f64 = WIDTH - 12.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub width: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub name: String,
    pub y: f64,
    pub working: Vec<Bar>,
    pub focus: Vec<Bar>,
    pub busy: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub rows: Vec<Row>,
    pub ticks: Vec<Tick>,
    pub slot: Option<Bar>,
}

/// Maps instants of the day onto `[LABEL_WIDTH, PLOT_RIGHT]`, clamped to the day.
pub fn x_of(day: Interval, t: Timestamp) -> f64 {
    let span = (day.end - day.start).max(1) as f64;
    let ratio = ((t - day.start) as f64 / span).clamp(0.0, 1.0);
    LABEL_WIDTH + ratio * (PLOT_RIGHT - LABEL_WIDTH)
}

/// The part of `i` inside the day as a bar; nothing when it misses the day.
pub fn bar(day: Interval, i: Interval) -> Option<Bar> {
    let start = i.start.max(day.start);
    let end = i.end.min(day.end);
    (end > start).then(|| {
        let x = x_of(day, start);
        Bar {
            x,
            width: x_of(day, end) - x,
        }
    })
}

fn bars(day: Interval, list: &[Interval]) -> Vec<Bar> {
    list.iter().filter_map(|i| bar(day, *i)).collect()
}

/// `people` in display order with their names; `ticks` as (instant, label).
pub fn layout(
    day: Interval,
    people: &[(String, &PersonDay)],
    ticks: &[(Timestamp, String)],
    slot: Option<Interval>,
) -> Layout {
    let rows: Vec<Row> = people
        .iter()
        .enumerate()
        .map(|(i, (name, p))| Row {
            name: name.clone(),
            y: AXIS_HEIGHT + i as f64 * ROW_HEIGHT,
            working: bars(day, &p.working),
            focus: bars(day, &p.focus),
            busy: bars(day, &p.busy),
        })
        .collect();
    Layout {
        width: WIDTH,
        height: AXIS_HEIGHT + rows.len().max(1) as f64 * ROW_HEIGHT + 4.0,
        rows,
        ticks: ticks
            .iter()
            .filter(|(t, _)| (day.start..=day.end).contains(t))
            .map(|(t, label)| Tick {
                x: x_of(day, *t),
                label: label.clone(),
            })
            .collect(),
        slot: slot.and_then(|s| bar(day, s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const H: i64 = 3_600_000;

    fn iv(start: i64, end: i64) -> Interval {
        Interval { start, end }
    }

    #[test]
    fn timeline_scale_maps_the_day_and_clamps() {
        let day = iv(0, 24 * H);
        assert_eq!(x_of(day, 0), LABEL_WIDTH);
        assert_eq!(x_of(day, 24 * H), PLOT_RIGHT);
        assert_eq!(
            x_of(day, 12 * H),
            LABEL_WIDTH + (PLOT_RIGHT - LABEL_WIDTH) / 2.0
        );
        assert_eq!(x_of(day, -H), LABEL_WIDTH);
        assert_eq!(x_of(day, 30 * H), PLOT_RIGHT);
        // An empty day never divides by zero.
        assert_eq!(x_of(iv(5, 5), 5), LABEL_WIDTH);
    }

    #[test]
    fn timeline_bars_are_clipped_to_the_day() {
        let day = iv(0, 24 * H);
        let per_hour = (PLOT_RIGHT - LABEL_WIDTH) / 24.0;
        let b = bar(day, iv(9 * H, 17 * H)).unwrap();
        assert!((b.x - (LABEL_WIDTH + 9.0 * per_hour)).abs() < 1e-9);
        assert!((b.width - 8.0 * per_hour).abs() < 1e-9);
        // A night shift from yesterday shows only its part today.
        let b = bar(day, iv(-2 * H, 6 * H)).unwrap();
        assert_eq!(b.x, LABEL_WIDTH);
        assert!((b.width - 6.0 * per_hour).abs() < 1e-9);
        assert_eq!(bar(day, iv(25 * H, 26 * H)), None);
        assert_eq!(bar(day, iv(3 * H, 3 * H)), None);
    }

    #[test]
    fn timeline_layout_stacks_rows_and_places_ticks_on_a_short_day() {
        // A 23-hour day: 9:00 after the jump is 8 elapsed hours in.
        let day = iv(0, 23 * H);
        let ana = PersonDay {
            user_id: Uuid::from_u128(1),
            time_zone: "Europe/Lisbon".into(),
            working: vec![iv(8 * H, 16 * H)],
            focus: vec![iv(8 * H, 10 * H)],
            busy: vec![],
        };
        let ben = PersonDay {
            busy: vec![iv(12 * H, 13 * H)],
            ..ana.clone()
        };
        let ticks = vec![
            (0, "00".to_string()),
            (H, "02".to_string()),
            (30 * H, "x".to_string()),
        ];
        let l = layout(
            day,
            &[("Ana".into(), &ana), ("Ben".into(), &ben)],
            &ticks,
            Some(iv(11 * H, 12 * H)),
        );
        assert_eq!(l.rows.len(), 2);
        assert_eq!(l.rows[1].y, AXIS_HEIGHT + ROW_HEIGHT);
        assert_eq!(l.rows[1].busy.len(), 1);
        assert_eq!(l.ticks.len(), 2, "ticks outside the day are dropped");
        assert_eq!(l.ticks[1].label, "02");
        let per_hour = (PLOT_RIGHT - LABEL_WIDTH) / 23.0;
        assert!((l.ticks[1].x - (LABEL_WIDTH + per_hour)).abs() < 1e-9);
        assert!((l.slot.unwrap().width - per_hour).abs() < 1e-9);
        assert_eq!(l.height, AXIS_HEIGHT + 2.0 * ROW_HEIGHT + 4.0);
    }
}
