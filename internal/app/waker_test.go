package app_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/org"
)

// TestLongWaitAlertComesOnTime: in a quiet hall, a waiting ticket that crosses the long-wait
// threshold is announced by the server at that moment, with no event to carry it.
func TestLongWaitAlertComesOnTime(t *testing.T) {
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DataDir: t.TempDir(), DemoPassword: "demo-pass"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var back atomic.Int64 // how far the clock is set back, in ns
	a.SetClock(func() time.Time { return time.Now().Add(-time.Duration(back.Load())) })

	hall, err := org.GetHall(ctx, a.DB, 1)
	if err != nil {
		t.Fatal(err)
	}
	svcs, err := org.Services(ctx, a.DB, hall.ID)
	if err != nil {
		t.Fatal(err)
	}
	sub := a.Server.Hub.Subscribe(hall.ID)
	defer a.Server.Hub.Unsubscribe(sub)
	<-sub.C

	// The ticket was taken 2 s short of the threshold.
	back.Store(int64(time.Duration(hall.LongWaitMin)*time.Minute - 2*time.Second))
	if _, err := a.Server.Queue.Issue(ctx, hall.ID, svcs[0].ID, "", "kiosk"); err != nil {
		t.Fatal(err)
	}
	back.Store(0)

	type state struct {
		Services []struct {
			Waiting  int  `json:"waiting"`
			LongWait bool `json:"long_wait"`
		} `json:"services"`
	}
	longWait := func(b []byte) bool {
		var st state
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		return st.Services[0].LongWait
	}
	start := time.Now()
	deadline := time.After(6 * time.Second)
	for {
		select {
		case b := <-sub.C:
			if !longWait(b) {
				continue // the issue's own state, before the crossing
			}
			if d := time.Since(start); d < time.Second {
				t.Errorf("the long-wait alert came after %v, before the ticket crossed the threshold", d)
			}
			return
		case <-deadline:
			t.Fatal("no state with the long-wait alert within 6 s of the crossing")
		}
	}
}
