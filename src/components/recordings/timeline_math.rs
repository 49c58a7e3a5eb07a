//! Timeline arithmetic: where a marker sits on the bar, what it is called, which chat
//! line is "now", and the playback speed steps.

use tandem_protocol::recordings::TimelineMarker;

use super::format::clock_ms;

pub const SPEEDS: [f64; 5] = [1.0, 1.25, 1.5, 1.75, 2.0];

/// Left offset on the bar, in percent, clamped so late markers (the server's clock
/// can run a little past the media's end) stay on the bar.
pub fn position_percent(at_ms: u64, duration_ms: u64) -> f64 {
    if duration_ms == 0 {
        return 0.0;
    }
    (at_ms as f64 / duration_ms as f64 * 100.0).clamp(0.0, 100.0)
}

/// The accessible name of a marker button, e.g. "Chat at 0:03: Ana".
pub fn marker_label(marker: &TimelineMarker) -> String {
    let at = clock_ms(marker.at_ms());
    match marker {
        TimelineMarker::Chat { author, .. } => format!("Chat at {at}: {author}"),
        TimelineMarker::Joined { name, .. } => format!("{name} joined at {at}"),
        TimelineMarker::Left { name, .. } => format!("{name} left at {at}"),
        TimelineMarker::ScreenShareStarted { name, .. } => {
            format!("{name} started sharing at {at}")
        }
    }
}

/// A CSS class per kind, so the bar can tell them apart by more than position.
pub fn marker_kind(marker: &TimelineMarker) -> &'static str {
    match marker {
        TimelineMarker::Chat { .. } => "chat",
        TimelineMarker::Joined { .. } => "joined",
        TimelineMarker::Left { .. } => "left",
        TimelineMarker::ScreenShareStarted { .. } => "share",
    }
}

/// The index of the latest line at or before `now_ms`, given lines sorted by time.
/// Binary search: this runs on every `timeupdate`, and a meeting chat can be long.
pub fn current_index(ats: &[u64], now_ms: u64) -> Option<usize> {
    ats.partition_point(|at| *at <= now_ms).checked_sub(1)
}

/// The next step up or down from `current`, staying at the ends.
pub fn step_speed(current: f64, up: bool) -> f64 {
    let here = SPEEDS
        .iter()
        .position(|s| (s - current).abs() < 0.01)
        // A rate set some other way: snap to the nearest step below it.
        .unwrap_or_else(|| SPEEDS.iter().rposition(|s| *s <= current).unwrap_or(0));
    let next = if up {
        (here + 1).min(SPEEDS.len() - 1)
    } else {
        here.saturating_sub(1)
    };
    SPEEDS[next]
}

/// "1×", "1.25×": what the speed select shows.
pub fn speed_label(speed: f64) -> String {
    format!("{speed}×")
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn positions_are_percentages_clamped_to_the_bar() {
        assert_eq!(position_percent(0, 10_000), 0.0);
        assert_eq!(position_percent(2_500, 10_000), 25.0);
        assert_eq!(position_percent(12_000, 10_000), 100.0);
        assert_eq!(position_percent(500, 0), 0.0);
    }

    #[test]
    fn markers_are_named_for_people() {
        let chat = TimelineMarker::Chat {
            at_ms: 3_200,
            message_id: Uuid::from_u128(1),
            author: "Ana".into(),
            text: "hi".into(),
        };
        assert_eq!(marker_label(&chat), "Chat at 0:03: Ana");
        assert_eq!(
            marker_label(&TimelineMarker::Joined {
                at_ms: 1_000,
                name: "Ana".into()
            }),
            "Ana joined at 0:01"
        );
        assert_eq!(
            marker_label(&TimelineMarker::Left {
                at_ms: 80_000,
                name: "Ana".into()
            }),
            "Ana left at 1:20"
        );
        assert_eq!(
            marker_label(&TimelineMarker::ScreenShareStarted {
                at_ms: 40_000,
                name: "Ana".into()
            }),
            "Ana started sharing at 0:40"
        );
    }

    #[test]
    fn current_line_is_the_latest_at_or_before_now() {
        let ats = [1_000, 3_000, 3_000, 9_000];
        assert_eq!(current_index(&ats, 0), None);
        assert_eq!(current_index(&ats, 999), None);
        assert_eq!(current_index(&ats, 1_000), Some(0));
        assert_eq!(current_index(&ats, 3_000), Some(2));
        assert_eq!(current_index(&ats, 8_999), Some(2));
        assert_eq!(current_index(&ats, 60_000), Some(3));
        assert_eq!(current_index(&[], 5_000), None);
    }

    #[test]
    fn speed_steps_stop_at_the_ends() {
        assert_eq!(step_speed(1.0, true), 1.25);
        assert_eq!(step_speed(1.75, true), 2.0);
        assert_eq!(step_speed(2.0, true), 2.0);
        assert_eq!(step_speed(1.0, false), 1.0);
        assert_eq!(step_speed(1.5, false), 1.25);
        assert_eq!(step_speed(1.6, true), 1.75);
        assert_eq!(speed_label(1.25), "1.25×");
        assert_eq!(speed_label(1.0), "1×");
    }
}
