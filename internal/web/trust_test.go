package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/storetest"
	"github.com/qhall/qhall/internal/web"
)

// clock is a settable time for the app under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock(t time.Time) *clock        { return &clock{t: t} }
func (e *env) from(src string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("X-Forwarded-For", src) }
}

// eachEngineGuard is eachEngine with the guard's settings (TrustProxy lets a test speak from
// many sources through X-Forwarded-For).
func eachEngineGuard(t *testing.T, g web.Guard, f func(e *env)) {
	eachEngineClock(t, g, nil, f)
}

// eachEngineClock is eachEngineGuard with the app's clock (nil: time.Now).
func eachEngineClock(t *testing.T, g web.Guard, c *clock, f func(e *env)) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			logs := &syncBuffer{}
			cfg := app.Config{DataDir: eng.Dir, DatabaseURL: eng.URL, DemoPassword: demoPassword, Guard: g}
			if c != nil {
				cfg.Now = c.Now
			}
			a, err := app.Open(context.Background(), cfg,
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

// req sends a request with options applied (headers); body is a string sent as is.
func (e *env) req(method, path, token, body string, opts ...func(*http.Request)) (resp, http.Header) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, o := range opts {
		o(req)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	var b strings.Builder
	bufio.NewReader(res.Body).WriteTo(&b)
	return resp{res.StatusCode, []byte(b.String())}, res.Header
}

func loginBody(user, pw string) string {
	b, _ := json.Marshal(map[string]string{"username": user, "password": pw})
	return string(b)
}

// Finding 1: an anonymous flood of sign-ins from one source must not make staff elsewhere wait
// for the password-hashing slots.
func TestLoginFloodDoesNotStarveStaff(t *testing.T) {
	eachEngineGuard(t, web.Guard{TrustProxy: true}, func(e *env) {
		t := e.t
		timed := func() time.Duration {
			start := time.Now()
			r, _ := e.req("POST", "/api/v1/auth/login", "", loginBody("admin", demoPassword), e.from("10.1.0.7"))
			if r.status != 200 {
				t.Fatalf("real sign-in: %d %s", r.status, r.body)
			}
			return time.Since(start)
		}
		base := []time.Duration{timed(), timed(), timed()}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var sent atomic.Int64
		for i := range 48 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := &http.Client{Timeout: 30 * time.Second}
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/auth/login", strings.NewReader(loginBody(fmt.Sprintf("guess%d-%d", i, n), "wrong-password")))
					req.Header.Set("X-Forwarded-For", "203.0.113.9")
					if res, err := c.Do(req); err == nil {
						res.Body.Close()
						sent.Add(1)
					}
				}
			}()
		}
		time.Sleep(500 * time.Millisecond)
		var under []time.Duration
		for range 3 {
			under = append(under, timed())
		}
		close(stop)
		wg.Wait()
		t.Logf("in order: %v", under)
		slices.Sort(base)
		slices.Sort(under)
		t.Logf("sign-in alone %v, under a flood of %d requests %v (in order)", base, sent.Load(), under)
		if under[1] > 4*base[1]+600*time.Millisecond {
			t.Fatalf("a sign-in under a flood from another source took %v (alone %v)", under[1], base[1])
		}
	})
}

// Finding 2: strangers cannot lock an account; a throttled known account and an unknown name
// answer alike; the real user gets in once the attacker stops; the count is forgotten later.
func TestLoginThrottleLocksNobodyOutAndNamesNothing(t *testing.T) {
	c := newClock(time.Now())
	eachEngineClock(t, web.Guard{TrustProxy: true}, c, func(e *env) {
		t := e.t
		attack := func(user string, n int) {
			for i := range n {
				e.req("POST", "/api/v1/auth/login", "", loginBody(user, "wrong-password"), e.from(fmt.Sprintf("198.51.100.%d", i+1)))
			}
		}
		attack("admin", 12)
		attack("no-such-user", 12)
		probe := func(user string) (resp, time.Duration) {
			start := time.Now()
			r, _ := e.req("POST", "/api/v1/auth/login", "", loginBody(user, "wrong-password"), e.from("192.0.2.50"))
			return r, time.Since(start)
		}
		var known, unknown []time.Duration
		for range 3 {
			rk, dk := probe("admin")
			ru, du := probe("no-such-user")
			if rk.status != ru.status || string(rk.body) != string(ru.body) {
				t.Fatalf("a throttled account and an unknown name answer differently: %d %s / %d %s", rk.status, rk.body, ru.status, ru.body)
			}
			known, unknown = append(known, dk), append(unknown, du)
		}
		slices.Sort(known)
		slices.Sort(unknown)
		if d := known[1] - unknown[1]; d > 25*time.Millisecond || d < -25*time.Millisecond {
			t.Fatalf("a throttled account answers in %v, an unknown name in %v", known[1], unknown[1])
		}
		// The attacker stops; within a minute the owner gets in with the right password.
		c.Advance(time.Minute)
		r, _ := e.req("POST", "/api/v1/auth/login", "", loginBody("admin", demoPassword), e.from("192.0.2.60"))
		expect(t, resp{r.status, r.body}, 200, "")

		// Failures then lapse: after a quiet quarter hour, one wrong password locks nothing.
		attack("sup1", 12)
		c.Advance(16 * time.Minute)
		e.req("POST", "/api/v1/auth/login", "", loginBody("sup1", "wrong-password"), e.from("192.0.2.61"))
		r, _ = e.req("POST", "/api/v1/auth/login", "", loginBody("sup1", demoPassword), e.from("192.0.2.61"))
		expect(t, resp{r.status, r.body}, 200, "")
	})
}

