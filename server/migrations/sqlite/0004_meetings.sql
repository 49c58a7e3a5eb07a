-- Meetings and calls (issue #4). Who is in a room right now is live state in memory;
-- only what outlives a restart is here: the meeting, who attended, guest links and the
-- guest accounts they created.

CREATE TABLE meetings (
    id              TEXT PRIMARY KEY,
    channel_id      TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,            -- 'meeting' | 'call'
    title           TEXT NOT NULL,
    host_id         TEXT NOT NULL REFERENCES users(id),
    -- The card message (posted in the same transaction, right after this row, so no
    -- foreign key: the two rows point at each other).
    card_message_id TEXT NOT NULL UNIQUE,
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER,
    locked          INTEGER NOT NULL DEFAULT 0
);
-- One active meeting per channel.
CREATE UNIQUE INDEX meetings_active_by_channel ON meetings(channel_id) WHERE ended_at IS NULL;

-- Distinct people who joined (for `attendee_count`).
CREATE TABLE meeting_attendance (
    meeting_id      TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    first_joined_at INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE guest_invites (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    token      TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX guest_invites_by_meeting ON guest_invites(meeting_id);

-- Guest accounts (role 'guest') belong to exactly one meeting and end with it.
ALTER TABLE users ADD COLUMN guest_meeting_id TEXT REFERENCES meetings(id);
-- Set on a meeting's card message.
ALTER TABLE messages ADD COLUMN meeting_id TEXT;
