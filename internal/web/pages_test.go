package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/app"
)

const pagePassword = "demo-pass"

// pageSite is a real qhall (demo organisation, SQLite in a temporary directory) behind an HTTP
// server, and a client that does not follow redirects.
type pageSite struct {
	t      *testing.T
	srv    *httptest.Server
	app    *app.App
	logs   *pageLog
	client *http.Client
}

// pageLog is the server's log, to check that no ticket token reaches it.
type pageLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *pageLog) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }

func (l *pageLog) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// startPageSite starts a site; configure (optional) may set the server's clock or base address
// before it serves.
func startPageSite(t *testing.T, configure ...func(*app.App)) *pageSite {
	return startPageSiteWith(t, app.Config{}, configure...)
}

// startPageSiteWith is startPageSite with settings of the configuration (a clock set from the
// start, since the scheduled jobs read it while the app runs).
func startPageSiteWith(t *testing.T, cfg app.Config, configure ...func(*app.App)) *pageSite {
	t.Helper()
	logs := &pageLog{}
	cfg.DataDir, cfg.DemoPassword = t.TempDir(), pagePassword
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range configure {
		f(a)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &pageSite{t: t, srv: srv, app: a, logs: logs, client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type pageResp struct {
	status int
	header http.Header
	body   string
}

// get fetches a path; headers are name, value pairs ("Cookie", "...").
func (s *pageSite) get(path string, headers ...string) pageResp {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.srv.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	r, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return pageResp{r.StatusCode, r.Header, string(b)}
}

// session signs in and returns the Cookie header to send.
func (s *pageSite) session(user string) string {
	s.t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": pagePassword})
	r, err := s.client.Post(s.srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	r.Body.Close()
	for _, c := range r.Cookies() {
		if c.Name == "qhall_session" {
			return c.Name + "=" + c.Value
		}
	}
	s.t.Fatalf("sign in as %s: %s, no session cookie", user, r.Status)
	return ""
}

// ticket takes a ticket at hall 1 for its first service and returns it.
func (s *pageSite) ticket() (number, token string) {
	s.t.Helper()
	r, err := s.client.Post(s.srv.URL+"/api/v1/halls/1/tickets", "application/json", strings.NewReader(`{"service":1}`))
	if err != nil {
		s.t.Fatal(err)
	}
	defer r.Body.Close()
	var tk struct {
		Number string `json:"number"`
		Token  string `json:"token"`
	}
	if r.StatusCode != 201 || json.NewDecoder(r.Body).Decode(&tk) != nil || tk.Token == "" {
		s.t.Fatalf("take a ticket: %s", r.Status)
	}
	return tk.Number, tk.Token
}

var titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)

func pageTitle(body string) string {
	m := titleRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestPagesAnswerInChinese(t *testing.T) {
	s := startPageSite(t)
	clerk, sup := s.session("clerk1-1"), s.session("sup1")
	_, token := s.ticket()
	for _, c := range []struct {
		path, cookie, title string
	}{
		{"/", "", "各大厅页面"},
		{"/login", "", "工作人员登录"},
		{"/kiosk/1", "", "取号机 · 市民服务中心（主厅）"},
		{"/kiosk/2", "", "取号机 · 高新区政务服务分中心"},
		{"/display/1", "", "叫号屏 · 市民服务中心（主厅）"},
		{"/counter", clerk, "窗口终端"},
		{"/counter/1", clerk, "1号综合窗口 · 窗口终端"},
		{"/supervisor/1", sup, "值班领导看板 · 市民服务中心（主厅）"},
		{"/t/" + token, "", "我的排队"},
	} {
		r := s.get(c.path, "Cookie", c.cookie)
		if r.status != 200 {
			t.Errorf("GET %s: %d", c.path, r.status)
			continue
		}
		if got := pageTitle(r.body); !strings.HasPrefix(got, c.title+" · ") {
			t.Errorf("GET %s: title %q, want %q first", c.path, got, c.title)
		}
		if !strings.Contains(r.body, `<html lang="zh-CN">`) {
			t.Errorf("GET %s: no zh-CN lang attribute", c.path)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if r.header.Get(h) == "" {
				t.Errorf("GET %s: no %s header", c.path, h)
			}
		}
		if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", c.path, ct)
		}
		// the language switch is on every page
		for _, l := range []string{"?lang=zh-Hans", "?lang=zh-Hant", "?lang=en"} {
			if !strings.Contains(r.body, l) {
				t.Errorf("GET %s: language switch lacks %s", c.path, l)
			}
		}
	}
}

func TestPageContent(t *testing.T) {
	s := startPageSite(t)
	home := s.get("/")
	for _, want := range []string{`href="/kiosk/1"`, `href="/display/2"`, `href="/supervisor/2"`, `href="/counter"`, `href="/login"`, "全天开放", "办公时间 09:00–17:00"} {
		if !strings.Contains(home.body, want) {
			t.Errorf("home page lacks %s", want)
		}
	}
	kiosk := s.get("/kiosk/1")
	for _, want := range []string{"请选择办理事项", "社保缴纳", "绿色通道", "老年人", `data-prefix="T"`, "前方等候 0 人", "居民身份证"} {
		if !strings.Contains(kiosk.body, want) {
			t.Errorf("kiosk lacks %s", want)
		}
	}
	// a clerk's counter list: their own hall only, their home window first
	list := s.get("/counter", "Cookie", s.session("clerk1-3"))
	i3, i1 := strings.Index(list.body, `href="/counter/3"`), strings.Index(list.body, `href="/counter/1"`)
	if i3 < 0 || i1 < 0 || i3 > i1 || !strings.Contains(list.body, "我的窗口") {
		t.Errorf("counter list: home window 3 not first (at %d, window 1 at %d)", i3, i1)
	}
	if strings.Contains(list.body, `href="/counter/9"`) {
		t.Error("a clerk of hall 1 is offered the windows of hall 2")
	}
	// the admin sees every hall's windows
	if all := s.get("/counter", "Cookie", s.session("admin")); !strings.Contains(all.body, `href="/counter/16"`) {
		t.Error("the admin's counter list lacks hall 2")
	}
	// a citizen page shows the ticket, and its data holds only that ticket's token
	number, token := s.ticket()
	_, other := s.ticket()
	page := s.get("/t/" + token)
	if !strings.Contains(page.body, number) || !strings.Contains(page.body, token) || strings.Contains(page.body, other) {
		t.Errorf("citizen page: number %s shown %v, own token %v, other token leaked %v", number,
			strings.Contains(page.body, number), strings.Contains(page.body, token), strings.Contains(page.body, other))
	}
	if got := page.header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("citizen page Referrer-Policy %q", got)
	}
	// the sign-in page keeps a local ?next= and drops any other
	if got := pageData(t, s.get("/login?next=%2Fcounter%2F2").body)["next"]; got != "/counter/2" {
		t.Errorf("sign-in page: next %q, want /counter/2", got)
	}
	for _, bad := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		if got := pageData(t, s.get("/login?next="+url.QueryEscape(bad)).body)["next"]; got != "" {
			t.Errorf("sign-in page kept next=%s as %q", bad, got)
		}
	}
}

var dataRE = regexp.MustCompile(`(?s)<script type="application/json" id="qhall-data">(.*?)</script>`)

// pageData is the JSON a page hands its script.
func pageData(t *testing.T, body string) map[string]any {
	t.Helper()
	m := dataRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("page has no data for its script")
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
		t.Fatalf("page data %q: %v", m[1], err)
	}
	return v
}

