package app_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/storetest"
)

// Two instances on one PostgreSQL, each behind its own HTTP server: 50 citizens book the last 5
// places of a slot, half through each instance. Exactly five get one.
func TestAppointmentsTwoInstancesOnePostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	if url == "" {
		t.Skip("QHALL_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	clk := storetest.NewClock(storetest.Tuesday10)
	var srv [2]*httptest.Server
	var first *app.App
	for i := range srv {
		a, err := app.Open(ctx, app.Config{DatabaseURL: url, DemoPassword: pw, Now: clk.Now}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		srv[i] = httptest.NewServer(a.Handler())
		t.Cleanup(func() { srv[i].Close(); a.Close() })
		if first == nil {
			first = a
		}
	}
	svc := storetest.ServiceID(t, first.DB, 1, "A")
	start := time.Date(2026, 11, 24, 14, 0, 0, 0, storetest.Shanghai)

	// The hall's supervisor leaves 5 places in the slot.
	code, body := post(t, srv[0].URL+"/api/v1/auth/login", "", map[string]string{"username": "sup1", "password": pw})
	if code != 200 {
		t.Fatalf("login: %d %s", code, body)
	}
	token := strings.Split(strings.Split(string(body), `"token":"`)[1], `"`)[0]
	req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/halls/1/services/%d/slots", srv[1].URL, svc),
		strings.NewReader(fmt.Sprintf(`{"date":"2026-11-24","slots":[{"start":%q,"capacity":5}]}`, start.Format(time.RFC3339))))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("set capacity: %v %v", res.Status, err)
	}
	res.Body.Close()

	var ok, full atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, b := post(t, srv[i%2].URL+"/api/v1/halls/1/appointments", "", map[string]any{"service": svc, "start": start,
				"name": "市民", "phone": fmt.Sprintf("139%08d", i)})
			switch {
			case code == 201:
				ok.Add(1)
			case code == 409 && strings.Contains(string(b), `"error":"slot_full"`):
				full.Add(1)
			default:
				t.Errorf("booking %d: %d %s", i, code, b)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 5 || full.Load() != 45 {
		t.Errorf("%d booked, %d full; want 5 and 45", ok.Load(), full.Load())
	}
	var booked int
	first.DB.QueryRow(ctx, "SELECT COUNT(*) FROM appointments WHERE service_id = ? AND start_at = ?", svc, start.UnixMilli()).Scan(&booked)
	if booked != 5 {
		t.Errorf("%d bookings stored, want 5", booked)
	}
}
