//! The board directory: every board the signed-in shell has seen (channel lists, the
//! board page), kept current by `BoardChanged` / `BoardDeleted` events for everyone
//! in the channel. One per workspace shell, so it subscribes to the realtime stream
//! exactly once; views read it through memos (a rename re-renders one row).

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::boards::{Board, BoardId};
use tandem_protocol::chat::ChannelId;
use tandem_protocol::ws::Event;

use super::index::{BoardIndex, ListState};
use crate::api::AuthorizedApi;
use crate::contexts::realtime::RealtimeContext;
use crate::realtime::Update as RtUpdate;

#[derive(Clone, Copy)]
pub struct BoardDirectory {
    index: RwSignal<BoardIndex>,
    api: StoredValue<AuthorizedApi>,
}

impl BoardDirectory {
    pub fn api(&self) -> AuthorizedApi {
        self.api.get_value()
    }

    pub fn board(&self, id: BoardId) -> Option<Board> {
        self.index.with(|i| i.get(id).cloned())
    }

    pub fn is_deleted(&self, id: BoardId) -> bool {
        self.index.with(|i| i.is_deleted(id))
    }

    pub fn channel_boards(&self, channel_id: ChannelId) -> Vec<Board> {
        self.index.with(|i| i.channel_boards(channel_id))
    }

    pub fn list_state(&self, channel_id: ChannelId) -> Option<ListState> {
        self.index.with(|i| i.list_state(channel_id).cloned())
    }

    /// Fetches the channel's list (again): the panel does this each time it opens, so
    /// "updated …" times are fresh even though content edits raise no list event.
    pub fn load(&self, channel_id: ChannelId) {
        let dir = *self;
        dir.index.update(|i| i.start_loading(channel_id));
        let api = dir.api();
        spawn_local(async move {
            let result = api.list_boards(channel_id).await;
            if dir.index.is_disposed() {
                return;
            }
            match result {
                Ok(list) => dir.index.update(|i| i.set_list(channel_id, list)),
                Err(e) => dir.index.update(|i| i.load_failed(channel_id, e.message())),
            }
        });
    }

    /// A board we got ourselves (created, renamed, fetched).
    pub fn remember(&self, board: Board) {
        if self
            .index
            .with_untracked(|i| i.is_deleted(board.id) || i.get(board.id) == Some(&board))
        {
            return;
        }
        self.index.update(|i| {
            i.upsert(board);
        });
    }

    pub fn forget(&self, id: BoardId) {
        self.index.update(|i| i.remove(id));
    }

    fn on_update(&self, update: &RtUpdate) {
        if let RtUpdate::Event(envelope) = update {
            match &envelope.event {
                Event::BoardChanged { board } => self.remember(board.clone()),
                Event::BoardDeleted { board_id, .. } => self.forget(*board_id),
                _ => {}
            }
        }
    }
}

/// Called once by the workspace shell, beside the chat context.
pub fn provide_board_directory(api: AuthorizedApi, rt: RealtimeContext) -> BoardDirectory {
    let dir = BoardDirectory {
        index: RwSignal::new(BoardIndex::default()),
        api: StoredValue::new(api),
    };
    provide_context(dir);
    rt.subscribe(move |update| {
        // The listener outlives the shell's signals by a moment at sign-out.
        if !dir.index.is_disposed() {
            dir.on_update(update);
        }
    });
    // After a resync events were skipped: the lists we show may be stale.
    rt.on_baseline(move || {
        for channel_id in dir
            .index
            .try_with_untracked(BoardIndex::listed_channels)
            .unwrap_or_default()
        {
            dir.load(channel_id);
        }
        std::future::ready(())
    });
    dir
}

/// `None` outside the workspace shell (the full-screen meeting has no board lists).
pub fn use_board_directory() -> Option<BoardDirectory> {
    use_context::<BoardDirectory>()
}
