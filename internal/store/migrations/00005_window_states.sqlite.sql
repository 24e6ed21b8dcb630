-- +goose Up
-- A window's live state (open, paused, who is signed in, the pause asked for) moves out of
-- windows into window_states: the queue owns it, the catalogue (org) owns the window's
-- configuration. The PostgreSQL file of this version drops the old columns; SQLite cannot drop
-- clerk_id (a foreign key) without rebuilding windows, so it keeps that one column, unused.
CREATE TABLE window_states (
    window_id        BIGINT PRIMARY KEY REFERENCES windows(id) ON DELETE CASCADE,
    state            TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'paused')),
    clerk_id         BIGINT REFERENCES staff(id),
    opened_at        BIGINT NOT NULL DEFAULT 0,
    pause_reason     TEXT NOT NULL DEFAULT '',
    pause_note       TEXT NOT NULL DEFAULT '',
    paused_at        BIGINT NOT NULL DEFAULT 0,
    pause_until      BIGINT NOT NULL DEFAULT 0,
    pending_reason   TEXT NOT NULL DEFAULT '',
    pending_note     TEXT NOT NULL DEFAULT '',
    pending_minutes  INTEGER NOT NULL DEFAULT 0,
    pending_at       BIGINT NOT NULL DEFAULT 0,
    pending_approved INTEGER NOT NULL DEFAULT 0,
    priority_streak  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO window_states (window_id, state, clerk_id, opened_at, pause_reason, pause_note, paused_at, pause_until,
    pending_reason, pending_note, pending_minutes, pending_at, pending_approved, priority_streak)
SELECT id, state, clerk_id, opened_at, pause_reason, pause_note, paused_at, pause_until,
    pending_reason, pending_note, pending_minutes, pending_at, pending_approved, priority_streak FROM windows;
CREATE INDEX window_states_clerk ON window_states (clerk_id);
UPDATE windows SET clerk_id = NULL;
ALTER TABLE windows DROP COLUMN state;
ALTER TABLE windows DROP COLUMN opened_at;
ALTER TABLE windows DROP COLUMN pause_reason;
ALTER TABLE windows DROP COLUMN pause_note;
ALTER TABLE windows DROP COLUMN paused_at;
ALTER TABLE windows DROP COLUMN pause_until;
ALTER TABLE windows DROP COLUMN pending_reason;
ALTER TABLE windows DROP COLUMN pending_note;
ALTER TABLE windows DROP COLUMN pending_minutes;
ALTER TABLE windows DROP COLUMN pending_at;
ALTER TABLE windows DROP COLUMN pending_approved;
ALTER TABLE windows DROP COLUMN priority_streak;
