-- +goose Up
-- Service language (issue 3): the rule library as versioned documents, and counter transcripts
-- with the forbidden phrases found in them. Same conventions as 00001: @ID@ is the dialect's
-- identity column, times are Unix milliseconds, one set of queries serves both engines.

-- Every saved version of the rule library, whole, as its import/export file (JSON). The active
-- library is the row with the highest version; with no row the built-in set (version 0) is.
CREATE TABLE speech_rulesets (
    id               @ID@,
    version          INTEGER NOT NULL UNIQUE,
    body             TEXT NOT NULL,
    rules            INTEGER NOT NULL DEFAULT 0,
    scenarios        INTEGER NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    created_by       BIGINT REFERENCES staff(id),
    note             TEXT NOT NULL DEFAULT ''
);

-- A conversation at the counter attached to a served ticket. text is stored with citizens'
-- identifiers masked (internal/privacy); clerk_id is the clerk who served the ticket, whom the
-- hits count against; clerk_lines is how many lines the clerk spoke (for per-line statistics).
CREATE TABLE transcripts (
    id               @ID@,
    ticket_id        BIGINT NOT NULL REFERENCES tickets(id),
    hall_id          BIGINT NOT NULL REFERENCES halls(id),
    window_id        BIGINT REFERENCES windows(id),
    clerk_id         BIGINT REFERENCES staff(id),
    text             TEXT NOT NULL,
    clerk_lines      INTEGER NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    created_by       BIGINT REFERENCES staff(id),
    ruleset_version  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX transcripts_ticket ON transcripts (ticket_id);
CREATE INDEX transcripts_clerk ON transcripts (clerk_id, created_at);
CREATE INDEX transcripts_hall ON transcripts (hall_id, created_at);

-- The forbidden phrases found in a transcript: rune offsets into its (masked) text, and the
-- suggestion the rule gave then (rules change; a stored hit keeps what the clerk was told).
CREATE TABLE transcript_hits (
    transcript_id    BIGINT NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    line             INTEGER NOT NULL,
    start_pos        INTEGER NOT NULL,
    end_pos          INTEGER NOT NULL,
    text             TEXT NOT NULL,
    category         TEXT NOT NULL,
    severity         INTEGER NOT NULL,
    rule_id          TEXT NOT NULL,
    suggestion       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX transcript_hits_transcript ON transcript_hits (transcript_id);
