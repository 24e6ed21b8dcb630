package web_test

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
)

const demoPassword = "demo-pass-for-tests"

// syncBuffer collects the server's log so tests can check it holds no citizen data.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

type env struct {
	t    *testing.T
	srv  *httptest.Server
	app  *app.App
	logs *syncBuffer
}

// eachEngine starts a real qhall (demo loaded) behind a real HTTP server on loopback, on SQLite
// and, when QHALL_TEST_POSTGRES is set, on PostgreSQL.
func eachEngine(t *testing.T, f func(e *env)) { eachEngineAt(t, nil, f) }

// eachEngineAt is eachEngine with the services' clock (nil: the real one).
func eachEngineAt(t *testing.T, now func() time.Time, f func(e *env)) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			logs := &syncBuffer{}
			a, err := app.Open(context.Background(), app.Config{DataDir: eng.Dir, DatabaseURL: eng.URL, DemoPassword: demoPassword, Now: now},
				slog.New(slog.NewTextHandler(logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(a.Handler())
			t.Cleanup(func() { srv.Close(); a.Close() })
			f(&env{t: t, srv: srv, app: a, logs: logs})
		})
	}
}

type resp struct {
	status int
	body   []byte
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request; body may be a string (sent as is) or a value (sent as JSON).
func (e *env) do(method, path, token string, body any) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, b}
}

func (e *env) login(user string) string {
	e.t.Helper()
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": demoPassword})
	if r.status != 200 {
		e.t.Fatalf("login %s: %d %s", user, r.status, r.body)
	}
	var out struct{ Token string }
	r.json(e.t, &out)
	return out.Token
}

func expect(t *testing.T, r resp, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if code != "" {
		var e struct{ Error, Message string }
		json.Unmarshal(r.body, &e)
		if e.Error != code || e.Message == "" {
			t.Fatalf("error %q (%q), want %q", e.Error, e.Message, code)
		}
	}
}

func TestKioskCounterFlow(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		var halls []struct {
			ID     int64
			Number int
			Name   string
		}
		e.do("GET", "/api/v1/halls", "", nil).json(t, &halls)
		if len(halls) != 2 || halls[0].Number != 1 || halls[0].Name == "" {
			t.Fatalf("halls %+v", halls)
		}
		var svcs []struct {
			ID           int64
			Name, Prefix string
			Kind         string
			Materials    []struct{ Name string }
		}
		e.do("GET", "/api/v1/halls/1/services", "", nil).json(t, &svcs)
		if len(svcs) < 8 || svcs[0].Prefix != "A" || len(svcs[0].Materials) == 0 {
			t.Fatalf("services %+v", svcs)
		}
		var wins []struct {
			ID       int64
			Number   int
			Services []int64
			State    string
		}
		e.do("GET", "/api/v1/halls/1/windows", "", nil).json(t, &wins)
		if len(wins) != 8 || len(wins[0].Services) < 5 || wins[0].State != "closed" {
			t.Fatalf("windows %+v", wins)
		}

		r := e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": svcs[0].ID})
		expect(t, r, 201, "")
		var tk struct {
			ID                   int64
			Number, Token        string
			Position             int
			EstimatedWaitSeconds int `json:"estimated_wait_seconds"`
		}
		r.json(t, &tk)
		if tk.Number != "A001" || tk.Token == "" || tk.Position != 1 {
			t.Fatalf("ticket %+v", tk)
		}

		clerk := e.login("clerk1-1")
		expect(t, e.do("POST", "/api/v1/windows/1/open", clerk, nil), 200, "")
		r = e.do("POST", "/api/v1/windows/1/call", clerk, nil)
		expect(t, r, 200, "")
		var called struct{ Number, Token, State string }
		r.json(t, &called)
		if called.Number != "A001" || called.State != "called" || called.Token != "" {
			t.Fatalf("called %+v (a clerk must not receive the citizen's token)", called)
		}
		var status struct {
			State        string
			WindowNumber int `json:"window_number"`
		}
		e.do("GET", "/api/v1/tickets/"+tk.Token, "", nil).json(t, &status)
		if status.State != "called" || status.WindowNumber != 1 {
			t.Fatalf("status %+v", status)
		}
		expect(t, e.do("POST", "/api/v1/windows/1/recall", clerk, nil), 200, "")
		expect(t, e.do("POST", "/api/v1/windows/1/start", clerk, nil), 200, "")
		expect(t, e.do("POST", "/api/v1/windows/1/finish", clerk, nil), 200, "")
		expect(t, e.do("POST", "/api/v1/windows/1/call", clerk, nil), 204, "")
		r = e.do("POST", "/api/v1/windows/1/pause", clerk, map[string]any{"reason": "break", "minutes": 5})
		expect(t, r, 200, "")
		expect(t, e.do("POST", "/api/v1/windows/1/resume", clerk, nil), 200, "")
		expect(t, e.do("POST", "/api/v1/windows/1/close", clerk, nil), 200, "")

		var audit []struct{ Action, Username string }
		sup := e.login("sup1")
		e.do("GET", "/api/v1/audit", sup, nil).json(t, &audit)
		if len(audit) < 9 || audit[0].Action != "auth.login" || audit[1].Action != "window.close" || audit[1].Username != "clerk1-1" {
			t.Fatalf("audit %+v", audit)
		}
		// The log holds no citizen token.
		if strings.Contains(e.logs.String(), tk.Token) {
			t.Fatal("a ticket token reached the log")
		}
	})
}

