package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

func TestRebind(t *testing.T) {
	pg := &store.DB{Dialect: store.Postgres}
	if got := pg.Rebind("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"); got != "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)" {
		t.Fatal(got)
	}
	lite := &store.DB{Dialect: store.SQLite}
	if got := lite.Rebind("x = ?"); got != "x = ?" {
		t.Fatal(got)
	}
}

// A failed operation leaves nothing behind; a committed one is whole, and its notes are sent
// once each, after commit.
func TestTransactions(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, e)
			var mu sync.Mutex
			var told [][]store.Note
			db.AfterCommit = func(n []store.Note) { mu.Lock(); told = append(told, n); mu.Unlock() }
			_, err := db.W.Exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
			if err != nil {
				t.Fatal(err)
			}
			boom := errors.New("boom")
			err = db.InTx(ctx, func(tx *store.Tx) error {
				tx.Exec(ctx, "INSERT INTO kv (k, v) VALUES (?, ?)", "a", 1)
				tx.Notify(ctx, "c", "7")
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatal(err)
			}
			err = db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, "INSERT INTO kv (k, v) VALUES (?, ?)", "b", 2); err != nil {
					return err
				}
				tx.Notify(ctx, "c", "7")
				tx.Notify(ctx, "c", "7")
				return tx.Notify(ctx, "c", "8")
			})
			if err != nil {
				t.Fatal(err)
			}
			var n int
			db.QueryRow(ctx, "SELECT COUNT(*) FROM kv").Scan(&n)
			if n != 1 {
				t.Fatalf("%d rows", n)
			}
			if e.Name == "sqlite" && (len(told) != 1 || len(told[0]) != 2) {
				t.Fatalf("told %v", told)
			}
			err = db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, "INSERT INTO kv (k, v) VALUES (?, ?)", "b", 3)
				return err
			})
			if !store.IsUniqueViolation(err) {
				t.Fatalf("unique violation not recognised: %v", err)
			}
		})
	}
}
