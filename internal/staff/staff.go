// Package staff is who works in the halls: the staff accounts, their roles, signing in
// (argon2id password hashes, server-side sessions whose tokens are kept only as hashes) and the
// Actor that every operation carries.
//
// Tables owned (only this package writes them): staff, sessions.
package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/store"
)

// SessionTTL is how long a sign-in lasts: one working day and a margin.
const SessionTTL = 12 * time.Hour

// argon2id parameters: OWASP's second recommended set (m=19 MiB, t=2, p=1).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash with a random salt.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword compares a password with an encoded hash in constant time.
func CheckPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// a fixed hash compared against when the user does not exist, so that a wrong username takes as
// long as a wrong password.
var dummyHash = HashPassword("qhall-no-such-user")

// Service signs staff in and finds who holds a session.
type Service struct {
	DB  *store.DB
	Now func() time.Time
}

// hashing bounds the password checks running at once: each argon2id check takes 19 MiB and tens
// of milliseconds of a core, so a burst of sign-ins must queue instead of exhausting memory.
var hashing = make(chan struct{}, 4)

// checkBounded is CheckPassword with at most cap(hashing) running at once.
func checkBounded(ctx context.Context, encoded, pw string) (bool, error) {
	select {
	case hashing <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-hashing }()
	return CheckPassword(encoded, pw), nil
}

// Login checks a username and password and opens a session. It returns the session token (to
// be sent back as a cookie or a bearer token) and the staff member.
func (s *Service) Login(ctx context.Context, username, password string) (string, *Actor, error) {
	username = strings.TrimSpace(username)
	if username == "" || password == "" || len(username) > 64 || len(password) > 256 {
		return "", nil, apperr.New(apperr.Unauthorized, "bad_login")
	}
	var a Actor
	var hash string
	var hall sql.NullInt64
	err := s.DB.QueryRow(ctx, "SELECT id, username, name, role, hall_id, password_hash FROM staff WHERE username = ? AND active = 1", username).
		Scan(&a.ID, &a.Username, &a.Name, &a.Role, &hall, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := checkBounded(ctx, dummyHash, password); err != nil {
			return "", nil, err
		}
		return "", nil, apperr.New(apperr.Unauthorized, "bad_login")
	}
	if err != nil {
		return "", nil, err
	}
	now := s.Now()
	ok, err := checkBounded(ctx, hash, password)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		// Nothing is written: a wrong password for a known name costs what one for an unknown
		// name costs, so the answer's timing tells neither apart. Guessing is slowed at the edge
		// (web's login throttle), where no stranger can lock the account.
		return "", nil, apperr.New(apperr.Unauthorized, "bad_login")
	}
	a.HallID = hall.Int64
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE expires_at < ?", now.UnixMilli()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			hashToken(token), a.ID, now.UnixMilli(), now.Add(SessionTTL).UnixMilli()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, a, a.HallID, "auth.login", "staff:"+a.Username, nil)
	})
	if err != nil {
		return "", nil, err
	}
	return token, &a, nil
}

