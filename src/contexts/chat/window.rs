//! The open channel's slice of history: pure data and merge rules, natively tested.
//!
//! The window never holds more than [`MAX_WINDOW`] messages (+ a little slack for live
//! arrivals). Loading older pages drops the newest ones (and vice versa), so however
//! far someone scrolls, memory and DOM stay bounded; `has_older` / `has_newer` say
//! whether more exists beyond either edge.

use tandem_protocol::chat::{ChannelId, Message, MessageId};
use tandem_protocol::{Seq, UserId};

pub const PAGE_SIZE: u32 = 50;
/// The most messages kept (and rendered) at once.
pub const MAX_WINDOW: usize = 150;
/// Live messages may overshoot this much before the far end is trimmed.
const LIVE_SLACK: usize = 50;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageWindow {
    pub channel_id: Option<ChannelId>,
    /// Channel-level messages (not thread-only replies), oldest first, unique by id.
    pub messages: Vec<Message>,
    pub has_older: bool,
    pub has_newer: bool,
    pub loaded: bool,
    pub loading_older: bool,
    pub loading_newer: bool,
    pub error: Option<String>,
    /// Bumped whenever the window is replaced, so stale fetches are ignored.
    pub generation: u64,
    /// Live messages that came while the first page was loading; merged into it, as
    /// the page may have been read before they were posted.
    pub arrived_while_loading: Vec<Message>,
}

/// Which end to trim when the window grows too large: the one away from the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Newest,
    Oldest,
}

pub fn shows_in_channel(m: &Message) -> bool {
    m.thread_root_id.is_none() || m.also_in_channel
}

impl MessageWindow {
    pub fn contains(&self, id: MessageId) -> bool {
        self.messages.iter().any(|m| m.id == id)
    }

    pub fn newest_seq(&self) -> Option<Seq> {
        self.messages.last().map(|m| m.seq)
    }

    /// Replaces the contents with a freshly fetched page (plus what arrived live while
    /// it loaded, when the page reaches the present).
    pub fn set_page(&mut self, messages: Vec<Message>, has_older: bool, has_newer: bool) {
        let live = std::mem::take(&mut self.arrived_while_loading);
        self.messages = messages.into_iter().filter(shows_in_channel).collect();
        if !has_newer {
            self.messages.extend(live);
        }
        self.messages.sort_by_key(|m| m.seq);
        self.messages.dedup_by_key(|m| m.id);
        self.has_older = has_older;
        self.has_newer = has_newer;
        self.loaded = true;
        self.error = None;
    }

    /// Adds an older page in front, then trims the newest end.
    pub fn prepend(&mut self, page: Vec<Message>, has_older: bool) {
        let first = self.messages.first().map(|m| m.seq).unwrap_or(Seq::MAX);
        let mut older: Vec<Message> = page
            .into_iter()
            .filter(|m| m.seq < first && shows_in_channel(m))
            .collect();
        older.sort_by_key(|m| m.seq);
        older.extend(std::mem::take(&mut self.messages));
        self.messages = older;
        self.has_older = has_older;
        self.trim(MAX_WINDOW, Keep::Oldest);
    }

    /// Adds a newer page at the end, then trims the oldest end.
    pub fn append_page(&mut self, page: Vec<Message>, has_newer: bool) {
        let last = self.newest_seq().unwrap_or(Seq::MIN);
        let mut newer: Vec<Message> = page
            .into_iter()
            .filter(|m| m.seq > last && shows_in_channel(m))
            .collect();
        newer.sort_by_key(|m| m.seq);
        self.messages.extend(newer);
        self.has_newer = has_newer;
        self.trim(MAX_WINDOW, Keep::Newest);
    }

    /// A live message. Ignored when the window does not reach the present (it would
    /// leave a gap); the caller shows "New messages below" instead. Kept aside while
    /// the first page loads. Returns whether it was (or will be) shown.
    pub fn push_live(&mut self, message: Message, keep: Keep) -> bool {
        if !shows_in_channel(&message) {
            return false;
        }
        if !self.loaded {
            if !self
                .arrived_while_loading
                .iter()
                .any(|m| m.id == message.id)
            {
                self.arrived_while_loading.push(message);
            }
            return true;
        }
        if self.has_newer {
            return false;
        }
        if self.contains(message.id) {
            return false;
        }
        let at = self.messages.partition_point(|m| m.seq < message.seq);
        self.messages.insert(at, message);
        self.trim(MAX_WINDOW + LIVE_SLACK, keep);
        true
    }

    fn trim(&mut self, max: usize, keep: Keep) {
        if self.messages.len() <= max {
            return;
        }
        let excess = self.messages.len() - max;
        match keep {
            Keep::Newest => {
                self.messages.drain(..excess);
                self.has_older = true;
            }
            Keep::Oldest => {
                self.messages.truncate(max);
                self.has_newer = true;
            }
        }
    }

    /// Applies `f` to the message with this id, if loaded.
    pub fn update(&mut self, id: MessageId, f: impl FnOnce(&mut Message)) -> bool {
        match self.messages.iter_mut().find(|m| m.id == id) {
            Some(m) => {
                f(m);
                true
            }
            None => false,
        }
    }

