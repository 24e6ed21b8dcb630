package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/web"
)

// fuzzServer is one real qhall (SQLite, demo loaded) shared by a fuzz run, with signed-in
// tokens for the routes that need them.
var fuzzServer = sync.OnceValues(func() (*httptest.Server, map[string]string) {
	dir, _ := osMkdirTemp()
	a, err := app.Open(context.Background(), app.Config{DataDir: dir, DemoPassword: demoPassword, Guard: web.Guard{TrustProxy: true}},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(a.Handler())
	tokens := map[string]string{}
	for _, u := range []string{"admin", "clerk1-1"} {
		res, err := http.Post(srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(loginBody(u, demoPassword)))
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		tokens[u] = between(string(b), `"token":"`, `"`)
	}
	return srv, tokens
})

func between(s, a, b string) string {
	_, s, _ = strings.Cut(s, a)
	s, _, _ = strings.Cut(s, b)
	return s
}

// decoders is every route that decodes a request body, with who calls it.
var decoders = []struct{ method, path, who string }{
	{"POST", "/api/v1/auth/login", ""},
	{"POST", "/api/v1/halls/1/tickets", ""},
	{"POST", "/api/v1/devices/pair", ""},
	{"POST", "/api/v1/halls/1/devices/pairing-codes", "admin"},
	{"POST", "/api/v1/windows/1/open", "clerk1-1"},
	{"POST", "/api/v1/windows/1/transfer", "clerk1-1"},
	{"POST", "/api/v1/windows/1/pause", "clerk1-1"},
	{"POST", "/api/v1/windows/1/reenter", "clerk1-1"},
	{"POST", "/api/v1/windows/1/pause/approve", "admin"},
	{"POST", "/api/v1/speech/check", "clerk1-1"},
	{"PUT", "/api/v1/speech/rules", "admin"},
	{"PUT", "/api/v1/speech/rules/fuzz-rule", "admin"},
	{"POST", "/api/v1/tickets/1/transcripts", "admin"},
}

// FuzzRequestBodies sends every input to every route that decodes a body: whatever it is, the
// answer is never a 5xx. Run briefly with
//
//	go test -run '^$' -fuzz FuzzRequestBodies -fuzztime 30s ./internal/web/
func FuzzRequestBodies(f *testing.F) {
	for _, s := range []string{
		`{"service":1}`, `{"service":1}xyz`, `{"SERVICE":1}`, `{"service":1,"service":2}`, `null`, `{}`, `[]`, `"x"`,
		`{"username":"admin","password":"x"}`, `{"code":"12345678"}`, `{"kind":"kiosk","name":"东门"}`,
		`{"service":2147483648}`, `{"service":-1}`, `{"service":1e400}`, `{"number":"A2147483648"}`, `{"number":"A001"}`,
		`{"reason":"meal","minutes":15}`, `{"minutes":99999999999}`, `{"service":"1"}`, `{"to_service":3}`,
		`{"text":"您好，请问办理什么业务？"}`, `{"rules":[{"id":"x","category":"rude","severity":1,"words":["滚"]}]}`,
		`{"id":"fuzz-rule","category":"rude","severity":4,"words":[""]}`, `{"text":"\u0000"}`, "{\"text\":\"\xff\"}",
		`{"a":{"b":{"c":[[[[[[[[[[1]]]]]]]]]]}}}`, `{"rules":null}`, `{"version":1}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		srv, tokens := fuzzServer()
		for _, d := range decoders {
			req, _ := http.NewRequest(d.method, srv.URL+d.path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", "192.0.2.1")
			if d.who != "" {
				req.Header.Set("Authorization", "Bearer "+tokens[d.who])
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", d.method, d.path, err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode >= 500 {
				t.Fatalf("%s %s with %q: %d %s", d.method, d.path, body, res.StatusCode, b)
			}
		}
	})
}

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "qhall-fuzz-") }
