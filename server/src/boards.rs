//! Whiteboards (see `tandem_protocol::boards` for the contract).
//!
//! A board's content is its op log in the database (`db::boards`); the server orders
//! ops and never merges them itself: `tandem_board::BoardState` (the model the app
//! runs too) turns ops into a board for checks, snapshots and state-at-a-time.
//!
//! - `access`: who may view, edit or delete a board.
//! - `rooms`: a board someone has open lives in memory (its state and who has it
//!   open); ops are sequenced under the room's lock and fanned out to subscribers.
//! - `mailbox`: each connection's bounded queue of board notices (a full queue turns
//!   into `Resync`, never into silence).
//! - `requests`: `ClientFrame::Board` from one connection.
//! - `checks`: whether an op makes sense against the board as it is.
//! - `compaction`: background snapshots, so late joiners replay few ops.
//! - `history`: rebuilding a board from a snapshot plus stored ops (now or at a time).
//! - `lifecycle`: create, rename, delete, and a meeting's board (REST).

pub mod access;
pub mod checks;
pub mod compaction;
pub mod history;
pub mod lifecycle;
pub mod mailbox;
pub mod requests;
pub mod rooms;

/// Visible elements a board may hold.
pub const MAX_ELEMENTS_PER_BOARD: usize = 100_000;

/// `Open` with `since` is answered with only the newer ops when at most this many
/// follow; further behind, a snapshot is cheaper to send and to apply.
pub const MAX_OPS_SINCE: i64 = 5_000;

/// The name of the page every new board starts with.
pub const FIRST_PAGE_NAME: &str = "Page 1";

/// Live whiteboard state: open boards and pending compactions.
#[derive(Default)]
pub struct Boards {
    pub rooms: rooms::Rooms,
    pub compactor: compaction::Compactor,
}
