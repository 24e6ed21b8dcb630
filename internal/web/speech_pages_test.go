package web_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestSpeechAdminPage(t *testing.T) {
	s := startPageSite(t)
	admin, sup, clerk := s.session("admin"), s.session("sup1"), s.session("clerk1-1")

	r := s.get("/admin/speech", "Cookie", admin)
	if r.status != 200 || !strings.HasPrefix(pageTitle(r.body), "服务用语规则库 · ") {
		t.Fatalf("admin: %d %q", r.status, pageTitle(r.body))
	}
	for _, want := range []string{`id="sp-search"`, `id="dlg-rule"`, `id="sp-import"`, `href="/api/v1/speech/rules/export"`, `id="sp-history"`,
		`id="sp-check-form"`, "speech_admin.js", "检查文本"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("admin page lacks %s", want)
		}
	}
	if pageData(t, r.body)["editable"] != true {
		t.Error("the admin's page is not editable")
	}
	if r.header.Get("Content-Security-Policy") == "" || strings.Contains(r.body, "<style") || strings.Contains(r.body, " style=") ||
		strings.Contains(r.body, " onclick=") {
		t.Error("the page breaks the strict CSP")
	}

	// a supervisor reads it: no editing, no import, export or history
	r = s.get("/admin/speech", "Cookie", sup)
	if r.status != 200 || !strings.Contains(r.body, "只读") || strings.Contains(r.body, `id="dlg-rule"`) || strings.Contains(r.body, `id="sp-import"`) ||
		strings.Contains(r.body, `id="sp-history"`) || pageData(t, r.body)["editable"] != false {
		t.Errorf("supervisor's page: %d", r.status)
	}
	// a clerk may not; nobody without signing in
	if r := s.get("/admin/speech", "Cookie", clerk); r.status != 403 || !strings.Contains(r.body, "无权访问") {
		t.Errorf("clerk: %d", r.status)
	}
	if r := s.get("/admin/speech"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fadmin%2Fspeech" {
		t.Errorf("no session: %d %s", r.status, r.header.Get("Location"))
	}
	if r := s.get("/admin/speech?lang=en", "Cookie", admin); !strings.HasPrefix(pageTitle(r.body), "Service language rules") {
		t.Errorf("English title %q", pageTitle(r.body))
	}

	// the home page links it for admins and supervisors only
	if r := s.get("/", "Cookie", admin); !strings.Contains(r.body, `href="/admin/speech"`) {
		t.Error("home page: no link for the admin")
	}
	if r := s.get("/", "Cookie", sup); !strings.Contains(r.body, `href="/admin/speech"`) {
		t.Error("home page: no link for the supervisor")
	}
	for _, c := range []string{clerk, ""} {
		if r := s.get("/", "Cookie", c); strings.Contains(r.body, `href="/admin/speech"`) {
			t.Error("home page links the rules for a clerk or a visitor")
		}
	}

	// the counter has the phrase panel and the conversation form
	r = s.get("/counter/1", "Cookie", clerk)
	for _, want := range []string{`id="phrases"`, `id="missing-btn"`, `id="transcript-form"`, "服务用语", "材料不全", "记录对话"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("counter lacks %s", want)
		}
	}
	for _, f := range []string{"speech/speech_admin.js", "queue/counter.js", "common/qhall.js"} {
		if r := s.get("/static/" + f); r.status != 200 || len(r.body) == 0 {
			t.Errorf("/static/%s: %d", f, r.status)
		}
	}
}