// Finding 3: one source cannot take tickets without bound; a paired kiosk may take many more.
func TestIssuingIsLimitedPerSourceAndKiosksArePaired(t *testing.T) {
	eachEngineGuard(t, web.Guard{TrustProxy: true}, func(e *env) {
		t := e.t
		body := `{"service":1}`
		refused := 0
		for range 30 {
			r, _ := e.req("POST", "/api/v1/halls/1/tickets", "", body, e.from("203.0.113.20"))
			switch r.status {
			case 201:
			case 429:
				refused++
				expect(t, r, 429, "too_many_tickets")
			default:
				t.Fatalf("issue: %d %s", r.status, r.body)
			}
		}
		if refused < 15 {
			t.Fatalf("one source took %d of 30 tickets at once", 30-refused)
		}
		// Another source is not held back by the first.
		r, _ := e.req("POST", "/api/v1/halls/1/tickets", "", body, e.from("203.0.113.21"))
		expect(t, r, 201, "")

		// A supervisor makes a pairing code; the kiosk (same busy source) enters it once.
		sup := e.login("sup1")
		r, _ = e.req("POST", "/api/v1/halls/1/devices/pairing-codes", sup, `{"kind":"kiosk","name":"东门取号机"}`)
		expect(t, r, 201, "")
		var pc struct{ Code string }
		r.json(t, &pc)
		r, h := e.req("POST", "/api/v1/devices/pair", "", `{"code":"`+pc.Code+`"}`, e.from("203.0.113.20"))
		expect(t, r, 200, "")
		var cookie string
		for _, c := range (&http.Response{Header: h}).Cookies() {
			if c.Name == "qhall_device" {
				cookie = c.Name + "=" + c.Value
			}
		}
		if cookie == "" {
			t.Fatalf("pairing set no device cookie: %v", h)
		}
		// A code is good once.
		r, _ = e.req("POST", "/api/v1/devices/pair", "", `{"code":"`+pc.Code+`"}`, e.from("203.0.113.22"))
		expect(t, r, 404, "pairing_code_unknown")
		for i := range 30 {
			r, _ := e.req("POST", "/api/v1/halls/1/tickets", "", body, e.from("203.0.113.20"), func(r *http.Request) { r.Header.Set("Cookie", cookie) })
			if r.status != 201 {
				t.Fatalf("paired kiosk, ticket %d: %d %s", i, r.status, r.body)
			}
		}
	})
}

// Finding 4: out-of-range integers and NUL bytes are refused at the edge alike on both engines,
// and nothing of the value reaches the log.
func TestEdgeRefusesOutOfRangeAndNUL(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		admin := e.login("admin")
		clerk := e.login("clerk1-1")
		e.do("POST", "/api/v1/windows/1/open", clerk, nil)
		cases := []struct{ method, path, token, body string }{
			{"POST", "/api/v1/windows/1/reenter", clerk, `{"number":"A2147483648"}`},
			{"POST", "/api/v1/windows/1/reenter", clerk, `{"number":"A99999999999999999999"}`},
			{"GET", "/api/v1/speech/stats?clerk=2147483648", admin, ""},
			{"GET", "/api/v1/speech/stats?hall=9223372036854775807", admin, ""},
			{"GET", "/api/v1/speech/rules/export?version=2147483648", admin, ""},
			{"PUT", "/api/v1/speech/rules?note=a%00b", admin, `{"rules":[{"id":"x","category":"rude","severity":1,"words":["滚"]}]}`},
			{"GET", "/api/v1/halls/2147483648", "", ""},
			{"GET", "/api/v1/windows/2147483648", admin, ""},
			{"GET", "/api/v1/halls/1%00", "", ""},
			{"GET", "/api/v1/audit?x=%00", admin, ""},
		}
		for _, c := range cases {
			r, _ := e.req(c.method, c.path, c.token, c.body)
			if r.status != 400 {
				t.Errorf("%s %s: %d %s, want 400", c.method, c.path, r.status, r.body)
			}
		}
		if l := e.logs.String(); strings.Contains(l, "2147483648") || strings.Contains(l, "out of range") {
			t.Fatalf("the log holds the value or the database's error:\n%s", l)
		}
	})
}