func TestPagesNotFound(t *testing.T) {
	s := startPageSite(t)
	sup := s.session("sup1")
	admin := s.session("admin")
	for _, c := range []struct{ path, cookie string }{
		{"/kiosk/99", ""},
		{"/kiosk/abc", ""},
		{"/display/99", ""},
		{"/display/0", ""},
		{"/supervisor/99", admin},
		{"/counter/999", sup},
		{"/t/no-such-token", ""},
		{"/t/" + strings.Repeat("x", 200), ""},
		{"/t/no-such-token/qr.png", ""},
		{"/static/nothing.js", ""},
		{"/static/", ""},
	} {
		r := s.get(c.path, "Cookie", c.cookie)
		if r.status != 404 {
			t.Errorf("GET %s: %d, want 404", c.path, r.status)
		}
	}
	if r := s.get("/kiosk/99"); !strings.Contains(r.body, "页面不存在") || !strings.Contains(r.body, "没有编号为 99 的大厅") {
		t.Errorf("404 page: %s", pageTitle(r.body))
	}
}

func TestPagesNeedSignIn(t *testing.T) {
	s := startPageSite(t)
	for path, next := range map[string]string{"/counter": "%2Fcounter", "/counter/1": "%2Fcounter%2F1", "/supervisor/1": "%2Fsupervisor%2F1"} {
		r := s.get(path)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next="+next {
			t.Errorf("GET %s without a session: %d to %q", path, r.status, r.header.Get("Location"))
		}
		r = s.get(path, "Cookie", "qhall_session=forged")
		if r.status != http.StatusSeeOther {
			t.Errorf("GET %s with a forged session: %d", path, r.status)
		}
	}
	// the same role checks as the API
	clerk := s.session("clerk1-1")
	for _, c := range []struct {
		path, cookie string
		status       int
	}{
		{"/supervisor/1", clerk, 403},
		{"/supervisor/2", s.session("sup1"), 403},
		{"/supervisor/2", s.session("sup2"), 200},
		{"/supervisor/2", s.session("admin"), 200},
		{"/counter/9", clerk, 403}, // a window of hall 2
		{"/counter/9", s.session("clerk2-1"), 200},
	} {
		r := s.get(c.path, "Cookie", c.cookie)
		if r.status != c.status {
			t.Errorf("GET %s: %d, want %d", c.path, r.status, c.status)
		}
		if c.status == 403 && !strings.Contains(r.body, "无权访问") {
			t.Errorf("GET %s: 403 page without its title", c.path)
		}
	}
}

