//! When a planned meeting can be joined: from 10 minutes before its start until its
//! end (the server enforces the same window).

use tandem_protocol::meeting_plans::ScheduledMeeting;
use tandem_protocol::Timestamp;

pub fn can_join(now: Timestamp, meeting: &ScheduledMeeting) -> bool {
    meeting.joinable_at(now)
}

/// The meetings still to show (not ended), soonest first.
pub fn upcoming(mut list: Vec<ScheduledMeeting>, now: Timestamp) -> Vec<ScheduledMeeting> {
    list.retain(|m| m.end_at > now);
    list.sort_by_key(|m| (m.start_at, m.id));
    list
}

/// Adds or replaces one meeting (a `ScheduledMeetingChanged` event).
pub fn upsert(list: &mut Vec<ScheduledMeeting>, meeting: ScheduledMeeting) {
    match list.iter_mut().find(|m| m.id == meeting.id) {
        Some(existing) => *existing = meeting,
        None => list.push(meeting),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::meeting_plans::JOIN_EARLY_MS;
    use tandem_protocol::test_support::{id, planned_meeting as meeting};

    #[test]
    fn join_opens_ten_minutes_early_and_closes_at_the_end() {
        let m = meeting(1, 1_000_000, 2_000_000);
        assert!(!can_join(1_000_000 - JOIN_EARLY_MS - 1, &m));
        assert!(can_join(1_000_000 - JOIN_EARLY_MS, &m));
        assert!(can_join(1_999_999, &m));
        assert!(!can_join(2_000_000, &m));
    }

    #[test]
    fn join_list_drops_ended_and_sorts_and_upserts() {
        let list = vec![meeting(1, 50, 60), meeting(2, 10, 20), meeting(3, 30, 40)];
        let shown = upcoming(list, 25);
        assert_eq!(
            shown.iter().map(|m| m.id).collect::<Vec<_>>(),
            [id(3), id(1)]
        );
        let mut shown = shown;
        upsert(&mut shown, meeting(3, 70, 80));
        upsert(&mut shown, meeting(4, 5, 90));
        assert_eq!(shown.len(), 3);
        let shown = upcoming(shown, 25);
        assert_eq!(
            shown.iter().map(|m| m.id).collect::<Vec<_>>(),
            [id(4), id(1), id(3)]
        );
    }
}
