//! How a recording's numbers read on screen.

use tandem_protocol::meetings::MeetingPerson;
use tandem_protocol::recordings::{Recording, RecordingState};

pub use crate::components::attachments::size::human_size;

/// "0:03", "12:40", "1:02:05": whole seconds, rounded down so the readout never runs
/// ahead of the picture.
pub fn clock_ms(ms: u64) -> String {
    let total = ms / 1000;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Player times come as float seconds; NaN and infinity (unknown yet) read as 0.
pub fn clock_secs(secs: f64) -> String {
    if secs.is_finite() && secs > 0.0 {
        clock_ms((secs * 1000.0) as u64)
    } else {
        clock_ms(0)
    }
}

/// The duration, or a dash while the server has not finalised it.
pub fn duration_label(recording: &Recording) -> String {
    recording
        .duration_ms
        .map(clock_ms)
        .unwrap_or_else(|| "–".to_string())
}

pub fn participant_names(people: &[MeetingPerson]) -> String {
    people
        .iter()
        .map(|p| p.display_name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A short note for anything but a normal, finished recording.
pub fn state_label(state: RecordingState) -> Option<&'static str> {
    match state {
        RecordingState::Complete => None,
        RecordingState::Incomplete => Some("Incomplete recording"),
        RecordingState::Recording => Some("Still recording"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_round_down_and_grow_hours_when_needed() {
        assert_eq!(clock_ms(0), "0:00");
        assert_eq!(clock_ms(3_999), "0:03");
        assert_eq!(clock_ms(80_000), "1:20");
        assert_eq!(clock_ms(3_725_000), "1:02:05");
        assert_eq!(clock_secs(f64::NAN), "0:00");
        assert_eq!(clock_secs(f64::INFINITY), "0:00");
        assert_eq!(clock_secs(61.9), "1:01");
    }

    #[test]
    fn names_and_states_read_naturally() {
        let p = |n: &str| MeetingPerson {
            user_id: None,
            display_name: n.into(),
            guest: false,
        };
        assert_eq!(participant_names(&[p("Ana"), p("Ben")]), "Ana, Ben");
        assert_eq!(participant_names(&[]), "");
        assert_eq!(state_label(RecordingState::Complete), None);
        assert_eq!(
            state_label(RecordingState::Incomplete),
            Some("Incomplete recording")
        );
        assert_eq!(human_size(1536), "1.5 KB");
    }
}
