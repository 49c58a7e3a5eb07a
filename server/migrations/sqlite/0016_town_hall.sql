-- Town halls (issue 13): speakers on stage, a view-only audience, always through the SFU.
ALTER TABLE meetings ADD COLUMN town_hall INTEGER NOT NULL DEFAULT 0;
