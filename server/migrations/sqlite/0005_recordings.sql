-- Meeting recordings (issue #5). The media lives on disk (data_dir/recordings/<id>.webm
-- and <id>.thumb); these rows say what it is, how far the upload got and who may see it.

CREATE TABLE recordings (
    id              TEXT PRIMARY KEY,
    meeting_id      TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    channel_id      TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    started_by      TEXT NOT NULL REFERENCES users(id),
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER,
    duration_ms     INTEGER,
    size_bytes      INTEGER NOT NULL DEFAULT 0,
    -- The chunk index the upload expects next (chunks are appended strictly in order).
    next_index      INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL,          -- 'recording' | 'complete' | 'incomplete'
    mime_type       TEXT NOT NULL,
    has_thumbnail   INTEGER NOT NULL DEFAULT 0,
    -- The card posted when it was finalised (no foreign key: the card outlives a
    -- deleted recording and shows it is gone).
    card_message_id TEXT
);
-- One recording in progress per meeting.
CREATE UNIQUE INDEX recordings_active_by_meeting ON recordings(meeting_id) WHERE state = 'recording';
CREATE INDEX recordings_by_channel ON recordings(channel_id, started_at);
CREATE INDEX recordings_by_ended ON recordings(ended_at);

-- Each stored chunk's checksum, so a re-sent chunk is recognised as the same one.
CREATE TABLE recording_chunks (
    recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    PRIMARY KEY (recording_id, idx)
);

-- What happened in a meeting, for a recording's timeline: joins, leaves and screen
-- shares (with the name shown at the time, guests included).
CREATE TABLE meeting_events (
    meeting_id   TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,             -- 'joined' | 'left' | 'screen_share_started'
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX meeting_events_by_meeting ON meeting_events(meeting_id, at);

-- Set on a recording's card message.
ALTER TABLE messages ADD COLUMN recording_id TEXT;

-- Recordings older than this many days are deleted; NULL keeps them forever.
ALTER TABLE workspace_settings ADD COLUMN recording_retention_days INTEGER;
