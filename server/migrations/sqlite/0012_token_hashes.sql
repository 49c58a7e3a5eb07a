-- Secrets at rest (issue 10, finding 11). Invite, guest-link and board-link tokens were
-- stored as they are sent; from now on only their hex SHA-256 is (like session tokens).
--
-- Existing links are invalidated, not hashed: SQL has no SHA-256 here, and a link that
-- sat in plaintext in the file (and in backups of it) must be treated as leaked anyway.
-- Their rows stay, revoked, so lists still show them; the old secret is overwritten with
-- a value no SHA-256 hex can equal (it contains ':').

ALTER TABLE invites RENAME COLUMN token TO token_hash;
-- Invites admit a fixed number of sign-ups (default one) before they are used up.
ALTER TABLE invites ADD COLUMN max_uses INTEGER NOT NULL DEFAULT 1;
ALTER TABLE invites ADD COLUMN uses INTEGER NOT NULL DEFAULT 0;
UPDATE invites
SET token_hash = 'invalidated:' || id,
    revoked_at = COALESCE(revoked_at, CAST(strftime('%s', 'now') AS INTEGER) * 1000);

ALTER TABLE guest_invites RENAME COLUMN token TO token_hash;
UPDATE guest_invites
SET token_hash = 'invalidated:' || id,
    revoked_at = COALESCE(revoked_at, CAST(strftime('%s', 'now') AS INTEGER) * 1000);

-- Board links always expire now; a NULL left on an old (revoked) row reads as its
-- creation time.
ALTER TABLE board_links RENAME COLUMN token TO token_hash;
UPDATE board_links
SET token_hash = 'invalidated:' || id,
    revoked = 1,
    expires_at = COALESCE(expires_at, created_at);

-- Private channel names (finding 10): a name only has to be unique among channels the
-- creator can see, so making or renaming a channel never reveals a private channel's
-- name. Public channels are visible to everyone, so they stay unique among themselves;
-- the rest of the rule (private vs. what the creator can see) is checked in
-- `db::channels::name_taken_for`.
DROP INDEX channels_by_name;
CREATE UNIQUE INDEX channels_public_by_name ON channels(name) WHERE kind = 'public';
CREATE INDEX channels_by_name ON channels(name) WHERE kind <> 'direct';
