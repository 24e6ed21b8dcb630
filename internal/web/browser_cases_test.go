package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestInBrowserCaseFile plays a case file (办件) through the real pages: at the counter a called
// ticket opens a case, two materials are missing and one notice lists both (printable, with
// its QR code); the citizen comes back with the notice's code at the kiosk, the new ticket is
// called and the case continues (the return counted), is accepted, completed and delivered
// at a pickup window; the supervisor's work list shows the hall's cases.
func TestInBrowserCaseFile(t *testing.T) {
	const pw = "demo-pass"
	b, browser, srv := startHall(t, pw)

	// The citizen takes a ticket for 公积金贷款 (E, six materials) at the kiosk.
	kiosk := b.tab(browser, "kiosk", 1080, 1920)
	b.do(kiosk, "open kiosk", chromedp.Navigate(srv.URL+"/kiosk/1?lang=zh-Hans"), chromedp.WaitVisible(chromedp.CSS(`.tile[data-prefix="E"]`)))
	b.wait(kiosk, "kiosk tiles enabled", `!document.querySelector('.tile[data-prefix="E"]').disabled`, 10*time.Second)
	b.do(kiosk, "take a ticket", chromedp.Click(chromedp.CSS(`.tile[data-prefix="E"]`)), chromedp.WaitVisible(chromedp.CSS("#ticket-number")))
	first := b.text(kiosk, "#ticket-number")

	// The clerk calls it and opens a case; two materials are missing.
	counter := b.tab(browser, "counter", 1366, 768)
	b.login(counter, "clerk1-1", pw, "%2Fcounter%2F1", "")
	b.wait(counter, "counter", `location.pathname === '/counter/1' && !document.querySelector('button[data-op="open"]').disabled`, 10*time.Second)
	b.do(counter, "open and call", chromedp.Click(chromedp.CSS(`button[data-op="open"]`)),
		chromedp.WaitEnabled(chromedp.CSS(`button[data-op="call"]`)), chromedp.Click(chromedp.CSS(`button[data-op="call"]`)))
	b.wait(counter, "case panel for the called ticket", `document.getElementById('current-number').textContent === '`+first+`' && !document.getElementById('case-panel').hidden && !document.getElementById('case-none').hidden`, 10*time.Second)
	b.do(counter, "open a case", chromedp.Click(chromedp.CSS("#case-open")))
	b.wait(counter, "the checklist", `document.querySelectorAll('#case-mats tr').length === 6 && document.getElementById('case-state').textContent === '接待咨询'`, 10*time.Second)
	b.do(counter, "two missing", chromedp.SetValue(chromedp.CSS("#case-mats tr:nth-child(3) select"), "missing"),
		chromedp.SetValue(chromedp.CSS("#case-mats tr:nth-child(5) select"), "missing"),
		chromedp.SetValue(chromedp.CSS("#case-mats tr:nth-child(5) input"), "需加盖销售方公章"),
		chromedp.Click(chromedp.CSS(`#case-check button[type=submit]`)))
	b.wait(counter, "notice offered", `document.getElementById('case-state').textContent === '审核受理' && [...document.querySelectorAll('#case-steps button')].some(x => x.textContent === '出具一次性告知书')`, 10*time.Second)
	b.shot(counter, "c1-counter-case-panel")
	b.do(counter, "issue the notice", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#case-steps button')].find(x => x.textContent === '出具一次性告知书').click()`))
	b.wait(counter, "notice issued", `document.getElementById('case-state').textContent === '待补正' && !!document.querySelector('#case-steps a[href^="/notice/"]')`, 10*time.Second)
	href := b.eval(counter, `document.querySelector('#case-steps a[href^="/notice/"]').getAttribute('href')`)
	code := strings.TrimPrefix(href, "/notice/")

	// The printable notice lists both, with its QR code.
	notice := b.tab(browser, "notice", 794, 1123)
	b.do(notice, "open notice", chromedp.Navigate(srv.URL+href), chromedp.WaitVisible(chromedp.CSS("#notice-code")))
	b.wait(notice, "QR code loaded", `(() => { const i = document.getElementById('notice-qr'); return i.complete && i.naturalWidth > 100; })()`, 10*time.Second)
	items := b.eval(notice, `[...document.querySelectorAll('.notice-item')].map(r => r.children[1].textContent).join('|')`)
	if n := strings.Count(items, "|") + 1; n != 2 || !strings.Contains(items, "婚姻状况证明") || !strings.Contains(items, "首付款发票") {
		t.Fatalf("notice items %q", items)
	}
	if got := b.text(notice, "#notice-code"); got != code {
		t.Fatalf("notice code %q, link %q", got, code)
	}
	b.shot(notice, "c2-notice")
	b.do(notice, "print media", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if got := b.eval(notice, `getComputedStyle(document.querySelector('.topbar')).display + ' ' + getComputedStyle(document.querySelector('.notice-paper')).visibility`); got != "none visible" {
		t.Errorf("printed notice: topbar and paper %q", got)
	}
	b.shot(notice, "c2b-notice-print")

	// The clerk lets the citizen go; they come back with the code at the kiosk.
	b.do(counter, "finish", chromedp.Click(chromedp.CSS(`button[data-op="finish"]`)))
	b.do(kiosk, "back to the services", chromedp.Click(chromedp.CSS("#btn-again")), chromedp.WaitVisible(chromedp.CSS("#kn-open")),
		chromedp.Click(chromedp.CSS("#kn-open")), chromedp.WaitVisible(chromedp.CSS("#kn-code")),
		chromedp.SendKeys(chromedp.CSS("#kn-code"), strings.ToLower(code)))
	b.shot(kiosk, "c3-kiosk-by-notice")
	b.do(kiosk, "ticket by notice", chromedp.Click(chromedp.CSS(`#kn-form button[type=submit]`)))
	b.wait(kiosk, "a new ticket", `!document.getElementById('ticket').hidden && document.getElementById('ticket-number').textContent !== '`+first+`'`, 10*time.Second)
	second := b.text(kiosk, "#ticket-number")
	token := b.eval(kiosk, `document.getElementById('tp-qr-link').dataset.token`)
	citizen := b.tab(browser, "citizen", 390, 844)
	b.do(citizen, "citizen page", chromedp.Navigate(srv.URL+"/t/"+token), chromedp.WaitVisible(chromedp.CSS("#c-number")))
	b.wait(citizen, "the case on the citizen's page", `!document.getElementById('c-case').hidden && document.getElementById('c-case-state').textContent === '审核受理' && document.getElementById('c-case-notice').getAttribute('href') === '`+href+`'`, 10*time.Second)
	b.shot(citizen, "c3b-citizen-case")

	// Called, the case continues where it stopped, the return counted.
	b.do(counter, "call the returning citizen", chromedp.WaitEnabled(chromedp.CSS(`button[data-op="call"]`)), chromedp.Click(chromedp.CSS(`button[data-op="call"]`)))
	b.wait(counter, "the case continues", `document.getElementById('current-number').textContent === '`+second+`' && document.getElementById('case-state').textContent === '审核受理' && document.getElementById('case-returns').textContent.includes('第 1 次')`, 10*time.Second)
	b.do(counter, "all there now", chromedp.SetValue(chromedp.CSS("#case-mats tr:nth-child(3) select"), "ok"),
		chromedp.SetValue(chromedp.CSS("#case-mats tr:nth-child(5) select"), "ok"),
		chromedp.Click(chromedp.CSS(`#case-check button[type=submit]`)))
	b.wait(counter, "accept offered", `!!document.querySelector('#case-steps [data-step="accept"]') && document.getElementById('case-msg').textContent === '材料核验结果已保存'`, 10*time.Second)
	b.do(counter, "accept", chromedp.Click(chromedp.CSS(`#case-steps [data-step="accept"]`)))
	b.wait(counter, "accepted", `document.getElementById('case-state').textContent === '办理中' && document.getElementById('case-due').textContent.startsWith('承诺办结日期')`, 10*time.Second)
	b.do(counter, "complete", chromedp.Click(chromedp.CSS(`#case-steps [data-step="complete"]`)), chromedp.WaitVisible(chromedp.CSS("#case-f-note")),
		chromedp.SendKeys(chromedp.CSS("#case-f-note"), "贷款已审批"), chromedp.Click(chromedp.CSS(`#case-dlg-form button[type=submit]`)))
	b.wait(counter, "completed", `document.getElementById('case-state').textContent === '已办结' && !document.getElementById('case-dlg').open`, 10*time.Second)
	b.do(counter, "deliver", chromedp.Click(chromedp.CSS(`#case-steps [data-step="deliver"]`)), chromedp.WaitVisible(chromedp.CSS("#case-f-window")),
		chromedp.SetValue(chromedp.CSS("#case-f-window"), "8"), chromedp.Click(chromedp.CSS(`#case-dlg-form button[type=submit]`)))
	b.wait(counter, "delivered", `document.getElementById('case-state').textContent === '已出件' && document.querySelectorAll('#case-steps button').length === 0`, 10*time.Second)
	b.shot(counter, "c4-counter-delivered")

	// The supervisor's work list: red and yellow first.
	sup := b.tab(browser, "cases", 1366, 900, chromedp.WithNewBrowserContext())
	b.login(sup, "sup1", pw, "%2Fsupervisor%2F1%3Flang%3Dzh-Hans", "")
	b.wait(sup, "dashboard", `location.pathname === '/supervisor/1' && !!document.querySelector('a[href="/cases/1"]')`, 10*time.Second)
	b.do(sup, "to the work list", chromedp.Click(chromedp.CSS(`a[href="/cases/1"]`)))
	b.wait(sup, "work list", `location.pathname === '/cases/1' && document.querySelectorAll('#cases-rows tr').length > 5`, 10*time.Second)
	if first := b.eval(sup, `document.querySelector('#cases-rows tr').className`); !strings.Contains(first, "level-red") {
		t.Errorf("the work list does not start with a red case: %q", first)
	}
	b.shot(sup, "c5-work-list")
	// One step in the page: the work list redraws every 10 s, between a query and a click too.
	b.eval(sup, `(() => { document.querySelector('#cases-rows tr.level-yellow [data-step="suspend"]').click(); return ''; })()`)
	b.do(sup, "suspend a case for testing", chromedp.WaitVisible(chromedp.CSS("#cl-f-reason")), chromedp.SetValue(chromedp.CSS("#cl-f-reason"), "expert"))
	b.shot(sup, "c5b-work-list-step")
	b.do(sup, "confirm", chromedp.Click(chromedp.CSS(`#cl-form button[type=submit]`)))
	b.wait(sup, "suspended", `!document.getElementById('cl-dlg').open && [...document.querySelectorAll('#cases-rows tr')].some(r => r.textContent.includes('已中止计时'))`, 10*time.Second)

	// The department's handler lands on their own work list.
	h := b.tab(browser, "handler", 1366, 900, chromedp.WithNewBrowserContext())
	b.login(h, "handler1", pw, "", "")
	b.wait(h, "handler's work list", `location.pathname === '/cases/1' && document.querySelectorAll('#cases-rows tr').length > 0 && !document.querySelector('#cases-rows [data-step="assign"]') && !document.querySelector('#cases-rows [data-step="extend"]') && !!document.querySelector('#cases-rows [data-step="complete"]')`, 10*time.Second)
	b.shot(h, "c6-handler-list")

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("browser console: %s", p)
	}
}
