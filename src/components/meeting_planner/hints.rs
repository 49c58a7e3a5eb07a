//! What the chosen slot means for each person: outside their working hours, in their
//! focus time, or over another meeting. The server decides for real when the meeting
//! is planned (409 for focus); these are the live hints while choosing.

use tandem_protocol::meeting_plans::PersonDay;
use tandem_protocol::working_hours::Interval;

fn overlaps(a: Interval, b: Interval) -> bool {
    a.start < b.end && b.start < a.end
}

/// Whether the working intervals cover the whole slot (they may touch end to start).
fn covered(slot: Interval, working: &[Interval]) -> bool {
    let mut sorted: Vec<Interval> = working.to_vec();
    sorted.sort_by_key(|i| i.start);
    let mut reached = slot.start;
    for i in sorted {
        if i.start > reached {
            break;
        }
        reached = reached.max(i.end);
        if reached >= slot.end {
            return true;
        }
    }
    reached >= slot.end
}

/// One sentence per problem, in the people's order: outside hours first, then focus,
/// then other meetings.
pub fn slot_hints(slot: Interval, people: &[(String, &PersonDay)]) -> Vec<String> {
    let mut outside = Vec::new();
    let mut focus = Vec::new();
    let mut busy = Vec::new();
    for (name, p) in people {
        if !covered(slot, &p.working) {
            outside.push(format!("Outside working hours for {name}"));
        }
        if p.focus.iter().any(|f| overlaps(slot, *f)) {
            focus.push(format!("Overlaps {name}'s focus time"));
        }
        if p.busy.iter().any(|b| overlaps(slot, *b)) {
            busy.push(format!("{name} has another meeting then"));
        }
    }
    outside.into_iter().chain(focus).chain(busy).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const H: i64 = 3_600_000;

    fn iv(start: i64, end: i64) -> Interval {
        Interval { start, end }
    }

    fn day(working: Vec<Interval>, focus: Vec<Interval>, busy: Vec<Interval>) -> PersonDay {
        PersonDay {
            user_id: Uuid::nil(),
            time_zone: "UTC".into(),
            working,
            focus,
            busy,
        }
    }

    #[test]
    fn hints_name_outside_hours_focus_and_meetings() {
        let ana = day(vec![iv(9 * H, 17 * H)], vec![], vec![]);
        let ben = day(
            vec![iv(13 * H, 21 * H)],
            vec![iv(14 * H, 16 * H)],
            vec![iv(10 * H, 11 * H)],
        );
        let people = [("Ana".to_string(), &ana), ("Ben".to_string(), &ben)];
        assert_eq!(
            slot_hints(iv(13 * H, 14 * H), &people),
            Vec::<String>::new()
        );
        assert_eq!(
            slot_hints(iv(10 * H, 11 * H), &people),
            vec![
                "Outside working hours for Ben",
                "Ben has another meeting then"
            ]
        );
        assert_eq!(
            slot_hints(iv(15 * H, 15 * H + 1_800_000), &people),
            vec!["Overlaps Ben's focus time"]
        );
        // Half in, half out is still outside.
        assert_eq!(
            slot_hints(iv(15 * H + 1_800_000, 17 * H + 1_800_000), &people),
            vec!["Outside working hours for Ana", "Overlaps Ben's focus time"]
        );
    }

    #[test]
    fn hints_touching_ranges_cover_the_slot() {
        let split = day(vec![iv(12 * H, 14 * H), iv(9 * H, 12 * H)], vec![], vec![]);
        let people = [("Cy".to_string(), &split)];
        assert!(slot_hints(iv(11 * H, 13 * H), &people).is_empty());
        let gap = day(
            vec![iv(9 * H, 12 * H), iv(12 * H + 1, 14 * H)],
            vec![],
            vec![],
        );
        assert_eq!(
            slot_hints(iv(11 * H, 13 * H), &[("Cy".to_string(), &gap)]).len(),
            1
        );
        // Focus that only touches the slot's edge does not overlap it.
        let edge = day(vec![iv(0, 24 * H)], vec![iv(10 * H, 11 * H)], vec![]);
        assert!(slot_hints(iv(11 * H, 12 * H), &[("Cy".to_string(), &edge)]).is_empty());
    }
}
