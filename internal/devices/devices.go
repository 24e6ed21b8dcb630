// Package devices is the hall's registered devices: a supervisor makes a one-time pairing code,
// the device (a kiosk) enters it once and from then on holds a device token (a cookie) that
// names it. The edge gives a paired kiosk its own, higher ticket-issuing limit.
//
// Tables owned (only this package writes them): devices, device_pairings.
package devices

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Kinds of device.
var Kinds = []string{"kiosk", "display", "rating", "counter", "printer"}

// PairingTTL is how long a pairing code is good for.
const PairingTTL = 10 * time.Minute

// Device is a paired device.
type Device struct {
	ID     int64  `json:"id"`
	HallID int64  `json:"hall_id"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
}

// Code is a pairing code as handed to the supervisor.
type Code struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Registry pairs and finds devices.
type Registry struct {
	DB  *store.DB
	Now func() time.Time
}

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// NewCode makes a pairing code for a device of kind in hall: eight digits, short enough to type
// on a kiosk's screen, good once and for PairingTTL.
func (r *Registry) NewCode(ctx context.Context, a staff.Actor, hall int64, kind, name string) (Code, error) {
	name = strings.TrimSpace(name)
	if !slices.Contains(Kinds, kind) {
		return Code{}, apperr.New(apperr.Invalid, "bad_request", "kind")
	}
	if name == "" || len(name) > 100 {
		return Code{}, apperr.New(apperr.Invalid, "bad_request", "name")
	}
	if !authz.InHall(a, authz.DevicePair, hall) {
		return Code{}, apperr.New(apperr.Forbidden, "forbidden")
	}
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return Code{}, err
	}
	code := fmt.Sprintf("%08d", n.Int64())
	now := r.Now()
	c := Code{Code: code, ExpiresAt: now.Add(PairingTTL)}
	err = r.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM device_pairings WHERE expires_at < ?", now.UnixMilli()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO device_pairings (code_hash, hall_id, kind, name, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			hash(code), hall, kind, name, a.Username, c.ExpiresAt.UnixMilli()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, a, hall, "device.pairing", "device:"+name, map[string]any{"kind": kind})
	})
	if err != nil {
		return Code{}, fmt.Errorf("devices: new code: %w", err)
	}
	return c, nil
}

// Pair turns a pairing code into a device and returns the device's token (kept only as a hash).
func (r *Registry) Pair(ctx context.Context, code string) (string, Device, error) {
	code = strings.TrimSpace(code)
	if len(code) != 8 {
		return "", Device{}, apperr.New(apperr.NotFound, "pairing_code_unknown")
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := r.Now()
	var d Device
	err := r.DB.InTx(ctx, func(tx *store.Tx) error {
		var by string
		err := tx.QueryRow(ctx, "DELETE FROM device_pairings WHERE code_hash = ? AND expires_at >= ? RETURNING hall_id, kind, name, created_by",
			hash(code), now.UnixMilli()).Scan(&d.HallID, &d.Kind, &d.Name, &by)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "pairing_code_unknown")
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "INSERT INTO devices (hall_id, kind, name, token_hash, paired_at, paired_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			d.HallID, d.Kind, d.Name, hash(token), now.UnixMilli(), by).Scan(&d.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, staff.System, d.HallID, "device.paired", fmt.Sprintf("device:%d", d.ID), map[string]any{"kind": d.Kind, "by": by})
	})
	if err != nil {
		if apperr.As(err) != nil {
			return "", Device{}, err
		}
		return "", Device{}, fmt.Errorf("devices: pair: %w", err)
	}
	return token, d, nil
}

// ByToken is the paired device holding token, or nil.
func (r *Registry) ByToken(ctx context.Context, token string) (*Device, error) {
	if token == "" || len(token) > 100 {
		return nil, nil
	}
	var d Device
	err := r.DB.QueryRow(ctx, "SELECT id, hall_id, kind, name FROM devices WHERE token_hash = ? AND revoked = 0", hash(token)).
		Scan(&d.ID, &d.HallID, &d.Kind, &d.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("devices: by token: %w", err)
	}
	return &d, nil
}

// List is the paired devices of a hall, newest first.
func List(ctx context.Context, q store.Querier, hall int64) ([]Listed, error) {
	rows, err := q.Query(ctx, "SELECT id, hall_id, kind, name, paired_at, paired_by FROM devices WHERE hall_id = ? AND revoked = 0 ORDER BY id DESC", hall)
	if err != nil {
		return nil, fmt.Errorf("devices: list: %w", err)
	}
	defer rows.Close()
	out := []Listed{}
	for rows.Next() {
		var d Listed
		var at int64
		if err := rows.Scan(&d.ID, &d.HallID, &d.Kind, &d.Name, &at, &d.PairedBy); err != nil {
			return nil, err
		}
		d.PairedAt = time.UnixMilli(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Listed is a paired device with when and by whom it was paired.
type Listed struct {
	Device
	PairedAt time.Time `json:"paired_at"`
	PairedBy string    `json:"paired_by"`
}
