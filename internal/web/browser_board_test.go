package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestInBrowserBoard: the display board as the hall sees it (issue 7, defects 3, 7, 8, 10). Chromium
// runs with the autoplay policy a display PC is started with, so the board speaks without the
// overlay; the big panel drops a call once the ticket is skipped or finished, recent calls mark
// 过号, a paused tile says until when, and the sizes read from five metres are measured.
func TestInBrowserBoard(t *testing.T) {
	r := newHallRig(t, chromedp.Flag("autoplay-policy", "no-user-gesture-required"))
	display := r.tab(r.browser, "display", 1920, 1080)
	r.do(display, "open display", chromedp.Navigate(r.srv.URL+"/display/1?lang=en"), chromedp.WaitReady("#windows"))
	r.wait(display, "board drawn", `document.querySelectorAll('#windows li.win').length === 8 && !!document.querySelector('.recent-empty')`, 10*time.Second)
	// The empty list is one line, not wrapped inside the number column, and not clipped.
	lh := r.px(display, computed(".recent-empty", "fontSize"))
	if h := r.px(display, `document.querySelector('.recent-empty').getBoundingClientRect().height`); h > 2.6*lh {
		t.Errorf("the empty recent list is %.0f px high for a %.0f px font: it wraps", h, lh)
	}
	if r.eval(display, `String(document.querySelector('.recent-empty').scrollWidth <= document.querySelector('.recent-empty').clientWidth)`) != "true" {
		t.Error("the English empty recent list is clipped")
	}
	r.do(display, "board in Chinese", chromedp.Navigate(r.srv.URL+"/display/1?lang=zh-Hans"), chromedp.WaitReady("#windows"))
	r.wait(display, "board drawn", `document.querySelectorAll('#windows li.win').length === 8`, 10*time.Second)
	// Sound allowed by the policy: no overlay, spoken calls on.
	r.wait(display, "sound on without a click", `document.getElementById('sound-overlay').hidden && document.body.dataset.sound === 'on'`, 5*time.Second)
	// Readable from five metres: names and states of at least 40 px, closed tiles not dimmed away.
	r.atLeast(display, "window name font", computed("#windows .win-name", "fontSize"), 40)
	r.atLeast(display, "window state font", computed("#windows .win-state", "fontSize"), 40)
	r.atLeast(display, "closed tile opacity", computed("#windows .win-closed", "opacity"), 0.95)
	// The embedded font carries the fixed words where the machine has no CJK font.
	r.wait(display, "fallback font", `(async () => (await document.fonts.load('40px "qhall UI"', '请到窗口办理过号')).length > 0)()`, 10*time.Second)

	clerk := r.signIn("clerk1-1")
	r.must("POST", "/api/v1/windows/1/open", clerk, nil)
	var numbers []string
	for range 9 {
		n, _ := r.issue("A", "")
		numbers = append(numbers, n)
	}
	latest := func(want string) {
		t.Helper()
		r.wait(display, "big panel shows "+want, fmt.Sprintf(`document.getElementById('latest-number').textContent === %q`, want), 10*time.Second)
	}
	r.must("POST", "/api/v1/windows/1/call", clerk, nil)
	latest(numbers[0])
	r.must("POST", "/api/v1/windows/1/skip", clerk, nil)
	latest("—")
	r.wait(display, "recent call marked 过号", `document.querySelector('#recent li').classList.contains('r-skipped') && document.querySelector('#recent li .r-missed').textContent === '过号'`, 5*time.Second)
	r.wait(display, "missed list", fmt.Sprintf(`document.getElementById('missed').textContent.includes(%q)`, numbers[0]), 5*time.Second)
	r.must("POST", "/api/v1/windows/1/call", clerk, nil)
	latest(numbers[1])
	r.must("POST", "/api/v1/windows/1/finish", clerk, nil)
	latest("—")
	if got := r.text(display, "#latest-text"); strings.Contains(got, numbers[1]) {
		t.Errorf("after finishing, the board still says %q", got)
	}
	// Seven calls and more: every row shown fits in its panel.
	for i := 2; i < 8; i++ {
		r.must("POST", "/api/v1/windows/1/call", clerk, nil)
		r.must("POST", "/api/v1/windows/1/finish", clerk, nil)
	}
	latest("—")
	r.wait(display, "at least four rows", `document.querySelectorAll('#recent li').length >= 4`, 5*time.Second)
	r.shot(display, "display-full")
	if got := r.eval(display, `(() => { const p = document.querySelector('.recent').getBoundingClientRect(); const rows = [...document.querySelectorAll('#recent li, #missed')];
		return rows.filter(x => !x.hidden && x.getBoundingClientRect().bottom > p.bottom + 0.5).length + ' cut of ' + rows.length; })()`); !strings.HasPrefix(got, "0 cut") {
		t.Errorf("recent calls: %s", got)
	}
	// A paused window says until when, and the big panel does not send anyone to it.
	r.must("POST", "/api/v1/windows/1/pause", clerk, map[string]any{"reason": "meeting", "minutes": 10})
	r.wait(display, "paused tile says until when", `document.querySelector('#windows li[data-window="1"] .win-state').textContent.startsWith('暂停至 ')`, 5*time.Second)
	if got := r.text(display, "#latest-number"); got != "—" {
		t.Errorf("window 1 is paused and the board calls %q", got)
	}
	// A priority ticket is marked, so the room sees why it went first.
	r.must("POST", "/api/v1/windows/1/resume", clerk, nil)
	prio, _ := r.issue("A", "elderly")
	r.must("POST", "/api/v1/windows/1/call", clerk, nil)
	latest(prio)
	r.wait(display, "priority mark", `document.querySelector('#recent li .r-prio') !== null && document.querySelector('#windows li[data-window="1"] .r-prio') !== null`, 5*time.Second)
	r.wait(display, "queues per service", `document.querySelector('#svc-queues li[data-prefix="A"]') !== null`, 5*time.Second)
	r.wait(display, "spoke the calls", `window.qhallSpoken.length >= 9`, 5*time.Second)
	r.screen(display, "display")
	r.problemsSeen()
}
