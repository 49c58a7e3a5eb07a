//! Keeping my inbox current from events: an item changes, appears or (answered, done)
//! disappears, and each list stays sorted by deadline. Pure, tested natively.

use tandem_protocol::urgency::{ActionItem, Inbox, ResponseItem};
use tandem_protocol::UserId;

/// A `ResponseItemChanged`: I may owe it, have asked it, or neither (then nothing).
pub fn apply_response_item(inbox: &mut Inbox, me: UserId, item: ResponseItem) {
    let open = item.satisfied_at.is_none();
    if item.owner_id == me {
        upsert(
            &mut inbox.awaiting_me,
            item.clone(),
            open,
            |i| i.id,
            |i| (i.due_at, i.created_at),
        );
    }
    if item.author_id == me {
        upsert(
            &mut inbox.awaiting_others,
            item,
            open,
            |i| i.id,
            |i| (i.due_at, i.created_at),
        );
    }
}

/// An `ActionItemChanged`: mine and not done stays or appears; done (or reassigned) goes.
pub fn apply_action_item(inbox: &mut Inbox, me: UserId, item: ActionItem) {
    let keep = item.owner_id == me && !item.done;
    upsert(
        &mut inbox.action_items,
        item,
        keep,
        |i| i.id,
        |i| (i.due_at, 0),
    );
}

/// What the sidebar's Inbox badge counts: the responses I owe and my action items not
/// yet done (the list holds only open ones; the filter keeps a stale copy honest).
pub fn inbox_count(inbox: &Inbox) -> usize {
    inbox.awaiting_me.len() + inbox.action_items.iter().filter(|i| !i.done).count()
}

fn upsert<T, K: PartialEq>(
    list: &mut Vec<T>,
    item: T,
    keep: bool,
    id: impl Fn(&T) -> K,
    order: impl Fn(&T) -> (i64, i64),
) {
    let key = id(&item);
    list.retain(|i| id(i) != key);
    if keep {
        list.push(item);
        // Stable: items due at the same moment keep their order.
        list.sort_by_key(|i| order(i));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::urgency::{SatisfiedBy, Urgency};
    use uuid::Uuid;

    const ME: u128 = 1;

    fn item(id: u128, author: u128, owner: u128, due_at: i64) -> ResponseItem {
        ResponseItem {
            id: Uuid::from_u128(id),
            message_id: Uuid::from_u128(id + 1000),
            channel_id: Uuid::from_u128(9),
            thread_root_id: None,
            author_id: Uuid::from_u128(author),
            owner_id: Uuid::from_u128(owner),
            urgency: Urgency::Standard,
            excerpt: format!("item {id}"),
            created_at: 0,
            due_at,
            satisfied_at: None,
            satisfied_by: None,
            escalation_offered: false,
            escalated_meeting_id: None,
        }
    }

    fn action(id: u128, owner: u128, due_at: i64, done: bool) -> ActionItem {
        ActionItem {
            id: Uuid::from_u128(id),
            meeting_id: Uuid::from_u128(50),
            channel_id: Uuid::from_u128(9),
            message_id: None,
            text: format!("do {id}"),
            owner_id: Uuid::from_u128(owner),
            due_at,
            done,
        }
    }

    fn empty() -> Inbox {
        Inbox {
            now: 0,
            awaiting_me: vec![],
            awaiting_others: vec![],
            action_items: vec![],
        }
    }

    fn ids<T>(list: &[T], id: impl Fn(&T) -> Uuid) -> Vec<u128> {
        list.iter().map(|i| id(i).as_u128()).collect()
    }

    #[test]
    fn inbox_items_land_in_the_right_list_sorted_by_deadline() {
        let me = Uuid::from_u128(ME);
        let mut inbox = empty();
        apply_response_item(&mut inbox, me, item(10, 2, ME, 300));
        apply_response_item(&mut inbox, me, item(11, 2, ME, 100));
        apply_response_item(&mut inbox, me, item(12, ME, 3, 200));
        apply_response_item(&mut inbox, me, item(13, 2, 3, 50)); // not mine at all
        assert_eq!(ids(&inbox.awaiting_me, |i| i.id), vec![11, 10]);
        assert_eq!(ids(&inbox.awaiting_others, |i| i.id), vec![12]);
    }

    #[test]
    fn inbox_updates_in_place_and_drops_satisfied_items() {
        let me = Uuid::from_u128(ME);
        let mut inbox = empty();
        apply_response_item(&mut inbox, me, item(10, 2, ME, 300));
        apply_response_item(&mut inbox, me, item(12, ME, 3, 200));
        let mut offered = item(12, ME, 3, 200);
        offered.escalation_offered = true;
        apply_response_item(&mut inbox, me, offered);
        assert_eq!(inbox.awaiting_others.len(), 1);
        assert!(inbox.awaiting_others[0].escalation_offered);
        let mut answered = item(10, 2, ME, 300);
        answered.satisfied_at = Some(250);
        answered.satisfied_by = Some(SatisfiedBy::Reply);
        apply_response_item(&mut inbox, me, answered);
        assert!(inbox.awaiting_me.is_empty());
    }

    #[test]
    fn inbox_action_items_come_and_go() {
        let me = Uuid::from_u128(ME);
        let mut inbox = empty();
        apply_action_item(&mut inbox, me, action(20, ME, 500, false));
        apply_action_item(&mut inbox, me, action(21, ME, 400, false));
        apply_action_item(&mut inbox, me, action(22, 2, 100, false));
        assert_eq!(ids(&inbox.action_items, |i| i.id), vec![21, 20]);
        apply_action_item(&mut inbox, me, action(21, ME, 400, true));
        apply_action_item(&mut inbox, me, action(20, 2, 500, false)); // reassigned
        assert!(inbox.action_items.is_empty());
    }

    #[test]
    fn inbox_count_adds_open_action_items_to_what_i_owe() {
        let me = Uuid::from_u128(ME);
        let mut inbox = empty();
        assert_eq!(inbox_count(&inbox), 0);
        apply_response_item(&mut inbox, me, item(10, 2, ME, 300));
        apply_response_item(&mut inbox, me, item(12, ME, 3, 200)); // I asked: not counted
        apply_action_item(&mut inbox, me, action(20, ME, 500, false));
        apply_action_item(&mut inbox, me, action(21, ME, 400, false));
        assert_eq!(inbox_count(&inbox), 3);
        apply_action_item(&mut inbox, me, action(21, ME, 400, true));
        assert_eq!(inbox_count(&inbox), 2);
        // A done item still in a stale copy is not counted.
        inbox.action_items.push(action(22, ME, 100, true));
        assert_eq!(inbox_count(&inbox), 2);
    }
}
