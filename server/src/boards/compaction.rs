//! Background snapshots. When a board has `--board-snapshot-every` ops after its
//! newest snapshot, the room asks for a new one; a single task writes it from the
//! stored snapshot and ops, without the board's sequencing lock, so drawing never waits
//! for a replay. Ops are kept: a snapshot is only a checkpoint for late joiners (and a
//! starting point for state-at-a-time).

use std::collections::HashSet;
use std::sync::Mutex;

use tandem_protocol::boards::{BoardId, BoardRev};
use tokio::sync::Notify;

use super::history;
use crate::db::boards;
use crate::state::AppState;

/// Boards waiting for a snapshot, each once however often it was asked for.
#[derive(Default)]
pub struct Compactor {
    pending: Mutex<HashSet<BoardId>>,
    wake: Notify,
}

impl Compactor {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<BoardId>> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks for a snapshot of the board (cheap to repeat while one is pending).
    pub fn request(&self, board_id: BoardId) {
        if self.lock().insert(board_id) {
            self.wake.notify_one();
        }
    }

    /// Takes a board off the list as its job starts: a request that comes while the
    /// job runs (ops it did not read yet) puts the board back for one more pass.
    fn take(&self) -> Option<BoardId> {
        let mut pending = self.lock();
        let board_id = pending.iter().next().copied()?;
        pending.remove(&board_id);
        Some(board_id)
    }
}

/// Writes requested snapshots until the server stops.
pub async fn run(state: AppState) {
    loop {
        state.boards.compactor.wake.notified().await;
        while let Some(board_id) = state.boards.compactor.take() {
            match compact(&state, board_id).await {
                Ok(Some(rev)) => tracing::debug!(%board_id, rev, "board snapshot written"),
                Ok(None) => {}
                Err(err) => tracing::error!(error = %err, %board_id, "board compaction failed"),
            }
        }
    }
}

/// Writes a snapshot of the board if enough ops followed its newest one; returns the
/// new snapshot's rev.
pub async fn compact(state: &AppState, board_id: BoardId) -> Result<Option<BoardRev>, sqlx::Error> {
    let every = i64::try_from(state.config.board_snapshot_every).unwrap_or(i64::MAX);
    let Some(row) = boards::find_live(&state.db, board_id).await? else {
        return Ok(None);
    };
    let base_rev = boards::latest_snapshot_rev(&state.db, board_id).await?;
    if row.rev - base_rev < every {
        state.boards.rooms.note_snapshot(board_id, base_rev);
        return Ok(None);
    }
    // Every op that is stored has all lower revs stored too (each commits in its own
    // transaction, in rev order), so this reads a consistent prefix of the log.
    let board = history::current(&state.db, board_id).await?;
    let snapshot = board.snapshot();
    if snapshot.rev <= base_rev {
        return Ok(None);
    }
    boards::insert_snapshot(&state.db, board_id, &snapshot).await?;
    state.boards.rooms.note_snapshot(board_id, snapshot.rev);
    Ok(Some(snapshot.rev))
}
