//! The `invites` table.

use sqlx::{FromRow, SqliteExecutor};
use tandem_protocol::api::Invite;
use tandem_protocol::UserId;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow)]
pub struct InviteRow {
    pub id: String,
    pub token: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

impl InviteRow {
    pub fn to_invite(&self) -> Result<Invite, sqlx::Error> {
        Ok(Invite {
            id: super::uuid(&self.id)?,
            token: self.token.clone(),
            created_by: super::uuid(&self.created_by)?,
            created_at: self.created_at,
            expires_at: self.expires_at,
            revoked: self.revoked_at.is_some(),
        })
    }
}

pub async fn insert(db: impl SqliteExecutor<'_>, row: &InviteRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invites (id, token, created_by, created_at, expires_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&row.id)
    .bind(&row.token)
    .bind(&row.created_by)
    .bind(row.created_at)
    .bind(row.expires_at)
    .bind(row.revoked_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn list(db: impl SqliteExecutor<'_>) -> Result<Vec<InviteRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, token, created_by, created_at, expires_at, revoked_at FROM invites
         ORDER BY created_at DESC, id",
    )
    .fetch_all(db)
    .await
}

/// Marks the invite revoked (idempotent). Returns `false` if there is no such invite.
pub async fn revoke(db: impl SqliteExecutor<'_>, id: Uuid, now: i64) -> Result<bool, sqlx::Error> {
    let result =
        sqlx::query("UPDATE invites SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")
            .bind(now)
            .bind(id.to_string())
            .execute(db)
            .await?;
    Ok(result.rows_affected() == 1)
}

pub fn new_row(
    id: Uuid,
    token: String,
    created_by: UserId,
    now: i64,
    expires_at: i64,
) -> InviteRow {
    InviteRow {
        id: id.to_string(),
        token,
        created_by: created_by.to_string(),
        created_at: now,
        expires_at,
        revoked_at: None,
    }
}
