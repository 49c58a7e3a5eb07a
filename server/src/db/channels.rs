//! The `channels` and `channel_members` tables.

use sqlx::{AnyConnection, AnyExecutor, FromRow};
use tandem_protocol::chat::{Channel, ChannelId, ChannelKind, MyChannel};
use tandem_protocol::{Seq, UserId};

#[derive(Debug, Clone, FromRow)]
pub struct ChannelRow {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub topic: String,
    #[sqlx(try_from = "super::Flag")]
    pub archived: bool,
    pub created_by: String,
    pub created_at: i64,
    /// 'critical' | 'standard' | 'low': what new messages get by default.
    pub default_urgency: String,
    /// Active members only (deactivated people are not counted).
    pub member_count: i64,
}

impl ChannelRow {
    pub fn kind(&self) -> ChannelKind {
        match self.kind.as_str() {
            "public" => ChannelKind::Public,
            "direct" => ChannelKind::Direct,
            // Unknown kinds are treated as the most restrictive named kind.
            _ => ChannelKind::Private,
        }
    }

    pub fn channel_id(&self) -> Result<ChannelId, sqlx::Error> {
        super::uuid(&self.id)
    }

    pub fn created_by(&self) -> Result<UserId, sqlx::Error> {
        super::uuid(&self.created_by)
    }
}

pub fn kind_str(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Public => "public",
        ChannelKind::Private => "private",
        ChannelKind::Direct => "direct",
    }
}

const SELECT: &str = "SELECT c.id, c.kind, c.name, c.topic, c.archived, c.created_by, c.created_at,
        c.default_urgency,
        (SELECT COUNT(*) FROM channel_members m JOIN users u ON u.id = m.user_id
         WHERE m.channel_id = c.id AND u.deactivated_at IS NULL) AS member_count
     FROM channels c";

pub async fn find(
    db: impl AnyExecutor<'_>,
    id: ChannelId,
) -> Result<Option<ChannelRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db)
        .await
}

/// The channel called `name` that `user_id` can see (public, or one they are in),
/// preferring one they are in: names are only unique within what one person can see.
pub async fn find_by_name_for(
    db: impl AnyExecutor<'_>,
    name: &str,
    user_id: UserId,
) -> Result<Option<ChannelRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} LEFT JOIN channel_members mine ON mine.channel_id = c.id AND mine.user_id = $2
         WHERE c.name = $1 AND c.kind <> 'direct'
           AND (c.kind = 'public' OR mine.user_id IS NOT NULL)
         ORDER BY mine.user_id IS NULL, c.created_at, c.id LIMIT 1"
    ))
    .bind(name)
    .bind(user_id.to_string())
    .fetch_optional(db)
    .await
}

/// Whether `name` is taken for someone making or renaming a channel (`except`: the one
/// being renamed). Only channels they can see count: every public channel (so public
/// names stay unique, which the `channels_public_by_name` index also enforces) and the
/// private ones they are in. A private channel they are not in never counts, so the
/// answer cannot reveal that it exists (issue 10, finding 10).
pub async fn name_taken_for(
    db: impl AnyExecutor<'_>,
    name: &str,
    user_id: UserId,
    except: Option<ChannelId>,
) -> Result<bool, sqlx::Error> {
    let (super::Flag(taken),): (super::Flag,) = sqlx::query_as(
        "SELECT EXISTS(SELECT 1 FROM channels c
             WHERE c.name = $1 AND c.kind <> 'direct' AND c.id <> $3
               AND (c.kind = 'public' OR EXISTS(SELECT 1 FROM channel_members m
                                                WHERE m.channel_id = c.id AND m.user_id = $2)))",
    )
    .bind(name)
    .bind(user_id.to_string())
    .bind(except.map(|id| id.to_string()).unwrap_or_default())
    .fetch_one(db)
    .await?;
    Ok(taken)
}

pub async fn find_direct(
    db: impl AnyExecutor<'_>,
    direct_key: &str,
) -> Result<Option<ChannelRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE c.direct_key = $1"))
        .bind(direct_key)
        .fetch_optional(db)
        .await
}

