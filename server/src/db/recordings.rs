//! The `recordings`, `recording_chunks` and `meeting_events` tables.

use sqlx::{AnyConnection, AnyExecutor, FromRow};
use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::meetings::{MeetingId, MeetingPerson};
use tandem_protocol::recordings::{Recording, RecordingId, RecordingState};
use tandem_protocol::UserId;

#[derive(Debug, Clone, FromRow)]
pub struct RecordingRow {
    pub id: String,
    pub meeting_id: String,
    pub channel_id: String,
    pub title: String,
    pub started_by: String,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub duration_ms: Option<i64>,
    pub size_bytes: i64,
    pub next_index: i64,
    pub state: String,
    pub mime_type: String,
    #[sqlx(try_from = "super::Flag")]
    pub has_thumbnail: bool,
    pub card_message_id: Option<String>,
}

impl RecordingRow {
    pub fn recording_id(&self) -> Result<RecordingId, sqlx::Error> {
        super::uuid(&self.id)
    }
    pub fn meeting(&self) -> Result<MeetingId, sqlx::Error> {
        super::uuid(&self.meeting_id)
    }
    pub fn channel(&self) -> Result<ChannelId, sqlx::Error> {
        super::uuid(&self.channel_id)
    }
    pub fn starter(&self) -> Result<UserId, sqlx::Error> {
        super::uuid(&self.started_by)
    }
    pub fn state(&self) -> RecordingState {
        match self.state.as_str() {
            "complete" => RecordingState::Complete,
            "incomplete" => RecordingState::Incomplete,
            _ => RecordingState::Recording,
        }
    }
    pub fn to_recording(&self, participants: Vec<MeetingPerson>) -> Result<Recording, sqlx::Error> {
        Ok(Recording {
            id: self.recording_id()?,
            meeting_id: self.meeting()?,
            channel_id: self.channel()?,
            title: self.title.clone(),
            started_by: self.starter()?,
            started_at: self.started_at,
            ended_at: self.ended_at,
            duration_ms: self.duration_ms.map(|d| d.max(0) as u64),
            size_bytes: self.size_bytes.max(0) as u64,
            state: self.state(),
            mime_type: self.mime_type.clone(),
            participants,
            has_thumbnail: self.has_thumbnail,
            card_message_id: self
                .card_message_id
                .as_deref()
                .map(super::uuid)
                .transpose()?,
        })
    }
}

pub fn state_str(state: RecordingState) -> &'static str {
    match state {
        RecordingState::Recording => "recording",
        RecordingState::Complete => "complete",
        RecordingState::Incomplete => "incomplete",
    }
}

const COLUMNS: &str = "r.id, r.meeting_id, r.channel_id, r.title, r.started_by, r.started_at,
    r.ended_at, r.duration_ms, r.size_bytes, r.next_index, r.state, r.mime_type,
    r.has_thumbnail, r.card_message_id";

pub struct NewRecording<'a> {
    pub id: RecordingId,
    pub meeting_id: MeetingId,
    pub channel_id: ChannelId,
    pub title: &'a str,
    pub started_by: UserId,
    pub started_at: i64,
    pub mime_type: &'a str,
}

pub async fn insert(db: impl AnyExecutor<'_>, r: &NewRecording<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO recordings (id, meeting_id, channel_id, title, started_by, started_at,
                                 state, mime_type)
         VALUES ($1, $2, $3, $4, $5, $6, 'recording', $7)",
    )
    .bind(r.id.to_string())
    .bind(r.meeting_id.to_string())
    .bind(r.channel_id.to_string())
    .bind(r.title)
    .bind(r.started_by.to_string())
    .bind(r.started_at)
    .bind(r.mime_type)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find(
    db: impl AnyExecutor<'_>,
    id: RecordingId,
) -> Result<Option<RecordingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM recordings r WHERE r.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(db)
    .await
}

/// The meeting's recording in progress, if any.
pub async fn active_for_meeting(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
) -> Result<Option<RecordingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM recordings r WHERE r.meeting_id = $1 AND r.state = 'recording'"
    ))
    .bind(meeting_id.to_string())
    .fetch_optional(db)
    .await
}

/// Every recording still in progress (at start-up, to give them their orphan timer).
pub async fn all_active(db: impl AnyExecutor<'_>) -> Result<Vec<RecordingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM recordings r WHERE r.state = 'recording'"
    ))
    .fetch_all(db)
    .await
}

/// The stored checksum of chunk `index`.
pub async fn chunk_sha256(
    db: impl AnyExecutor<'_>,
    id: RecordingId,
    index: u32,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT sha256 FROM recording_chunks WHERE recording_id = $1 AND idx = $2")
            .bind(id.to_string())
            .bind(i64::from(index))
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(s,)| s))
}

/// Records chunk `index` as appended: its checksum, and the new expected index and
/// size. Only if `index` is still the expected one (`false` otherwise).
pub async fn record_chunk(
    conn: &mut AnyConnection,
    id: RecordingId,
    index: u32,
    sha256: &str,
    size: u64,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE recordings SET next_index = next_index + 1, size_bytes = size_bytes + $1
         WHERE id = $2 AND next_index = $3 AND state = 'recording'",
    )
    .bind(size as i64)
    .bind(id.to_string())
    .bind(i64::from(index))
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO recording_chunks (recording_id, idx, sha256, size) VALUES ($1, $2, $3, $4)",
    )
    .bind(id.to_string())
    .bind(i64::from(index))
    .bind(sha256)
    .bind(size as i64)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

pub struct Finished {
    pub state: RecordingState,
    pub ended_at: i64,
    pub duration_ms: Option<u64>,
    pub size_bytes: u64,
}

