-- Several server processes on one database (realtime::cluster). SQLite is one process
-- and has none of this.

-- Each process's heartbeat: a node not seen for a few seconds is gone.
-- `url`: where the other nodes reach it (for requests about a room it holds).
CREATE TABLE cluster_nodes (
    node_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    seen_at BIGINT NOT NULL
);

-- The process that holds a meeting's or a board's live room ("meeting:<id>").
CREATE TABLE live_owners (
    resource TEXT PRIMARY KEY,
    node_id TEXT NOT NULL
);

-- Bus messages too large for a NOTIFY payload: the notification names the row.
CREATE TABLE bus_spill (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
