-- +goose Up
-- Appointments (预约), internal/appointments; the notifier's outbox, internal/notify.
-- Times are Unix milliseconds, flags 0/1, days 'YYYY-MM-DD' in the hall's zone, as in 00001.

-- A service may ask for the citizen's ID number when booking (org owns services; org.SetServiceNeedsID).
ALTER TABLE services ADD COLUMN needs_id INTEGER NOT NULL DEFAULT 0;
-- The slot of an appointment checked in within its span (queue owns tickets): from then on the
-- ticket is called ahead of the walk-ins of its service. 0 for walk-ins.
ALTER TABLE tickets ADD COLUMN slot_at BIGINT NOT NULL DEFAULT 0;

-- A hall's appointment rules; a hall without a row uses the defaults of appointments.Defaults.
CREATE TABLE appointment_settings (
    hall_id           BIGINT PRIMARY KEY REFERENCES halls(id),
    slot_minutes      INTEGER NOT NULL,
    days_ahead        INTEGER NOT NULL,
    lead_minutes      INTEGER NOT NULL,
    change_before_min INTEGER NOT NULL,
    checkin_before_min INTEGER NOT NULL,
    checkin_after_min INTEGER NOT NULL,
    share_percent     INTEGER NOT NULL,
    noshow_limit      INTEGER NOT NULL,
    noshow_days       INTEGER NOT NULL,
    suspend_days      INTEGER NOT NULL
);

-- One row per slot that has been booked or given a capacity by hand. booked is the counter the
-- booking transaction raises with "UPDATE ... WHERE booked < capacity", so a slot never overbooks.
CREATE TABLE appointment_slots (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    service_id       BIGINT NOT NULL REFERENCES services(id),
    day              TEXT NOT NULL,
    start_at         BIGINT NOT NULL,
    end_at           BIGINT NOT NULL,
    capacity         INTEGER NOT NULL,
    booked           INTEGER NOT NULL DEFAULT 0,
    manual           INTEGER NOT NULL DEFAULT 0,
    CHECK (booked >= 0 AND booked <= capacity),
    UNIQUE (service_id, start_at)
);
CREATE INDEX appointment_slots_day ON appointment_slots (service_id, day);

CREATE TABLE appointments (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    service_id       BIGINT NOT NULL REFERENCES services(id),
    slot_id          BIGINT NOT NULL REFERENCES appointment_slots(id),
    day              TEXT NOT NULL,
    start_at         BIGINT NOT NULL,
    end_at           BIGINT NOT NULL,
    code             TEXT NOT NULL,
    token            TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    phone            TEXT NOT NULL,
    phone_key        TEXT NOT NULL,
    id_key           TEXT NOT NULL DEFAULT '',
    id_masked        TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL CHECK (state IN ('booked', 'checked_in', 'late', 'no_show', 'cancelled')),
    created_at       BIGINT NOT NULL,
    changed_at       BIGINT NOT NULL DEFAULT 0,
    checked_in_at    BIGINT NOT NULL DEFAULT 0,
    ticket_id        BIGINT REFERENCES tickets(id),
    ticket_token     TEXT NOT NULL DEFAULT '',
    UNIQUE (hall_id, code)
);
CREATE INDEX appointments_day ON appointments (hall_id, day, start_at);
CREATE INDEX appointments_due ON appointments (state, start_at);
CREATE INDEX appointments_phone ON appointments (phone_key, state, start_at);
-- One live booking per person, service and day, even when the same person books twice at once.
CREATE UNIQUE INDEX appointments_one_per_phone ON appointments (service_id, day, phone_key) WHERE state IN ('booked', 'checked_in', 'late');
CREATE UNIQUE INDEX appointments_one_per_id ON appointments (service_id, day, id_key) WHERE id_key <> '' AND state IN ('booked', 'checked_in', 'late');

-- Booking suspended for a person (a phone's or an ID number's key) after too many no-shows.
CREATE TABLE appointment_suspensions (
    id               @ID@,
    person_key       TEXT NOT NULL,
    since            BIGINT NOT NULL,
    until_at         BIGINT NOT NULL,
    noshows          INTEGER NOT NULL
);
CREATE INDEX appointment_suspensions_key ON appointment_suspensions (person_key, until_at);

-- The server's secret for keying phone and ID numbers (HMAC-SHA256), made once on first use.
CREATE TABLE appointment_secrets (
    name             TEXT PRIMARY KEY,
    value            TEXT NOT NULL
);

-- The notifier's outbox (internal/notify): one row per message, unique per (kind, ref) so a
-- reminder is queued once per booking however often its job runs.
CREATE TABLE notifications (
    id               @ID@,
    kind             TEXT NOT NULL,
    ref              TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    body             TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'unsent')),
    note             TEXT NOT NULL DEFAULT '',
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT NOT NULL DEFAULT 0,
    UNIQUE (kind, ref)
);
CREATE INDEX notifications_pending ON notifications (state, id);