    /// Unread messages by others after `seq`, when the window reaches the present.
    pub fn unread_after(&self, seq: Seq, me: UserId) -> Option<u32> {
        (!self.has_newer).then(|| {
            self.messages
                .iter()
                .filter(|m| m.seq > seq && m.author_id != me && !m.deleted)
                .count() as u32
        })
    }
}

/// Adds or removes one person's reaction.
pub fn set_reaction(message: &mut Message, emoji: &str, user: UserId, present: bool) {
    use tandem_protocol::chat::Reaction;
    match message.reactions.iter_mut().find(|r| r.emoji == emoji) {
        Some(r) => {
            r.user_ids.retain(|u| *u != user);
            if present {
                r.user_ids.push(user);
            }
        }
        None if present => message.reactions.push(Reaction {
            emoji: emoji.to_string(),
            user_ids: vec![user],
        }),
        None => {}
    }
    message.reactions.retain(|r| !r.user_ids.is_empty());
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use tandem_protocol::test_support::message;
    use uuid::Uuid;

    pub fn msg(seq: i64) -> Message {
        message(seq, &format!("m{seq}"))
    }

    fn page(range: std::ops::Range<i64>) -> Vec<Message> {
        range.map(msg).collect()
    }

    #[test]
    fn a_message_posted_while_the_page_loads_is_shown_once_it_loads() {
        let mut w = MessageWindow::default();
        // The page was read before message 12 was posted; 11 it already has.
        assert!(w.push_live(msg(11), Keep::Newest));
        assert!(w.push_live(msg(12), Keep::Newest));
        assert!(w.messages.is_empty(), "nothing shows before the page");
        w.set_page(page(1..12), false, false);
        let seqs: Vec<i64> = w.messages.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, (1..13).collect::<Vec<_>>());
        assert!(w.arrived_while_loading.is_empty());
    }

    #[test]
    fn a_page_away_from_the_present_ignores_what_arrived_while_loading() {
        let mut w = MessageWindow::default();
        w.push_live(msg(500), Keep::Newest);
        w.set_page(page(1..51), false, true);
        assert_eq!(w.newest_seq(), Some(50), "no gap between 50 and 500");
    }

    #[test]
    fn scrolling_far_keeps_the_window_bounded() {
        let mut w = MessageWindow::default();
        w.set_page(page(99_950..100_000), true, false);
        // Scroll up through 100,000 messages, a page at a time.
        let mut first = 99_950;
        while first > 0 {
            let from = (first - PAGE_SIZE as i64).max(0);
            w.prepend(page(from..first), from > 0);
            first = from;
            assert!(w.messages.len() <= MAX_WINDOW);
        }
        assert_eq!(w.messages.first().unwrap().seq, 0);
        assert!(w.has_newer && !w.has_older);
        // And back down.
        while w.has_newer {
            let last = w.newest_seq().unwrap();
            let to = (last + 1 + PAGE_SIZE as i64).min(100_000);
            w.append_page(page(last - 10..to), to < 100_000);
            assert!(w.messages.len() <= MAX_WINDOW);
        }
        assert_eq!(w.newest_seq(), Some(99_999));
        let mut seqs: Vec<_> = w.messages.iter().map(|m| m.seq).collect();
        seqs.dedup();
        assert_eq!(seqs.len(), w.messages.len());
    }

    #[test]
    fn live_messages_dedup_and_respect_gaps() {
        let mut w = MessageWindow::default();
        w.set_page(page(1..4), false, false);
        assert!(w.push_live(msg(5), Keep::Newest));
        assert!(!w.push_live(msg(5), Keep::Newest), "never twice");
        assert!(w.push_live(msg(4), Keep::Newest), "ordered by seq");
        assert_eq!(
            w.messages.iter().map(|m| m.seq).collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5]
        );
        w.has_newer = true;
        assert!(!w.push_live(msg(6), Keep::Newest), "not contiguous");
        let mut reply = msg(7);
        reply.thread_root_id = Some(Uuid::from_u128(1));
        w.has_newer = false;
        assert!(!w.push_live(reply.clone(), Keep::Newest));
        reply.also_in_channel = true;
        assert!(w.push_live(reply, Keep::Newest));
    }

    #[test]
    fn reactions_toggle() {
        let mut m = msg(1);
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        set_reaction(&mut m, "👍", a, true);
        set_reaction(&mut m, "👍", b, true);
        set_reaction(&mut m, "👍", a, true);
        assert_eq!(m.reactions[0].user_ids, vec![b, a]);
        set_reaction(&mut m, "👍", a, false);
        set_reaction(&mut m, "👍", b, false);
        assert!(m.reactions.is_empty());
    }

    #[test]
    fn unread_counts_only_others() {
        let mut w = MessageWindow::default();
        let mut mine = msg(3);
        mine.author_id = Uuid::from_u128(9);
        w.set_page(vec![msg(1), msg(2), mine, msg(4)], false, false);
        assert_eq!(w.unread_after(1, Uuid::from_u128(9)), Some(2));
        w.has_newer = true;
        assert_eq!(w.unread_after(1, Uuid::from_u128(9)), None);
    }
}
