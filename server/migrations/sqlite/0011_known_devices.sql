-- Browsers an account has signed in from (issue #10, finding 5). The cookie holds a
-- random token; only its SHA-256 is stored, like sessions. A correct password from a
-- known device is never refused by the per-account log-in throttle, so guessing
-- someone's password from elsewhere cannot lock them out.
CREATE TABLE known_devices (
    token_hash   TEXT NOT NULL PRIMARY KEY,   -- hex SHA-256 of the cookie token
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
);
CREATE INDEX known_devices_by_user ON known_devices(user_id, last_used_at);