// Finding 5: a body sent a byte at a time is cut off; event streams beyond the bound get a 503.
func TestSlowBodiesAndStreamsAreBounded(t *testing.T) {
	eachEngineGuard(t, web.Guard{BodyTimeout: time.Second, MaxStreams: 2}, func(e *env) {
		t := e.t
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
		answered := make(chan string, 1)
		go func() {
			line, _ := bufio.NewReader(conn).ReadString('\n')
			answered <- line
		}()
		tick := time.NewTicker(300 * time.Millisecond)
		defer tick.Stop()
		deadline := time.After(6 * time.Second)
	loop:
		for {
			select {
			case line := <-answered:
				t.Logf("slow body answered: %q", line)
				break loop
			case <-tick.C:
				conn.Write([]byte(" "))
			case <-deadline:
				t.Fatal("a body trickling a byte every 300 ms was still being read after 6 s")
			}
		}

		var streams []*http.Response
		for range 2 {
			res, err := http.Get(e.srv.URL + "/api/v1/halls/1/events")
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("stream: %v %v", res, err)
			}
			streams = append(streams, res)
		}
		defer func() {
			for _, s := range streams {
				s.Body.Close()
			}
		}()
		r, h := e.req("GET", "/api/v1/halls/1/events", "", "")
		if r.status != 503 || h.Get("Retry-After") == "" {
			t.Fatalf("third stream: %d %s (Retry-After %q), want 503 with Retry-After", r.status, r.body, h.Get("Retry-After"))
		}
		expect(t, r, 503, "too_many_streams")
	})
}

// Finding 6: trailing data, keys in another case and duplicate keys are refused.
func TestJSONBodiesAreStrict(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		for _, b := range []string{
			`{"service":1}xyz`,
			`{"service":1} {"service":1}`,
			`{"SERVICE":1}`,
			`{"Service":1}`,
			`{"service":1,"service":2}`,
			`{"service":1,"priority":"","priority":"elderly"}`,
		} {
			r, _ := e.req("POST", "/api/v1/halls/1/tickets", "", b)
			expect(t, r, 400, "bad_request")
		}
		r, _ := e.req("POST", "/api/v1/halls/1/tickets", "", `{"service":1}`)
		expect(t, r, 201, "")
	})
}

// Finding 7: an empty or structurally wrong library is refused and the active one stays.
func TestRulesImportRefusesEmptyLibrary(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		admin := e.login("admin")
		before, _ := e.req("GET", "/api/v1/speech/rules", admin, "")
		for _, b := range []string{`null`, `{}`, `{"rules":[]}`, `{"rules":null}`, `[]`, `{"version":1}`, `"rules"`} {
			r, _ := e.req("PUT", "/api/v1/speech/rules", admin, b)
			if r.status != 400 {
				t.Errorf("import %s: %d %s, want 400", b, r.status, r.body)
			}
		}
		after, _ := e.req("GET", "/api/v1/speech/rules", admin, "")
		if string(before.body) != string(after.body) {
			t.Fatal("a refused import changed the active library")
		}
	})
}

// Finding 9: /metrics behind a token; cross-origin refusals in the JSON error shape; a user ends
// their other sessions and an admin ends a user's.
func TestMetricsCrossOriginAndSessions(t *testing.T) {
	eachEngineGuard(t, web.Guard{MetricsToken: "s3cret-metrics"}, func(e *env) {
		t := e.t
		r, _ := e.req("GET", "/metrics", "", "")
		if r.status != 401 {
			t.Fatalf("/metrics without the token: %d", r.status)
		}
		r, _ = e.req("GET", "/metrics", "wrong", "")
		if r.status != 401 {
			t.Fatalf("/metrics with a wrong token: %d", r.status)
		}
		r, _ = e.req("GET", "/metrics", "s3cret-metrics", "")
		if r.status != 200 || !strings.Contains(string(r.body), "go_goroutines") {
			t.Fatalf("/metrics with the token: %d", r.status)
		}

		r, _ = e.req("POST", "/api/v1/halls/1/tickets", "", `{"service":1}`, func(r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			r.Header.Set("Origin", "https://evil.example")
		})
		expect(t, r, 403, "cross_origin")

		a1, a2 := e.login("admin"), e.login("admin")
		r, _ = e.req("POST", "/api/v1/me/sessions/end-others", a1, "")
		expect(t, r, 200, "")
		expect(t, e.do("GET", "/api/v1/me", a2, nil), 401, "login_required")
		expect(t, e.do("GET", "/api/v1/me", a1, nil), 200, "")

		c := e.login("clerk1-1")
		sup := e.login("sup1")
		expect(t, e.do("POST", "/api/v1/staff/clerk1-1/sessions/end", sup, nil), 403, "forbidden")
		expect(t, e.do("GET", "/api/v1/me", c, nil), 200, "")
		expect(t, e.do("POST", "/api/v1/staff/clerk1-1/sessions/end", a1, nil), 200, "")
		expect(t, e.do("GET", "/api/v1/me", c, nil), 401, "login_required")
		expect(t, e.do("POST", "/api/v1/staff/nobody/sessions/end", a1, nil), 404, "staff_not_found")
	})
}
