package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// TestPasswd runs `qhall passwd` against a temporary SQLite data folder holding the demo: a weak
// password is refused and changes nothing; a strong one signs in and ends the old sessions.
func TestPasswd(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("QHALL_DATA", dir)
	t.Setenv("QHALL_DATABASE_URL", "")
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DataDir: dir, DemoPassword: "demo-pass-1"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	auth := &staff.Service{DB: a.DB, Now: a.Now}
	old, _, err := auth.Login(ctx, "clerk1-1", "demo-pass-1")
	if err != nil {
		t.Fatal(err)
	}
	a.Close()

	run := func(stdin string, args ...string) (int, string) {
		f := filepath.Join(t.TempDir(), "stdin")
		if err := os.WriteFile(f, []byte(stdin), 0o600); err != nil {
			t.Fatal(err)
		}
		in, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		var out, errb bytes.Buffer
		code := passwd(args, in, &out, &errb)
		return code, out.String() + errb.String()
	}
	if code, out := run("", "a", "b"); code != 2 || !strings.Contains(out, "usage") {
		t.Errorf("two arguments: %d %q", code, out)
	}
	if code, out := run("123\n", "clerk1-1"); code != 1 {
		t.Errorf("weak password accepted: %d %q", code, out)
	}
	if code, out := run("Tr1cky-Harbour-Lamp\n", "nobody"); code != 1 || !strings.Contains(out, "no account") {
		t.Errorf("unknown account: %d %q", code, out)
	}
	if code, out := run("Tr1cky-Harbour-Lamp\n", "clerk1-1"); code != 0 {
		t.Fatalf("strong password refused: %d %q", code, out)
	}

	db, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	auth = &staff.Service{DB: db, Now: a.Now}
	if _, err := auth.Lookup(ctx, old); err == nil {
		t.Error("the session from before the change still works")
	}
	if _, _, err := auth.Login(ctx, "clerk1-1", "demo-pass-1"); err == nil {
		t.Error("the old password still signs in")
	}
	if _, _, err := auth.Login(ctx, "clerk1-1", "Tr1cky-Harbour-Lamp"); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}
	var n int
	if err := db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'staff.password%'").Scan(&n); err != nil || n != 1 {
		t.Errorf("audit lines for the change: %d %v", n, err)
	}
}
