-- Tandem's schema on Postgres: the same tables, columns and indexes as the SQLite
-- migrations (../sqlite) leave after their last file, consolidated into one, so every
-- query in server/src/db is written once for both engines. Kept equal by hand: a
-- change to the schema is a new file in both directories.
--
-- Types, chosen so that both engines hand the same values to the same query text:
-- * i64 columns (unix-ms timestamps, counts, seqs) are BIGINT.
-- * Flags stay 0/1 integers (BIGINT), as on SQLite, which has no boolean type: queries
--   compare them with `= 0` / `= 1` and bind them as integers on both engines.
-- * ids are TEXT uuids, as on SQLite. Every TEXT column is COLLATE "C": SQLite
--   compares and sorts text byte by byte and its lower() and LIKE fold ASCII only; the
--   C collation behaves the same whatever locale the database was created with.
-- * JSON stays TEXT (written and read by the server only).
-- * Tables whose queries order by SQLite's implicit `rowid` (insertion order) get an
--   identity column of that name.

CREATE TABLE users (
    id               TEXT COLLATE "C" PRIMARY KEY,
    email            TEXT COLLATE "C" NOT NULL UNIQUE,   -- normalized (trimmed, lower-case)
    display_name     TEXT COLLATE "C" NOT NULL,
    password_hash    TEXT COLLATE "C" NOT NULL,          -- argon2id PHC string
    role             TEXT COLLATE "C" NOT NULL,          -- 'admin' | 'member' | 'guest'
    status_text      TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    time_zone        TEXT COLLATE "C" NOT NULL DEFAULT 'UTC',
    deactivated_at   BIGINT,
    -- Guest accounts only; its foreign key is added once `meetings` exists.
    guest_meeting_id TEXT COLLATE "C"
);

