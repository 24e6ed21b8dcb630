package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/qhall/qhall/internal/app"
)

// TestInBrowserEndOtherSessions: signed in on the home page, a clerk signs out their other
// devices with one button; the other session no longer works, this one does.
func TestInBrowserEndOtherSessions(t *testing.T) {
	if _, err := os.Stat(browserChromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is not installed at %s", browserChromium)
		}
		t.Skipf("chromium is not installed at %s", browserChromium)
	}
	a, err := app.Open(context.Background(), app.Config{DataDir: t.TempDir(), DemoPassword: demoPassword}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	e := &env{t: t, srv: srv, app: a, logs: &syncBuffer{}}
	other := e.login("clerk1-1") // the clerk's session on another PC

	b := &browserSession{t: t, base: srv.URL, shotDirs: []string{t.TempDir()}}
	if d := os.Getenv("QHALL_SCREENSHOTS"); d != "" {
		os.MkdirAll(d, 0o755)
		b.shotDirs = append(b.shotDirs, d)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(browserChromium), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-dev-shm-usage", true), chromedp.NoFirstRun,
		chromedp.Flag("lang", "zh-CN"), chromedp.UserDataDir(t.TempDir()))
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// A supervisor makes a pairing code on the devices page (counter-sized screen) ...
	supTab := b.tab(browser, "devices", 1366, 768)
	b.login(supTab, "sup1", demoPassword, "/devices/1?lang=zh-Hans", "")
	b.wait(supTab, "devices page", `!!document.getElementById('code-form')`, 10*time.Second)
	b.do(supTab, "make a code", chromedp.SendKeys(chromedp.CSS("#name"), "东门取号机"), chromedp.Click(chromedp.CSS(`#code-form button[type=submit]`)))
	b.wait(supTab, "code shown", `!document.getElementById('code-out').hidden`, 10*time.Second)
	b.shot(supTab, "devices-code")
	var pc struct{ Code string }
	pc.Code = strings.ReplaceAll(b.text(supTab, "#code"), " ", "")
	b.do(supTab, "sign out", chromedp.Evaluate[chromedp.Void](`fetch('/api/v1/auth/logout', {method: 'POST'})`))
	// ... and types it once at the kiosk (portrait 1080×1920).
	kiosk := b.tab(browser, "kiosk", 1080, 1920)
	b.do(kiosk, "pairing page", chromedp.Navigate(srv.URL+"/kiosk/1/pair?lang=zh-Hans"), chromedp.WaitVisible(chromedp.CSS("#code")))
	b.do(kiosk, "wrong code", chromedp.SendKeys(chromedp.CSS("#code"), "00000000"), chromedp.Click(chromedp.CSS(`#pair-form button[type=submit]`)))
	b.wait(kiosk, "refused", `!document.getElementById('pair-error').hidden`, 10*time.Second)
	b.shot(kiosk, "kiosk-pair-refused")
	b.do(kiosk, "right code", chromedp.SetValue(chromedp.CSS("#code"), pc.Code), chromedp.Click(chromedp.CSS(`#pair-form button[type=submit]`)))
	b.wait(kiosk, "kiosk page", `location.pathname === '/kiosk/1' && !!document.querySelector('[data-service]')`, 10*time.Second)
	// The paired kiosk takes more tickets than an unpaired address may.
	got := b.eval(kiosk, `(() => { let ok = 0; for (let i = 0; i < 15; i++) { const x = new XMLHttpRequest();
		x.open('POST', '/api/v1/halls/1/tickets', false); x.setRequestHeader('Content-Type', 'application/json');
		x.send('{"service":1}'); if (x.status === 201) ok++; } return String(ok) })()`)
	if got != "15" {
		t.Fatalf("the paired kiosk took %s of 15 tickets", got)
	}

	tab := b.tab(browser, "home", 1366, 768)
	b.login(tab, "clerk1-1", demoPassword, "/", "")
	b.wait(tab, "home page with the button", `!!document.querySelector('[data-end-others]')`, 10*time.Second)
	b.do(tab, "home in Chinese", chromedp.Navigate(srv.URL+"/?lang=zh-Hans"), chromedp.WaitVisible(chromedp.CSS(`[data-end-others]`)))
	b.do(tab, "click", chromedp.Click(chromedp.CSS(`[data-end-others]`)))
	b.wait(tab, "done", `document.querySelector('[data-end-others] .label').textContent.includes('已退出')`, 10*time.Second)
	b.shot(tab, "home-sessions-ended")
	expect(t, e.do("GET", "/api/v1/me", other, nil), 401, "login_required")
	if got := b.eval(tab, `(() => { const x = new XMLHttpRequest(); x.open('GET', '/api/v1/me', false); x.send(); return String(x.status) })()`); got != "200" {
		t.Fatalf("this browser's session after ending the others: %s", got)
	}
	if len(b.problems) > 0 {
		t.Fatalf("page problems: %v", b.problems)
	}
}
