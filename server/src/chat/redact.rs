//! Edited and deleted text leaves everything the server can still send. A message's
//! text is copied into the payloads of the log's events about it (`message_posted`,
//! `message_edited`, `response_item_changed`), into its response items' excerpts and
//! into the titles of calls escalated from its thread (`meeting_updated`);
//! replay would serve those copies to anyone resuming from an older position,
//! people added to the channel later included. So an edit or a delete rewrites them,
//! in the edit's or delete's own transaction: earlier events keep their `seq` (resume
//! stays gapless) but carry the current text, or a tombstone with no text,
//! attachments, reactions or mentions. The search index is kept in step by the
//! callers (`db::search`, whose FTS5 table erases deleted terms: migration 0013).

use sqlx::AnyConnection;
use tandem_protocol::chat::{Message, MessageId};
use tandem_protocol::ws::Event;

use crate::bridge::{escalation, responses};
use crate::db::{escalations, events, urgency};
use crate::error::AppResult;
use crate::realtime::log::LogWriter;

/// What the message is now.
enum Now<'a> {
    Edited(&'a Message),
    Deleted,
}

/// After an edit (`message` is its new state): earlier events and response items
/// quote the new text, and open items are announced again so inboxes show it.
pub async fn edited(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    message: &Message,
) -> AppResult<()> {
    let excerpt = responses::excerpt(&message.body);
    let open = urgency::set_excerpt(&mut *tx, message.id, &excerpt).await?;
    for item in &open {
        responses::announce(writer, tx, item).await?;
    }
    retitle_calls(tx, message.id, &message.body).await?;
    rewrite_events(tx, message.id, &Now::Edited(message), &excerpt).await
}

/// After a delete (before its response items are withdrawn, so the withdrawal
/// quotes nothing either): earlier events become tombstones.
pub async fn deleted(tx: &mut AnyConnection, message_id: MessageId) -> AppResult<()> {
    urgency::set_excerpt(&mut *tx, message_id, "").await?;
    retitle_calls(tx, message_id, "").await?;
    rewrite_events(tx, message_id, &Now::Deleted, "").await
}

/// Calls escalated from the message's thread are titled after its current text
/// ("Escalated call" once deleted), in the meetings table and in the log's
/// `meeting_updated` events (found through the call's card). Cards refresh with the
/// meeting's next update; recordings keep the title they were made with.
async fn retitle_calls(tx: &mut AnyConnection, root: MessageId, body: &str) -> AppResult<()> {
    let title = escalation::title(body);
    for (meeting_id, card, old) in escalations::calls_from_thread(&mut *tx, root).await? {
        if old == title {
            continue;
        }
        escalations::set_title(&mut *tx, meeting_id, &title).await?;
        for row in events::about(&mut *tx, card).await? {
            let mut event = row.to_envelope()?.event;
            if let Event::MeetingUpdated { meeting } = &mut event {
                if meeting.id == meeting_id && meeting.title != title {
                    meeting.title.clone_from(&title);
                    events::set_payload(&mut *tx, row.seq, &event).await?;
                }
            }
        }
    }
    Ok(())
}

async fn rewrite_events(
    tx: &mut AnyConnection,
    message_id: MessageId,
    now: &Now<'_>,
    excerpt: &str,
) -> AppResult<()> {
    for row in events::about(&mut *tx, message_id).await? {
        let mut event = row.to_envelope()?.event;
        if scrub(&mut event, message_id, now, excerpt) {
            events::set_payload(&mut *tx, row.seq, &event).await?;
        }
    }
    Ok(())
}

/// Replaces what the event quotes of the message; true when that changed anything.
fn scrub(event: &mut Event, message_id: MessageId, now: &Now<'_>, excerpt: &str) -> bool {
    let before = event.clone();
    match event {
        Event::MessagePosted { message } | Event::MessageEdited { message }
            if message.id == message_id =>
        {
            match now {
                Now::Edited(current) => {
                    message.body.clone_from(&current.body);
                    message.edited_at = current.edited_at;
                    message.mentions.clone_from(&current.mentions);
                    message.mentions_channel = current.mentions_channel;
                }
                Now::Deleted => tombstone(message),
            }
        }
        Event::ResponseItemChanged { item } if item.message_id == message_id => {
            item.excerpt = excerpt.to_string();
        }
        // Reactions, pins and the deletion itself quote no text.
        _ => {}
    }
    *event != before
}

/// What `messages::delete` leaves of a message, as the app shows it on `message_deleted`.
fn tombstone(message: &mut Message) {
    message.deleted = true;
    message.body.clear();
    message.attachments.clear();
    message.reactions.clear();
    message.mentions.clear();
    message.mentions_channel = false;
    message.pinned = false;
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::test_support;
    use tandem_protocol::urgency::Urgency;
    use uuid::Uuid;

    /// Message 3 with everything an edit or a delete may touch filled in.
    fn message(body: &str) -> Message {
        Message {
            id: Uuid::from_u128(1),
            reply_count: 2,
            last_reply_at: Some(6),
            pinned: true,
            mentions: vec![Uuid::from_u128(7)],
            mentions_channel: true,
            urgency: Urgency::Critical,
            ..test_support::message(3, body)
        }
    }

    #[test]
    fn an_edit_keeps_everything_but_the_text() {
        let mut current = message("new words");
        current.edited_at = Some(9);
        current.mentions = vec![];
        current.mentions_channel = false;
        let mut event = Event::MessagePosted {
            message: message("old words @Bob"),
        };
        assert!(scrub(
            &mut event,
            current.id,
            &Now::Edited(&current),
            "new words"
        ));
        let Event::MessagePosted { message: m } = &event else {
            unreachable!()
        };
        assert_eq!((m.body.as_str(), m.edited_at), ("new words", Some(9)));
        assert!(m.mentions.is_empty() && !m.mentions_channel);
        assert_eq!((m.seq, m.reply_count, m.pinned), (3, 2, true));
        // Already current: nothing to write.
        assert!(!scrub(
            &mut event,
            current.id,
            &Now::Edited(&current),
            "new words"
        ));
    }

    #[test]
    fn a_delete_leaves_a_tombstone_and_other_messages_alone() {
        let mut event = Event::MessageEdited {
            message: message("secret"),
        };
        let other = Uuid::from_u128(99);
        assert!(!scrub(&mut event, other, &Now::Deleted, ""));
        assert!(scrub(&mut event, Uuid::from_u128(1), &Now::Deleted, ""));
        let Event::MessageEdited { message: m } = &event else {
            unreachable!()
        };
        assert!(m.deleted && m.body.is_empty() && m.mentions.is_empty() && !m.pinned);
    }
}