func TestRolesAndErrors(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		expect(t, e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "clerk1-1", "password": "wrong"}), 401, "bad_login")
		expect(t, e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "nobody", "password": "x"}), 401, "bad_login")
		expect(t, e.do("POST", "/api/v1/windows/1/open", "", nil), 401, "login_required")
		expect(t, e.do("POST", "/api/v1/windows/1/open", "forged-token", nil), 401, "login_required")
		expect(t, e.do("GET", "/api/v1/audit", e.login("clerk1-1"), nil), 403, "forbidden")

		c1, c2 := e.login("clerk1-1"), e.login("clerk1-2")
		expect(t, e.do("POST", "/api/v1/windows/1/open", c1, nil), 200, "")
		expect(t, e.do("POST", "/api/v1/windows/1/call", c2, nil), 403, "window_of_other_clerk")
		expect(t, e.do("POST", "/api/v1/windows/1/open", c2, nil), 409, "window_taken")
		expect(t, e.do("POST", "/api/v1/windows/9/open", c2, nil), 403, "window_of_other_hall")
		expect(t, e.do("GET", "/api/v1/windows/9", c2, nil), 403, "window_of_other_hall")
		expect(t, e.do("POST", "/api/v1/windows/1/pause/approve", c1, nil), 403, "forbidden")
		r := e.do("POST", "/api/v1/windows/1/pause", c1, map[string]any{"reason": "meeting", "minutes": 60})
		expect(t, r, 200, "")
		if !strings.Contains(string(r.body), "pending") {
			t.Fatalf("long pause: %s", r.body)
		}
		expect(t, e.do("POST", "/api/v1/windows/1/pause/approve", e.login("sup2"), nil), 403, "window_of_other_hall")
		expect(t, e.do("POST", "/api/v1/windows/1/pause/approve", e.login("sup1"), nil), 200, "")

		expect(t, e.do("GET", "/api/v1/halls/99/services", "", nil), 404, "hall_not_found")
		expect(t, e.do("GET", "/api/v1/halls/abc/services", "", nil), 400, "bad_id")
		expect(t, e.do("POST", "/api/v1/halls/1/tickets", "", `{"service":`), 400, "bad_request")
		expect(t, e.do("POST", "/api/v1/halls/1/tickets", "", `{"servce":1}`), 400, "bad_request")
		expect(t, e.do("POST", "/api/v1/halls/1/tickets", "", `{}`), 400, "bad_request")
		expect(t, e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": 13}), 404, "service_not_found") // hall 2's
		expect(t, e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": 1, "priority": "vip"}), 400, "unknown_priority")
		expect(t, e.do("POST", "/api/v1/halls/1/tickets", "", strings.Repeat(" ", 70<<10)+"{}"), 400, "body_too_large")
		expect(t, e.do("GET", "/api/v1/tickets/not-a-token", "", nil), 404, "ticket_not_found")
		expect(t, e.do("POST", "/api/v1/windows/77/call", c1, nil), 404, "window_not_found")

		// Errors speak the caller's language.
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/halls/99?lang=en", nil)
		res, _ := http.DefaultClient.Do(req)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(b), "There is no hall 99") {
			t.Fatalf("english error: %s", b)
		}
		req, _ = http.NewRequest("GET", e.srv.URL+"/api/v1/halls/99", nil)
		req.Header.Set("Accept-Language", "zh-TW,zh;q=0.8")
		res, _ = http.DefaultClient.Do(req)
		b, _ = io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(b), "沒有編號為 99 的大廳") {
			t.Fatalf("traditional error: %s", b)
		}
	})
}

