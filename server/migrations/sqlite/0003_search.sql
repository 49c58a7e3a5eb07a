-- SQLite-only: the FTS5 index over message bodies, maintained by db/search.rs in the
-- same transactions that change messages. Another backend replaces this file and
-- that module only.
CREATE VIRTUAL TABLE messages_fts USING fts5(
    body,
    message_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
