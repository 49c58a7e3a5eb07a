-- Channels, direct messages, messages and what hangs off them. Portable SQL (TEXT
-- uuids, INTEGER unix-ms); full-text search is SQLite-specific and lives in 0003.

ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
-- Set when an admin deactivates the account: it can no longer sign in, but its
-- messages stay (so the row must too).
ALTER TABLE users ADD COLUMN deactivated_at INTEGER;

CREATE TABLE channels (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,            -- 'public' | 'private' | 'direct'
    name        TEXT NOT NULL,            -- '' for direct messages
    topic       TEXT NOT NULL DEFAULT '',
    archived    INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    -- Direct messages only: the sorted member ids joined with ',', so opening the
    -- same set of people again finds the same channel.
    direct_key  TEXT UNIQUE
);
-- Names are unique among named channels only (DMs all have '').
CREATE UNIQUE INDEX channels_by_name ON channels(name) WHERE kind <> 'direct';

CREATE TABLE channel_members (
    channel_id    TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at     INTEGER NOT NULL,
    last_read_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_by_user ON channel_members(user_id);

CREATE TABLE messages (
    id               TEXT PRIMARY KEY,     -- the id of the command that posted it
    channel_id       TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,     -- seq of the message_posted event
    author_id        TEXT NOT NULL REFERENCES users(id),
    body             TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    edited_at        INTEGER,
    deleted          INTEGER NOT NULL DEFAULT 0,
    thread_root_id   TEXT REFERENCES messages(id),
    also_in_channel  INTEGER NOT NULL DEFAULT 0,
    reply_count      INTEGER NOT NULL DEFAULT 0,
    last_reply_at    INTEGER,
    mentions_channel INTEGER NOT NULL DEFAULT 0,
    pinned           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_by_channel ON messages(channel_id, seq);
CREATE INDEX messages_by_thread ON messages(thread_root_id, seq);

CREATE TABLE message_mentions (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX message_mentions_by_user ON message_mentions(user_id);

CREATE TABLE reactions (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    emoji      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id)
);

-- Uploaded files. Content is stored once per SHA-256 under data_dir/files/.
CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    uploader_id  TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    message_id   TEXT REFERENCES messages(id) ON DELETE SET NULL,
    -- Set once the file was attached; an upload can be attached only once, and
    -- stays unreachable after its message is deleted.
    used         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_by_message ON attachments(message_id);

CREATE TABLE scheduled_messages (
    id             TEXT PRIMARY KEY,       -- becomes the message id when sent
    author_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel_id     TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    thread_root_id TEXT,
    body           TEXT NOT NULL,
    send_at        INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX scheduled_by_time ON scheduled_messages(send_at);
CREATE INDEX scheduled_by_author ON scheduled_messages(author_id);
