//! Whiteboards, app-wide: the hub that routes the socket's board notices to the open
//! board views, and (in [`session`]) one live session per open board view.
//!
//! The hub is provided once above the router, like the meeting hub. Board notices are
//! ephemeral frames on the shell's realtime connection; the first session opened under
//! a shell subscribes the hub to that connection (once per connection — a new shell
//! brings a new one, and the old subscription goes away with the old shell), and the
//! hub hands each notice to the sessions of its board.

pub mod session;

use std::rc::Rc;

use leptos::prelude::*;
use tandem_protocol::boards::{BoardId, BoardNotice};
use tandem_protocol::ws::ServerFrame;

use crate::contexts::realtime::RealtimeContext;
use crate::realtime::{ConnectionState, Update};

pub use session::{BoardSession, SessionEvent, Status};

type Listener = Rc<dyn Fn(&BoardNotice)>;

#[derive(Clone, Copy)]
pub struct BoardHub {
    /// Open sessions: (tag, board, listener). Two views of one board both hear it.
    sessions: StoredValue<Vec<(u64, BoardId, Listener)>, LocalStorage>,
    /// The connection the hub listens to, identified by its state signal.
    attached: StoredValue<Option<RwSignal<ConnectionState>>>,
    next_tag: StoredValue<u64>,
}

/// The board a notice is about.
pub fn notice_board(notice: &BoardNotice) -> BoardId {
    match notice {
        BoardNotice::Opened { board, .. } => board.id,
        BoardNotice::Applied { board_id, .. }
        | BoardNotice::Pointer { board_id, .. }
        | BoardNotice::PeerLeft { board_id, .. }
        | BoardNotice::Closed { board_id }
        | BoardNotice::Resync { board_id }
        | BoardNotice::Refused { board_id, .. } => *board_id,
    }
}

impl BoardHub {
    /// Makes sure board notices on `rt`'s connection reach the hub.
    pub fn attach(&self, rt: RealtimeContext) {
        if self.attached.get_value() == Some(rt.connection) {
            return;
        }
        self.attached.set_value(Some(rt.connection));
        let hub = *self;
        rt.subscribe(move |update| {
            if let Update::Ephemeral(ServerFrame::Board(notice)) = update {
                hub.deliver(notice);
            }
        });
    }

    /// Registers a session's listener; returns the tag to unregister with.
    pub fn register(&self, board_id: BoardId, listener: impl Fn(&BoardNotice) + 'static) -> u64 {
        let tag = self.next_tag.get_value() + 1;
        self.next_tag.set_value(tag);
        self.sessions
            .update_value(|s| s.push((tag, board_id, Rc::new(listener))));
        tag
    }

    pub fn unregister(&self, tag: u64) {
        self.sessions
            .try_update_value(|s| s.retain(|(t, _, _)| *t != tag));
    }

    /// Whether another session (than `tag`) still shows `board_id` (then the board
    /// stays open on the server when this one closes).
    pub fn others_open(&self, board_id: BoardId, tag: u64) -> bool {
        self.sessions
            .try_with_value(|s| s.iter().any(|(t, b, _)| *t != tag && *b == board_id))
            .unwrap_or(false)
    }

    pub fn deliver(&self, notice: &BoardNotice) {
        let board_id = notice_board(notice);
        // Listeners may open or close sessions: call them with nothing borrowed.
        let listeners: Vec<Listener> = self
            .sessions
            .try_with_value(|s| {
                s.iter()
                    .filter(|(_, b, _)| *b == board_id)
                    .map(|(_, _, l)| l.clone())
                    .collect()
            })
            .unwrap_or_default();
        for listener in listeners {
            listener(notice);
        }
    }
}

pub fn provide_board_hub() -> BoardHub {
    let hub = BoardHub {
        sessions: StoredValue::new_local(Vec::new()),
        attached: StoredValue::new(None),
        next_tag: StoredValue::new(0),
    };
    provide_context(hub);
    hub
}

pub fn use_board_hub() -> BoardHub {
    expect_context::<BoardHub>()
}
