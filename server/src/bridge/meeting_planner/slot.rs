//! What a proposed slot means for each person: over one of their focus blocks (refused
//! unless the organiser insists) or outside their working hours (allowed, shown).
//! Pure, so the rules are tested without a server.

use tandem_protocol::working_hours::Interval;
use tandem_protocol::UserId;
use tandem_working_hours::{intervals, WorkingWeek};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SlotCheck {
    /// People for whom some of the slot lies outside their working hours.
    pub outside_hours: Vec<UserId>,
    /// People whose focus blocks the slot overlaps.
    pub focus_conflicts: Vec<UserId>,
}

/// Checks `slot` against each person's working week, keeping the people's order.
pub fn check<'a>(
    slot: Interval,
    people: impl IntoIterator<Item = (UserId, &'a WorkingWeek)>,
) -> SlotCheck {
    let mut out = SlotCheck::default();
    let length = slot.end - slot.start;
    for (user_id, week) in people {
        if !week.focus_intervals(slot.start, slot.end).is_empty() {
            out.focus_conflicts.push(user_id);
        }
        // Partly outside counts: the person would have to stay late or start early.
        let working = week.working_intervals(slot.start, slot.end);
        if intervals::total_ms(&working) < length {
            out.outside_hours.push(user_id);
        }
    }
    out
}

/// "Overlaps Ana's focus time." / "Overlaps Ana's and Ben's focus time." /
/// "Overlaps Ana's, Ben's and Cy's focus time."
pub fn focus_conflict_message(names: &[String]) -> String {
    let owned: Vec<String> = names.iter().map(|n| format!("{n}'s")).collect();
    let list = match owned.as_slice() {
        [] => "someone's".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    format!("Overlaps {list} focus time.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::working_hours::{WeeklyRange, WorkSchedule};
    use uuid::Uuid;

    const HOUR: i64 = 3_600_000;
    /// Monday 2024-01-08 00:00 UTC.
    const MONDAY: i64 = 1_704_672_000_000;

    fn week(focus: Vec<WeeklyRange>) -> WorkingWeek {
        let mut ws = WorkSchedule::default_for("UTC");
        ws.focus_blocks = focus;
        WorkingWeek::new(&ws).unwrap()
    }

    #[test]
    fn focus_and_hours_are_checked_per_person() {
        let ana = Uuid::from_u128(1);
        let ben = Uuid::from_u128(2);
        // Ana focuses Monday 10:00-12:00; Ben has no focus blocks.
        let ana_week = week(vec![WeeklyRange {
            weekday: 1,
            start_minute: 600,
            end_minute: 720,
        }]);
        let ben_week = week(vec![]);
        let people = || [(ana, &ana_week), (ben, &ben_week)];

        // 11:30-12:30 touches Ana's focus; inside everyone's hours.
        let slot = Interval {
            start: MONDAY + 11 * HOUR + HOUR / 2,
            end: MONDAY + 12 * HOUR + HOUR / 2,
        };
        assert_eq!(
            check(slot, people()),
            SlotCheck {
                outside_hours: vec![],
                focus_conflicts: vec![ana]
            }
        );

        // 12:00-13:00 starts exactly when the focus block ends: no conflict.
        let slot = Interval {
            start: MONDAY + 12 * HOUR,
            end: MONDAY + 13 * HOUR,
        };
        assert_eq!(check(slot, people()), SlotCheck::default());

        // 16:30-17:30 runs past 17:00: outside hours for both, allowed.
        let slot = Interval {
            start: MONDAY + 16 * HOUR + HOUR / 2,
            end: MONDAY + 17 * HOUR + HOUR / 2,
        };
        assert_eq!(check(slot, people()).outside_hours, vec![ana, ben]);
    }

    #[test]
    fn messages_name_everyone() {
        assert_eq!(
            focus_conflict_message(&["Ana".into()]),
            "Overlaps Ana's focus time."
        );
        assert_eq!(
            focus_conflict_message(&["Ana".into(), "Ben".into()]),
            "Overlaps Ana's and Ben's focus time."
        );
        assert_eq!(
            focus_conflict_message(&["Ana".into(), "Ben".into(), "Cy".into()]),
            "Overlaps Ana's, Ben's and Cy's focus time."
        );
    }
}