/// Marks the recording finalised; `false` if it already was. Its cues were written by
/// today's finaliser, so the start-up repair pass (`cue_check`) never needs to read it.
pub async fn finish(
    db: impl AnyExecutor<'_>,
    id: RecordingId,
    f: &Finished,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE recordings SET state = $1, ended_at = $2, duration_ms = $3, size_bytes = $4,
                cue_check = 'ok'
         WHERE id = $5 AND state = 'recording'",
    )
    .bind(state_str(f.state))
    .bind(f.ended_at)
    .bind(f.duration_ms.map(|d| d as i64))
    .bind(f.size_bytes as i64)
    .bind(id.to_string())
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn set_card(
    db: impl AnyExecutor<'_>,
    id: RecordingId,
    card: MessageId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE recordings SET card_message_id = $1 WHERE id = $2")
        .bind(card.to_string())
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_title(
    db: impl AnyExecutor<'_>,
    id: RecordingId,
    title: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE recordings SET title = $1 WHERE id = $2")
        .bind(title)
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_thumbnail(db: impl AnyExecutor<'_>, id: RecordingId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE recordings SET has_thumbnail = 1 WHERE id = $1")
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete(db: impl AnyExecutor<'_>, id: RecordingId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recordings WHERE id = $1")
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

/// Ids of finalised recordings that ended before `cutoff`.
pub async fn ended_before(
    db: impl AnyExecutor<'_>,
    cutoff: i64,
) -> Result<Vec<RecordingId>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM recordings WHERE state <> 'recording' AND ended_at IS NOT NULL
         AND ended_at < $1",
    )
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    rows.iter().map(|(id,)| super::uuid(id)).collect()
}

pub struct ListFilter<'a> {
    pub viewer: UserId,
    pub channel_id: Option<ChannelId>,
    pub participant: Option<UserId>,
    /// Matched (case-insensitively, as a substring) against the title and the
    /// in-meeting chat.
    pub q: Option<&'a str>,
}

/// A LIKE pattern matching `text` anywhere, wildcards escaped (with `ESCAPE '\'`), in
/// ASCII lower case to be compared with `lower(column)`: SQLite's LIKE ignores ASCII
/// case but Postgres's does not, and both engines' `lower()` fold ASCII only here (the
/// Postgres columns are COLLATE "C").
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.to_ascii_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Recordings in channels the viewer may see (public ones and their own), newest first.
pub async fn list(
    db: impl AnyExecutor<'_>,
    f: &ListFilter<'_>,
) -> Result<Vec<RecordingRow>, sqlx::Error> {
    let pattern = f.q.map(like_pattern);
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM recordings r JOIN channels c ON c.id = r.channel_id
         JOIN meetings m ON m.id = r.meeting_id
         WHERE (c.kind = 'public' OR EXISTS (SELECT 1 FROM channel_members cm
                WHERE cm.channel_id = c.id AND cm.user_id = $1))
           AND ($2 IS NULL OR r.channel_id = $2)
           AND ($3 IS NULL OR EXISTS (SELECT 1 FROM meeting_attendees a
                WHERE a.meeting_id = r.meeting_id AND a.user_id = $3))
           AND ($4 IS NULL OR lower(r.title) LIKE $4 ESCAPE '\\'
                OR EXISTS (SELECT 1 FROM messages t
                WHERE t.thread_root_id = m.card_message_id AND t.deleted = 0
                  AND lower(t.body) LIKE $4 ESCAPE '\\'))
         ORDER BY r.started_at DESC, r.id"
    ))
    .bind(f.viewer.to_string())
    .bind(f.channel_id.map(|c| c.to_string()))
    .bind(f.participant.map(|p| p.to_string()))
    .bind(pattern)
    .fetch_all(db)
    .await
}

/// Everyone who attended the meeting (members and guests), in the order they came.
pub async fn participants(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
) -> Result<Vec<MeetingPerson>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.role FROM meeting_attendees a
         JOIN users u ON u.id = a.user_id WHERE a.meeting_id = $1
         ORDER BY a.first_joined_at, u.id",
    )
    .bind(meeting_id.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, display_name, role)| {
            let guest = role == "guest";
            Ok(MeetingPerson {
                user_id: if guest { None } else { Some(super::uuid(&id)?) },
                display_name,
                guest,
            })
        })
        .collect()
}

/// (author name, message id, body, created_at) of the meeting chat (replies to the
/// card) written in `[from, to]`.
pub async fn meeting_chat(
    db: impl AnyExecutor<'_>,
    card: MessageId,
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.display_name, t.id, t.body, t.created_at FROM messages t
         JOIN users u ON u.id = t.author_id
         WHERE t.thread_root_id = $1 AND t.deleted = 0 AND t.created_at BETWEEN $2 AND $3
         ORDER BY t.created_at, t.seq",
    )
    .bind(card.to_string())
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

pub const JOINED: &str = "joined";
pub const LEFT: &str = "left";
pub const SCREEN_SHARE_STARTED: &str = "screen_share_started";

pub async fn record_meeting_event(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    kind: &str,
    user_id: UserId,
    display_name: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO meeting_events (meeting_id, kind, user_id, display_name, at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(meeting_id.to_string())
    .bind(kind)
    .bind(user_id.to_string())
    .bind(display_name)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// (kind, display name, at) of the meeting's events in `[from, to]`.
pub async fn meeting_events(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, display_name, at FROM meeting_events
         WHERE meeting_id = $1 AND at BETWEEN $2 AND $3 ORDER BY at, rowid",
    )
    .bind(meeting_id.to_string())
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}
