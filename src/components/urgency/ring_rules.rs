//! When the Critical ring goes off, and what it says; pure so it is tested natively.

use std::collections::HashSet;

use tandem_protocol::urgency::{ResponseItem, ResponseItemId, Urgency};
use tandem_protocol::{Timestamp, UserId};

/// Ring for a Critical item I owe and have not answered, once per item per session
/// (the item comes back on every change: satisfied, escalation offered, escalated).
pub fn should_ring(item: &ResponseItem, me: UserId, rung: &HashSet<ResponseItemId>) -> bool {
    item.owner_id == me
        && item.author_id != me
        && item.urgency == Urgency::Critical
        && item.satisfied_at.is_none()
        && !rung.contains(&item.id)
}

/// "Ana needs a response within 15 min" (minutes rounded up: 14 min 50 s is "15");
/// past the deadline: "Ana needs a response now".
pub fn ring_text(author: &str, due_at: Timestamp, now: Timestamp) -> String {
    let left = due_at - now;
    if left <= 0 {
        format!("{author} needs a response now")
    } else {
        let minutes = (left + 59_999) / 60_000;
        format!("{author} needs a response within {minutes} min")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn item(owner: u128, urgency: Urgency) -> ResponseItem {
        ResponseItem {
            id: Uuid::from_u128(100),
            message_id: Uuid::from_u128(200),
            channel_id: Uuid::from_u128(300),
            thread_root_id: None,
            author_id: Uuid::from_u128(1),
            owner_id: Uuid::from_u128(owner),
            urgency,
            excerpt: "Prod is down".into(),
            created_at: 0,
            due_at: 15 * 60_000,
            satisfied_at: None,
            satisfied_by: None,
            escalation_offered: false,
            escalated_meeting_id: None,
        }
    }

    #[test]
    fn rings_once_for_an_open_critical_item_i_owe() {
        let me = Uuid::from_u128(2);
        let mut rung = HashSet::new();
        let critical = item(2, Urgency::Critical);
        assert!(should_ring(&critical, me, &rung));
        rung.insert(critical.id);
        assert!(
            !should_ring(&critical, me, &rung),
            "second event for the same item"
        );
    }

    #[test]
    fn never_rings_for_others_other_tiers_or_answered_items() {
        let me = Uuid::from_u128(2);
        let rung = HashSet::new();
        assert!(
            !should_ring(&item(3, Urgency::Critical), me, &rung),
            "someone else owes it"
        );
        assert!(!should_ring(&item(2, Urgency::Standard), me, &rung));
        assert!(!should_ring(&item(2, Urgency::Low), me, &rung));
        let mut answered = item(2, Urgency::Critical);
        answered.satisfied_at = Some(60_000);
        assert!(!should_ring(&answered, me, &rung));
        let mut mine = item(2, Urgency::Critical);
        mine.author_id = me;
        assert!(!should_ring(&mine, me, &rung), "I asked it myself");
    }

    #[test]
    fn ring_text_rounds_minutes_up() {
        assert_eq!(
            ring_text("Ana", 15 * 60_000, 10_000),
            "Ana needs a response within 15 min"
        );
        assert_eq!(
            ring_text("Ana", 15 * 60_000, 14 * 60_000 + 1),
            "Ana needs a response within 1 min"
        );
        assert_eq!(
            ring_text("Ana", 15 * 60_000, 15 * 60_000),
            "Ana needs a response now"
        );
    }
}
