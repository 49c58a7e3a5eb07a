-- Edited and deleted text must leave everything the server can still send or search
-- (issue 10, finding 2). Editing or deleting a message rewrites the stored payloads of
-- the earlier events about it (chat/redact.rs), found through this column.

-- The message an event is about: message_posted / _edited / _deleted, reactions, pins
-- and response items. NULL for every other event.
ALTER TABLE events ADD COLUMN message_id TEXT;

-- Backfill. json_extract is SQLite's; another backend rewrites these statements.
UPDATE events SET message_id = CASE json_extract(payload, '$.kind')
        WHEN 'message_posted' THEN json_extract(payload, '$.message.id')
        WHEN 'message_edited' THEN json_extract(payload, '$.message.id')
        WHEN 'message_deleted' THEN json_extract(payload, '$.message_id')
        WHEN 'reaction_changed' THEN json_extract(payload, '$.message_id')
        WHEN 'pin_changed' THEN json_extract(payload, '$.message_id')
        WHEN 'response_item_changed' THEN json_extract(payload, '$.item.message_id')
        -- A call's card: an escalated call's title quotes its thread's root.
        WHEN 'meeting_updated' THEN json_extract(payload, '$.meeting.card_message_id')
    END;

CREATE INDEX events_by_message ON events(message_id) WHERE message_id IS NOT NULL;

-- Scrub what earlier versions left behind. Deleted messages: tombstones, as
-- `messages::delete` leaves the row (the app already shows "This message was deleted.").
UPDATE events SET payload = json_set(payload,
        '$.message.body', '',
        '$.message.deleted', json('true'),
        '$.message.attachments', json('[]'),
        '$.message.reactions', json('[]'),
        '$.message.mentions', json('[]'),
        '$.message.mentions_channel', json('false'),
        '$.message.pinned', json('false'))
WHERE json_extract(payload, '$.kind') IN ('message_posted', 'message_edited')
  AND message_id IN (SELECT id FROM messages WHERE deleted = 1);

-- Edited messages: every earlier event carries the current text.
UPDATE events SET payload = json_set(payload, '$.message.body',
        (SELECT body FROM messages m WHERE m.id = events.message_id))
WHERE json_extract(payload, '$.kind') IN ('message_posted', 'message_edited')
  AND message_id IN (SELECT id FROM messages WHERE deleted = 0 AND edited_at IS NOT NULL);

-- Response items quote the start of their message: none for a deleted one; for an
-- edited one the start of the current text (on one line; the app trims it for show).
UPDATE response_items SET excerpt = ''
WHERE message_id IN (SELECT id FROM messages WHERE deleted = 1);
UPDATE response_items SET excerpt = (
        SELECT substr(trim(replace(replace(replace(m.body, char(13), ' '), char(10), ' '),
                                   char(9), ' ')), 1, 140)
        FROM messages m WHERE m.id = response_items.message_id)
WHERE message_id IN (SELECT id FROM messages WHERE deleted = 0 AND edited_at IS NOT NULL);
UPDATE events SET payload = json_set(payload, '$.item.excerpt',
        (SELECT excerpt FROM response_items r
         WHERE r.id = json_extract(events.payload, '$.item.id')))
WHERE json_extract(payload, '$.kind') = 'response_item_changed'
  AND message_id IN (SELECT id FROM messages WHERE deleted = 1 OR edited_at IS NOT NULL)
  AND EXISTS (SELECT 1 FROM response_items r
              WHERE r.id = json_extract(events.payload, '$.item.id'));
UPDATE events SET payload = json_set(payload, '$.item.excerpt', '')
WHERE json_extract(payload, '$.kind') = 'response_item_changed'
  AND message_id IN (SELECT id FROM messages WHERE deleted = 1);

-- Calls escalated from a thread whose root was since deleted or edited: their title
-- quoted it ("Call: <first words>"); the generic title instead.
UPDATE meetings SET title = 'Escalated call'
WHERE escalated_from IN (SELECT id FROM messages WHERE deleted = 1 OR edited_at IS NOT NULL);
UPDATE events SET payload = json_set(payload, '$.meeting.title', 'Escalated call')
WHERE json_extract(payload, '$.kind') = 'meeting_updated'
  AND json_extract(payload, '$.meeting.id') IN (
      SELECT id FROM meetings WHERE escalated_from IN (
          SELECT id FROM messages WHERE deleted = 1 OR edited_at IS NOT NULL));

-- SQLite only (like 0003): FTS5 removes a deleted or replaced entry's terms from the
-- index b-tree itself instead of appending a delete marker that leaves the old terms
-- on disk until a merge. Then one merge drops what earlier deletes left behind.
INSERT INTO messages_fts(messages_fts, rank) VALUES('secure-delete', 1);
INSERT INTO messages_fts(messages_fts) VALUES('optimize');
