package i18n

import (
	"net/http/httptest"
	"regexp"
	"testing"
)

var verb = regexp.MustCompile(`%[-+# 0-9.]*[vdsfq]`)

// Every message exists in both written languages with the same placeholders, so no page shows an
// empty string or a %!(EXTRA …).
func TestMessagesComplete(t *testing.T) {
	for k, m := range messages {
		if m[0] == "" || m[1] == "" {
			t.Errorf("%s: missing text %q", k, m)
		}
		zh, en := verb.FindAllString(m[0], -1), verb.FindAllString(m[1], -1)
		if len(zh) != len(en) {
			t.Errorf("%s: placeholders %v vs %v", k, zh, en)
		}
	}
}

func TestTraditionalAndPick(t *testing.T) {
	if got := T(Hant, "hall_not_found", 9); got != "沒有編號為 9 的大廳" {
		t.Fatalf("hant: %q", got)
	}
	if got := ToHant("1号综合窗口"); got != "1號綜合窗口" {
		t.Fatalf("ToHant: %q", got)
	}
	if got := T(EN, "no_such_key"); got != "no_such_key" {
		t.Fatalf("unknown key: %q", got)
	}
	for _, c := range []struct{ query, cookie, accept, want string }{
		{"", "", "", Hans},
		{"en", "", "zh-CN", EN},
		{"", "zh-Hant", "en", Hant},
		{"", "", "zh-TW,zh;q=0.9", Hant},
		{"", "", "fr-FR,en;q=0.5", EN},
		{"xx", "", "de", Hans},
	} {
		r := httptest.NewRequest("GET", "/?lang="+c.query, nil)
		if c.cookie != "" {
			r.Header.Set("Cookie", "qhall_lang="+c.cookie)
		}
		r.Header.Set("Accept-Language", c.accept)
		if got := Pick(r); got != c.want {
			t.Errorf("Pick(%+v) = %s", c, got)
		}
	}
}

func TestSelect(t *testing.T) {
	got := Select(EN, "offline", "reason_*", "no_such_key")
	if got["offline"] != "Connection lost, reconnecting…" || got["reason_break"] != "Short break" || len(got) != 1+6 {
		t.Fatalf("Select: %v", got)
	}
}
