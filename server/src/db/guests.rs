//! Guest links (`guest_invites`, only the SHA-256 of each link's secret stored) and
//! guest accounts: `users` rows with role 'guest' tied to one meeting through
//! `guest_meeting_id`.

use sqlx::{AnyExecutor, FromRow};
use tandem_protocol::meetings::{GuestInvite, MeetingId};
use tandem_protocol::UserId;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow)]
pub struct GuestInviteRow {
    pub id: String,
    pub meeting_id: String,
    pub token_hash: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

impl GuestInviteRow {
    pub fn meeting(&self) -> Result<MeetingId, sqlx::Error> {
        super::uuid(&self.meeting_id)
    }

    pub fn to_invite(&self) -> Result<GuestInvite, sqlx::Error> {
        Ok(GuestInvite {
            id: super::uuid(&self.id)?,
            meeting_id: self.meeting()?,
            created_at: self.created_at,
            expires_at: self.expires_at,
            revoked: self.revoked_at.is_some(),
        })
    }
}

const COLUMNS: &str = "id, meeting_id, token_hash, created_by, created_at, expires_at, revoked_at";

pub async fn insert_invite(
    db: impl AnyExecutor<'_>,
    row: &GuestInviteRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO guest_invites (id, meeting_id, token_hash, created_by, created_at,
                                    expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&row.id)
    .bind(&row.meeting_id)
    .bind(&row.token_hash)
    .bind(&row.created_by)
    .bind(row.created_at)
    .bind(row.expires_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find_invite(
    db: impl AnyExecutor<'_>,
    id: Uuid,
) -> Result<Option<GuestInviteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM guest_invites WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(db)
    .await
}

pub async fn find_by_hash(
    db: impl AnyExecutor<'_>,
    token_hash: &str,
) -> Result<Option<GuestInviteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM guest_invites WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

pub async fn list_for_meeting(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
) -> Result<Vec<GuestInviteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM guest_invites WHERE meeting_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(meeting_id.to_string())
    .fetch_all(db)
    .await
}

/// Idempotent.
pub async fn revoke_invite(
    db: impl AnyExecutor<'_>,
    id: Uuid,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE guest_invites SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
        .bind(now)
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

/// Creates the guest account. Its email is unique and unroutable (`.invalid` is
/// reserved), and its password hash is empty: log-in never finds guests.
pub async fn insert_guest(
    db: impl AnyExecutor<'_>,
    id: UserId,
    display_name: &str,
    meeting_id: MeetingId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, status_text,
                            created_at, guest_meeting_id)
         VALUES ($1, $2, $3, '', 'guest', '', $4, $5)",
    )
    .bind(id.to_string())
    .bind(format!("guest-{id}@guest.invalid"))
    .bind(display_name)
    .bind(now)
    .bind(meeting_id.to_string())
    .execute(db)
    .await?;
    Ok(())
}

/// The meeting a guest account belongs to (`None` for members).
pub async fn meeting_of(
    db: impl AnyExecutor<'_>,
    user_id: UserId,
) -> Result<Option<MeetingId>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT guest_meeting_id FROM users WHERE id = $1 AND role = 'guest'")
            .bind(user_id.to_string())
            .fetch_optional(db)
            .await?;
    row.and_then(|(id,)| id)
        .as_deref()
        .map(super::uuid)
        .transpose()
}

/// Ends every guest account of the meeting: deactivated, sessions revoked. Returns the
/// revoked session ids (to close their sockets).
pub async fn end_all_for_meeting(
    conn: &mut sqlx::AnyConnection,
    meeting_id: MeetingId,
    now: i64,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let ids: Vec<(String,)> = sqlx::query_as(
        "UPDATE sessions SET revoked_at = $1 WHERE revoked_at IS NULL AND user_id IN
             (SELECT id FROM users WHERE role = 'guest' AND guest_meeting_id = $2)
         RETURNING id",
    )
    .bind(now)
    .bind(meeting_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE users SET deactivated_at = $1
         WHERE role = 'guest' AND guest_meeting_id = $2 AND deactivated_at IS NULL",
    )
    .bind(now)
    .bind(meeting_id.to_string())
    .execute(&mut *conn)
    .await?;
    ids.iter().map(|(id,)| super::uuid(id)).collect()
}
