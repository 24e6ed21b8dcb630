package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/storetest"
)

// TestInBrowserAppointment: a citizen books 社保缴纳 on the web page (a phone), a walk-in takes a
// ticket, the citizen checks in at the kiosk's 预约签到 with the code, and at the slot time the
// clerk's "call" at window 2 calls the appointment ahead of the walk-in who came earlier.
func TestInBrowserAppointment(t *testing.T) {
	browser := startBrowser(t)
	const pw = "demo-pass"
	clk := storetest.NewClock(time.Now())
	a, err := app.Open(context.Background(), app.Config{DataDir: t.TempDir(), DemoPassword: pw, Now: clk.Now}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	b := &browserSession{t: t, base: srv.URL, shotDirs: shotDirs(t)}

	// The first slot past the hour's lead time (hall 1 is open around the clock).
	slot := clk.Now().Add(61 * time.Minute).Truncate(30 * time.Minute).Add(30 * time.Minute)
	day := slot.In(storetest.Shanghai).Format(time.DateOnly)
	svc := serviceID(t, srv.URL, "A")

	// 1. Booking on the phone.
	phone := b.tab(browser, "book", 390, 844)
	b.do(phone, "open the booking page", chromedp.Navigate(srv.URL+"/book/1?lang=zh-Hans"), chromedp.WaitVisible(chromedp.CSS("#appt-form")))
	// 社保转移 asks for the ID number (the demo sets it so).
	b.do(phone, "a service asking for the ID number", chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=service][value="%d"]`, serviceID(t, srv.URL, "B")))))
	b.wait(phone, "the ID field shown", `!document.getElementById('appt-id-field').hidden`, 5*time.Second)
	b.shot(phone, "appt-00-book-id")
	b.do(phone, "pick service and day",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=service][value="%d"]`, svc))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-date="%s"]`, day))),
	)
	pick := fmt.Sprintf(`(() => { const b = [...document.querySelectorAll('#appt-slots [data-start]')].find(x => new Date(x.dataset.start).getTime() === %d && !x.disabled); if (b) b.click(); return !!b; })()`, slot.UnixMilli())
	b.wait(phone, "the slot listed and picked", pick, 10*time.Second)
	if !b.evalBool(phone, `document.getElementById('appt-id-field').hidden`) {
		t.Error("社保缴纳 asks for the ID number")
	}
	b.do(phone, "details",
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "张三"),
		chromedp.SendKeys(chromedp.CSS(`input[name=phone]`), "13812345678"),
	)
	b.shot(phone, "appt-01-book")
	b.do(phone, "book", chromedp.Click(chromedp.CSS("#appt-submit")), chromedp.WaitVisible(chromedp.CSS("#appt-done")))
	b.wait(phone, "QR code loaded", `(() => { const i = document.getElementById('appt-qr'); return i.complete && i.naturalWidth > 100; })()`, 10*time.Second)
	code := b.text(phone, "#appt-code")
	if len(code) != 8 {
		t.Fatalf("booking code %q", code)
	}
	b.shot(phone, "appt-02-booked")
	b.do(phone, "the booking's page", chromedp.Click(chromedp.CSS("#appt-link")), chromedp.WaitVisible(chromedp.CSS("#appt-booking")))
	if got := b.text(phone, ".appt-facts"); !strings.Contains(got, "138****5678") || strings.Contains(got, "13812345678") || !strings.Contains(got, "张*") {
		t.Errorf("booking page shows %q", got)
	}
	b.shot(phone, "appt-03-booking-page")
	b.do(phone, "the booking's page in English", chromedp.Navigate(b.eval(phone, "location.href")+"?lang=en"), chromedp.WaitVisible(chromedp.CSS("#appt-booking")))
	b.shot(phone, "appt-03-booking-page-en")

	// A booking for tomorrow may still be moved or cancelled on its page.
	later := bookByAPI(t, srv.URL, serviceID(t, srv.URL, "C"), slot.Add(24*time.Hour))
	b.do(phone, "tomorrow's booking page", chromedp.Navigate(srv.URL+"/a/"+later+"?lang=zh-Hans"), chromedp.WaitVisible(chromedp.CSS("#appt-cancel")))
	b.do(phone, "pick another day", chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-date="%s"]`, slot.Add(48*time.Hour).In(storetest.Shanghai).Format(time.DateOnly)))))
	b.wait(phone, "slots to move to", `document.querySelectorAll('#appt-slots [data-start]:not([disabled])').length > 0`, 10*time.Second)
	b.shot(phone, "appt-03b-booking-edit")

	// 2. A walk-in comes ten minutes before the slot; the citizen checks in five minutes before.
	clk.Set(slot.Add(-10 * time.Minute))
	browserIssue(t, srv.URL, "A", "")
	clk.Set(slot.Add(-5 * time.Minute))
	kiosk := b.tab(browser, "kiosk", 1080, 1920)
	b.do(kiosk, "open kiosk", chromedp.Navigate(srv.URL+"/kiosk/1"), chromedp.WaitVisible(chromedp.CSS("#appt-open")))
	b.do(kiosk, "预约签到", chromedp.Click(chromedp.CSS("#appt-open")), chromedp.WaitVisible(chromedp.CSS("#appt-keypad")))
	for _, d := range code {
		b.do(kiosk, "key "+string(d), chromedp.Click(chromedp.CSS(fmt.Sprintf(`#appt-keypad [data-key="%c"]`, d))))
	}
	b.shot(kiosk, "appt-04-kiosk-checkin")
	b.do(kiosk, "check in", chromedp.Click(chromedp.CSS(`#appt-keypad [data-key="ok"]`)), chromedp.WaitVisible(chromedp.CSS("#ticket-number")))
	number := b.text(kiosk, "#ticket-number")
	if number != "A002" {
		t.Fatalf("check-in ticket %q, want A002 (the walk-in holds A001)", number)
	}
	b.shot(kiosk, "appt-05-kiosk-ticket")

	// 3. At the slot time the clerk at window 2 (社保) calls: the appointment comes first.
	clk.Set(slot)
	counter := b.tab(browser, "counter", 1366, 768)
	b.login(counter, "clerk1-2", pw, "", "")
	b.wait(counter, "signed in", `location.pathname.startsWith('/counter')`, 10*time.Second)
	win := storetest.WindowID(t, a.DB, 1, 2)
	b.do(counter, "open window 2 and call",
		chromedp.Navigate(fmt.Sprintf("%s/counter/%d", srv.URL, win)),
		chromedp.WaitEnabled(chromedp.CSS(`button[data-op="open"]`)),
		chromedp.Click(chromedp.CSS(`button[data-op="open"]`)),
		chromedp.WaitEnabled(chromedp.CSS(`button[data-op="call"]`)),
		chromedp.Click(chromedp.CSS(`button[data-op="call"]`)),
	)
	b.wait(counter, "the appointment is called first", fmt.Sprintf(`document.getElementById('current-number').textContent === %q && !document.getElementById('current').hidden`, number), 10*time.Second)
	b.shot(counter, "appt-06-counter")

	// 4. The supervisor's list of the day shows the booking checked in.
	sup := b.tab(browser, "supervisor", 1366, 900, chromedp.WithNewBrowserContext())
	b.login(sup, "sup1", pw, url.QueryEscape("/supervisor/1/appointments?lang=zh-Hans&date="+day), "")
	b.wait(sup, "the day's list", `location.pathname === '/supervisor/1/appointments' && document.querySelectorAll('.appt-table tbody tr').length > 0`, 10*time.Second)
	if got := b.text(sup, ".appt-table"); !strings.Contains(got, "张*") || !strings.Contains(got, "已签到") || strings.Contains(got, "13812345678") {
		t.Errorf("supervisor's list %q", got)
	}
	b.shot(sup, "appt-07-supervisor")
	if len(b.problems) > 0 {
		t.Errorf("browser problems: %v", b.problems)
	}
}

// serviceID is hall 1's service with the prefix, as the API lists it.
func serviceID(t *testing.T, base, prefix string) int64 {
	t.Helper()
	r, err := http.Get(base + "/api/v1/halls/1/services")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var svcs []struct {
		ID     int64  `json:"id"`
		Prefix string `json:"prefix"`
	}
	if err := json.NewDecoder(r.Body).Decode(&svcs); err != nil {
		t.Fatal(err)
	}
	for _, s := range svcs {
		if s.Prefix == prefix {
			return s.ID
		}
	}
	t.Fatalf("no service %s", prefix)
	return 0
}

func (b *browserSession) evalBool(ctx context.Context, expr string) bool {
	return b.eval(ctx, "String("+expr+")") == "true"
}

// bookByAPI books a slot of hall 1 for someone and returns the booking's token.
func bookByAPI(t *testing.T, base string, service int64, start time.Time) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"service": service, "start": start, "name": "李四", "phone": "13900000001"})
	r, err := http.Post(base+"/api/v1/halls/1/appointments", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(r.Body).Decode(&out); err != nil || r.StatusCode != 201 {
		t.Fatalf("book: %s %v", r.Status, err)
	}
	return out.Token
}
