-- +goose Up
-- @ID@ is the identity column of the dialect (see store.Migrate).
-- Times are Unix milliseconds (BIGINT) and flags are 0/1 integers on both engines, so that one set
-- of queries serves SQLite and PostgreSQL alike. A service day is 'YYYY-MM-DD' in the hall's zone.

CREATE TABLE halls (
    id               @ID@,
    number           INTEGER NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    name_en          TEXT NOT NULL DEFAULT '',
    timezone         TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    always_open      INTEGER NOT NULL DEFAULT 0,
    open_time        TEXT NOT NULL DEFAULT '09:00',
    close_time       TEXT NOT NULL DEFAULT '17:00',
    weekdays         TEXT NOT NULL DEFAULT '12345',
    max_recalls      INTEGER NOT NULL DEFAULT 3,
    priority_streak  INTEGER NOT NULL DEFAULT 2,
    free_pause_min   INTEGER NOT NULL DEFAULT 15,
    peak_waiting     INTEGER NOT NULL DEFAULT 30,
    long_wait_min    INTEGER NOT NULL DEFAULT 30,
    target_wait_min  INTEGER NOT NULL DEFAULT 20
);

CREATE TABLE services (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    name             TEXT NOT NULL,
    name_en          TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL DEFAULT '',
    prefix           TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('consult', 'handle', 'complaint')),
    time_limit_days  INTEGER NOT NULL DEFAULT 0,
    std_minutes      INTEGER NOT NULL DEFAULT 10,
    daily_cap        INTEGER NOT NULL DEFAULT 0,
    alert_waiting    INTEGER NOT NULL DEFAULT 0,
    issue_start      TEXT NOT NULL DEFAULT '',
    issue_end        TEXT NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1,
    position         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (hall_id, prefix)
);

CREATE TABLE materials (
    id               @ID@,
    service_id       BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    original         INTEGER NOT NULL DEFAULT 1,
    copies           INTEGER NOT NULL DEFAULT 1,
    required_when    TEXT NOT NULL DEFAULT '',
    position         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE priority_classes (
    id               @ID@,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    name_en          TEXT NOT NULL DEFAULT '',
    position         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE staff (
    id               @ID@,
    username         TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'clerk')),
    hall_id          BIGINT REFERENCES halls(id),
    password_hash    TEXT NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       BIGINT NOT NULL,
    failed_logins    INTEGER NOT NULL DEFAULT 0,
    locked_until     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE windows (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    number           INTEGER NOT NULL,
    name             TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'paused')),
    clerk_id         BIGINT REFERENCES staff(id),
    home_clerk_id    BIGINT REFERENCES staff(id),
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
    priority_streak  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (hall_id, number)
);

CREATE TABLE window_services (
    window_id        BIGINT NOT NULL REFERENCES windows(id) ON DELETE CASCADE,
    service_id       BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    rank             INTEGER NOT NULL,
    PRIMARY KEY (window_id, service_id)
);

CREATE TABLE sessions (
    token_hash       TEXT PRIMARY KEY,
    staff_id         BIGINT NOT NULL REFERENCES staff(id),
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL
);

-- The last number issued per hall, day and prefix; incremented by an upsert so two kiosks never
-- print the same number.
CREATE TABLE ticket_numbers (
    hall_id          BIGINT NOT NULL,
    day              TEXT NOT NULL,
    prefix           TEXT NOT NULL,
    last             INTEGER NOT NULL,
    PRIMARY KEY (hall_id, day, prefix)
);

CREATE TABLE tickets (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    service_id       BIGINT NOT NULL REFERENCES services(id),
    first_service_id BIGINT NOT NULL REFERENCES services(id),
    day              TEXT NOT NULL,
    prefix           TEXT NOT NULL,
    number           INTEGER NOT NULL,
    token            TEXT NOT NULL UNIQUE,
    priority_class   TEXT NOT NULL DEFAULT '',
    channel          TEXT NOT NULL DEFAULT 'kiosk',
    state            TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'serving', 'done', 'skipped')),
    taken_at         BIGINT NOT NULL,
    queued_at        BIGINT NOT NULL,
    called_at        BIGINT NOT NULL DEFAULT 0,
    started_at       BIGINT NOT NULL DEFAULT 0,
    finished_at      BIGINT NOT NULL DEFAULT 0,
    window_id        BIGINT REFERENCES windows(id),
    clerk_id         BIGINT REFERENCES staff(id),
    target_window_id BIGINT REFERENCES windows(id),
    recalls          INTEGER NOT NULL DEFAULT 0,
    skips            INTEGER NOT NULL DEFAULT 0,
    transfers        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (hall_id, day, prefix, number)
);
CREATE INDEX tickets_waiting ON tickets (hall_id, state, service_id, queued_at);
CREATE INDEX tickets_window ON tickets (window_id, state);
CREATE INDEX tickets_day ON tickets (hall_id, day);
-- The wait estimate reads a service's latest finished tickets; without this index it scans the
-- service's whole history (docs/BENCHMARKS.md, "Queue").
CREATE INDEX tickets_done ON tickets (service_id, state, finished_at);

-- Every call and recall, for the display board and for analysis.
CREATE TABLE calls (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    ticket_id        BIGINT NOT NULL REFERENCES tickets(id),
    window_id        BIGINT NOT NULL REFERENCES windows(id),
    at               BIGINT NOT NULL,
    kind             TEXT NOT NULL
);
CREATE INDEX calls_hall ON calls (hall_id, id);

-- Who did what and when: every change made by staff.
CREATE TABLE audit_log (
    id               @ID@,
    at               BIGINT NOT NULL,
    staff_id         BIGINT,
    username         TEXT NOT NULL DEFAULT '',
    hall_id          BIGINT,
    action           TEXT NOT NULL,
    target           TEXT NOT NULL DEFAULT '',
    detail           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit_log (at);
