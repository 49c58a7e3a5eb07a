//! The `scheduled_meetings` and `scheduled_meeting_participants` tables: meetings
//! planned for later, who is invited, and what the slot meant for each of them.

use std::collections::HashMap;

use sqlx::{AnyConnection, AnyExecutor, FromRow};
use tandem_protocol::meeting_plans::{ScheduledMeeting, ScheduledMeetingId};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::working_hours::Interval;
use tandem_protocol::{Timestamp, UserId};

#[derive(Debug, Clone, FromRow)]
struct MeetingRow {
    id: String,
    channel_id: String,
    title: String,
    organiser_id: String,
    start_at: i64,
    end_at: i64,
    meeting_id: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
struct ParticipantRow {
    scheduled_meeting_id: String,
    user_id: String,
    #[sqlx(try_from = "super::Flag")]
    outside_hours: bool,
    #[sqlx(try_from = "super::Flag")]
    focus_conflict: bool,
}

const COLUMNS: &str = "id, channel_id, title, organiser_id, start_at, end_at, meeting_id";

/// Stores a new planned meeting with its participants (in their order).
pub async fn insert(
    conn: &mut AnyConnection,
    meeting: &ScheduledMeeting,
    created_at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO scheduled_meetings (id, channel_id, title, organiser_id, start_at, end_at,
                                         meeting_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(meeting.id.to_string())
    .bind(meeting.channel_id.to_string())
    .bind(&meeting.title)
    .bind(meeting.organiser_id.to_string())
    .bind(meeting.start_at)
    .bind(meeting.end_at)
    .bind(meeting.meeting_id.map(|id| id.to_string()))
    .bind(created_at)
    .execute(&mut *conn)
    .await?;
    for (position, user_id) in meeting.participant_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO scheduled_meeting_participants
                 (scheduled_meeting_id, user_id, position, outside_hours, focus_conflict)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(meeting.id.to_string())
        .bind(user_id.to_string())
        .bind(position as i64)
        .bind(i64::from(meeting.outside_hours.contains(user_id)))
        .bind(i64::from(meeting.focus_conflicts.contains(user_id)))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Turns rows into `ScheduledMeeting`s, loading all their participants in one query.
async fn assemble(
    conn: &mut AnyConnection,
    rows: Vec<MeetingRow>,
) -> Result<Vec<ScheduledMeeting>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = super::placeholders(1, rows.len());
    let sql = format!(
        "SELECT scheduled_meeting_id, user_id, outside_hours, focus_conflict
         FROM scheduled_meeting_participants WHERE scheduled_meeting_id IN ({placeholders})
         ORDER BY scheduled_meeting_id, position"
    );
    let mut query = sqlx::query_as::<_, ParticipantRow>(&sql);
    for row in &rows {
        query = query.bind(&row.id);
    }
    let mut by_meeting: HashMap<String, Vec<ParticipantRow>> = HashMap::new();
    for participant in query.fetch_all(&mut *conn).await? {
        by_meeting
            .entry(participant.scheduled_meeting_id.clone())
            .or_default()
            .push(participant);
    }
    rows.into_iter()
        .map(|row| {
            let participants = by_meeting.remove(&row.id).unwrap_or_default();
            let ids = |keep: fn(&ParticipantRow) -> bool| {
                participants
                    .iter()
                    .filter(|p| keep(p))
                    .map(|p| super::uuid(&p.user_id))
                    .collect::<Result<Vec<UserId>, _>>()
            };
            Ok(ScheduledMeeting {
                id: super::uuid(&row.id)?,
                channel_id: super::uuid(&row.channel_id)?,
                title: row.title,
                organiser_id: super::uuid(&row.organiser_id)?,
                participant_ids: ids(|_| true)?,
                start_at: row.start_at,
                end_at: row.end_at,
                outside_hours: ids(|p| p.outside_hours)?,
                focus_conflicts: ids(|p| p.focus_conflict)?,
                meeting_id: row.meeting_id.as_deref().map(super::uuid).transpose()?,
            })
        })
        .collect()
}

pub async fn find(
    conn: &mut AnyConnection,
    id: ScheduledMeetingId,
) -> Result<Option<ScheduledMeeting>, sqlx::Error> {
    let rows: Vec<MeetingRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM scheduled_meetings WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(assemble(conn, rows).await?.pop())
}

/// Meetings `user_id` organises or is invited to that have not ended by `now`,
/// soonest first.
pub async fn upcoming_for(
    conn: &mut AnyConnection,
    user_id: UserId,
    now: Timestamp,
) -> Result<Vec<ScheduledMeeting>, sqlx::Error> {
    let rows: Vec<MeetingRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM scheduled_meetings
         WHERE end_at > $2 AND (organiser_id = $1 OR id IN (
             SELECT scheduled_meeting_id FROM scheduled_meeting_participants WHERE user_id = $1))
         ORDER BY start_at, id"
    ))
    .bind(user_id.to_string())
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    assemble(conn, rows).await
}

/// Removes the meeting (its participants go with it); `false` if it was not there.
pub async fn delete(db: impl AnyExecutor<'_>, id: ScheduledMeetingId) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM scheduled_meetings WHERE id = $1")
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Links the live meeting; `false` when it already pointed at that one (so two
/// people joining at once announce the link once).
pub async fn set_meeting(
    db: impl AnyExecutor<'_>,
    id: ScheduledMeetingId,
    meeting_id: MeetingId,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE scheduled_meetings SET meeting_id = $2
         WHERE id = $1 AND (meeting_id IS NULL OR meeting_id <> $2)",
    )
    .bind(id.to_string())
    .bind(meeting_id.to_string())
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// For each of `user_ids`, the planned meetings they organise or are invited to
/// that overlap `[from, to)`, clipped to it and sorted by start (one query).
pub async fn busy(
    db: impl AnyExecutor<'_>,
    user_ids: &[UserId],
    from: Timestamp,
    to: Timestamp,
) -> Result<HashMap<UserId, Vec<Interval>>, sqlx::Error> {
    if user_ids.is_empty() || from >= to {
        return Ok(HashMap::new());
    }
    let placeholders = super::placeholders(5, user_ids.len());
    // Organisers and participants alike; UNION drops an organiser who also listed
    // themselves as a participant.
    let sql = format!(
        "SELECT who, start_at, end_at FROM (
             SELECT organiser_id AS who, id, start_at, end_at FROM scheduled_meetings
             WHERE start_at < $1 AND end_at > $2
             UNION
             SELECT p.user_id AS who, s.id, s.start_at, s.end_at
             FROM scheduled_meetings s
             JOIN scheduled_meeting_participants p ON p.scheduled_meeting_id = s.id
             WHERE s.start_at < $3 AND s.end_at > $4) AS busy
         WHERE who IN ({placeholders})
         ORDER BY who, start_at"
    );
    let mut query = sqlx::query_as::<_, (String, i64, i64)>(&sql)
        .bind(to)
        .bind(from)
        .bind(to)
        .bind(from);
    for id in user_ids {
        query = query.bind(id.to_string());
    }
    let mut out: HashMap<UserId, Vec<Interval>> = HashMap::new();
    for (who, start, end) in query.fetch_all(db).await? {
        out.entry(super::uuid(&who)?).or_default().push(Interval {
            start: start.max(from),
            end: end.min(to),
        });
    }
    Ok(out)
}
