package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/qhall/qhall/internal/app"
)

const browserChromium = "/usr/bin/chromium"

// browserSession drives headless Chromium against a real qhall. Each page gets its own tab;
// the tabs share cookies, as the tabs of one browser do.
type browserSession struct {
	t        *testing.T
	base     string
	shotDirs []string

	mu       sync.Mutex
	problems []string // uncaught exceptions and policy violations seen in any tab
}

func (b *browserSession) tab(parent context.Context, name string, w, h int64, opts ...chromedp.ContextOption) context.Context {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(parent, opts...)
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		b.t.Fatalf("open tab %s: %v", name, err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Refused to") {
				b.mu.Lock()
				b.problems = append(b.problems, name+": "+m.String())
				b.mu.Unlock()
			}
		}
	}()
	var vp []chromedp.EmulateViewportOption
	if w < 600 { // a phone
		vp = append(vp, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	b.do(ctx, "viewport "+name, chromedp.EmulateViewport(w, h, vp...))
	return ctx
}

func (b *browserSession) do(ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// wait polls a JavaScript predicate until it holds, at most timeout.
func (b *browserSession) wait(ctx context.Context, what, expr string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		cctx, cancel := context.WithTimeout(ctx, left+2*time.Second)
		_, err := chromedp.Run(cctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(left), chromedp.WithPollingInterval(50*time.Millisecond)))
		cancel()
		if err == nil {
			return
		}
		// A poll does not survive a navigation (a sign-in redirects): poll the new page.
		if time.Now().Before(deadline) && navigatedAway(err) {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 600) : ''`))
		b.t.Fatalf("%s: %v\npage text: %s", what, err, body)
	}
}

// navigatedAway tells whether a poll failed because the tab went to another page under it.
// Chrome says so in three ways: "Inspected target navigated or closed" or "Execution context was
// destroyed" when the page goes while the poll runs, and "Cannot find context with specified id"
// when the poll starts in the old page's context just after it went (chromedp has not yet heard
// that the context is gone).
func navigatedAway(err error) bool {
	for _, s := range []string{"navigated", "Execution context was destroyed", "Cannot find context with specified id"} {
		if strings.Contains(err.Error(), s) {
			return true
		}
	}
	return false
}

func (b *browserSession) text(ctx context.Context, sel string) string {
	b.t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(cctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (b *browserSession) eval(ctx context.Context, expr string) string {
	b.t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("eval %s: %v", expr, err)
	}
	return s
}

func (b *browserSession) shot(ctx context.Context, name string) {
	b.t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	png, err := chromedp.Run(cctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	for _, d := range b.shotDirs {
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

func (b *browserSession) login(ctx context.Context, user, pw, next, shot string) {
	b.t.Helper()
	u := b.base + "/login"
	if next != "" {
		u += "?next=" + next
	}
	b.do(ctx, "sign-in page", chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("#username")))
	if shot != "" {
		b.shot(ctx, shot)
	}
	b.do(ctx, "sign in as "+user,
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Click(chromedp.CSS(`#login-form button[type=submit]`)),
	)
}

// browserIssue takes a ticket of hall 1 for the service with the prefix, as a kiosk would.
func browserIssue(t *testing.T, base, prefix, priority string) {
	t.Helper()
	r, err := http.Get(base + "/api/v1/halls/1/services")
	if err != nil {
		t.Fatal(err)
	}
	var svcs []struct {
		ID     int64  `json:"id"`
		Prefix string `json:"prefix"`
	}
	err = json.NewDecoder(r.Body).Decode(&svcs)
	r.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range svcs {
		if s.Prefix != prefix {
			continue
		}
		body, _ := json.Marshal(map[string]any{"service": s.ID, "priority": priority})
		r, err := http.Post(base+"/api/v1/halls/1/tickets", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("issue %s: %s", prefix, r.Status)
		}
		return
	}
	t.Fatalf("no service %s", prefix)
}

// startBrowser starts headless Chromium for a test (skipping it when Chromium is missing
// outside CI) and returns the browser's context.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(browserChromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is not installed at %s (CI needs it for the browser test)", browserChromium)
		}
		t.Skipf("chromium is not installed at %s", browserChromium)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(browserChromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil { // starts the browser, without a timeout
		t.Fatalf("start chromium: %v", err)
	}
	return browser
}

// shotDirs are where a browser test's screenshots go: a temporary folder, and QHALL_SCREENSHOTS.
func shotDirs(t *testing.T) []string {
	dirs := []string{t.TempDir()}
	if d := os.Getenv("QHALL_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	return dirs
}

// startHall starts a real qhall (demo loaded, every account with password pw) behind a real
// HTTP server on loopback, and headless Chromium; screenshots go to shotDirs.
func startHall(t *testing.T, pw string) (*browserSession, context.Context, *httptest.Server) {
	t.Helper()
	browser := startBrowser(t)
	a, err := app.Open(context.Background(), app.Config{DataDir: t.TempDir(), DemoPassword: pw}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &browserSession{t: t, base: srv.URL, shotDirs: shotDirs(t)}, browser, srv
}
