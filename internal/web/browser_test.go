package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserHallDay plays one ticket through the real pages: a display board watches, a
// citizen takes a ticket at the kiosk, a clerk opens window 1 and calls it, the board shows and
// speaks the call (once), and the citizen's page tells where to go.
func TestBrowserHallDay(t *testing.T) {
	const pw = "demo-pass"
	b, browser, srv := startBrowser(t, pw)

	// 1. The display board of hall 1, sound switched on by a click.
	display := b.tab(browser, "display", 1920, 1080)
	b.do(display, "open display",
		chromedp.Navigate(srv.URL+"/display/1?lang=zh-Hans"), // the choice is kept in a cookie for every tab
		chromedp.WaitVisible(chromedp.CSS("#sound-on")),
		chromedp.Click(chromedp.CSS("#sound-on")),
		chromedp.WaitNotVisible(chromedp.CSS("#sound-overlay")),
	)
	b.wait(display, "display shows the windows", `document.querySelectorAll('#windows li.win').length === 8`, 10*time.Second)

	// 2. The home page and the kiosk: take a ticket for 社保缴纳 (prefix A).
	kiosk := b.tab(browser, "kiosk", 1080, 1500)
	b.do(kiosk, "open home", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".hall-card")))
	b.shot(kiosk, "01-home")
	b.do(kiosk, "open kiosk",
		chromedp.Navigate(srv.URL+"/kiosk/1"),
		chromedp.WaitVisible(chromedp.CSS(`.tile[data-prefix="A"]`)),
	)
	b.wait(kiosk, "kiosk tiles enabled", `!document.querySelector('.tile[data-prefix="A"]').disabled`, 10*time.Second)
	b.shot(kiosk, "02-kiosk")
	b.do(kiosk, "green channel",
		chromedp.Click(chromedp.CSS("#prio-toggle")),
		chromedp.WaitVisible(chromedp.CSS(`[data-priority="elderly"]`)),
		chromedp.Click(chromedp.CSS(`[data-priority="elderly"]`)),
	)
	b.shot(kiosk, "02-kiosk-priority")
	b.do(kiosk, "green channel off", chromedp.Click(chromedp.CSS("#prio-toggle")), chromedp.WaitNotVisible(chromedp.CSS("#prio-list")))
	b.do(kiosk, "take a ticket",
		chromedp.Click(chromedp.CSS(`.tile[data-prefix="A"]`)),
		chromedp.WaitVisible(chromedp.CSS("#ticket-number")),
	)
	number := b.text(kiosk, "#ticket-number")
	if number != "A001" {
		t.Fatalf("kiosk printed ticket %q, want A001", number)
	}
	b.wait(kiosk, "QR code loaded", `(() => { const i = document.getElementById('tp-qr'); return i.complete && i.naturalWidth > 100; })()`, 10*time.Second)
	token := b.eval(kiosk, `document.getElementById('tp-qr-link').dataset.token`)
	if len(token) < 16 {
		t.Fatalf("no ticket token on the kiosk page: %q", token)
	}
	if got := b.text(kiosk, "#tp-materials"); !strings.Contains(got, "居民身份证") {
		t.Errorf("the ticket lists no materials: %q", got)
	}
	b.shot(kiosk, "03-kiosk-ticket")
	// the ticket as the receipt printer gets it: print media, 80 mm paper (about 302 CSS pixels)
	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	b.do(kiosk, "print media", media("print"), chromedp.EmulateViewport(302, 700))
	b.shot(kiosk, "03-kiosk-ticket-print")
	b.do(kiosk, "screen media", media(""), chromedp.EmulateViewport(1080, 1500))

	// Others take tickets too (by the API), so the queues are not empty.
	for _, p := range []string{"B", "D", "D", "E", "G", "J", "T"} {
		browserIssue(t, srv.URL, p, "")
	}

	// 3. The clerk signs in, opens window 1 and calls.
	counter := b.tab(browser, "counter", 1366, 900)
	b.login(counter, "clerk1-1", pw, "", "04-login")
	b.wait(counter, "counter list after sign-in", `location.pathname === '/counter' && !!document.querySelector('.win-pick-item.mine')`, 10*time.Second)
	b.shot(counter, "05-counter-list")
	b.do(counter, "open the counter of window 1",
		chromedp.Navigate(srv.URL+"/counter/1"),
		chromedp.WaitEnabled(chromedp.CSS(`button[data-op="open"]`)),
		chromedp.Click(chromedp.CSS(`button[data-op="open"]`)),
		chromedp.WaitEnabled(chromedp.CSS(`button[data-op="call"]`)),
		chromedp.Click(chromedp.CSS(`button[data-op="call"]`)),
	)
	b.wait(counter, "counter shows the called ticket", fmt.Sprintf(`document.getElementById('current-number').textContent === %q && !document.getElementById('current').hidden`, number), 10*time.Second)
	// the service language panel shows the greeting for the call
	b.wait(counter, "counter shows the greeting", `document.getElementById('ph-step').textContent === '叫号问候' && document.querySelectorAll('#phrases .phrase-list li').length > 0`, 10*time.Second)
	if got := b.text(counter, "#phrases"); !strings.Contains(got, "您好，请问您办理什么业务？") {
		t.Errorf("greeting phrases %q", got)
	}
	browserIssue(t, srv.URL, "C", "elderly")
	b.wait(counter, "the priority ticket heads the queue", `document.querySelector('#next-list li .tag-prio') !== null`, 10*time.Second)
	b.wait(counter, "recall enabled", `!document.querySelector('button[data-op="recall"]').disabled`, 5*time.Second)
	b.shot(counter, "06-counter")

	// 4. The board shows the call at once and speaks it, once.
	b.wait(display, "display shows the call", fmt.Sprintf(`document.getElementById('latest-number').textContent === %q`, number), 10*time.Second)
	b.wait(display, "display spoke the call", `window.qhallSpoken.length === 1`, 5*time.Second)
	if got := b.eval(display, `window.qhallSpoken[0]`); got != "请 A零零一 号到 1 号窗口办理" {
		t.Errorf("display spoke %q", got)
	}
	if got := b.text(display, "#latest-text"); !strings.Contains(got, "1号综合窗口") {
		t.Errorf("display latest call text %q", got)
	}
	b.wait(display, "window 1 serving on the board", fmt.Sprintf(`document.querySelector('#windows li[data-window="1"] .win-state').textContent === %q`, number), 5*time.Second)
	b.shot(display, "07-display")

	// 5. The citizen's page, as reached by the QR code.
	citizen := b.tab(browser, "citizen", 390, 844)
	b.do(citizen, "open citizen page", chromedp.Navigate(srv.URL+"/t/"+token), chromedp.WaitVisible(chromedp.CSS("#c-number")))
	b.wait(citizen, "citizen told where to go", `(() => { const c = document.getElementById('c-call'); return !c.hidden && c.textContent.includes('请到 1号综合窗口'); })()`, 10*time.Second)
	b.shot(citizen, "08-citizen")

	// 6. A reloaded board does not repeat old calls; a recall is spoken again.
	b.do(display, "reload display",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#sound-on")),
		chromedp.Click(chromedp.CSS("#sound-on")),
	)
	b.wait(display, "display after reload", fmt.Sprintf(`document.getElementById('latest-number').textContent === %q`, number), 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	if n := b.eval(display, `String(window.qhallSpoken.length)`); n != "0" {
		t.Errorf("a reloaded display spoke %s old calls", n)
	}

	// The stream drops (a restart, a flaky network): the board says so, reconnects by itself and
	// repeats nothing.
	srv.CloseClientConnections()
	b.wait(display, "offline notice", `!!document.querySelector('.offline')`, 5*time.Second)
	b.wait(display, "reconnected", `!document.querySelector('.offline')`, 15*time.Second)
	if n := b.eval(display, `String(window.qhallSpoken.length)`); n != "0" {
		t.Errorf("a reconnected display spoke %s old calls", n)
	}
	b.do(counter, "recall", chromedp.Click(chromedp.CSS(`button[data-op="recall"]`)))
	b.wait(display, "display spoke the recall", `window.qhallSpoken.length === 1`, 10*time.Second)

	// 7. The clerk may not see the dashboard.
	b.do(counter, "dashboard as clerk", chromedp.Navigate(srv.URL+"/supervisor/1"), chromedp.WaitVisible(chromedp.CSS(".error-page")))
	if got := b.text(counter, ".error-page h1"); got != "无权访问" {
		t.Errorf("clerk on the dashboard sees %q", got)
	}

	// 8. The clerk finishes and asks for an hour's pause, which needs approval; the supervisor,
	// in a browser profile of their own, sees the request and approves it; the board shows the
	// window paused.
	// Before finishing, a material is missing: the checklist of the service's materials, the
	// materials-missing phrases, and what to tell the citizen, all at once.
	b.do(counter, "missing materials",
		chromedp.Navigate(srv.URL+"/counter/1"),
		chromedp.WaitEnabled(chromedp.CSS("#missing-btn")),
		chromedp.Click(chromedp.CSS("#missing-btn")),
	)
	b.wait(counter, "materials checklist", `document.querySelectorAll('#missing-list input').length === 3 && document.getElementById('ph-step').textContent === '材料不全' && !!document.querySelector('#phrases [data-code="materials_missing"]')`, 10*time.Second)
	b.do(counter, "tick a missing material", chromedp.Click(chromedp.CSS("#missing-list input")))
	b.wait(counter, "tell the missing material", `document.getElementById('missing-tell').textContent.includes('居民身份证')`, 5*time.Second)
	b.shot(counter, "08b-counter-missing-material")
	// Finishing shows the farewell, and the conversation can be recorded: hits are marked, the
	// citizen's phone number is masked.
	b.do(counter, "finish", chromedp.Click(chromedp.CSS(`button[data-op="finish"]`)))
	b.wait(counter, "farewell and the conversation form", `document.getElementById('ph-step').textContent === '办结送别' && !document.getElementById('transcript-form').hidden && document.getElementById('missing-box').hidden`, 10*time.Second)
	b.do(counter, "record the conversation",
		chromedp.SetValue(chromedp.CSS("#tr-text"), "窗口：您好，请问您办理什么业务？\n群众：我的电话13812345678\n窗口：这不归我管，你必须去3号窗口。"),
		chromedp.Click(chromedp.CSS(`#transcript-form button[type=submit]`)),
	)
	b.wait(counter, "conversation recorded", `document.querySelectorAll('#tr-out mark.hit').length === 2 && document.getElementById('tr-out').textContent.includes('138****5678') && document.querySelectorAll('#tr-hits li').length === 2`, 10*time.Second)
	b.shot(counter, "08c-counter-transcript")
	b.do(counter, "ask for a pause",
		chromedp.WaitEnabled(chromedp.CSS(`button[data-op="pause"]`)),
		chromedp.Click(chromedp.CSS(`button[data-op="pause"]`)),
		chromedp.WaitVisible(chromedp.CSS("#dlg-pause")),
		chromedp.SetValue(chromedp.CSS("#pa-reason"), "meeting"),
		chromedp.SetValue(chromedp.CSS("#pa-minutes"), "60"),
		chromedp.Click(chromedp.CSS(`#pause-form button[type=submit]`)),
	)
	b.wait(counter, "pause pending at the counter", `!document.getElementById('counter-pending').hidden && !document.getElementById('dlg-pause').open`, 10*time.Second)
	b.shot(counter, "09-counter-pending")

	sup := b.tab(browser, "supervisor", 1440, 1000, chromedp.WithNewBrowserContext())
	b.login(sup, "sup1", pw, "/supervisor/1", "")
	b.wait(sup, "dashboard with the request", `location.pathname === '/supervisor/1' && document.querySelectorAll('#wins tr').length === 8 && !!document.querySelector('[data-decide="approve"]') && document.querySelectorAll('#audit tr').length > 0`, 10*time.Second)
	b.shot(sup, "10-supervisor")
	b.do(sup, "approve the pause", chromedp.Click(chromedp.CSS(`[data-decide="approve"]`)))
	b.wait(display, "board shows window 1 paused", `document.querySelector('#windows li[data-window="1"]').classList.contains('win-paused')`, 10*time.Second)
	b.wait(counter, "counter paused", `document.getElementById('win-state').classList.contains('state-paused') && !document.querySelector('button[data-op="resume"]').disabled`, 10*time.Second)
	b.shot(display, "11-display-paused")

	// The admin edits the service language rules and checks a text on the rules page.
	rules := b.tab(browser, "speech-admin", 1440, 1000, chromedp.WithNewBrowserContext())
	b.login(rules, "admin", pw, "%2Fadmin%2Fspeech%3Flang%3Dzh-Hans", "")
	b.wait(rules, "rules by category", `location.pathname === '/admin/speech' && document.querySelectorAll('#sp-rules tr[data-rule]').length > 100 && document.querySelectorAll('#sp-history tr').length === 1`, 10*time.Second)
	b.do(rules, "new rule",
		chromedp.Click(chromedp.CSS("#sp-new")),
		chromedp.WaitVisible(chromedp.CSS("#dlg-rule")),
		chromedp.SetValue(chromedp.CSS("#rf-id"), "local-01"),
		chromedp.SetValue(chromedp.CSS("#rf-category"), "vague"),
		chromedp.SetValue(chromedp.CSS("#rf-words"), "八九不离十"),
		chromedp.SetValue(chromedp.CSS("#rf-suggestion"), "说明确切的情况。"),
		chromedp.Click(chromedp.CSS(`#rule-form button[type=submit]`)),
	)
	b.wait(rules, "rule saved as version 1", `document.getElementById('sp-version').textContent.includes('第 1 版') && !!document.querySelector('tr[data-rule="local-01"]') && !document.getElementById('dlg-rule').open`, 10*time.Second)
	b.do(rules, "check a text",
		chromedp.SetValue(chromedp.CSS("#sp-text"), "窗口：八九不离十吧，可能要等。\n客户：你错了"),
		chromedp.Click(chromedp.CSS(`#sp-check-form button[type=submit]`)),
	)
	b.wait(rules, "hits marked", `Array.from(document.querySelectorAll('#sp-check-out mark.hit')).map(m => m.textContent).join('|') === '八九不离十|可能'`, 10*time.Second)
	b.do(rules, "search", chromedp.SendKeys(chromedp.CSS("#sp-search"), "不离十"))
	b.wait(rules, "search finds the new rule", `document.querySelectorAll('#sp-rules tr[data-rule]').length === 1`, 5*time.Second)
	b.shot(rules, "11b-speech-rules")

	// 9. The language switch: the kiosk in Traditional Chinese.
	b.do(kiosk, "kiosk in Traditional", chromedp.Navigate(srv.URL+"/kiosk/1?lang=zh-Hant"), chromedp.WaitVisible(chromedp.CSS(".tile")))
	if got := b.text(kiosk, ".kiosk-intro h1"); got != "請選擇辦理事項" {
		t.Errorf("Traditional kiosk title %q", got)
	}
	b.shot(kiosk, "12-kiosk-hant")

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("browser console: %s", p)
	}
}