/// Public, unarchived channels, by name.
pub async fn browse(db: impl AnyExecutor<'_>) -> Result<Vec<ChannelRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE c.kind = 'public' AND c.archived = 0 ORDER BY c.name"
    ))
    .fetch_all(db)
    .await
}

pub struct NewChannel<'a> {
    pub id: ChannelId,
    pub kind: ChannelKind,
    pub name: &'a str,
    pub topic: &'a str,
    pub created_by: UserId,
    pub created_at: i64,
    pub direct_key: Option<&'a str>,
}

pub async fn insert(db: impl AnyExecutor<'_>, c: &NewChannel<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO channels (id, kind, name, topic, archived, created_by, created_at, direct_key)
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7)",
    )
    .bind(c.id.to_string())
    .bind(kind_str(c.kind))
    .bind(c.name)
    .bind(c.topic)
    .bind(c.created_by.to_string())
    .bind(c.created_at)
    .bind(c.direct_key)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn update(
    db: impl AnyExecutor<'_>,
    id: ChannelId,
    name: &str,
    topic: &str,
    archived: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE channels SET name = $1, topic = $2, archived = $3 WHERE id = $4")
        .bind(name)
        .bind(topic)
        .bind(i64::from(archived))
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_default_urgency(
    db: impl AnyExecutor<'_>,
    id: ChannelId,
    urgency: tandem_protocol::urgency::Urgency,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE channels SET default_urgency = $1 WHERE id = $2")
        .bind(super::urgency::urgency_str(urgency))
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

pub async fn is_member(
    db: impl AnyExecutor<'_>,
    channel_id: ChannelId,
    user_id: UserId,
) -> Result<bool, sqlx::Error> {
    let (super::Flag(member),): (super::Flag,) = sqlx::query_as(
        "SELECT EXISTS(SELECT 1 FROM channel_members WHERE channel_id = $1 AND user_id = $2)",
    )
    .bind(channel_id.to_string())
    .bind(user_id.to_string())
    .fetch_one(db)
    .await?;
    Ok(member)
}

/// Adds the member; returns `false` if they already were one.
pub async fn add_member(
    db: impl AnyExecutor<'_>,
    channel_id: ChannelId,
    user_id: UserId,
    now: i64,
    last_read_seq: Seq,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO channel_members (channel_id, user_id, joined_at, last_read_seq)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(channel_id.to_string())
    .bind(user_id.to_string())
    .bind(now)
    .bind(last_read_seq)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Removes the member; returns `false` if they were not one.
pub async fn remove_member(
    db: impl AnyExecutor<'_>,
    channel_id: ChannelId,
    user_id: UserId,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM channel_members WHERE channel_id = $1 AND user_id = $2")
        .bind(channel_id.to_string())
        .bind(user_id.to_string())
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Member ids (active accounts), oldest member first.
pub async fn member_ids(
    db: impl AnyExecutor<'_>,
    channel_id: ChannelId,
) -> Result<Vec<UserId>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT m.user_id FROM channel_members m JOIN users u ON u.id = m.user_id
         WHERE m.channel_id = $1 AND u.deactivated_at IS NULL ORDER BY m.joined_at, m.user_id",
    )
    .bind(channel_id.to_string())
    .fetch_all(db)
    .await?;
    rows.iter().map(|(id,)| super::uuid(id)).collect()
}

/// Every channel id the user belongs to (what a connection caches for fan-out).
pub async fn ids_for_user(
    db: impl AnyExecutor<'_>,
    user_id: UserId,
) -> Result<Vec<ChannelId>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT channel_id FROM channel_members WHERE user_id = $1")
            .bind(user_id.to_string())
            .fetch_all(db)
            .await?;
    rows.iter().map(|(id,)| super::uuid(id)).collect()
}

/// The member's read position, `None` if not a member.
pub async fn last_read(
    db: impl AnyExecutor<'_>,
    channel_id: ChannelId,
    user_id: UserId,
) -> Result<Option<Seq>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT last_read_seq FROM channel_members WHERE channel_id = $1 AND user_id = $2",
    )
    .bind(channel_id.to_string())
    .bind(user_id.to_string())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(seq,)| seq))
}

