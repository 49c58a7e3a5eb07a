//! The `sessions` and `known_devices` tables. Only the SHA-256 of a session or
//! device token is ever stored.

use sqlx::{AnyExecutor, FromRow};
use tandem_protocol::UserId;
use uuid::Uuid;

use super::users::UserRow;

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user_agent: String,
}

pub async fn insert(
    db: impl AnyExecutor<'_>,
    id: Uuid,
    user_id: UserId,
    token_hash: &str,
    user_agent: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, token_hash, created_at, last_seen_at, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(user_id.to_string())
    .bind(token_hash)
    .bind(now)
    .bind(now)
    .bind(user_agent)
    .execute(db)
    .await?;
    Ok(())
}

/// The live (unrevoked, created after `not_before`) session with this token hash,
/// with its user. A deleted or deactivated user's sessions are gone too.
pub async fn find_live(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
    not_before: i64,
) -> Result<Option<(SessionRow, UserRow)>, sqlx::Error> {
    #[derive(FromRow)]
    struct Joined {
        #[sqlx(flatten)]
        session: SessionRow,
        u_id: String,
        u_email: String,
        u_display_name: String,
        u_password_hash: String,
        u_role: String,
        u_status_text: String,
        u_time_zone: String,
        u_created_at: i64,
    }
    let row: Option<Joined> = sqlx::query_as(
        "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.user_agent,
                u.id AS u_id, u.email AS u_email, u.display_name AS u_display_name,
                u.password_hash AS u_password_hash, u.role AS u_role,
                u.status_text AS u_status_text, u.time_zone AS u_time_zone,
                u.created_at AS u_created_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.created_at > $2
           AND u.deactivated_at IS NULL",
    )
    .bind(token_hash)
    .bind(not_before)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|j| {
        let user = UserRow {
            id: j.u_id,
            email: j.u_email,
            display_name: j.u_display_name,
            password_hash: j.u_password_hash,
            role: j.u_role,
            status_text: j.u_status_text,
            time_zone: j.u_time_zone,
            created_at: j.u_created_at,
        };
        (j.session, user)
    }))
}

pub async fn touch(db: impl AnyExecutor<'_>, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn list_live_for_user(
    db: impl AnyExecutor<'_>,
    user_id: UserId,
    not_before: i64,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, created_at, last_seen_at, user_agent FROM sessions
         WHERE user_id = $1 AND revoked_at IS NULL AND created_at > $2
         ORDER BY created_at DESC, id",
    )
    .bind(user_id.to_string())
    .bind(not_before)
    .fetch_all(db)
    .await
}

/// Revokes the session if it belongs to `user_id` and is not yet revoked.
/// Returns whether a live session was revoked.
pub async fn revoke(
    db: impl AnyExecutor<'_>,
    id: Uuid,
    user_id: UserId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id.to_string())
    .bind(user_id.to_string())
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Whether the session exists and is not revoked.
pub async fn is_live(db: impl AnyExecutor<'_>, id: Uuid) -> Result<bool, sqlx::Error> {
    let (super::Flag(live),): (super::Flag,) = sqlx::query_as(
        "SELECT EXISTS(SELECT 1 FROM sessions WHERE id = $1 AND revoked_at IS NULL)",
    )
    .bind(id.to_string())
    .fetch_one(db)
    .await?;
    Ok(live)
}

/// Revokes every live session of the user; returns their ids (to close their sockets).
pub async fn revoke_all_for_user(
    db: impl AnyExecutor<'_>,
    user_id: UserId,
    now: i64,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let ids: Vec<(String,)> = sqlx::query_as(
        "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL
         RETURNING id",
    )
    .bind(now)
    .bind(user_id.to_string())
    .fetch_all(db)
    .await?;
    ids.iter().map(|(id,)| super::uuid(id)).collect()
}

/// Who the known device (by token hash) vouches for, if it was used after `not_before`
/// and its account is active.
pub async fn device_user(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
    not_before: i64,
) -> Result<Option<UserId>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT d.user_id FROM known_devices d JOIN users u ON u.id = d.user_id
         WHERE d.token_hash = $1 AND d.last_used_at > $2 AND u.deactivated_at IS NULL",
    )
    .bind(token_hash)
    .bind(not_before)
    .fetch_optional(db)
    .await?;
    row.map(|(id,)| super::uuid(&id)).transpose()
}

pub async fn touch_device(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE known_devices SET last_used_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Remembers a device for the user and forgets their least recently used ones beyond
/// `keep`, in one transaction.
pub async fn insert_device(
    db: &super::Db,
    token_hash: &str,
    user_id: UserId,
    now: i64,
    keep: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id.to_string())
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM known_devices WHERE user_id = $1 AND token_hash NOT IN (
             SELECT token_hash FROM known_devices WHERE user_id = $1
             ORDER BY last_used_at DESC, token_hash LIMIT $2)",
    )
    .bind(user_id.to_string())
    .bind(keep)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Forgets every device of the user (deactivation).
pub async fn forget_devices(db: impl AnyExecutor<'_>, user_id: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM known_devices WHERE user_id = $1")
        .bind(user_id.to_string())
        .execute(db)
        .await?;
    Ok(())
}
