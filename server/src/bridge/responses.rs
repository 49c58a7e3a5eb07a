//! Who owes a response, and when it is given. Runs inside the transaction of the
//! change that causes it (a post, a reaction, a deletion, joining a call), so a
//! message and the response items it creates are one write, and every item change
//! goes out as `response_item_changed` to its owner and to its author.

use sqlx::AnyConnection;
use tandem_protocol::chat::{ChannelId, ChannelKind, MessageId};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::urgency::{ResponseItem, SatisfiedBy, SlaTargets, Urgency, ACK_EMOJI};
use tandem_protocol::working_hours::WorkSchedule;
use tandem_protocol::ws::Event;
use tandem_protocol::{Timestamp, UserId};
use tandem_working_hours::WorkingWeek;
use uuid::Uuid;

use crate::db::urgency::{self as items, Answers};
use crate::db::{channels, working_hours, workspace};
use crate::error::AppResult;
use crate::realtime::audience::Audience;
use crate::realtime::log::LogWriter;

/// The longest excerpt an item carries.
pub const EXCERPT_CHARS: usize = 140;

/// A message just stored by `chat::post`.
pub struct Posted<'a> {
    pub id: MessageId,
    pub channel_id: ChannelId,
    pub channel_kind: ChannelKind,
    pub author: UserId,
    pub thread_root_id: Option<MessageId>,
    pub urgency: Urgency,
    pub body: &'a str,
    /// People @mentioned by name (`@channel` deliberately owes nobody anything).
    pub mentioned: &'a [UserId],
    pub created_at: Timestamp,
    /// A guest's post: a guest owes nothing, so nothing of theirs is satisfied.
    pub by_guest: bool,
    /// A card or notice the server posts (meeting, recording, summary, "Missed call"):
    /// it neither asks nor answers anything.
    pub by_server: bool,
}

/// Appends `response_item_changed` for the item's owner and its author.
pub async fn announce(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    item: &ResponseItem,
) -> AppResult<()> {
    for person in [item.owner_id, item.author_id] {
        let event = Event::ResponseItemChanged { item: item.clone() };
        writer
            .append(&mut *tx, Audience::User(person), event)
            .await?;
    }
    Ok(())
}

async fn announce_all(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    changed: &[ResponseItem],
) -> AppResult<()> {
    for item in changed {
        announce(writer, tx, item).await?;
    }
    Ok(())
}

/// The author's post answers what they owed (a reply in the thread; in a DM, a new
/// top-level message), then everyone who now owes a response gets an item.
pub async fn on_posted(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    posted: &Posted<'_>,
) -> AppResult<()> {
    if posted.by_server {
        return Ok(());
    }
    if !posted.by_guest {
        let answers = match posted.thread_root_id {
            Some(root) => Some(Answers::Thread(root)),
            None if posted.channel_kind == ChannelKind::Direct => {
                Some(Answers::DirectTopLevel(posted.channel_id))
            }
            None => None,
        };
        if let Some(answers) = answers {
            let satisfied = items::satisfy(
                &mut *tx,
                posted.author,
                answers,
                SatisfiedBy::Reply,
                posted.created_at,
            )
            .await?;
            announce_all(writer, tx, &satisfied).await?;
        }
    }
    let owners = owners(tx, posted).await?;
    if owners.is_empty() {
        return Ok(());
    }
    let targets = workspace::get(&mut *tx).await?.sla;
    let owner_hours = working_hours::get_many(&mut *tx, &owners).await?;
    let excerpt = excerpt(posted.body);
    for owner in owners {
        let hours = owner_hours
            .get(&owner)
            .cloned()
            .unwrap_or_else(|| WorkSchedule::default_for("UTC"));
        let item = ResponseItem {
            id: Uuid::new_v4(),
            message_id: posted.id,
            channel_id: posted.channel_id,
            thread_root_id: posted.thread_root_id,
            author_id: posted.author,
            owner_id: owner,
            urgency: posted.urgency,
            excerpt: excerpt.clone(),
            created_at: posted.created_at,
            due_at: due_at(posted.urgency, &targets, posted.created_at, &hours),
            satisfied_at: None,
            satisfied_by: None,
            escalation_offered: false,
            escalated_meeting_id: None,
        };
        items::insert(&mut *tx, &item).await?;
        announce(writer, tx, &item).await?;
    }
    Ok(())
}

/// The people mentioned by name and, in a DM or group DM, every other member; never
/// the author.
async fn owners(tx: &mut AnyConnection, posted: &Posted<'_>) -> AppResult<Vec<UserId>> {
    let mut owners: Vec<UserId> = Vec::new();
    let mut add = |id: UserId| {
        if id != posted.author && !owners.contains(&id) {
            owners.push(id);
        }
    };
    posted.mentioned.iter().copied().for_each(&mut add);
    if posted.channel_kind == ChannelKind::Direct {
        channels::member_ids(&mut *tx, posted.channel_id)
            .await?
            .into_iter()
            .for_each(&mut add);
    }
    Ok(owners)
}

/// The deadline by the owner's working hours. Hours that no longer compile (say, a
/// zone dropped from the tz database) falls back to the wall clock rather than
/// refusing the message.
pub fn due_at(
    urgency: Urgency,
    targets: &SlaTargets,
    created_at: Timestamp,
    hours: &WorkSchedule,
) -> Timestamp {
    match WorkingWeek::new(hours) {
        Ok(week) => tandem_working_hours::due_at(urgency, targets, created_at, &week),
        Err(_) => created_at.saturating_add(i64::from(targets.minutes(urgency)) * 60_000),
    }
}

/// The start of the body on one line, at most `EXCERPT_CHARS` characters.
pub fn excerpt(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        return flat;
    }
    let mut cut: String = flat.chars().take(EXCERPT_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// A reaction: `ACK_EMOJI` from the owner acknowledges the message.
pub async fn on_reaction(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    message_id: MessageId,
    user_id: UserId,
    emoji: &str,
    present: bool,
    now: Timestamp,
) -> AppResult<()> {
    if !present || emoji != ACK_EMOJI {
        return Ok(());
    }
    let satisfied = items::satisfy(
        &mut *tx,
        user_id,
        Answers::Message(message_id),
        SatisfiedBy::Acknowledged,
        now,
    )
    .await?;
    announce_all(writer, tx, &satisfied).await
}

/// The message was deleted: its open items are withdrawn. Clients learn it as the item
/// with `satisfied_at` set and no `satisfied_by`.
pub async fn on_deleted(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    message_id: MessageId,
    now: Timestamp,
) -> AppResult<()> {
    let mut withdrawn = items::withdraw(&mut *tx, message_id).await?;
    for item in &mut withdrawn {
        item.satisfied_at = Some(now);
    }
    announce_all(writer, tx, &withdrawn).await
}

/// The owner joined the call their items were escalated to.
pub async fn on_joined_call(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    meeting_id: MeetingId,
    user_id: UserId,
    now: Timestamp,
) -> AppResult<()> {
    let satisfied = items::satisfy(
        &mut *tx,
        user_id,
        Answers::Call(meeting_id),
        SatisfiedBy::JoinedCall,
        now,
    )
    .await?;
    announce_all(writer, tx, &satisfied).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_one_line_and_bounded() {
        assert_eq!(excerpt("  hello\n\n  world  "), "hello world");
        let long = "é".repeat(300);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(
            excerpt(&"a".repeat(EXCERPT_CHARS)).chars().count(),
            EXCERPT_CHARS
        );
    }
}
