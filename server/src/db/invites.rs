//! The `invites` table. Only the SHA-256 of an invite's secret is stored
//! (`auth::session::hash_token`); the secret itself is shown once, on creation.

use sqlx::{AnyExecutor, FromRow};
use tandem_protocol::api::Invite;
use tandem_protocol::UserId;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow)]
pub struct InviteRow {
    pub id: String,
    pub token_hash: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub max_uses: i64,
    pub uses: i64,
}

impl InviteRow {
    pub fn to_invite(&self) -> Result<Invite, sqlx::Error> {
        let count = |n: i64| u32::try_from(n).map_err(|e| sqlx::Error::Decode(Box::new(e)));
        Ok(Invite {
            id: super::uuid(&self.id)?,
            created_by: super::uuid(&self.created_by)?,
            created_at: self.created_at,
            expires_at: self.expires_at,
            max_uses: count(self.max_uses)?,
            uses: count(self.uses)?,
            revoked: self.revoked_at.is_some(),
        })
    }
}

const COLUMNS: &str =
    "id, token_hash, created_by, created_at, expires_at, revoked_at, max_uses, uses";

pub async fn insert(db: impl AnyExecutor<'_>, row: &InviteRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO invites ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&row.id)
    .bind(&row.token_hash)
    .bind(&row.created_by)
    .bind(row.created_at)
    .bind(row.expires_at)
    .bind(row.revoked_at)
    .bind(row.max_uses)
    .bind(row.uses)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn list(db: impl AnyExecutor<'_>) -> Result<Vec<InviteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM invites ORDER BY created_at DESC, id"
    ))
    .fetch_all(db)
    .await
}

pub async fn find_by_hash(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
) -> Result<Option<InviteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM invites WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// Counts one sign-up against the invite if it is still usable at `now`. Returns
/// `false` when it was not (unknown, revoked, expired or used up).
pub async fn use_once(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    // The same test as `users::signup_allowed` / `users::insert_if_allowed`.
    let result = sqlx::query(
        "UPDATE invites SET uses = uses + 1
         WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2 AND uses < max_uses",
    )
    .bind(token_hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Marks the invite revoked (idempotent). Returns `false` if there is no such invite.
pub async fn revoke(db: impl AnyExecutor<'_>, id: Uuid, now: i64) -> Result<bool, sqlx::Error> {
    let result =
        sqlx::query("UPDATE invites SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
            .bind(now)
            .bind(id.to_string())
            .execute(db)
            .await?;
    Ok(result.rows_affected() == 1)
}

pub struct NewInvite {
    pub id: Uuid,
    pub token_hash: String,
    pub created_by: UserId,
    pub now: i64,
    pub expires_at: i64,
    pub max_uses: u32,
}

pub fn new_row(new: NewInvite) -> InviteRow {
    InviteRow {
        id: new.id.to_string(),
        token_hash: new.token_hash,
        created_by: new.created_by.to_string(),
        created_at: new.now,
        expires_at: new.expires_at,
        revoked_at: None,
        max_uses: i64::from(new.max_uses),
        uses: 0,
    }
}
