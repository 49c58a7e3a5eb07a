-- Issue 11: files finalised before cues were limited to keyframes seek badly. Each
-- finalised recording is checked once at start-up and rewritten if needed; this says
-- what that found: NULL not checked yet, 'ok' nothing to do, 'repaired' rewritten,
-- 'skipped' not WebM or no file.
ALTER TABLE recordings ADD COLUMN cue_check TEXT;
