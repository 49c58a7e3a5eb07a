//! `meeting_removals` (people a host removed, barred until readmitted) and
//! `guest_arrivals` (which link made each guest account, so a removal bars the link).

use sqlx::{AnyExecutor, FromRow};
use tandem_protocol::meetings::{MeetingId, RemovedPerson};
use tandem_protocol::{Timestamp, UserId};
use uuid::Uuid;

/// Remembers the link a guest account came from.
pub async fn record_arrival(
    db: impl AnyExecutor<'_>,
    user_id: UserId,
    guest_invite_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO guest_arrivals (user_id, guest_invite_id) VALUES ($1, $2)")
        .bind(user_id.to_string())
        .bind(guest_invite_id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

pub struct NewRemoval<'a> {
    pub meeting_id: MeetingId,
    pub user_id: UserId,
    pub display_name: &'a str,
    pub guest: bool,
    pub removed_by: UserId,
    pub removed_at: Timestamp,
}

/// Bars the person (and the link a guest came with). Removing someone already barred
/// keeps the first record.
pub async fn insert(db: impl AnyExecutor<'_>, removal: &NewRemoval<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO meeting_removals
             (id, meeting_id, user_id, guest_invite_id, display_name, guest, removed_by,
              removed_at)
         VALUES ($1, $2, $3, (SELECT guest_invite_id FROM guest_arrivals WHERE user_id = $4),
                 $5, $6, $7, $8)
         ON CONFLICT (meeting_id, user_id) DO NOTHING",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(removal.meeting_id.to_string())
    .bind(removal.user_id.to_string())
    .bind(removal.user_id.to_string())
    .bind(removal.display_name)
    .bind(i64::from(removal.guest))
    .bind(removal.removed_by.to_string())
    .bind(removal.removed_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Whether the person is barred from the meeting.
pub async fn is_barred(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    user_id: UserId,
) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM meeting_removals WHERE meeting_id = $1 AND user_id = $2")
            .bind(meeting_id.to_string())
            .bind(user_id.to_string())
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// Whether a removed guest came with this link.
pub async fn link_barred(
    db: impl AnyExecutor<'_>,
    guest_invite_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM meeting_removals WHERE guest_invite_id = $1 LIMIT 1")
            .bind(guest_invite_id.to_string())
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// Lifts a bar; the person it was for, if it existed in this meeting.
pub async fn delete(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    removal_id: Uuid,
) -> Result<Option<UserId>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "DELETE FROM meeting_removals WHERE meeting_id = $1 AND id = $2 RETURNING user_id",
    )
    .bind(meeting_id.to_string())
    .bind(removal_id.to_string())
    .fetch_optional(db)
    .await?;
    row.map(|(user,)| super::uuid(&user)).transpose()
}

#[derive(FromRow)]
struct RemovalRow {
    id: String,
    display_name: String,
    #[sqlx(try_from = "super::Flag")]
    guest: bool,
    removed_at: i64,
}

/// Who is barred from the meeting, oldest removal first.
pub async fn list(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
) -> Result<Vec<RemovedPerson>, sqlx::Error> {
    let rows: Vec<RemovalRow> = sqlx::query_as(
        "SELECT id, display_name, guest, removed_at FROM meeting_removals
         WHERE meeting_id = $1 ORDER BY removed_at, id",
    )
    .bind(meeting_id.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(RemovedPerson {
                id: super::uuid(&r.id)?,
                display_name: r.display_name,
                guest: r.guest,
                removed_at: r.removed_at,
            })
        })
        .collect()
}
