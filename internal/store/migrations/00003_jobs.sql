-- +goose Up
-- Scheduled jobs (internal/jobs, its only writer). Same conventions as 00001: times are Unix
-- milliseconds, one set of queries serves both engines.

-- One row per job and period: the claim that makes the period run on one instance only (the
-- primary key refuses a second claim), then its outcome. state is 'running' from the claim,
-- 'done' or 'failed' after. lease_until is when another instance may retake the period: for a
-- running claim the end of its lease (its instance died if it is still running then), for a
-- failed one the time of the retry. Rows older than 30 days are deleted as new runs finish.
CREATE TABLE job_runs (
    name             TEXT NOT NULL,
    period           BIGINT NOT NULL,
    instance         TEXT NOT NULL,
    attempt          INTEGER NOT NULL DEFAULT 1,
    state            TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    started_at       BIGINT NOT NULL,
    lease_until      BIGINT NOT NULL,
    finished_at      BIGINT NOT NULL DEFAULT 0,
    duration_ms      BIGINT NOT NULL DEFAULT 0,
    error            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (name, period)
);
CREATE INDEX job_runs_state ON job_runs (state, name);

-- One row per job that has ever been claimed: totals and the last finished run, for the admin
-- page and /metrics. last_error is empty when the last run succeeded.
CREATE TABLE job_status (
    name             TEXT PRIMARY KEY,
    runs             BIGINT NOT NULL DEFAULT 0,
    failures         BIGINT NOT NULL DEFAULT 0,
    last_period      BIGINT NOT NULL DEFAULT 0,
    last_started     BIGINT NOT NULL DEFAULT 0,
    last_duration_ms BIGINT NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    last_success     BIGINT NOT NULL DEFAULT 0
);