/// Moves the read position forward only; returns the position afterwards.
pub async fn mark_read(
    conn: &mut AnyConnection,
    channel_id: ChannelId,
    user_id: UserId,
    seq: Seq,
) -> Result<Seq, sqlx::Error> {
    let (now,): (i64,) = sqlx::query_as(
        "UPDATE channel_members SET last_read_seq =
             CASE WHEN last_read_seq > $1 THEN last_read_seq ELSE $1 END
         WHERE channel_id = $2 AND user_id = $3 RETURNING last_read_seq",
    )
    .bind(seq)
    .bind(channel_id.to_string())
    .bind(user_id.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(now)
}

/// Builds the wire `Channel` (DMs list their members).
pub async fn to_channel(
    conn: &mut AnyConnection,
    row: &ChannelRow,
) -> Result<Channel, sqlx::Error> {
    let kind = row.kind();
    let id = row.channel_id()?;
    let member_ids = if kind == ChannelKind::Direct {
        member_ids(&mut *conn, id).await?
    } else {
        Vec::new()
    };
    Ok(Channel {
        id,
        kind,
        name: row.name.clone(),
        topic: row.topic.clone(),
        archived: row.archived,
        created_by: row.created_by()?,
        created_at: row.created_at,
        member_count: row.member_count.max(0) as u32,
        member_ids,
        default_urgency: super::urgency::parse_urgency(&row.default_urgency),
    })
}

/// The user's channels and DMs with read position and unread / mention counts.
/// Unread: later than the read position, not deleted, not by me, and shown in the
/// channel (top-level or "also sent to the channel").
pub async fn mine(
    conn: &mut AnyConnection,
    user_id: UserId,
) -> Result<Vec<MyChannel>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        channel: ChannelRow,
        last_read_seq: i64,
        unread_count: i64,
        mention_count: i64,
        last_message_seq: i64,
    }
    const UNREAD: &str = "FROM messages x WHERE x.channel_id = c.id AND x.seq > cm.last_read_seq
        AND x.deleted = 0 AND x.author_id <> $1
        AND (x.thread_root_id IS NULL OR x.also_in_channel = 1)";
    let sql = format!(
        "SELECT c.id, c.kind, c.name, c.topic, c.archived, c.created_by, c.created_at,
            c.default_urgency,
            (SELECT COUNT(*) FROM channel_members m JOIN users u ON u.id = m.user_id
             WHERE m.channel_id = c.id AND u.deactivated_at IS NULL) AS member_count,
            cm.last_read_seq,
            (SELECT COUNT(*) {UNREAD}) AS unread_count,
            (SELECT COUNT(*) {UNREAD} AND (x.mentions_channel = 1 OR EXISTS(
                SELECT 1 FROM message_mentions mm WHERE mm.message_id = x.id AND mm.user_id = $1)))
                AS mention_count,
            (SELECT COALESCE(MAX(x.seq), 0) FROM messages x WHERE x.channel_id = c.id)
                AS last_message_seq
         FROM channel_members cm JOIN channels c ON c.id = cm.channel_id
         WHERE cm.user_id = $1
         ORDER BY c.kind, c.name, c.created_at"
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(user_id.to_string())
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(MyChannel {
            channel: to_channel(&mut *conn, &row.channel).await?,
            last_read_seq: row.last_read_seq,
            unread_count: row.unread_count.max(0) as u32,
            mention_count: row.mention_count.max(0) as u32,
            last_message_seq: row.last_message_seq,
        });
    }
    Ok(out)
}

/// `(id, display name)` of the channel's active members, for mention matching.
pub async fn member_names(
    db: impl AnyExecutor<'_>,
    channel_id: ChannelId,
) -> Result<Vec<(UserId, String)>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name FROM channel_members m JOIN users u ON u.id = m.user_id
         WHERE m.channel_id = $1 AND u.deactivated_at IS NULL",
    )
    .bind(channel_id.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, name)| Ok((super::uuid(&id)?, name)))
        .collect()
}
