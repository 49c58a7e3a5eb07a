//! The boards the app knows about, by id, and which channels' lists were loaded. Pure
//! (no Leptos types) so the merge rules are tested natively: a list fetched over REST
//! must not undo live events that arrived while it was on its way.

use std::collections::{HashMap, HashSet};

use tandem_protocol::boards::{Board, BoardId};
use tandem_protocol::chat::ChannelId;

/// How far a channel's list has got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListState {
    Loading,
    Loaded,
    Failed(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoardIndex {
    boards: HashMap<BoardId, Board>,
    /// Deleted boards never come back (a late GET or a stale list cannot revive them).
    deleted: HashSet<BoardId>,
    lists: HashMap<ChannelId, ListState>,
    /// Channels whose list request is on its way.
    in_flight: HashSet<ChannelId>,
    /// Boards created or renamed live while their channel's list was loading: the
    /// list's answer may predate them.
    live_during_load: HashSet<BoardId>,
}

impl BoardIndex {
    pub fn get(&self, id: BoardId) -> Option<&Board> {
        self.boards.get(&id)
    }

    pub fn is_deleted(&self, id: BoardId) -> bool {
        self.deleted.contains(&id)
    }

    pub fn list_state(&self, channel_id: ChannelId) -> Option<&ListState> {
        self.lists.get(&channel_id)
    }

    /// Channels whose list was loaded (or tried), to reload after missed events.
    pub fn listed_channels(&self) -> Vec<ChannelId> {
        self.lists.keys().copied().collect()
    }

    pub fn start_loading(&mut self, channel_id: ChannelId) {
        // A reload keeps showing the old list ("Loaded") rather than flashing "Loading".
        if !matches!(self.lists.get(&channel_id), Some(ListState::Loaded)) {
            self.lists.insert(channel_id, ListState::Loading);
        }
        self.in_flight.insert(channel_id);
        self.forget_live(channel_id);
    }

    fn forget_live(&mut self, channel_id: ChannelId) {
        let boards = &self.boards;
        self.live_during_load
            .retain(|id| boards.get(id).is_some_and(|b| b.channel_id != channel_id));
    }

    pub fn load_failed(&mut self, channel_id: ChannelId, message: String) {
        self.in_flight.remove(&channel_id);
        self.forget_live(channel_id);
        if !matches!(self.lists.get(&channel_id), Some(ListState::Loaded)) {
            self.lists.insert(channel_id, ListState::Failed(message));
        }
    }

    /// The channel's list as the server sent it: it replaces what we had for that
    /// channel, except boards that changed live since the request went out.
    pub fn set_list(&mut self, channel_id: ChannelId, boards: Vec<Board>) {
        let fetched: HashSet<BoardId> = boards.iter().map(|b| b.id).collect();
        let live = &self.live_during_load;
        self.boards.retain(|id, b| {
            b.channel_id != channel_id || fetched.contains(id) || live.contains(id)
        });
        for board in boards {
            if self.deleted.contains(&board.id) || self.live_during_load.contains(&board.id) {
                continue;
            }
            self.boards.insert(board.id, board);
        }
        self.lists.insert(channel_id, ListState::Loaded);
        self.in_flight.remove(&channel_id);
        self.forget_live(channel_id);
    }

    /// A board from an event or from our own request (create, rename, GET).
    /// Returns whether anything changed.
    pub fn upsert(&mut self, board: Board) -> bool {
        if self.deleted.contains(&board.id) || self.boards.get(&board.id) == Some(&board) {
            return false;
        }
        if self.in_flight.contains(&board.channel_id) {
            self.live_during_load.insert(board.id);
        }
        self.boards.insert(board.id, board);
        true
    }

    pub fn remove(&mut self, id: BoardId) {
        self.boards.remove(&id);
        self.deleted.insert(id);
    }

    /// The channel's boards, newest first (ties broken by id so the order is stable).
    pub fn channel_boards(&self, channel_id: ChannelId) -> Vec<Board> {
        let mut list: Vec<Board> = self
            .boards
            .values()
            .filter(|b| b.channel_id == channel_id)
            .cloned()
            .collect();
        list.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn board(n: u128, channel: u128, created_at: i64, title: &str) -> Board {
        Board {
            id: Uuid::from_u128(n),
            channel_id: Uuid::from_u128(channel),
            meeting_id: None,
            title: title.into(),
            created_by: Uuid::from_u128(99),
            created_at,
            updated_at: created_at,
            rev: 1,
        }
    }

    fn titles(index: &BoardIndex, channel: u128) -> Vec<String> {
        index
            .channel_boards(Uuid::from_u128(channel))
            .into_iter()
            .map(|b| b.title)
            .collect()
    }

    #[test]
    fn lists_are_per_channel_and_newest_first() {
        let mut index = BoardIndex::default();
        let c = Uuid::from_u128(1);
        index.start_loading(c);
        assert_eq!(index.list_state(c), Some(&ListState::Loading));
        index.set_list(
            c,
            vec![
                board(10, 1, 100, "Old"),
                board(11, 1, 300, "New"),
                board(12, 1, 200, "Mid"),
            ],
        );
        index.upsert(board(20, 2, 500, "Elsewhere"));
        assert_eq!(titles(&index, 1), ["New", "Mid", "Old"]);
        assert_eq!(titles(&index, 2), ["Elsewhere"]);
        assert_eq!(index.list_state(c), Some(&ListState::Loaded));
    }

    #[test]
    fn a_live_rename_or_create_survives_a_stale_list() {
        let mut index = BoardIndex::default();
        let c = Uuid::from_u128(1);
        index.set_list(c, vec![board(10, 1, 100, "Plan")]);
        index.start_loading(c);
        // While the reload is on its way: renamed, and a new board appears.
        assert!(index.upsert(board(10, 1, 100, "Plan v2")));
        assert!(index.upsert(board(11, 1, 200, "Retro")));
        // The answer was computed before both.
        index.set_list(c, vec![board(10, 1, 100, "Plan")]);
        assert_eq!(titles(&index, 1), ["Retro", "Plan v2"]);
    }

    #[test]
    fn a_list_drops_boards_that_are_gone_and_deletes_are_final() {
        let mut index = BoardIndex::default();
        let c = Uuid::from_u128(1);
        index.set_list(c, vec![board(10, 1, 100, "A"), board(11, 1, 200, "B")]);
        // B was deleted while we were not listening: the next list drops it.
        index.start_loading(c);
        index.set_list(c, vec![board(10, 1, 100, "A")]);
        assert_eq!(titles(&index, 1), ["A"]);
        // A deleted live: neither a stale list nor a late GET brings it back.
        index.remove(Uuid::from_u128(10));
        assert!(index.is_deleted(Uuid::from_u128(10)));
        index.set_list(c, vec![board(10, 1, 100, "A")]);
        assert!(!index.upsert(board(10, 1, 100, "A")));
        assert!(titles(&index, 1).is_empty());
    }

    #[test]
    fn upsert_reports_only_real_changes_and_failures_keep_a_loaded_list() {
        let mut index = BoardIndex::default();
        let c = Uuid::from_u128(1);
        assert!(index.upsert(board(10, 1, 100, "A")));
        assert!(!index.upsert(board(10, 1, 100, "A")));
        index.start_loading(c);
        index.load_failed(c, "offline".into());
        assert_eq!(
            index.list_state(c),
            Some(&ListState::Failed("offline".into()))
        );
        index.set_list(c, vec![board(10, 1, 100, "A")]);
        index.start_loading(c);
        index.load_failed(c, "offline".into());
        assert_eq!(index.list_state(c), Some(&ListState::Loaded));
        assert_eq!(index.listed_channels(), vec![c]);
    }
}
