//! The `boards`, `board_ops`, `board_snapshots` and `board_links` tables, and the
//! meeting's `board_id`. Ops and snapshots are stored as the protocol's JSON.

use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::{AnyExecutor, FromRow};
use tandem_protocol::boards::{
    Board, BoardId, BoardLink, BoardOp, BoardRev, BoardSnapshot, SequencedOp,
};
use tandem_protocol::chat::ChannelId;
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::{Timestamp, UserId};
use uuid::Uuid;

fn to_json(value: &impl Serialize) -> Result<String, sqlx::Error> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

#[derive(Debug, Clone, FromRow)]
pub struct BoardRow {
    pub id: String,
    pub channel_id: String,
    pub meeting_id: Option<String>,
    pub title: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub rev: i64,
}

impl BoardRow {
    pub fn board_id(&self) -> Result<BoardId, sqlx::Error> {
        super::uuid(&self.id)
    }
    pub fn channel(&self) -> Result<ChannelId, sqlx::Error> {
        super::uuid(&self.channel_id)
    }
    pub fn meeting(&self) -> Result<Option<MeetingId>, sqlx::Error> {
        self.meeting_id.as_deref().map(super::uuid).transpose()
    }
    pub fn creator(&self) -> Result<UserId, sqlx::Error> {
        super::uuid(&self.created_by)
    }
    pub fn to_board(&self) -> Result<Board, sqlx::Error> {
        Ok(Board {
            id: self.board_id()?,
            channel_id: self.channel()?,
            meeting_id: self.meeting()?,
            title: self.title.clone(),
            created_by: self.creator()?,
            created_at: self.created_at,
            updated_at: self.updated_at,
            rev: self.rev,
        })
    }
}

const COLUMNS: &str = "id, channel_id, meeting_id, title, created_by, created_at, updated_at, rev";

pub struct NewBoard<'a> {
    pub id: BoardId,
    pub channel_id: ChannelId,
    pub meeting_id: Option<MeetingId>,
    pub title: &'a str,
    pub created_by: UserId,
    pub created_at: Timestamp,
}

/// Inserts an empty board (rev 0).
pub async fn insert(db: impl AnyExecutor<'_>, b: &NewBoard<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO boards
           (id, channel_id, meeting_id, title, created_by, created_at, updated_at, rev)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
    )
    .bind(b.id.to_string())
    .bind(b.channel_id.to_string())
    .bind(b.meeting_id.map(|m| m.to_string()))
    .bind(b.title)
    .bind(b.created_by.to_string())
    .bind(b.created_at)
    .bind(b.created_at)
    .execute(db)
    .await?;
    Ok(())
}

/// The board unless it does not exist or was deleted.
pub async fn find_live(
    db: impl AnyExecutor<'_>,
    id: BoardId,
) -> Result<Option<BoardRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM boards WHERE id = $1 AND deleted_at IS NULL"
    ))
    .bind(id.to_string())
    .fetch_optional(db)
    .await
}

/// The channel's boards that are not deleted, newest first.
pub async fn list_for_channel(
    db: impl AnyExecutor<'_>,
    channel_id: ChannelId,
) -> Result<Vec<BoardRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM boards WHERE channel_id = $1 AND deleted_at IS NULL
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(channel_id.to_string())
    .fetch_all(db)
    .await
}

/// `false` if the board does not exist (or was deleted).
pub async fn rename(
    db: impl AnyExecutor<'_>,
    id: BoardId,
    title: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE boards SET title = $1 WHERE id = $2 AND deleted_at IS NULL")
        .bind(title)
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Marks the board deleted (its ops stay); `false` if it already was.
pub async fn mark_deleted(
    db: impl AnyExecutor<'_>,
    id: BoardId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let result =
        sqlx::query("UPDATE boards SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
            .bind(now)
            .bind(id.to_string())
            .execute(db)
            .await?;
    Ok(result.rows_affected() == 1)
}

/// Takes the board's next rev (and stamps `updated_at`); `None` if the board is gone.
/// Called only inside the transaction that then inserts the op, so revs have no gaps.
pub async fn next_rev(
    db: impl AnyExecutor<'_>,
    id: BoardId,
    at: Timestamp,
) -> Result<Option<BoardRev>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE boards SET rev = rev + 1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL
         RETURNING rev",
    )
    .bind(at)
    .bind(id.to_string())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(rev,)| rev))
}

