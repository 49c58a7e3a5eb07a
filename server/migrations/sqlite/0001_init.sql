-- Portable SQL: TEXT uuids, INTEGER unix-ms timestamps, so a Postgres backend can follow.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,   -- normalized (trimmed, lower-case)
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,          -- argon2id PHC string
    role          TEXT NOT NULL,          -- 'admin' | 'member'
    status_text   TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,   -- hex SHA-256 of the cookie token
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    revoked_at   INTEGER
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE invites (
    id         TEXT PRIMARY KEY,
    token      TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- Exactly one row.
CREATE TABLE workspace_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    open_signup INTEGER NOT NULL DEFAULT 0
);
INSERT INTO workspace_settings (id, name, open_signup) VALUES (1, 'Tandem', 0);

-- The durable, global event log. One row per event; who may see it is decided on read
-- from `audience` ('workspace' for now; later 'channel:<id>', 'user:<id>').
CREATE TABLE events (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    id       TEXT NOT NULL UNIQUE,
    at       INTEGER NOT NULL,
    audience TEXT NOT NULL,
    payload  TEXT NOT NULL            -- JSON of tandem_protocol::ws::Event
);

-- Idempotency: a command id is acted on once per user; retries get the same ack.
CREATE TABLE command_log (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    command_id TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (user_id, command_id)
);
