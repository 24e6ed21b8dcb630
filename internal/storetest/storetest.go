// Package storetest gives tests a fresh, migrated database on every engine at hand: always
// SQLite in a temporary folder, and PostgreSQL in a schema of its own whenever
// QHALL_TEST_POSTGRES names a server (postgres://...).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/qhall/qhall/internal/demo"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Engine is one database engine to run a test on.
type Engine struct {
	Name string
	// URL opens the test's database with store.Open(ctx, URL, Dir).
	URL, Dir string
}

// Engines returns the engines to test on, each with a fresh empty database for t.
func Engines(t testing.TB) []Engine {
	out := []Engine{{Name: "sqlite", Dir: t.TempDir()}}
	if u := PostgresURL(t); u != "" {
		out = append(out, Engine{Name: "postgres", URL: u})
	}
	return out
}

// PostgresURL makes a fresh schema on the server named by QHALL_TEST_POSTGRES and returns a URL
// whose search_path points at it, or "" when no server is named. The schema is dropped at the
// end of the test.
func PostgresURL(t testing.TB) string {
	base := os.Getenv("QHALL_TEST_POSTGRES")
	if base == "" {
		return ""
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "qhall_test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("postgres: create schema: %v (is QHALL_TEST_POSTGRES=%q reachable?)", err, base)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("QHALL_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens and migrates e's database, closed at the end of the test.
func Open(t testing.TB, e Engine) *store.DB {
	db, err := store.Open(context.Background(), e.URL, e.Dir)
	if err != nil {
		t.Fatalf("%s: open: %v", e.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// OpenDemo is Open with the demo organisation loaded as of at; every demo account has password.
func OpenDemo(t testing.TB, e Engine, password string, at time.Time) *store.DB {
	t.Helper()
	db := Open(t, e)
	if _, err := demo.Load(context.Background(), db, password, at); err != nil {
		t.Fatalf("%s: demo: %v", e.Name, err)
	}
	return db
}

// Actor is the staff member with the username as a signed-in request carries it.
func Actor(t testing.TB, q store.Querier, username string) staff.Actor {
	t.Helper()
	var a staff.Actor
	var hall *int64
	err := q.QueryRow(context.Background(), "SELECT id, username, name, role, hall_id FROM staff WHERE username = ?", username).
		Scan(&a.ID, &a.Username, &a.Name, &a.Role, &hall)
	if err != nil {
		t.Fatalf("actor %s: %v", username, err)
	}
	if hall != nil {
		a.HallID = *hall
	}
	return a
}
