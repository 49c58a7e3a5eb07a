-- Removing someone from a meeting bars them from rejoining until a host readmits them
-- (issue 10, finding 8). A guest account is made per join, so a removed guest's link
-- is barred too: otherwise the same link would make a fresh guest at once.

-- Which guest link made each guest account.
CREATE TABLE guest_arrivals (
    user_id         TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    guest_invite_id TEXT NOT NULL REFERENCES guest_invites(id) ON DELETE CASCADE
);

-- People barred from a meeting; readmitting deletes the row.
CREATE TABLE meeting_removals (
    id              TEXT PRIMARY KEY,
    meeting_id      TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The link a removed guest came with (barred with them); NULL for members.
    guest_invite_id TEXT REFERENCES guest_invites(id) ON DELETE CASCADE,
    display_name    TEXT NOT NULL,
    guest           INTEGER NOT NULL,
    removed_by      TEXT NOT NULL REFERENCES users(id),
    removed_at      INTEGER NOT NULL,
    UNIQUE (meeting_id, user_id)
);
CREATE INDEX meeting_removals_by_invite ON meeting_removals(guest_invite_id);
