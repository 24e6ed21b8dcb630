-- +goose Up
-- Case files (办件), one-time notices, back-office departments, and the department handler role
-- (the SQLite file of this version rebuilds staff for the same CHECK).
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check CHECK (role IN ('admin', 'supervisor', 'clerk', 'handler'));
-- Back-office departments (前台综合受理、后台分类审批) and who handles their work.
CREATE TABLE departments (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    name             TEXT NOT NULL,
    name_en          TEXT NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (hall_id, name)
);
CREATE TABLE department_members (
    staff_id         BIGINT PRIMARY KEY REFERENCES staff(id),
    department_id    BIGINT NOT NULL REFERENCES departments(id)
);
-- A case (办件): one matter of one citizen, from the counter to the result handed out.
CREATE TABLE cases (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    service_id       BIGINT NOT NULL REFERENCES services(id),
    number           TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL,
    ticket_id        BIGINT REFERENCES tickets(id),
    last_ticket_id   BIGINT REFERENCES tickets(id),
    applicant        TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    assisted         INTEGER NOT NULL DEFAULT 0,
    assist_note      TEXT NOT NULL DEFAULT '',
    dishonest        INTEGER NOT NULL DEFAULT 0,
    opened_by        BIGINT REFERENCES staff(id),
    opened_at        BIGINT NOT NULL,
    review_at        BIGINT NOT NULL DEFAULT 0,
    accepted_at      BIGINT NOT NULL DEFAULT 0,
    decided_at       BIGINT NOT NULL DEFAULT 0,
    completed_at     BIGINT NOT NULL DEFAULT 0,
    delivered_at     BIGINT NOT NULL DEFAULT 0,
    limit_days       INTEGER NOT NULL DEFAULT 0,
    extended_days    INTEGER NOT NULL DEFAULT 0,
    department_id    BIGINT REFERENCES departments(id),
    pending_item     TEXT NOT NULL DEFAULT '',
    pending_due      TEXT NOT NULL DEFAULT '',
    returns          INTEGER NOT NULL DEFAULT 0,
    reject_rule      TEXT NOT NULL DEFAULT '',
    result_note      TEXT NOT NULL DEFAULT '',
    pickup_window_id BIGINT REFERENCES windows(id),
    updated_at       BIGINT NOT NULL
);
CREATE INDEX cases_hall_state ON cases (hall_id, state);
CREATE INDEX cases_ticket ON cases (last_ticket_id);
CREATE INDEX cases_department ON cases (department_id, state);
-- The timeline: every step with who took it and when.
CREATE TABLE case_events (
    id               @ID@,
    case_id          BIGINT NOT NULL REFERENCES cases(id),
    at               BIGINT NOT NULL,
    staff_id         BIGINT REFERENCES staff(id),
    actor            TEXT NOT NULL,
    step             TEXT NOT NULL,
    from_state       TEXT NOT NULL,
    to_state         TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (case_id, id);
-- The checklist's result per material of the service.
CREATE TABLE case_materials (
    case_id          BIGINT NOT NULL REFERENCES cases(id),
    position         INTEGER NOT NULL,
    name             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('ok', 'missing', 'faulty', 'na')),
    note             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, position)
);
-- The one-time notice (一次性告知书): at most one per case.
CREATE TABLE notices (
    id               @ID@,
    case_id          BIGINT NOT NULL UNIQUE REFERENCES cases(id),
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    reference        TEXT NOT NULL UNIQUE,
    code             TEXT NOT NULL UNIQUE,
    body             TEXT NOT NULL,
    bring_by         TEXT NOT NULL,
    issued_at        BIGINT NOT NULL,
    issued_by        BIGINT REFERENCES staff(id)
);
-- Stopped clocks: hearing, testing, expert review (行政许可法 art. 45).
CREATE TABLE case_suspensions (
    id               @ID@,
    case_id          BIGINT NOT NULL REFERENCES cases(id),
    reason           TEXT NOT NULL,
    started_at       BIGINT NOT NULL,
    ended_at         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX case_suspensions_case ON case_suspensions (case_id);
-- 首问负责: a citizen handed to another window, to whom and why.
CREATE TABLE handoffs (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    ticket_id        BIGINT REFERENCES tickets(id),
    case_id          BIGINT REFERENCES cases(id),
    from_staff_id    BIGINT REFERENCES staff(id),
    from_window_id   BIGINT REFERENCES windows(id),
    to_window_id     BIGINT REFERENCES windows(id),
    reason           TEXT NOT NULL,
    at               BIGINT NOT NULL
);
-- Each case node that went overdue, once (the scheduled job's record).
CREATE TABLE case_overdue (
    case_id          BIGINT NOT NULL REFERENCES cases(id),
    node             TEXT NOT NULL,
    due              TEXT NOT NULL,
    at               BIGINT NOT NULL,
    PRIMARY KEY (case_id, node)
);
