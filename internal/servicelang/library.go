// Package servicelang keeps the service language library (internal/speech) in the database: the
// rule set as versioned documents that an admin edits, imports and exports, and counter
// transcripts attached to served tickets, whose forbidden phrases count against the clerk who
// served, and the per-clerk figures. internal/speech stays free of the database; this package is
// the glue.
//
// Tables owned (only this package writes them): speech_rulesets, transcripts, transcript_hits.
package servicelang

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/speech"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Library is the rule library of a deployment. Every instance keeps the compiled checker of the
// newest version it has seen and asks the database for the newest version number (one cheap
// query) when it is used, so an edit made through any instance is in force everywhere from the
// next request on.
type Library struct {
	DB  *store.DB
	Now func() time.Time

	cur    atomic.Pointer[Active]
	loadMu sync.Mutex // one compile at a time
}

// New returns the library on db with the real clock.
func New(db *store.DB) *Library { return &Library{DB: db, Now: time.Now} }

// Info describes one version of the library. Version 0 is the built-in set (speech.Default),
// in force while no version has been saved.
type Info struct {
	Version   int       `json:"version"`
	Builtin   bool      `json:"builtin"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	CreatedBy string    `json:"created_by,omitempty"`
	Note      string    `json:"note,omitempty"`
	Rules     int       `json:"rules"`
	Scenarios int       `json:"scenarios"`
}

// Version is one version of the library with its rules.
type Version struct {
	Info
	Set speech.RuleSet
}

// Active is the version in force, compiled.
type Active struct {
	Version
	Checker *speech.Checker
}

// Limits on what callers send.
const (
	MaxTextBytes = 1 << 20 // a text to check or a transcript
	MaxNoteRunes = 200
)

// InvalidError is a rule set, or an edit that would make one, that fails validation. It lists
// every problem (from speech.RuleSet.Validate or the file's syntax) and is an apperr.Invalid
// with the code speech_rules_invalid, so every layer answers it with a 400.
type InvalidError struct{ Problems []string }

func (e *InvalidError) Error() string {
	return "speech rules invalid: " + strings.Join(e.Problems, "; ")
}

func (e *InvalidError) Unwrap() error {
	return apperr.New(apperr.Invalid, "speech_rules_invalid", len(e.Problems))
}

func invalid(err error) error {
	var ve *speech.ValidationError
	if errors.As(err, &ve) {
		return &InvalidError{Problems: ve.Problems}
	}
	return &InvalidError{Problems: []string{strings.TrimPrefix(err.Error(), "speech: ")}}
}

const latestQuery = "SELECT COALESCE(MAX(version), 0) FROM speech_rulesets"

// Active returns the version in force, compiled; a version saved through another instance is
// picked up here.
func (l *Library) Active(ctx context.Context) (*Active, error) {
	var v int
	if err := l.DB.QueryRow(ctx, latestQuery).Scan(&v); err != nil {
		return nil, err
	}
	if a := l.cur.Load(); a != nil && a.Version.Version == v {
		return a, nil
	}
	l.loadMu.Lock()
	defer l.loadMu.Unlock()
	if a := l.cur.Load(); a != nil && a.Version.Version == v {
		return a, nil
	}
	ver, err := load(ctx, l.DB, v)
	if err != nil {
		return nil, err
	}
	c, err := speech.Compile(ver.Set)
	if err != nil {
		return nil, fmt.Errorf("speech rules version %d: %w", v, err)
	}
	a := &Active{Version: *ver, Checker: c}
	if old := l.cur.Load(); old == nil || old.Version.Version <= v {
		l.cur.Store(a)
	}
	return a, nil
}

// Get reads one version (0: the built-in set).
func (l *Library) Get(ctx context.Context, version int) (*Version, error) {
	return load(ctx, l.DB, version)
}

func load(ctx context.Context, q store.Querier, version int) (*Version, error) {
	if version == 0 {
		rs := speech.Default()
		return &Version{Info: Info{Builtin: true, Rules: len(rs.Rules), Scenarios: len(rs.Scenarios)}, Set: rs}, nil
	}
	var body string
	var at int64
	v := &Version{}
	err := q.QueryRow(ctx, `SELECT r.version, r.body, r.created_at, COALESCE(s.username, ''), r.note FROM speech_rulesets r
		LEFT JOIN staff s ON s.id = r.created_by WHERE r.version = ?`, version).Scan(&v.Version, &body, &at, &v.CreatedBy, &v.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "speech_version_not_found", version)
	}
	if err != nil {
		return nil, err
	}
	rs, err := speech.ParseRuleSet([]byte(body))
	if err != nil {
		return nil, fmt.Errorf("stored speech rules version %d: %w", version, err)
	}
	v.Set, v.CreatedAt = rs, time.UnixMilli(at)
	v.Rules, v.Scenarios = len(rs.Rules), len(rs.Scenarios)
	return v, nil
}

// History lists every saved version, newest first, and last the built-in set.
func (l *Library) History(ctx context.Context) ([]Info, error) {
	rows, err := l.DB.Query(ctx, `SELECT r.version, r.rules, r.scenarios, r.created_at, COALESCE(s.username, ''), r.note
		FROM speech_rulesets r LEFT JOIN staff s ON s.id = r.created_by ORDER BY r.version DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Info{}
	for rows.Next() {
		var i Info
		var at int64
		if err := rows.Scan(&i.Version, &i.Rules, &i.Scenarios, &at, &i.CreatedBy, &i.Note); err != nil {
			return nil, err
		}
		i.CreatedAt = time.UnixMilli(at)
		out = append(out, i)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	builtin, _ := load(ctx, l.DB, 0)
	return append(out, builtin.Info), nil
}

// Import saves a whole rule set file as the new version. A file with problems is refused with an
// *InvalidError listing all of them.
func (l *Library) Import(ctx context.Context, a staff.Actor, file []byte, note string) (Info, error) {
	rs, err := speech.ParseRuleSet(file)
	if err != nil {
		return Info{}, invalid(err)
	}
	return l.save(ctx, a, "speech.rules.import", "speech-rules", note, func(speech.RuleSet) (speech.RuleSet, map[string]any, error) {
		return rs, map[string]any{}, nil
	})
}

// PutRule adds the rule with the given id or replaces it, as a new version. rule.ID may be empty
// (the id is the path's) but not another id. It reports whether the rule was new.
func (l *Library) PutRule(ctx context.Context, a staff.Actor, id string, rule speech.Rule) (Info, bool, error) {
	id = strings.TrimSpace(id)
	if rule.ID == "" {
		rule.ID = id
	}
	if rule.ID != id {
		return Info{}, false, apperr.New(apperr.Invalid, "speech_rule_id_mismatch", id, rule.ID)
	}
	created := false
	info, err := l.save(ctx, a, "speech.rule.put", "rule:"+id, "", func(rs speech.RuleSet) (speech.RuleSet, map[string]any, error) {
		created = true
		for i, r := range rs.Rules {
			if r.ID == id {
				rs.Rules[i], created = rule, false
				break
			}
		}
		if created {
			rs.Rules = append(rs.Rules, rule)
		}
		return rs, map[string]any{"created": created}, nil
	})
	return info, created, err
}

// DeleteRule removes one rule, as a new version.
func (l *Library) DeleteRule(ctx context.Context, a staff.Actor, id string) (Info, error) {
	return l.save(ctx, a, "speech.rule.delete", "rule:"+id, "", func(rs speech.RuleSet) (speech.RuleSet, map[string]any, error) {
		for i, r := range rs.Rules {
			if r.ID == id {
				rs.Rules = append(rs.Rules[:i:i], rs.Rules[i+1:]...)
				return rs, map[string]any{}, nil
			}
		}
		return rs, nil, apperr.New(apperr.NotFound, "speech_rule_not_found", id)
	})
}

// saveLock is the PostgreSQL advisory lock that queues saves of the library across instances.
const saveLock = 0x7168616c6c5f7372 // "qhall_sr"

// save writes modify(newest set) as the next version in one transaction, with its audit line.
// Saves queue (PostgreSQL: a transaction advisory lock; SQLite: the single writer), so two
// admins editing different rules at the same moment both keep their edit: the second one is
// applied to the version the first one wrote.
func (l *Library) save(ctx context.Context, a staff.Actor, action, target, note string,
	modify func(speech.RuleSet) (speech.RuleSet, map[string]any, error)) (Info, error) {
	if !utf8.ValidString(note) || utf8.RuneCountInString(note) > MaxNoteRunes {
		return Info{}, apperr.New(apperr.Invalid, "note_too_long", MaxNoteRunes)
	}
	note = strings.TrimSpace(note)
	var info Info
	err := l.DB.InTx(ctx, func(tx *store.Tx) error {
		if tx.Dialect() == store.Postgres {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(?)", int64(saveLock)); err != nil {
				return err
			}
		}
		var cur int
		if err := tx.QueryRow(ctx, latestQuery).Scan(&cur); err != nil {
			return err
		}
		base, err := load(ctx, tx, cur)
		if err != nil {
			return err
		}
		next, detail, err := modify(base.Set)
		if err != nil {
			return err
		}
		next.Version = speech.FormatVersion
		if err := next.Validate(); err != nil {
			return invalid(err)
		}
		var body bytes.Buffer
		if _, err := next.WriteTo(&body); err != nil {
			return err
		}
		now := l.Now()
		info = Info{Version: cur + 1, CreatedAt: time.UnixMilli(now.UnixMilli()), CreatedBy: a.Username, Note: note,
			Rules: len(next.Rules), Scenarios: len(next.Scenarios)}
		if _, err := tx.Exec(ctx, `INSERT INTO speech_rulesets (version, body, rules, scenarios, created_at, created_by, note)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, info.Version, body.String(), info.Rules, info.Scenarios, now.UnixMilli(), nullID(a.ID), note); err != nil {
			return err
		}
		detail["version"] = info.Version
		detail["rules"] = info.Rules
		return audit.Record(ctx, tx, now, a, 0, action, target, detail)
	})
	if store.IsUniqueViolation(err) { // cannot happen under the lock; a clear 409 if it does
		return Info{}, apperr.New(apperr.Conflict, "speech_rules_busy")
	}
	return info, err
}

// Phrases are the scenarios of the active set for a counter step at time t (in the hall's zone).
func (l *Library) Phrases(ctx context.Context, step string, t time.Time) (int, []speech.Scenario, error) {
	if !speech.ValidStep(step) {
		return 0, nil, apperr.New(apperr.Invalid, "speech_bad_step", step)
	}
	a, err := l.Active(ctx)
	if err != nil {
		return 0, nil, err
	}
	out := a.Set.PhrasesFor(step, t)
	if out == nil {
		out = []speech.Scenario{}
	}
	return a.Version.Version, out, nil
}

// Check runs the active checker on a text (speaker labels unless plain). It returns the version
// used.
func (l *Library) Check(ctx context.Context, text string, plain bool) (int, []speech.Hit, error) {
	if err := checkText(text); err != nil {
		return 0, nil, err
	}
	a, err := l.Active(ctx)
	if err != nil {
		return 0, nil, err
	}
	hits, err := runCheck(a.Checker, text, plain)
	return a.Version.Version, hits, err
}

func checkText(text string) error {
	if strings.TrimSpace(text) == "" {
		return apperr.New(apperr.Invalid, "speech_text_empty")
	}
	if len(text) > MaxTextBytes {
		return apperr.New(apperr.Invalid, "speech_text_too_long", MaxTextBytes)
	}
	return nil
}

func runCheck(c *speech.Checker, text string, plain bool) ([]speech.Hit, error) {
	var hits []speech.Hit
	var err error
	if plain {
		hits, err = c.CheckPlain(text)
	} else {
		hits, err = c.Check(text)
	}
	switch {
	case errors.Is(err, speech.ErrInvalidUTF8):
		return nil, apperr.New(apperr.Invalid, "speech_text_not_utf8")
	case errors.Is(err, speech.ErrEmptyText):
		return nil, apperr.New(apperr.Invalid, "speech_text_empty")
	case err != nil:
		return nil, err
	}
	if hits == nil {
		hits = []speech.Hit{}
	}
	return hits, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
