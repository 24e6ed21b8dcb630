package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/qhall/qhall/internal/web"
)

// A busy day (tickets, calls, conversations full of phone and ID numbers in every spelling,
// wrong passwords, a paired kiosk), then every log line, export and page is scanned: no
// citizen's number, no session, device or ticket token appears where it should not.
func TestBusyDayLeaksNoPersonalNumbersOrTokens(t *testing.T) {
	eachEngineGuard(t, web.Guard{TrustProxy: true, IssuePerMinute: -1}, func(e *env) {
		t := e.t
		secrets := []string{ // as the citizens said them
			"13812345678", "138.1234.5678", "138-1234-5678", "138 1234 5678", "一三八一二三四五六七八", "幺三八幺二三四五六七八",
			"110101199003071234", "6222021234567890",
		}
		// The digits that must never appear whole, whatever the spelling.
		forbidden := regexp.MustCompile(`1234.?5678|二三四.?五六七八|二三四.?五六七八|199003071234|021234567890`)

		admin, sup := e.login("admin"), e.login("sup1")
		var tokens []string // secrets of another kind: sessions, tickets, devices
		tokens = append(tokens, admin, sup)
		for i := range 3 {
			e.req("POST", "/api/v1/auth/login", "", loginBody("admin", "wrong-"+secrets[i]), e.from("198.51.100.9"))
		}
		r, _ := e.req("POST", "/api/v1/halls/1/devices/pairing-codes", sup, `{"kind":"kiosk","name":"东门"}`)
		var pc struct{ Code string }
		r.json(t, &pc)
		_, h := e.req("POST", "/api/v1/devices/pair", "", `{"code":"`+pc.Code+`"}`)
		for _, c := range (&http.Response{Header: h}).Cookies() {
			tokens = append(tokens, c.Value)
		}
		tokens = append(tokens, pc.Code)
		clerk := e.login("clerk1-1")
		tokens = append(tokens, clerk)
		for k := range 8 {
			r := e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": 1})
			var tk struct{ Token string }
			r.json(t, &tk)
			tokens = append(tokens, tk.Token)
			id := e.serveTicket(clerk, 1, true)
			talk := fmt.Sprintf("窗口：您好，请报一下手机号。\n群众：%s，身份证%s\n窗口：好的，卡号%s已登记。",
				secrets[k%6], secrets[6], secrets[7])
			expect(t, e.do("POST", fmt.Sprintf("/api/v1/tickets/%d/transcripts", id), clerk, map[string]any{"text": talk}), 201, "")
			e.do("POST", "/api/v1/windows/1/finish", clerk, nil)
		}
		// Everything staff and citizens can read back, and the log.
		var seen strings.Builder
		for _, p := range []struct{ path, token string }{
			{"/api/v1/audit", admin}, {"/api/v1/jobs", admin}, {"/api/v1/halls/1/state", ""},
			{"/api/v1/speech/stats", admin}, {"/api/v1/speech/rules/export", admin}, {"/api/v1/windows/1", admin},
			{"/display/1", ""}, {"/kiosk/1", ""}, {"/supervisor/1", sup}, {"/counter/1", admin}, {"/admin/speech", admin},
		} {
			r, _ := e.req("GET", p.path, p.token, "")
			if r.status != 200 {
				t.Fatalf("GET %s: %d", p.path, r.status)
			}
			seen.WriteString(p.path + "\n" + string(r.body) + "\n")
		}
		for i := 1; i <= 16; i++ {
			r := e.do("GET", fmt.Sprintf("/api/v1/tickets/%d/transcripts", i), admin, nil)
			seen.WriteString(string(r.body))
		}
		all := seen.String() + e.logs.String()
		if m := forbidden.FindString(all); m != "" {
			i := strings.Index(all, m)
			t.Fatalf("a personal number is readable: %q in …%s…", m, all[max(0, i-200):min(len(all), i+100)])
		}
		if !strings.Contains(seen.String(), "****") {
			t.Fatal("the scan saw no masked number: it read nothing")
		}
		for _, tok := range tokens {
			if tok != "" && strings.Contains(all, tok) {
				t.Fatalf("a token is readable: %s…", tok[:4])
			}
		}
	})
}
