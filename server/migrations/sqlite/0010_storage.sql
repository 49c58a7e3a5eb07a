-- Storage accounting (issue #10, findings 3 and 12): a person's quota is the sum of
-- their uploads and recordings, and an upload's file is removed once no attachment
-- row names its content. These indexes keep both lookups off full-table scans.
CREATE INDEX attachments_by_uploader ON attachments(uploader_id);
CREATE INDEX attachments_by_content ON attachments(sha256);
CREATE INDEX recordings_by_starter ON recordings(started_by);
