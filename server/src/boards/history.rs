//! A board rebuilt from the database: a snapshot (or nothing) plus the stored ops after
//! it, read page by page so a long history never sits in memory at once.

use tandem_board::BoardState;
use tandem_protocol::boards::{BoardId, BoardSnapshot};
use tandem_protocol::Timestamp;

use crate::db::boards;
use crate::db::Db;

/// Ops read per query while rebuilding.
const PAGE: i64 = 2_000;

/// `base` plus every stored op after it; with `until`, only ops applied at or before
/// that time (ops' times never decrease with their rev, so that is a prefix).
pub async fn rebuild(
    db: &Db,
    board_id: BoardId,
    base: Option<&BoardSnapshot>,
    until: Option<Timestamp>,
) -> Result<BoardState, sqlx::Error> {
    let mut board = BoardState::replay(base, &[]);
    let mut cursor = base.map_or(0, |snapshot| snapshot.rev);
    loop {
        let page = match until {
            Some(at) => boards::ops_after_until(db, board_id, cursor, at, PAGE).await?,
            None => boards::ops_after(db, board_id, cursor, PAGE).await?,
        };
        let Some(last) = page.last() else { break };
        cursor = last.rev;
        for op in &page {
            board.apply(op);
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    Ok(board)
}

/// The board as it was at `at`: the newest snapshot taken by then plus the ops
/// applied by then.
pub async fn state_at(
    db: &Db,
    board_id: BoardId,
    at: Timestamp,
) -> Result<BoardSnapshot, sqlx::Error> {
    let base = boards::snapshot_at_or_before(db, board_id, at).await?;
    Ok(rebuild(db, board_id, base.as_ref(), Some(at))
        .await?
        .snapshot())
}

/// The board now, from its newest snapshot and the ops after it.
pub async fn current(db: &Db, board_id: BoardId) -> Result<BoardState, sqlx::Error> {
    let base = boards::latest_snapshot(db, board_id).await?;
    rebuild(db, board_id, base.as_ref(), None).await
}
