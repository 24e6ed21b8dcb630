package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/web"
)

var updateScreens = flag.Bool("update-screens", false, "write the README's screenshots to docs/screens/")

// hallRig is a real qhall on loopback with a clock that can be set back (atomically: the hub's
// goroutines read it) and a headless Chromium beside it.
type hallRig struct {
	*browserSession
	app     *app.App
	srv     *httptest.Server
	back    atomic.Int64
	browser context.Context
	svc     map[string]int64 // service id by prefix
}

func newHallRig(t *testing.T, flags ...chromedp.ExecAllocatorOption) *hallRig {
	t.Helper()
	if _, err := os.Stat(browserChromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is not installed at %s", browserChromium)
		}
		t.Skipf("chromium is not installed at %s", browserChromium)
	}
	a, err := app.Open(context.Background(), app.Config{DataDir: t.TempDir(), DemoPassword: "demo-pass",
		Guard: web.Guard{IssuePerMinute: -1}}, slog.New(slog.DiscardHandler)) // the rig issues many tickets from one address
	if err != nil {
		t.Fatal(err)
	}
	r := &hallRig{app: a}
	a.SetClock(func() time.Time { return time.Now().Add(-time.Duration(r.back.Load())) })
	r.srv = httptest.NewServer(a.Handler())
	t.Cleanup(func() { r.srv.Close(); a.Close() })
	r.browserSession = &browserSession{t: t, base: r.srv.URL, shotDirs: []string{t.TempDir()}}
	if d := os.Getenv("QHALL_SCREENSHOTS"); d != "" {
		r.shotDirs = append(r.shotDirs, d)
	}
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browserChromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-extensions", true), chromedp.Flag("mute-audio", true),
		chromedp.Flag("lang", "zh-CN"), chromedp.Flag("accept-lang", "zh-CN,zh"), chromedp.Flag("hide-scrollbars", true), chromedp.UserDataDir(t.TempDir()),
	}, flags...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	r.browser = browser
	r.svc = map[string]int64{}
	var svcs []struct {
		ID     int64  `json:"id"`
		Prefix string `json:"prefix"`
	}
	r.getJSON("/api/v1/halls/1/services", "", &svcs)
	for _, s := range svcs {
		r.svc[s.Prefix] = s.ID
	}
	return r
}

// api calls the JSON API as a staff member's token ("" for none) and answers the status.
func (r *hallRig) api(method, path, token string, body, out any) int {
	r.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, r.srv.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode < 300 && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			r.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return res.StatusCode
}

func (r *hallRig) getJSON(path, token string, out any) {
	r.t.Helper()
	if code := r.api("GET", path, token, nil, out); code != 200 {
		r.t.Fatalf("GET %s: %d", path, code)
	}
}

func (r *hallRig) must(method, path, token string, body any) {
	r.t.Helper()
	if code := r.api(method, path, token, body, nil); code >= 300 {
		r.t.Fatalf("%s %s: %d", method, path, code)
	}
}

func (r *hallRig) signIn(user string) string {
	r.t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	if code := r.api("POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": "demo-pass"}, &out); code != 200 {
		r.t.Fatalf("sign in %s: %d", user, code)
	}
	return out.Token
}

// issue takes a ticket and answers its number and token.
func (r *hallRig) issue(prefix, priority string) (string, string) {
	r.t.Helper()
	var tk struct {
		Number string `json:"number"`
		Token  string `json:"token"`
	}
	if code := r.api("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": r.svc[prefix], "priority": priority}, &tk); code != 201 {
		r.t.Fatalf("issue %s: %d", prefix, code)
	}
	return tk.Number, tk.Token
}

func (r *hallRig) px(ctx context.Context, expr string) float64 {
	r.t.Helper()
	v, err := strconv.ParseFloat(r.eval(ctx, "String("+expr+")"), 64)
	if err != nil {
		r.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func (r *hallRig) atLeast(ctx context.Context, what, expr string, min float64) {
	r.t.Helper()
	if v := r.px(ctx, expr); v < min {
		r.t.Errorf("%s: %.1f, want at least %.1f", what, v, min)
	}
}

func (r *hallRig) problemsSeen() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.problems {
		r.t.Errorf("browser console: %s", p)
	}
}

// screen takes the page's full screenshot (for the test's folders) and, with -update-screens,
// the README's picture of what fits the screen, at half scale to keep docs/screens small.
func (r *hallRig) screen(ctx context.Context, name string) {
	r.t.Helper()
	defer r.shot(ctx, name)
	if !*updateScreens {
		return
	}
	r.wait(ctx, "scrolled to the top", `(window.scrollTo(0, 0), window.scrollY === 0)`, 5*time.Second)
	time.Sleep(300 * time.Millisecond) // a frame or two, so the page is painted where it now stands
	w, h := r.px(ctx, "innerWidth"), r.px(ctx, "innerHeight")
	var res []byte
	_, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		out, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Clip: &page.Viewport{X: 0, Y: 0, Width: w, Height: h, Scale: 0.5}})
		if err == nil {
			res = out.Data
		}
		return err
	}))
	if err != nil {
		r.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "screens", name+".png"), res, 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func computed(sel, prop string) string {
	return fmt.Sprintf(`parseFloat(getComputedStyle(document.querySelector(%q))[%q])`, sel, prop)
}
