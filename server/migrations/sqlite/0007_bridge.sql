-- The async-first bridge (issue #7): urgency and response targets, who owes a response
-- to what, work schedules, escalated calls, per-join attendance, meeting notes and
-- action items. Portable SQL: TEXT uuids, INTEGER unix-ms timestamps.

-- 'critical' | 'standard' | 'low'.
ALTER TABLE messages ADD COLUMN urgency TEXT NOT NULL DEFAULT 'standard';
-- Set on a call's summary card (the meeting it summarises).
ALTER TABLE messages ADD COLUMN summary_meeting_id TEXT;
ALTER TABLE channels ADD COLUMN default_urgency TEXT NOT NULL DEFAULT 'standard';

-- Response targets per tier, in minutes.
ALTER TABLE workspace_settings ADD COLUMN sla_critical_minutes INTEGER NOT NULL DEFAULT 15;
ALTER TABLE workspace_settings ADD COLUMN sla_standard_minutes INTEGER NOT NULL DEFAULT 240;
ALTER TABLE workspace_settings ADD COLUMN sla_low_minutes INTEGER NOT NULL DEFAULT 1440;

-- A person's working hours and focus blocks (`WorkSchedule` as JSON). No row means
-- Monday to Friday 09:00-17:00 in the profile's time zone; the schedule's zone is
-- always the profile's.
CREATE TABLE user_schedules (
    user_id    TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    schedule   TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One row per person who owes a response to a message, created with the message.
CREATE TABLE response_items (
    id                   TEXT PRIMARY KEY,
    message_id           TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    channel_id           TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    thread_root_id       TEXT,
    author_id            TEXT NOT NULL REFERENCES users(id),
    owner_id             TEXT NOT NULL REFERENCES users(id),
    urgency              TEXT NOT NULL,
    excerpt              TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    due_at               INTEGER NOT NULL,
    satisfied_at         INTEGER,
    satisfied_by         TEXT,               -- 'reply' | 'acknowledged' | 'joined_call'
    escalation_offered   INTEGER NOT NULL DEFAULT 0,
    escalated_meeting_id TEXT,
    UNIQUE (message_id, owner_id)
);
CREATE INDEX response_items_by_owner ON response_items(owner_id, satisfied_at);
CREATE INDEX response_items_by_author ON response_items(author_id);
CREATE INDEX response_items_by_due ON response_items(due_at);
-- What the deadline task polls every second: Critical items that can still be offered a
-- call (a small set, whatever the table's size).
CREATE INDEX response_items_awaiting_offer ON response_items(due_at)
    WHERE urgency = 'critical' AND satisfied_at IS NULL AND escalation_offered = 0
      AND escalated_meeting_id IS NULL;

-- A meeting started by escalating a thread: the thread's root and who escalated it.
ALTER TABLE meetings ADD COLUMN escalated_from TEXT;
ALTER TABLE meetings ADD COLUMN escalated_by TEXT;
CREATE INDEX meetings_by_escalated_from ON meetings(escalated_from);

-- The distinct-attendee table of 0004 keeps its job (guests included, first join
-- only) under a name that says so; `meeting_attendance` now holds every stay in a
-- meeting of a signed-in person (guests excluded), for time-in-meetings figures.
ALTER TABLE meeting_attendance RENAME TO meeting_attendees;
CREATE TABLE meeting_attendance (
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at  INTEGER NOT NULL,
    -- NULL while they are in the room.
    left_at    INTEGER
);
CREATE INDEX meeting_attendance_by_meeting ON meeting_attendance(meeting_id, user_id);
CREATE INDEX meeting_attendance_by_user ON meeting_attendance(user_id, joined_at);

-- The host's note on a meeting (shown on its summary card).
CREATE TABLE meeting_notes (
    meeting_id TEXT PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    decisions  TEXT NOT NULL,                -- JSON array of strings
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at INTEGER NOT NULL
);

CREATE TABLE action_items (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    -- The summary card (or the meeting's card), for "open in context".
    message_id TEXT,
    text       TEXT NOT NULL,
    owner_id   TEXT NOT NULL REFERENCES users(id),
    due_at     INTEGER NOT NULL,
    done       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX action_items_by_owner ON action_items(owner_id, done, due_at);
CREATE INDEX action_items_by_meeting ON action_items(meeting_id);
