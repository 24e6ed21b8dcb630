package staff_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/demo"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/storetest"
)

func TestPasswordHash(t *testing.T) {
	h := staff.HashPassword("秘密 password")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %s", h)
	}
	if !staff.CheckPassword(h, "秘密 password") || staff.CheckPassword(h, "秘密 passwore") || staff.CheckPassword("garbage", "x") {
		t.Fatal("check")
	}
	if a, b := staff.HashPassword("x"), staff.HashPassword("x"); a == b {
		t.Fatal("salt not random")
	}
}

func TestLoginSessionsAndLockout(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, e)
			clk := storetest.NewClock(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
			if _, err := demo.Load(ctx, db, "right-pw", clk.Now()); err != nil {
				t.Fatal(err)
			}
			s := &staff.Service{DB: db, Now: clk.Now}
			tok, a, err := s.Login(ctx, "clerk1-3", "right-pw")
			if err != nil || a.Role != "clerk" || a.HallID == 0 {
				t.Fatalf("login: %v %+v", err, a)
			}
			got, err := s.Lookup(ctx, tok)
			if err != nil || got.Username != "clerk1-3" {
				t.Fatalf("lookup: %v %+v", err, got)
			}
			// The session token itself is not stored.
			var n int
			db.QueryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?", tok).Scan(&n)
			if n != 0 {
				t.Fatal("raw token stored")
			}
			clk.Add(staff.SessionTTL + time.Minute)
			if _, err := s.Lookup(ctx, tok); !apperr.Is(err, "login_required") {
				t.Fatalf("expired session: %v", err)
			}
			tok, _, _ = s.Login(ctx, "clerk1-3", "right-pw")
			if err := s.Logout(ctx, tok, *a); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Lookup(ctx, tok); !apperr.Is(err, "login_required") {
				t.Fatalf("after logout: %v", err)
			}

			// Wrong passwords lock nothing here: guessing is slowed at the edge, by source and by
			// name, where no stranger can shut the owner out (web's login throttle).
			for i := 0; i < 8; i++ {
				if _, _, err := s.Login(ctx, "clerk1-4", "wrong"); !apperr.Is(err, "bad_login") {
					t.Fatalf("attempt %d: %v", i, err)
				}
			}
			if _, _, err := s.Login(ctx, "clerk1-4", "right-pw"); err != nil {
				t.Fatalf("after wrong passwords: %v", err)
			}
		})
	}
}
