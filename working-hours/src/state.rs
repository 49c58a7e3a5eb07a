//! Someone's state at an instant (working, in focus, outside hours), when it next
//! changes, and when they are next reachable.

use tandem_protocol::working_hours::{Availability, AvailabilityState};
use tandem_protocol::{Timestamp, UserId};

use crate::intervals;
use crate::week::WorkingWeek;

/// How far ahead we look for the next change. A working week repeats every 7 days;
/// the extra day covers a week made an hour longer or shorter by a DST change.
pub const SEARCH_MS: i64 = 8 * 24 * 60 * intervals::MS_PER_MINUTE;

impl WorkingWeek {
    /// The state at `t` and when it next changes (None if it does not within 8 days,
    /// i.e. never: no working hours, or working around the clock without focus).
    ///
    /// InFocus wins over Working, and a focus block outside working hours still counts
    /// as InFocus: people block focus time when they want it, and senders should see it.
    pub fn state_at(&self, t: Timestamp) -> (AvailabilityState, Option<Timestamp>) {
        let end = t.saturating_add(SEARCH_MS);
        let working = self.working_intervals(t, end);
        let focus = self.focus_intervals(t, end);
        let state_of = |x: Timestamp| {
            if intervals::contains(&focus, x) {
                AvailabilityState::InFocus
            } else if intervals::contains(&working, x) {
                AvailabilityState::Working
            } else {
                AvailabilityState::OutsideHours
            }
        };
        let now = state_of(t);
        // The state can only change where an interval starts or ends. The lists were
        // clipped to [t, end), so `end` itself is an artefact of the window, not a change.
        let mut edges: Vec<Timestamp> = working
            .iter()
            .chain(&focus)
            .flat_map(|i| [i.start, i.end])
            .filter(|&x| x > t && x < end)
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let until = edges.into_iter().find(|&x| state_of(x) != now);
        (now, until)
    }

    /// `t` if they are working and not in focus at `t`, else the start of their next
    /// such stretch within 8 days; None if there is none.
    pub fn next_available_at(&self, t: Timestamp) -> Option<Timestamp> {
        self.available_intervals(t, t.saturating_add(SEARCH_MS))
            .first()
            .map(|i| i.start)
    }

    /// Everything `GET /api/availability` shows about one person at `t`.
    pub fn availability(&self, user_id: UserId, t: Timestamp) -> Availability {
        let (state, until) = self.state_at(t);
        Availability {
            user_id,
            time_zone: self.time_zone().to_owned(),
            state,
            until,
            next_available_at: self.next_available_at(t),
        }
    }
}