// Lookup finds the staff member holding a live session token.
func (s *Service) Lookup(ctx context.Context, token string) (*Actor, error) {
	if token == "" || len(token) > 100 {
		return nil, apperr.New(apperr.Unauthorized, "login_required")
	}
	var a Actor
	var hall sql.NullInt64
	err := s.DB.QueryRow(ctx, `SELECT s.id, s.username, s.name, s.role, s.hall_id FROM sessions x JOIN staff s ON s.id = x.staff_id
		WHERE x.token_hash = ? AND x.expires_at > ? AND s.active = 1`, hashToken(token), s.Now().UnixMilli()).
		Scan(&a.ID, &a.Username, &a.Name, &a.Role, &hall)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.Unauthorized, "login_required")
	}
	if err != nil {
		return nil, err
	}
	a.HallID = hall.Int64
	return &a, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string, a Actor) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", hashToken(token)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.Now(), a, a.HallID, "auth.logout", "staff:"+a.Username, nil)
	})
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// Names are the names of staff members by id (ids not found are left out).
func Names(ctx context.Context, q store.Querier, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var b strings.Builder
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("?")
		args[i] = id
	}
	rows, err := q.Query(ctx, "SELECT id, name FROM staff WHERE id IN ("+b.String()+")", args...)
	if err != nil {
		return nil, fmt.Errorf("staff: names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// System is the actor of what qhall does by itself (loading the demo, scheduled jobs).
var System = Actor{Username: "system"}

// Account is a new staff account.
type Account struct {
	Username, Name string
	Role           Role
	HallID         int64  // 0: every hall (admins)
	PasswordHash   string // HashPassword's
}

// Create adds a staff account inside tx, with its audit line, and returns its id.
func Create(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, acc Account) (int64, error) {
	known := false
	for _, r := range Roles {
		known = known || r == acc.Role
	}
	switch {
	case !known:
		return 0, apperr.New(apperr.Invalid, "bad_request", "role")
	case acc.Username == "" || len(acc.Username) > 64 || strings.TrimSpace(acc.Username) != acc.Username:
		return 0, apperr.New(apperr.Invalid, "bad_request", "username")
	case strings.TrimSpace(acc.Name) == "" || acc.PasswordHash == "":
		return 0, apperr.New(apperr.Invalid, "bad_request", "name, password")
	}
	var hall any
	if acc.HallID != 0 {
		hall = acc.HallID
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO staff (username, name, role, hall_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		acc.Username, acc.Name, string(acc.Role), hall, acc.PasswordHash, at.UnixMilli()).Scan(&id)
	if store.IsUniqueViolation(err) {
		return 0, apperr.New(apperr.Invalid, "bad_request", "username taken")
	}
	if err != nil {
		return 0, fmt.Errorf("staff: create %s: %w", acc.Username, err)
	}
	return id, audit.Record(ctx, tx, at, who, acc.HallID, "staff.create", "staff:"+acc.Username, map[string]any{"role": acc.Role})
}

// common are passwords no account may have, whatever their length.
var common = map[string]bool{"1234567890": true, "0123456789": true, "qwertyuiop": true, "password123": true,
	"1qaz2wsx3edc": true, "abc123456789": true, "iloveyou123": true, "admin12345": true, "qhall12345": true, "passw0rd123": true}

// MinPasswordRunes is the shortest password allowed.
const MinPasswordRunes = 10

// CheckStrength refuses a weak password for username: shorter than MinPasswordRunes, fewer than
// five different characters, holding the username, or a well-known one.
func CheckStrength(username, pw string) error {
	distinct := map[rune]bool{}
	for _, r := range pw {
		distinct[r] = true
	}
	lower := strings.ToLower(pw)
	switch {
	case len([]rune(pw)) < MinPasswordRunes:
		return fmt.Errorf("at least %d characters", MinPasswordRunes)
	case len(pw) > 256:
		return errors.New("at most 256 bytes")
	case len(distinct) < 5:
		return errors.New("at least five different characters")
	case username != "" && strings.Contains(lower, strings.ToLower(username)):
		return errors.New("must not contain the account name")
	case common[lower]:
		return errors.New("a well-known password")
	}
	return nil
}

// SetPassword gives an account a new password inside tx: the failed sign-ins are forgotten, every
// session of the account ends, and the change is audited (the password itself never is).
func SetPassword(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, username, pw string) error {
	if err := CheckStrength(username, pw); err != nil {
		return apperr.New(apperr.Invalid, "bad_request", "password: "+err.Error())
	}
	var id int64
	var hall sql.NullInt64
	err := tx.QueryRow(ctx, "SELECT id, hall_id FROM staff WHERE username = ?", username).Scan(&id, &hall)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "staff_not_found", username)
	}
	if err != nil {
		return fmt.Errorf("staff: set password: %w", err)
	}
	if _, err := tx.Exec(ctx, "UPDATE staff SET password_hash = ?, failed_logins = 0, locked_until = 0 WHERE id = ?", HashPassword(pw), id); err != nil {
		return fmt.Errorf("staff: set password: %w", err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE staff_id = ?", id); err != nil {
		return fmt.Errorf("staff: set password: %w", err)
	}
	return audit.Record(ctx, tx, at, who, hall.Int64, "staff.password", "staff:"+username, nil)
}

// Exists tells whether an account of that name exists.
func Exists(ctx context.Context, q store.Querier, username string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM staff WHERE username = ?", username).Scan(&n); err != nil {
		return false, fmt.Errorf("staff: exists: %w", err)
	}
	return n > 0, nil
}

// PurgeSessions deletes the sessions that expired before now.
func PurgeSessions(ctx context.Context, db *store.DB, now time.Time) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE expires_at < ?", now.UnixMilli()); err != nil {
			return fmt.Errorf("staff: purge sessions: %w", err)
		}
		return nil
	})
}

// EndOtherSessions ends every session of a except the one holding keep (the caller's own), and
// returns how many ended.
func (s *Service) EndOtherSessions(ctx context.Context, a Actor, keep string) (int64, error) {
	var n int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM sessions WHERE staff_id = ? AND token_hash <> ?", a.ID, hashToken(keep))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return audit.Record(ctx, tx, s.Now(), a, a.HallID, "auth.sessions.end-others", "staff:"+a.Username, map[string]any{"ended": n})
	})
	if err != nil {
		return 0, fmt.Errorf("staff: end other sessions: %w", err)
	}
	return n, nil
}

// EndSessions ends every session of the account username (an admin's doing, audited) and
// returns how many ended.
func (s *Service) EndSessions(ctx context.Context, by Actor, username string) (int64, error) {
	var n int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		var id int64
		var hall sql.NullInt64
		err := tx.QueryRow(ctx, "SELECT id, hall_id FROM staff WHERE username = ?", username).Scan(&id, &hall)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "staff_not_found", username)
		}
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "DELETE FROM sessions WHERE staff_id = ?", id)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return audit.Record(ctx, tx, s.Now(), by, hall.Int64, "auth.sessions.end", "staff:"+username, map[string]any{"ended": n})
	})
	if err != nil && apperr.As(err) == nil {
		return 0, fmt.Errorf("staff: end sessions: %w", err)
	}
	return n, err
}