CREATE TABLE sessions (
    id           TEXT COLLATE "C" PRIMARY KEY,
    user_id      TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT COLLATE "C" NOT NULL UNIQUE,   -- hex SHA-256 of the cookie token
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    user_agent   TEXT COLLATE "C" NOT NULL DEFAULT '',
    revoked_at   BIGINT
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE invites (
    id         TEXT COLLATE "C" PRIMARY KEY,
    token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    created_by TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    max_uses   BIGINT NOT NULL DEFAULT 1,
    uses       BIGINT NOT NULL DEFAULT 0
);

-- Exactly one row.
CREATE TABLE workspace_settings (
    id                       BIGINT PRIMARY KEY CHECK (id = 1),
    name                     TEXT COLLATE "C" NOT NULL,
    open_signup              BIGINT NOT NULL DEFAULT 0,
    recording_retention_days BIGINT,
    sla_critical_minutes     BIGINT NOT NULL DEFAULT 15,
    sla_standard_minutes     BIGINT NOT NULL DEFAULT 240,
    sla_low_minutes          BIGINT NOT NULL DEFAULT 1440
);
INSERT INTO workspace_settings (id, name, open_signup) VALUES (1, 'Tandem', 0);

-- The durable, global event log. `seq` comes from the identity's sequence, drawn while
-- the appending transaction holds the log's advisory lock (realtime/log.rs), so seq
-- order is commit order across server processes.
CREATE TABLE events (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         TEXT COLLATE "C" NOT NULL UNIQUE,
    at         BIGINT NOT NULL,
    audience   TEXT COLLATE "C" NOT NULL,
    payload    TEXT COLLATE "C" NOT NULL,             -- JSON of tandem_protocol::ws::Event
    message_id TEXT COLLATE "C"
);
CREATE INDEX events_by_message ON events(message_id) WHERE message_id IS NOT NULL;

-- Idempotency: a command id is acted on once per user; retries get the same ack.
CREATE TABLE command_log (
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    command_id TEXT COLLATE "C" NOT NULL,
    event_id   TEXT COLLATE "C" NOT NULL,
    seq        BIGINT NOT NULL,
    PRIMARY KEY (user_id, command_id)
);

CREATE TABLE channels (
    id              TEXT COLLATE "C" PRIMARY KEY,
    kind            TEXT COLLATE "C" NOT NULL,        -- 'public' | 'private' | 'direct'
    name            TEXT COLLATE "C" NOT NULL,        -- '' for direct messages
    topic           TEXT COLLATE "C" NOT NULL DEFAULT '',
    archived        BIGINT NOT NULL DEFAULT 0,
    created_by      TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    -- Direct messages only: the sorted member ids joined with ','.
    direct_key      TEXT COLLATE "C" UNIQUE,
    default_urgency TEXT COLLATE "C" NOT NULL DEFAULT 'standard'
);
CREATE UNIQUE INDEX channels_public_by_name ON channels(name) WHERE kind = 'public';
CREATE INDEX channels_by_name ON channels(name) WHERE kind <> 'direct';

CREATE TABLE channel_members (
    channel_id    TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id       TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at     BIGINT NOT NULL,
    last_read_seq BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_by_user ON channel_members(user_id);

CREATE TABLE messages (
    id                 TEXT COLLATE "C" PRIMARY KEY,   -- the id of the command that posted it
    channel_id         TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    seq                BIGINT NOT NULL,                -- seq of the message_posted event
    author_id          TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    body               TEXT COLLATE "C" NOT NULL,
    created_at         BIGINT NOT NULL,
    edited_at          BIGINT,
    deleted            BIGINT NOT NULL DEFAULT 0,
    thread_root_id     TEXT COLLATE "C" REFERENCES messages(id),
    also_in_channel    BIGINT NOT NULL DEFAULT 0,
    reply_count        BIGINT NOT NULL DEFAULT 0,
    last_reply_at      BIGINT,
    mentions_channel   BIGINT NOT NULL DEFAULT 0,
    pinned             BIGINT NOT NULL DEFAULT 0,
    meeting_id         TEXT COLLATE "C",               -- set on a meeting's card
    recording_id       TEXT COLLATE "C",               -- set on a recording's card
    urgency            TEXT COLLATE "C" NOT NULL DEFAULT 'standard',
    summary_meeting_id TEXT COLLATE "C"                -- set on a call's summary card
);
CREATE INDEX messages_by_channel ON messages(channel_id, seq);
CREATE INDEX messages_by_thread ON messages(thread_root_id, seq);
CREATE INDEX messages_by_created_at ON messages(created_at);

CREATE TABLE message_mentions (
    message_id TEXT COLLATE "C" NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX message_mentions_by_user ON message_mentions(user_id);

CREATE TABLE reactions (
    message_id TEXT COLLATE "C" NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    emoji      TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (message_id, emoji, user_id)
);

-- Uploaded files. Content is stored once per SHA-256 under data_dir/files/.
CREATE TABLE attachments (
    id           TEXT COLLATE "C" PRIMARY KEY,
    uploader_id  TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    name         TEXT COLLATE "C" NOT NULL,
    content_type TEXT COLLATE "C" NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT COLLATE "C" NOT NULL,
    created_at   BIGINT NOT NULL,
    message_id   TEXT COLLATE "C" REFERENCES messages(id) ON DELETE SET NULL,
    used         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX attachments_by_message ON attachments(message_id);
CREATE INDEX attachments_by_uploader ON attachments(uploader_id);
CREATE INDEX attachments_by_content ON attachments(sha256);

CREATE TABLE scheduled_messages (
    id             TEXT COLLATE "C" PRIMARY KEY,     -- becomes the message id when sent
    author_id      TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel_id     TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    thread_root_id TEXT COLLATE "C",
    body           TEXT COLLATE "C" NOT NULL,
    send_at        BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    urgency        TEXT COLLATE "C"
        CHECK (urgency IS NULL OR urgency IN ('critical', 'standard', 'low'))
);
CREATE INDEX scheduled_by_time ON scheduled_messages(send_at);
CREATE INDEX scheduled_by_author ON scheduled_messages(author_id);

CREATE TABLE meetings (
    id              TEXT COLLATE "C" PRIMARY KEY,
    channel_id      TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    kind            TEXT COLLATE "C" NOT NULL,        -- 'meeting' | 'call'
    title           TEXT COLLATE "C" NOT NULL,
    host_id         TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    -- The card message (no foreign key: the two rows point at each other).
    card_message_id TEXT COLLATE "C" NOT NULL UNIQUE,
    started_at      BIGINT NOT NULL,
    ended_at        BIGINT,
    locked          BIGINT NOT NULL DEFAULT 0,
    board_id        TEXT COLLATE "C",
    escalated_from  TEXT COLLATE "C",
    escalated_by    TEXT COLLATE "C",
    town_hall       BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX meetings_active_by_channel ON meetings(channel_id) WHERE ended_at IS NULL;
CREATE INDEX meetings_by_escalated_from ON meetings(escalated_from);
CREATE INDEX meetings_by_escalated_by ON meetings(escalated_by, started_at);

ALTER TABLE users ADD CONSTRAINT users_guest_meeting_id_fkey
    FOREIGN KEY (guest_meeting_id) REFERENCES meetings(id);

-- Distinct people who joined (for `attendee_count`), guests included.
CREATE TABLE meeting_attendees (
    meeting_id      TEXT COLLATE "C" NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id         TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    first_joined_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

-- Every stay of a signed-in person in a meeting (guests excluded).
CREATE TABLE meeting_attendance (
    meeting_id TEXT COLLATE "C" NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at  BIGINT NOT NULL,
    left_at    BIGINT                                 -- NULL while they are in the room
);
CREATE INDEX meeting_attendance_by_meeting ON meeting_attendance(meeting_id, user_id);
CREATE INDEX meeting_attendance_by_user ON meeting_attendance(user_id, joined_at);

CREATE TABLE guest_invites (
    id         TEXT COLLATE "C" PRIMARY KEY,
    meeting_id TEXT COLLATE "C" NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    created_by TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX guest_invites_by_meeting ON guest_invites(meeting_id);

-- Which guest link made each guest account.
CREATE TABLE guest_arrivals (
    user_id         TEXT COLLATE "C" PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    guest_invite_id TEXT COLLATE "C" NOT NULL REFERENCES guest_invites(id) ON DELETE CASCADE
);

-- People barred from a meeting; readmitting deletes the row.
CREATE TABLE meeting_removals (
    id              TEXT COLLATE "C" PRIMARY KEY,
    meeting_id      TEXT COLLATE "C" NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id         TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    guest_invite_id TEXT COLLATE "C" REFERENCES guest_invites(id) ON DELETE CASCADE,
    display_name    TEXT COLLATE "C" NOT NULL,
    guest           BIGINT NOT NULL,
    removed_by      TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    removed_at      BIGINT NOT NULL,
    UNIQUE (meeting_id, user_id)
);
CREATE INDEX meeting_removals_by_invite ON meeting_removals(guest_invite_id);

-- Meeting recordings: the media lives on disk (data_dir/recordings/).
CREATE TABLE recordings (
    id              TEXT COLLATE "C" PRIMARY KEY,
    meeting_id      TEXT COLLATE "C" NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    channel_id      TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    title           TEXT COLLATE "C" NOT NULL,
    started_by      TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    started_at      BIGINT NOT NULL,
    ended_at        BIGINT,
    duration_ms     BIGINT,
    size_bytes      BIGINT NOT NULL DEFAULT 0,
    next_index      BIGINT NOT NULL DEFAULT 0,
    state           TEXT COLLATE "C" NOT NULL,        -- 'recording' | 'complete' | 'incomplete'
    mime_type       TEXT COLLATE "C" NOT NULL,
    has_thumbnail   BIGINT NOT NULL DEFAULT 0,
    card_message_id TEXT COLLATE "C",
    -- NULL not checked yet, 'ok', 'repaired' or 'skipped' (issue 11).
    cue_check       TEXT COLLATE "C"
);
CREATE UNIQUE INDEX recordings_active_by_meeting ON recordings(meeting_id)
    WHERE state = 'recording';
CREATE INDEX recordings_by_channel ON recordings(channel_id, started_at);
CREATE INDEX recordings_by_ended ON recordings(ended_at);
CREATE INDEX recordings_by_starter ON recordings(started_by);

CREATE TABLE recording_chunks (
    recording_id TEXT COLLATE "C" NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    idx          BIGINT NOT NULL,
    sha256       TEXT COLLATE "C" NOT NULL,
    size         BIGINT NOT NULL,
    PRIMARY KEY (recording_id, idx)
);

-- Joins, leaves and screen shares, for a recording's timeline.
CREATE TABLE meeting_events (
    meeting_id   TEXT COLLATE "C" NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    kind         TEXT COLLATE "C" NOT NULL,       -- 'joined' | 'left' | 'screen_share_started'
    user_id      TEXT COLLATE "C" NOT NULL,
    display_name TEXT COLLATE "C" NOT NULL,
    at           BIGINT NOT NULL,
    rowid        BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX meeting_events_by_meeting ON meeting_events(meeting_id, at);

-- Whiteboards: a board's content is its op log; snapshots are checkpoints.
CREATE TABLE boards (
    id         TEXT COLLATE "C" PRIMARY KEY,
    channel_id TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    meeting_id TEXT COLLATE "C" REFERENCES meetings(id) ON DELETE SET NULL,
    title      TEXT COLLATE "C" NOT NULL,
    created_by TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    rev        BIGINT NOT NULL DEFAULT 0,
    deleted_at BIGINT
);
CREATE INDEX boards_by_channel ON boards(channel_id, created_at);
CREATE UNIQUE INDEX boards_by_meeting ON boards(meeting_id)
    WHERE meeting_id IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE board_ops (
    board_id TEXT COLLATE "C" NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    rev      BIGINT NOT NULL,
    op_id    TEXT COLLATE "C" NOT NULL,
    at       BIGINT NOT NULL,
    author   TEXT COLLATE "C" REFERENCES users(id),
    op       TEXT COLLATE "C" NOT NULL,           -- the `BoardOp` as JSON
    PRIMARY KEY (board_id, rev),
    UNIQUE (board_id, op_id)
);
CREATE INDEX board_ops_by_time ON board_ops(board_id, at);

CREATE TABLE board_snapshots (
    board_id TEXT COLLATE "C" NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    rev      BIGINT NOT NULL,
    at       BIGINT NOT NULL,
    snapshot TEXT COLLATE "C" NOT NULL,           -- the `BoardSnapshot` as JSON
    PRIMARY KEY (board_id, rev)
);
CREATE INDEX board_snapshots_by_time ON board_snapshots(board_id, at);

CREATE TABLE board_links (
    id         TEXT COLLATE "C" PRIMARY KEY,
    board_id   TEXT COLLATE "C" NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    created_by TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX board_links_by_board ON board_links(board_id, created_at);

-- A person's working hours and focus blocks (`WorkSchedule` as JSON).
CREATE TABLE user_schedules (
    user_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    schedule   TEXT COLLATE "C" NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One row per person who owes a response to a message.
CREATE TABLE response_items (
    id                   TEXT COLLATE "C" PRIMARY KEY,
    message_id           TEXT COLLATE "C" NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    channel_id           TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    thread_root_id       TEXT COLLATE "C",
    author_id            TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    owner_id             TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    urgency              TEXT COLLATE "C" NOT NULL,
    excerpt              TEXT COLLATE "C" NOT NULL,
    created_at           BIGINT NOT NULL,
    due_at               BIGINT NOT NULL,
    satisfied_at         BIGINT,
    satisfied_by         TEXT COLLATE "C",  -- 'reply' | 'acknowledged' | 'joined_call'
    escalation_offered   BIGINT NOT NULL DEFAULT 0,
    escalated_meeting_id TEXT COLLATE "C",
    UNIQUE (message_id, owner_id)
);
CREATE INDEX response_items_by_owner ON response_items(owner_id, satisfied_at);
CREATE INDEX response_items_by_author ON response_items(author_id);
CREATE INDEX response_items_by_due ON response_items(due_at);
CREATE INDEX response_items_by_created_at ON response_items(created_at);
CREATE INDEX response_items_awaiting_offer ON response_items(due_at)
    WHERE urgency = 'critical' AND satisfied_at IS NULL AND escalation_offered = 0
      AND escalated_meeting_id IS NULL;

-- The host's note on a meeting (shown on its summary card).
CREATE TABLE meeting_notes (
    meeting_id TEXT COLLATE "C" PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
    text       TEXT COLLATE "C" NOT NULL,
    decisions  TEXT COLLATE "C" NOT NULL,           -- JSON array of strings
    updated_by TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    updated_at BIGINT NOT NULL
);

CREATE TABLE action_items (
    id         TEXT COLLATE "C" PRIMARY KEY,
    meeting_id TEXT COLLATE "C" NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    channel_id TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    message_id TEXT COLLATE "C",
    text       TEXT COLLATE "C" NOT NULL,
    owner_id   TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    due_at     BIGINT NOT NULL,
    done       BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX action_items_by_owner ON action_items(owner_id, done, due_at);
CREATE INDEX action_items_by_meeting ON action_items(meeting_id);

-- Meetings planned for later.
CREATE TABLE scheduled_meetings (
    id           TEXT COLLATE "C" PRIMARY KEY,
    channel_id   TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    title        TEXT COLLATE "C" NOT NULL,
    organiser_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    start_at     BIGINT NOT NULL,
    end_at       BIGINT NOT NULL,
    meeting_id   TEXT COLLATE "C" REFERENCES meetings(id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX scheduled_meetings_by_organiser ON scheduled_meetings(organiser_id, end_at);

CREATE TABLE scheduled_meeting_participants (
    scheduled_meeting_id TEXT COLLATE "C" NOT NULL
        REFERENCES scheduled_meetings(id) ON DELETE CASCADE,
    user_id              TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    position             BIGINT NOT NULL,
    outside_hours        BIGINT NOT NULL DEFAULT 0,
    focus_conflict       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (scheduled_meeting_id, user_id)
);
CREATE INDEX scheduled_meeting_participants_by_user
    ON scheduled_meeting_participants(user_id);

-- Decision records made from messages, and each member's current vote.
CREATE TABLE proposals (
    id         TEXT COLLATE "C" PRIMARY KEY,
    channel_id TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    message_id TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
    question   TEXT COLLATE "C" NOT NULL,
    owner_id   TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    created_by TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    deadline   BIGINT NOT NULL,
    state      TEXT COLLATE "C" NOT NULL DEFAULT 'open',   -- 'open' | 'escalated' | 'decided'
    decision   TEXT COLLATE "C",
    decided_at BIGINT,
    decided_in TEXT COLLATE "C",                           -- 'async' | 'call'
    meeting_id TEXT COLLATE "C" REFERENCES meetings(id) ON DELETE SET NULL
);
CREATE INDEX proposals_by_channel ON proposals(channel_id, created_at);
CREATE INDEX proposals_by_decided_at ON proposals(decided_at);

CREATE TABLE proposal_votes (
    proposal_id TEXT COLLATE "C" NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    user_id     TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    vote        TEXT COLLATE "C" NOT NULL,                 -- 'agree' | 'object' | 'abstain'
    reason      TEXT COLLATE "C" NOT NULL DEFAULT '',
    at          BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);

-- Browsers an account has signed in from (only the SHA-256 of the cookie token).
CREATE TABLE known_devices (
    token_hash   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_id      TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX known_devices_by_user ON known_devices(user_id, last_used_at);

-- Full-text search, in place of SQLite's FTS5 table (db/search/tsvector.rs keeps it in
-- step with `messages` in the same transactions, as db/search/fts5.rs does there).
-- Like FTS5's `unicode61 remove_diacritics 2`, words are matched without case or
-- accents: the `simple` dictionary lower-cases, `unaccent` (a trusted extension that
-- ships with Postgres) strips the accents first.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION tandem_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION tandem_search
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- One row per message, keyed like the FTS5 rowid by the message's `seq`. `words` is the
-- body with every character that is not a letter or digit made a space (so words split
-- as FTS5 splits them, see the module), `document` its terms.
CREATE TABLE messages_search (
    seq        BIGINT PRIMARY KEY,
    message_id TEXT COLLATE "C" NOT NULL,
    words      TEXT COLLATE "C" NOT NULL,
    document   tsvector NOT NULL
);
CREATE INDEX messages_search_by_document ON messages_search USING GIN (document);