// ---- ops ----

#[derive(Debug, FromRow)]
struct OpRow {
    rev: i64,
    op_id: String,
    at: i64,
    author: Option<String>,
    op: String,
}

impl OpRow {
    fn to_op(&self) -> Result<SequencedOp, sqlx::Error> {
        Ok(SequencedOp {
            rev: self.rev,
            at: self.at,
            op_id: super::uuid(&self.op_id)?,
            author: self.author.as_deref().map(super::uuid).transpose()?,
            op: from_json::<BoardOp>(&self.op)?,
        })
    }
}

fn to_ops(rows: Vec<OpRow>) -> Result<Vec<SequencedOp>, sqlx::Error> {
    rows.iter().map(OpRow::to_op).collect()
}

pub async fn insert_op(
    db: impl AnyExecutor<'_>,
    board_id: BoardId,
    op: &SequencedOp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO board_ops (board_id, rev, op_id, at, author, op)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(board_id.to_string())
    .bind(op.rev)
    .bind(op.op_id.to_string())
    .bind(op.at)
    .bind(op.author.map(|a| a.to_string()))
    .bind(to_json(&op.op)?)
    .execute(db)
    .await?;
    Ok(())
}

/// The op stored under this id, if the sender already sent it.
pub async fn find_op(
    db: impl AnyExecutor<'_>,
    board_id: BoardId,
    op_id: Uuid,
) -> Result<Option<SequencedOp>, sqlx::Error> {
    let row: Option<OpRow> = sqlx::query_as(
        "SELECT rev, op_id, at, author, op FROM board_ops WHERE board_id = $1 AND op_id = $2",
    )
    .bind(board_id.to_string())
    .bind(op_id.to_string())
    .fetch_optional(db)
    .await?;
    row.as_ref().map(OpRow::to_op).transpose()
}

/// Up to `limit` ops with rev > `after`, in rev order.
pub async fn ops_after(
    db: impl AnyExecutor<'_>,
    board_id: BoardId,
    after: BoardRev,
    limit: i64,
) -> Result<Vec<SequencedOp>, sqlx::Error> {
    let rows = sqlx::query_as(
        "SELECT rev, op_id, at, author, op FROM board_ops
         WHERE board_id = $1 AND rev > $2 ORDER BY rev LIMIT $3",
    )
    .bind(board_id.to_string())
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    to_ops(rows)
}

/// Up to `limit` ops with rev > `after` applied at or before `until`, in rev order.
pub async fn ops_after_until(
    db: impl AnyExecutor<'_>,
    board_id: BoardId,
    after: BoardRev,
    until: Timestamp,
    limit: i64,
) -> Result<Vec<SequencedOp>, sqlx::Error> {
    let rows = sqlx::query_as(
        "SELECT rev, op_id, at, author, op FROM board_ops
         WHERE board_id = $1 AND rev > $2 AND at <= $3 ORDER BY rev LIMIT $4",
    )
    .bind(board_id.to_string())
    .bind(after)
    .bind(until)
    .bind(limit)
    .fetch_all(db)
    .await?;
    to_ops(rows)
}

// ---- snapshots ----

/// The newest snapshot.
pub async fn latest_snapshot(
    db: impl AnyExecutor<'_>,
    board_id: BoardId,
) -> Result<Option<BoardSnapshot>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT snapshot FROM board_snapshots WHERE board_id = $1 ORDER BY rev DESC LIMIT 1",
    )
    .bind(board_id.to_string())
    .fetch_optional(db)
    .await?;
    row.map(|(text,)| from_json(&text)).transpose()
}

/// The rev of the newest snapshot (0 if none), without loading it.
pub async fn latest_snapshot_rev(
    db: impl AnyExecutor<'_>,
    board_id: BoardId,
) -> Result<BoardRev, sqlx::Error> {
    let (rev,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(rev), 0) FROM board_snapshots WHERE board_id = $1")
            .bind(board_id.to_string())
            .fetch_one(db)
            .await?;
    Ok(rev)
}