func TestPagesLanguageSwitch(t *testing.T) {
	s := startPageSite(t)
	r := s.get("/kiosk/1?lang=zh-Hant")
	if !strings.HasPrefix(pageTitle(r.body), "取號機 · 市民服務中心（主廳）") || !strings.Contains(r.body, `<html lang="zh-TW">`) ||
		!strings.Contains(r.body, "請選擇辦理事項") || !strings.Contains(r.body, "社保繳納") {
		t.Errorf("Traditional kiosk: %q", pageTitle(r.body))
	}
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "qhall_lang" {
			cookie = c
		}
	}
	if cookie == nil || cookie.Value != "zh-Hant" || cookie.Path != "/" {
		t.Fatalf("?lang=zh-Hant set cookie %+v", cookie)
	}
	// the cookie carries the choice to the other pages
	if r := s.get("/display/1", "Cookie", "qhall_lang=zh-Hant"); !strings.HasPrefix(pageTitle(r.body), "叫號屏") {
		t.Errorf("display with the Traditional cookie: %q", pageTitle(r.body))
	}
	// A public device speaks Chinese whatever its browser's language; English by the switch.
	for _, p := range []string{"/kiosk/1", "/display/1"} {
		if r := s.get(p, "Accept-Language", "en-GB,en;q=0.9"); !strings.Contains(r.body, `<html lang="zh-CN">`) {
			t.Errorf("%s on an English browser: %q", p, pageTitle(r.body))
		}
	}
	for _, h := range [][]string{{"/kiosk/1?lang=en"}, {"/kiosk/1", "Cookie", "qhall_lang=en"}} {
		r := s.get(h[0], h[1:]...)
		if !strings.HasPrefix(pageTitle(r.body), "Ticket kiosk · Citizen Service Centre (Main Hall)") || !strings.Contains(r.body, `<html lang="en">`) ||
			!strings.Contains(r.body, "Social insurance payment") || !strings.Contains(r.body, "Choose your service") {
			t.Errorf("English kiosk (%v): %q", h, pageTitle(r.body))
		}
	}
	if r := s.get("/", "Accept-Language", "en"); !strings.Contains(r.body, "Pages of every hall") {
		t.Error("English home page")
	}
	// the scripts get the page language's messages
	if r := s.get("/display/1?lang=en"); !strings.Contains(r.body, `"display_paused":"Paused"`) {
		t.Error("English display lacks its message dictionary")
	}
	if r := s.get("/display/1"); !strings.Contains(r.body, `"display_paused":"暂停服务"`) {
		t.Error("Chinese display lacks its message dictionary")
	}
}

func TestKioskOfClosedHall(t *testing.T) {
	// a Sunday night: hall 2 (Monday to Friday, 09:00–17:00) issues no tickets, hall 1 (always open) does
	sunday := time.Date(2026, 11, 22, 3, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s := startPageSiteWith(t, app.Config{Now: func() time.Time { return sunday }})
	closed := `id="kiosk-closed" class="banner banner-warn banner-xl" role="alert">`
	r := s.get("/kiosk/2")
	if !strings.Contains(r.body, closed+"大厅已停止取号") || !strings.Contains(r.body, `data-prefix="A" disabled`) {
		t.Error("the kiosk of a closed hall does not say it is closed")
	}
	if r := s.get("/kiosk/1"); strings.Contains(r.body, closed) || strings.Contains(r.body, `data-prefix="A" disabled`) {
		t.Error("the kiosk of an open hall says it is closed")
	}
}

func TestStaticFiles(t *testing.T) {
	s := startPageSite(t)
	home := s.get("/")
	m := regexp.MustCompile(`/static/common/qhall\.css\?v=([0-9a-f]+)`).FindStringSubmatch(home.body)
	if m == nil {
		t.Fatal("home page links no versioned stylesheet")
	}
	r := s.get(m[0])
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("stylesheet: %d %q %q", r.status, r.header.Get("Content-Type"), r.header.Get("Cache-Control"))
	}
	if r := s.get("/static/common/qhall.css"); r.status != 200 || strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("unversioned stylesheet: %d %q", r.status, r.header.Get("Cache-Control"))
	}
	for _, f := range []string{"common/qhall.js", "queue/kiosk.js", "queue/display.js", "queue/counter.js", "queue/ticket.js", "queue/supervisor.js", "staff/login.js", "common/icon.svg"} {
		if r := s.get("/static/" + f); r.status != 200 || len(r.body) == 0 {
			t.Errorf("/static/%s: %d", f, r.status)
		}
	}
	// no page loads anything from elsewhere (the hall may be offline)
	for _, p := range []string{"/", "/login", "/kiosk/1", "/display/1"} {
		if b := s.get(p).body; strings.Contains(b, "http://") || strings.Contains(b, "https://") || strings.Contains(b, "//cdn") {
			t.Errorf("%s refers to another site", p)
		}
	}
}
