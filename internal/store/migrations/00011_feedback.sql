-- +goose Up
-- Ratings (好差评), their rectifications (差评整改), complaints (投诉) and call-back surveys
-- (定期回访): internal/feedback owns every table here. Days are the hall's civil dates
-- 'YYYY-MM-DD'; times Unix milliseconds; flags 0/1, as in 00001.

-- A hall's own numbers; a hall without a row uses the defaults of feedback.DefaultSettings.
CREATE TABLE feedback_settings (
    hall_id          BIGINT PRIMARY KEY REFERENCES halls(id),
    rate_span_days   INTEGER NOT NULL,
    contact_days     INTEGER NOT NULL,
    rectify_days     INTEGER NOT NULL,
    sign_days        INTEGER NOT NULL,
    general_days     INTEGER NOT NULL,
    major_days       INTEGER NOT NULL,
    urgent_days      INTEGER NOT NULL,
    updated_at       BIGINT NOT NULL
);

-- A rating pad paired to a window. The pairing code is typed on the pad by a supervisor once;
-- the pad then holds a device token (stored here only as its SHA-256).
CREATE TABLE rating_pads (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    window_id        BIGINT NOT NULL REFERENCES windows(id),
    code_hash        TEXT NOT NULL DEFAULT '',
    code_expires     BIGINT NOT NULL DEFAULT 0,
    code_tries       INTEGER NOT NULL DEFAULT 0,
    token_hash       TEXT NOT NULL DEFAULT '',
    paired_at        BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    created_by       BIGINT REFERENCES staff(id),
    revoked          INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX rating_pads_window ON rating_pads (window_id);
CREATE INDEX rating_pads_token ON rating_pads (token_hash);

-- One rating per ticket (一次一评): the UNIQUE ticket_id keeps exactly one of two sent at once.
CREATE TABLE ratings (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    ticket_id        BIGINT NOT NULL UNIQUE REFERENCES tickets(id),
    window_id        BIGINT REFERENCES windows(id),
    clerk_id         BIGINT REFERENCES staff(id),
    service_id       BIGINT NOT NULL REFERENCES services(id),
    source           TEXT NOT NULL CHECK (source IN ('pad', 'phone')),
    level            INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    tags             TEXT NOT NULL DEFAULT '',
    comment          TEXT NOT NULL DEFAULT '',
    contact_phone    TEXT NOT NULL DEFAULT '',
    followup         TEXT NOT NULL DEFAULT '',
    followup_at      BIGINT NOT NULL DEFAULT 0,
    day              TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    excluded         INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1))
);
CREATE INDEX ratings_hall_day ON ratings (hall_id, day);

-- A bad rating's rectification; state follows feedback.RectFlow.
CREATE TABLE rectifications (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    rating_id        BIGINT NOT NULL UNIQUE REFERENCES ratings(id),
    code             TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL,
    opened_day       TEXT NOT NULL,
    contact_due      TEXT NOT NULL,
    due              TEXT NOT NULL,
    contacted_at     BIGINT NOT NULL DEFAULT 0,
    contact_note     TEXT NOT NULL DEFAULT '',
    verdict          TEXT NOT NULL DEFAULT '',
    fix_by           TEXT NOT NULL DEFAULT '',
    cause            TEXT NOT NULL DEFAULT '',
    fix              TEXT NOT NULL DEFAULT '',
    reported_at      BIGINT NOT NULL DEFAULT 0,
    appeal_reason    TEXT NOT NULL DEFAULT '',
    appeal_decision  TEXT NOT NULL DEFAULT '',
    callback_outcome TEXT NOT NULL DEFAULT '',
    callback_response TEXT NOT NULL DEFAULT '',
    called_back_at   BIGINT NOT NULL DEFAULT 0,
    escalated_contact_at BIGINT NOT NULL DEFAULT 0,
    escalated_at     BIGINT NOT NULL DEFAULT 0,
    closed_at        BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX rectifications_hall ON rectifications (hall_id, state);
-- The hall screen's change marker reads MAX(updated_at) per hall on every change of the hall.
CREATE INDEX rectifications_changed ON rectifications (hall_id, updated_at);

-- A complaint; state follows feedback.ComplaintFlow. The complainant's name and phone are kept
-- for the feedback call and shown masked.
CREATE TABLE complaints (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    code             TEXT NOT NULL UNIQUE,
    token            TEXT NOT NULL UNIQUE,
    channel          TEXT NOT NULL,
    topic            TEXT NOT NULL,
    text             TEXT NOT NULL,
    contact_name     TEXT NOT NULL DEFAULT '',
    contact_phone    TEXT NOT NULL DEFAULT '',
    ticket_id        BIGINT REFERENCES tickets(id),
    window_id        BIGINT REFERENCES windows(id),
    clerk_id         BIGINT REFERENCES staff(id),
    service_id       BIGINT REFERENCES services(id),
    state            TEXT NOT NULL,
    class            TEXT NOT NULL DEFAULT '',
    department       TEXT NOT NULL DEFAULT '',
    priority         INTEGER NOT NULL DEFAULT 0,
    received_day     TEXT NOT NULL,
    sign_due         TEXT NOT NULL,
    due              TEXT NOT NULL DEFAULT '',
    listened         INTEGER NOT NULL DEFAULT 0,
    apologised       INTEGER NOT NULL DEFAULT 0,
    action           TEXT NOT NULL DEFAULT '',
    result           TEXT NOT NULL DEFAULT '',
    upheld           INTEGER NOT NULL DEFAULT 0,
    opinion          TEXT NOT NULL DEFAULT '',
    reopens          INTEGER NOT NULL DEFAULT 0,
    cause            TEXT NOT NULL DEFAULT '',
    improvement      TEXT NOT NULL DEFAULT '',
    escalated_sign_at BIGINT NOT NULL DEFAULT 0,
    escalated_at     BIGINT NOT NULL DEFAULT 0,
    created_by       BIGINT REFERENCES staff(id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    closed_at        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX complaints_hall ON complaints (hall_id, state);
CREATE INDEX complaints_changed ON complaints (hall_id, updated_at);

-- Every step of a rectification or a complaint, for its history (no personal data).
CREATE TABLE feedback_steps (
    id               @ID@,
    kind             TEXT NOT NULL CHECK (kind IN ('rectification', 'complaint')),
    ref_id           BIGINT NOT NULL,
    at               BIGINT NOT NULL,
    by_name          TEXT NOT NULL,
    action           TEXT NOT NULL,
    from_state       TEXT NOT NULL,
    to_state         TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feedback_steps_ref ON feedback_steps (kind, ref_id);

-- Call-back surveys (定期回访): one row per citizen drawn; level once called.
CREATE TABLE survey_calls (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    source           TEXT NOT NULL,
    source_id        BIGINT NOT NULL,
    contact_phone    TEXT NOT NULL,
    drawn_at         BIGINT NOT NULL,
    drawn_by         BIGINT REFERENCES staff(id),
    state            TEXT NOT NULL CHECK (state IN ('pending', 'done', 'unreachable')),
    level            INTEGER NOT NULL DEFAULT 0,
    comment          TEXT NOT NULL DEFAULT '',
    done_at          BIGINT NOT NULL DEFAULT 0,
    day              TEXT NOT NULL DEFAULT '',
    UNIQUE (source, source_id)
);
CREATE INDEX survey_calls_hall ON survey_calls (hall_id, state);
CREATE INDEX survey_calls_drawn ON survey_calls (hall_id, drawn_at);
CREATE INDEX survey_calls_done ON survey_calls (hall_id, done_at);
