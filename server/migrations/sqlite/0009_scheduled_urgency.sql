-- A scheduled message keeps the urgency picked in the composer (issue #7 follow-up).
-- NULL: the channel's default at the moment it is sent, as when the author sends it.
ALTER TABLE scheduled_messages ADD COLUMN urgency TEXT
    CHECK (urgency IS NULL OR urgency IN ('critical', 'standard', 'low'));
