-- +goose Up
-- The working-day calendar (internal/calendar): days an administrator closes (working = 0) or
-- opens (working = 1) against the national holiday data. scope is a hall's id, or 0 for every
-- hall; it has no foreign key because 0 names no hall and the calendar knows no halls. day is
-- 'YYYY-MM-DD' (a civil date), created_at Unix milliseconds, as in 00001.
CREATE TABLE calendar_days (
    scope            BIGINT NOT NULL,
    day              TEXT NOT NULL,
    working          INTEGER NOT NULL CHECK (working IN (0, 1)),
    note             TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (scope, day)
);
