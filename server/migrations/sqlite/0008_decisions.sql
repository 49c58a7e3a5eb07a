-- The async-first bridge, part B (issue #7): scheduled meetings, decision records, and
-- the indexes the communication-health report reads by time range. Portable SQL:
-- TEXT uuids, INTEGER unix-ms timestamps.

-- A meeting planned for later. The live meeting is started by whoever joins first
-- (from ten minutes before `start_at`); `meeting_id` then points at it.
CREATE TABLE scheduled_meetings (
    id           TEXT PRIMARY KEY,
    channel_id   TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    organiser_id TEXT NOT NULL REFERENCES users(id),
    start_at     INTEGER NOT NULL,
    end_at       INTEGER NOT NULL,
    meeting_id   TEXT REFERENCES meetings(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX scheduled_meetings_by_organiser ON scheduled_meetings(organiser_id, end_at);

-- Who is invited, in the organiser's order, with what the slot meant for them when it
-- was picked (outside their working hours; over a focus block the organiser accepted).
CREATE TABLE scheduled_meeting_participants (
    scheduled_meeting_id TEXT NOT NULL REFERENCES scheduled_meetings(id) ON DELETE CASCADE,
    user_id              TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    position             INTEGER NOT NULL,
    outside_hours        INTEGER NOT NULL DEFAULT 0,
    focus_conflict       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scheduled_meeting_id, user_id)
);
CREATE INDEX scheduled_meeting_participants_by_user ON scheduled_meeting_participants(user_id);

-- A message turned into a proposal (at most one per message).
CREATE TABLE proposals (
    id          TEXT PRIMARY KEY,
    channel_id  TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
    question    TEXT NOT NULL,
    owner_id    TEXT NOT NULL REFERENCES users(id),
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    deadline    INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'open',   -- 'open' | 'escalated' | 'decided'
    decision    TEXT,
    decided_at  INTEGER,
    decided_in  TEXT,                           -- 'async' | 'call'
    meeting_id  TEXT REFERENCES meetings(id) ON DELETE SET NULL
);
CREATE INDEX proposals_by_channel ON proposals(channel_id, created_at);
CREATE INDEX proposals_by_decided_at ON proposals(decided_at);

-- One current vote per person; voting again replaces it.
CREATE TABLE proposal_votes (
    proposal_id TEXT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    vote        TEXT NOT NULL,                  -- 'agree' | 'object' | 'abstain'
    reason      TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);

-- The health report reads a period of the whole workspace at once: messages (to find
-- those sent outside their recipients' hours), response items created in it, and
-- escalations started in it.
CREATE INDEX messages_by_created_at ON messages(created_at);
CREATE INDEX response_items_by_created_at ON response_items(created_at);
CREATE INDEX meetings_by_escalated_by ON meetings(escalated_by, started_at);
