package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/storetest"
	"github.com/qhall/qhall/internal/web"
)

const pw = "multi-instance-pw"

func post(t *testing.T, url, token string, body any) (int, []byte) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest("POST", url, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// Two instances share one PostgreSQL database, as behind a load balancer: they start at the
// same moment (one migrates, one loads the demo), kiosks issue through both, windows call through
// both at once, every ticket is called exactly once, and calls made through one instance reach
// the display streams of the other.
func TestTwoInstancesOnePostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	if url == "" {
		t.Skip("QHALL_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	var apps [2]*app.App
	var wg sync.WaitGroup
	for i := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Both kiosks are this test, at one address: no per-source issuing limit.
			a, err := app.Open(ctx, app.Config{DatabaseURL: url, DemoPassword: pw, Guard: web.Guard{IssuePerMinute: -1}}, log)
			if err != nil {
				t.Error(err)
				return
			}
			apps[i] = a
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	var srv [2]*httptest.Server
	for i, a := range apps {
		srv[i] = httptest.NewServer(a.Handler())
		defer func() { srv[i].Close(); a.Close() }()
	}

	// A display board on instance B.
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, _ := http.NewRequestWithContext(sctx, "GET", srv[1].URL+"/api/v1/halls/1/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lastCall := make(chan float64, 1000)
	go func() {
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var st struct{ Calls []struct{ ID float64 } }
			if json.Unmarshal([]byte(data), &st) == nil && len(st.Calls) > 0 {
				lastCall <- st.Calls[0].ID
			}
		}
	}()

	// Kiosks on both instances.
	const tickets = 160
	for i := 0; i < tickets; i++ {
		svc := []int{1, 2, 3, 4, 5, 6, 7, 9}[i%8]
		if code, b := post(t, srv[i%2].URL+"/api/v1/halls/1/tickets", "", map[string]any{"service": svc}); code != 201 {
			t.Fatalf("issue: %d %s", code, b)
		}
	}

	// Eight windows, four on each instance, calling at once.
	var mu sync.Mutex
	seen := map[string]int{}
	var tokens [9]string
	for w := 1; w <= 8; w++ {
		base := srv[w%2].URL
		code, b := post(t, base+"/api/v1/auth/login", "", map[string]string{"username": "clerk1-" + string(rune('0'+w)), "password": pw})
		if code != 200 {
			t.Fatalf("login: %d %s", code, b)
		}
		var lr struct{ Token string }
		json.Unmarshal(b, &lr)
		tokens[w] = lr.Token
		if code, b := post(t, base+"/api/v1/windows/"+string(rune('0'+w))+"/open", lr.Token, nil); code != 200 {
			t.Fatalf("open: %d %s", code, b)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			wp := base + "/api/v1/windows/" + string(rune('0'+w))
			for {
				code, b := post(t, wp+"/call", lr.Token, nil)
				if code == 204 {
					return
				}
				if code != 200 {
					t.Errorf("call: %d %s", code, b)
					return
				}
				var tk struct {
					ID     int64
					Number string
				}
				json.Unmarshal(b, &tk)
				mu.Lock()
				seen[tk.Number]++
				mu.Unlock()
				if code, b := post(t, wp+"/finish", lr.Token, nil); code != 200 {
					t.Errorf("finish: %d %s", code, b)
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != tickets {
		t.Fatalf("%d distinct tickets called, want %d", len(seen), tickets)
	}
	for n, c := range seen {
		if c != 1 {
			t.Fatalf("ticket %s called %d times", n, c)
		}
	}

	// One more call made through instance A (window 2) reaches the display on instance B.
	if code, b := post(t, srv[1].URL+"/api/v1/halls/1/tickets", "", map[string]any{"service": 1}); code != 201 {
		t.Fatalf("issue: %d %s", code, b)
	}
	if code, b := post(t, srv[0].URL+"/api/v1/windows/2/call", tokens[2], nil); code != 200 {
		t.Fatalf("call: %d %s", code, b)
	}
	var newest float64
	if err := apps[0].DB.QueryRow(ctx, "SELECT MAX(id) FROM calls").Scan(&newest); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case id := <-lastCall:
			if id == newest {
				return
			}
		case <-deadline:
			t.Fatalf("call %v never reached instance B's stream", newest)
		}
	}
}
