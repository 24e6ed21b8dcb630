-- +goose Up
-- Trust (issue 12): paired devices, the audit log's hash chain, and when personal data was
-- anonymised. Same conventions as 00001.

-- A device of a hall that holds a device token (a kiosk paired by a supervisor's code). Only the
-- token's hash is kept.
CREATE TABLE devices (
    id               @ID@,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    kind             TEXT NOT NULL CHECK (kind IN ('kiosk', 'display', 'rating', 'counter', 'printer')),
    name             TEXT NOT NULL,
    token_hash       TEXT NOT NULL UNIQUE,
    paired_at        BIGINT NOT NULL,
    paired_by        TEXT NOT NULL,
    revoked          INTEGER NOT NULL DEFAULT 0
);

-- A pairing code a supervisor made, good once and for ten minutes; only its hash is kept.
CREATE TABLE device_pairings (
    code_hash        TEXT PRIMARY KEY,
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    expires_at       BIGINT NOT NULL
);

-- The audit log's hash chains: one per hall (chain 'hall:N') and one for what belongs to no hall
-- ('org'). Each entry carries its chain, its place in it and the hash of the entry before; the
-- chain's head (last seq and hash) is one row, updated in the entry's transaction. Entries from
-- before this migration have chain '' and are not chained.
ALTER TABLE audit_log ADD COLUMN chain TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_chain ON audit_log (chain, seq);

CREATE TABLE audit_chain (
    chain            TEXT PRIMARY KEY,
    seq              BIGINT NOT NULL,
    head             TEXT NOT NULL
);

-- When a transcript's text was erased by the privacy job (0: not yet). Its counts and the
-- clerk's forbidden phrases stay, so the figures do not change.
ALTER TABLE transcripts ADD COLUMN anonymised_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE transcripts DROP COLUMN anonymised_at;
DROP TABLE audit_chain;
DROP INDEX audit_log_chain;
ALTER TABLE audit_log DROP COLUMN hash;
ALTER TABLE audit_log DROP COLUMN prev_hash;
ALTER TABLE audit_log DROP COLUMN seq;
ALTER TABLE audit_log DROP COLUMN chain;
DROP TABLE device_pairings;
DROP TABLE devices;
