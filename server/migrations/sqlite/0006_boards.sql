-- Whiteboards (issue #6). A board's content is its op log: every change the server
-- accepted, in `rev` order, with the time it was applied. Ops are never deleted, so the
-- board at any past moment can be rebuilt (recording playback); snapshots are only
-- checkpoints so that opening a board does not replay its whole history.

CREATE TABLE boards (
    id          TEXT PRIMARY KEY,
    channel_id  TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    -- Set for a meeting's board (shown beside the video, viewable by its guests).
    meeting_id  TEXT REFERENCES meetings(id) ON DELETE SET NULL,
    title       TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    -- Time of the last op (or of creation).
    updated_at  INTEGER NOT NULL,
    -- The last op's rev: the next op gets rev + 1 (1, 2, 3 … without gaps).
    rev         INTEGER NOT NULL DEFAULT 0,
    deleted_at  INTEGER
);
CREATE INDEX boards_by_channel ON boards(channel_id, created_at);
-- A meeting has at most one (live) board.
CREATE UNIQUE INDEX boards_by_meeting ON boards(meeting_id)
    WHERE meeting_id IS NOT NULL AND deleted_at IS NULL;

-- The meeting's board, once someone opened it (no foreign key: the two rows point at
-- each other, like a meeting and its card).
ALTER TABLE meetings ADD COLUMN board_id TEXT;

CREATE TABLE board_ops (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    rev      INTEGER NOT NULL,
    -- The sender's id for the op: a retry with the same id is recognised, not re-applied.
    op_id    TEXT NOT NULL,
    at       INTEGER NOT NULL,
    -- NULL for ops the server makes itself.
    author   TEXT REFERENCES users(id),
    -- The `BoardOp` as JSON.
    op       TEXT NOT NULL,
    PRIMARY KEY (board_id, rev),
    UNIQUE (board_id, op_id)
);
-- State at a moment: the ops up to a time.
CREATE INDEX board_ops_by_time ON board_ops(board_id, at);

-- Checkpoints written by the background compactor: the board after every op up to `rev`.
CREATE TABLE board_snapshots (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    rev      INTEGER NOT NULL,
    -- The time of op `rev`.
    at       INTEGER NOT NULL,
    -- The `BoardSnapshot` as JSON.
    snapshot TEXT NOT NULL,
    PRIMARY KEY (board_id, rev)
);
CREATE INDEX board_snapshots_by_time ON board_snapshots(board_id, at);

-- Read-only links. The token is a random secret, stored as guest invite tokens are.
CREATE TABLE board_links (
    id         TEXT PRIMARY KEY,
    board_id   TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    token      TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    -- NULL: until revoked.
    expires_at INTEGER,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX board_links_by_board ON board_links(board_id, created_at);