// Garbage sent to every endpoint gets a 4xx, never a 5xx.
func TestNoServerErrorsOnBadInput(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		clerk := e.login("clerk1-1")
		bodies := []string{"", "null", "[]", "{", `{"service":-1}`, `{"service":"A"}`, `{"minutes":1e99}`, `{"number":null}`,
			`{"window":9223372036854775807}`, `{"username":"a\u0000","password":"x"}`, `{"number":"A\u0000"}`, `{"reason":"break","minutes":-5}`, "\xff\xfe", `{"note":"` + strings.Repeat("长", 300) + `"}`}
		paths := []string{"/api/v1/halls/1/tickets", "/api/v1/halls/0/tickets", "/api/v1/halls/-1/tickets", "/api/v1/halls/99999999999999999999/tickets",
			"/api/v1/auth/login"}
		for _, op := range []string{"open", "call", "recall", "skip", "start", "finish", "transfer", "pause", "resume", "reenter", "close", "pause/approve"} {
			paths = append(paths, "/api/v1/windows/1/"+op, "/api/v1/windows/x/"+op)
		}
		for _, p := range paths {
			for _, b := range bodies {
				for _, tok := range []string{"", clerk} {
					r := e.do("POST", p, tok, b)
					if r.status >= 500 {
						t.Fatalf("POST %s %q: %d %s", p, b, r.status, r.body)
					}
				}
			}
		}
		for _, p := range []string{"/api/v1/halls/x", "/api/v1/tickets/%00", "/api/v1/tickets/" + strings.Repeat("a", 500), "/api/v1/windows/0", "/api/v1/halls/1/state"} {
			if r := e.do("GET", p, clerk, nil); r.status >= 500 {
				t.Fatalf("GET %s: %d %s", p, r.status, r.body)
			}
		}
	})
}

func TestHealthAndMetrics(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		expect(t, e.do("GET", "/healthz", "", nil), 200, "")
		expect(t, e.do("GET", "/readyz", "", nil), 200, "")
		e.do("GET", "/api/v1/halls", "", nil)
		r := e.do("GET", "/metrics", "", nil)
		if r.status != 200 || !strings.Contains(string(r.body), `qhall_http_requests_total{code="200",route="GET /api/v1/halls"}`) {
			t.Fatalf("metrics: %d %.300s", r.status, r.body)
		}
	})
}

// readStates reads server-sent states from a hall's stream onto a channel.
func readStates(t *testing.T, url string) (<-chan map[string]any, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	out := make(chan map[string]any, 100)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var st map[string]any
				if json.Unmarshal([]byte(data), &st) == nil {
					out <- st
				}
			}
		}
		close(out)
	}()
	return out, cancel
}

// waitForCall waits until a state on the stream shows number as the latest call.
func waitForCall(t *testing.T, states <-chan map[string]any, number string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case st, ok := <-states:
			if !ok {
				t.Fatal("stream closed")
			}
			calls, _ := st["calls"].([]any)
			if len(calls) > 0 && calls[0].(map[string]any)["number"] == number {
				return
			}
		case <-deadline:
			t.Fatalf("call %s never reached the stream", number)
		}
	}
}

func TestEventsCarryCalls(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		states, stop := readStates(t, e.srv.URL+"/api/v1/halls/1/events")
		defer stop()
		first := <-states
		if first["hall"].(map[string]any)["number"].(float64) != 1 {
			t.Fatalf("first state %v", first)
		}
		e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": 1})
		clerk := e.login("clerk1-2")
		e.do("POST", "/api/v1/windows/2/open", clerk, nil)
		expect(t, e.do("POST", "/api/v1/windows/2/call", clerk, nil), 200, "")
		waitForCall(t, states, "A001")
	})
}

func TestEventsUnknownHall(t *testing.T) {
	eachEngine(t, func(e *env) {
		expect(e.t, e.do("GET", "/api/v1/halls/42/events", "", nil), 404, "hall_not_found")
	})
}

// Each window operation decodes its own input: a field of another operation is refused, not
// silently ignored, and the window is left as it was.
func TestWindowOperationsRefuseOtherOperationsFields(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		c1 := e.login("clerk1-1")
		expect(t, e.do("POST", "/api/v1/windows/1/open", c1, map[string]any{"minutes": 5}), 400, "bad_request")
		expect(t, e.do("POST", "/api/v1/windows/1/open", c1, nil), 200, "")
		for op, body := range map[string]any{
			"call": map[string]any{"minutes": 5}, "recall": map[string]any{"reason": "x"}, "skip": map[string]any{"number": "A1"},
			"finish": map[string]any{"service": 1}, "transfer": map[string]any{"minutes": 5, "service": 2},
			"pause": map[string]any{"reason": "break", "minutes": 5, "service": 1}, "reenter": map[string]any{"number": "A1", "window": 2},
			"resume": map[string]any{"note": "x"}, "close": map[string]any{"window": 2},
		} {
			expect(t, e.do("POST", "/api/v1/windows/1/"+op, c1, body), 400, "bad_request")
		}
		var v struct{ Window struct{ State string } }
		e.do("GET", "/api/v1/windows/1", c1, nil).json(t, &v)
		if v.Window.State != "open" {
			t.Fatalf("window changed by refused operations: %+v", v)
		}
	})
}