/// The newest snapshot taken at or before `at`.
pub async fn snapshot_at_or_before(
    db: impl AnyExecutor<'_>,
    board_id: BoardId,
    at: Timestamp,
) -> Result<Option<BoardSnapshot>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT snapshot FROM board_snapshots WHERE board_id = $1 AND at <= $2
         ORDER BY rev DESC LIMIT 1",
    )
    .bind(board_id.to_string())
    .bind(at)
    .fetch_optional(db)
    .await?;
    row.map(|(text,)| from_json(&text)).transpose()
}

/// Stores a snapshot; one at the same rev already there is kept (they are equal).
pub async fn insert_snapshot(
    db: impl AnyExecutor<'_>,
    board_id: BoardId,
    snapshot: &BoardSnapshot,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO board_snapshots (board_id, rev, at, snapshot) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(board_id.to_string())
    .bind(snapshot.rev)
    .bind(snapshot.at)
    .bind(to_json(snapshot)?)
    .execute(db)
    .await?;
    Ok(())
}

// ---- read-only links ----

#[derive(Debug, Clone, FromRow)]
/// A read-only link; only the SHA-256 of its secret is stored.
pub struct BoardLinkRow {
    pub id: String,
    pub board_id: String,
    pub token_hash: String,
    pub created_by: String,
    pub created_at: i64,
    /// Rows from before every link expired may hold NULL (they were revoked then).
    pub expires_at: Option<i64>,
    #[sqlx(try_from = "super::Flag")]
    pub revoked: bool,
}

impl BoardLinkRow {
    pub fn link_id(&self) -> Result<Uuid, sqlx::Error> {
        super::uuid(&self.id)
    }
    pub fn board(&self) -> Result<BoardId, sqlx::Error> {
        super::uuid(&self.board_id)
    }
    pub fn to_link(&self) -> Result<BoardLink, sqlx::Error> {
        Ok(BoardLink {
            id: self.link_id()?,
            board_id: self.board()?,
            created_by: super::uuid(&self.created_by)?,
            created_at: self.created_at,
            expires_at: self.expires_at.unwrap_or(self.created_at),
            revoked: self.revoked,
        })
    }
}

const LINK_COLUMNS: &str = "id, board_id, token_hash, created_by, created_at, expires_at, revoked";

pub async fn insert_link(db: impl AnyExecutor<'_>, row: &BoardLinkRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO board_links (id, board_id, token_hash, created_by, created_at, expires_at,
                                  revoked)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.id)
    .bind(&row.board_id)
    .bind(&row.token_hash)
    .bind(&row.created_by)
    .bind(row.created_at)
    .bind(row.expires_at)
    .bind(i64::from(row.revoked))
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find_link(
    db: impl AnyExecutor<'_>,
    id: Uuid,
) -> Result<Option<BoardLinkRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM board_links WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(db)
    .await
}

pub async fn find_link_by_hash(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
) -> Result<Option<BoardLinkRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM board_links WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// The board's links, newest first.
pub async fn list_links(
    db: impl AnyExecutor<'_>,
    board_id: BoardId,
) -> Result<Vec<BoardLinkRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM board_links WHERE board_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(board_id.to_string())
    .fetch_all(db)
    .await
}

/// Idempotent.
pub async fn revoke_link(db: impl AnyExecutor<'_>, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE board_links SET revoked = 1 WHERE id = $1")
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

// ---- the meeting's board ----

pub async fn set_meeting_board(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    board_id: BoardId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE meetings SET board_id = $1 WHERE id = $2")
        .bind(board_id.to_string())
        .bind(meeting_id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets the meeting's board if it is this one; `true` if it was.
pub async fn clear_meeting_board(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    board_id: BoardId,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE meetings SET board_id = NULL WHERE id = $1 AND board_id = $2")
        .bind(meeting_id.to_string())
        .bind(board_id.to_string())
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}
