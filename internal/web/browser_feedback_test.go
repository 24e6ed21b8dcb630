package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestInBrowserRatingAndComplaint: a supervisor pairs window 1's pad; the clerk finishes a ticket
// at the counter; the citizen rates it 非常不满意 on the pad; the rectification appears live in
// the supervisor's work list, which records contact, verification, the fix and the call-back.
// Then a complaint taken on the web is followed to closing, reopened once by the citizen.
func TestInBrowserRatingAndComplaint(t *testing.T) {
	const pw = "demo-pass"
	b, browser, srv := startHall(t, pw)
	// submit fills the work list's open action form and sends it.
	submit := func(ctx context.Context, action string, fields map[string]string) {
		t.Helper()
		form := `.fb-action[data-action="` + action + `"]`
		b.wait(ctx, "form "+action, `!!document.querySelector('`+form+`')`, 10*time.Second)
		// Filled and sent in one go: a live update may redraw the form between two steps.
		js := `(() => { const f = document.querySelector('` + form + `');`
		for id, v := range fields {
			js += `{ const e = f.querySelector('#fb-f-` + id + `'); if (e.type === 'checkbox') e.checked = ` + fmt.Sprint(v == "true") +
				`; else e.value = '` + v + `'; }`
		}
		b.eval(ctx, js+` f.requestSubmit(); return ''; })()`)
		b.wait(ctx, action+" done", `!document.querySelector('`+form+`') && !document.querySelector('.fb-action .error-msg:not([hidden])')`, 10*time.Second)
	}

	// 1. The supervisor makes a pairing code for window 1; it is typed on the pad.
	sup := b.tab(browser, "supervisor", 1366, 768, chromedp.WithNewBrowserContext())
	b.login(sup, "sup1", pw, "%2Ffeedback%2F1%3Flang%3Dzh-Hans", "")
	b.wait(sup, "work list", `location.pathname === '/feedback/1' && document.getElementById('fb-list').textContent.includes('暂无')`, 10*time.Second)
	b.do(sup, "pads", chromedp.Click(chromedp.CSS(`.fb-tab[data-tab="pad"]`)), chromedp.WaitVisible(chromedp.CSS("#fb-pad-go")),
		chromedp.Click(chromedp.CSS("#fb-pad-go")), chromedp.WaitVisible(chromedp.CSS("#fb-pad-code")))
	code := b.text(sup, "#fb-pad-code")
	b.shot(sup, "fb-01-pad-code")
	pad := b.tab(browser, "pad", 1280, 800, chromedp.WithNewBrowserContext())
	b.do(pad, "pad", chromedp.Navigate(srv.URL+"/pad/1?lang=zh-Hans"), chromedp.WaitVisible(chromedp.CSS("#fb-code")))
	b.shot(pad, "fb-02-pad-pair")
	b.do(pad, "pair", chromedp.SendKeys(chromedp.CSS("#fb-code"), code), chromedp.Click(chromedp.CSS(`#fb-pair button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#fb-idle")))
	b.shot(pad, "fb-03-pad-idle")
	b.do(sup, "back to the rectifications", chromedp.Click(chromedp.CSS(`.fb-tab[data-tab="rect"]`)))

	// 2. The clerk serves a ticket and finishes it; the pad asks at once, nothing preselected.
	browserIssue(t, srv.URL, "A", "")
	counter := b.tab(browser, "counter", 1366, 768)
	b.login(counter, "clerk1-1", pw, "%2Fcounter%2F1%3Flang%3Dzh-Hans", "")
	b.do(counter, "serve", chromedp.WaitEnabled(chromedp.CSS(`button[data-op="open"]`)), chromedp.Click(chromedp.CSS(`button[data-op="open"]`)),
		chromedp.WaitEnabled(chromedp.CSS(`button[data-op="call"]`)), chromedp.Click(chromedp.CSS(`button[data-op="call"]`)),
		chromedp.WaitEnabled(chromedp.CSS(`button[data-op="finish"]`)), chromedp.Click(chromedp.CSS(`button[data-op="finish"]`)))
	b.wait(pad, "pad prompts", `!document.getElementById('fb-rate').hidden && document.querySelectorAll('.fb-level').length === 5 && document.querySelector('.fb-ask').textContent.includes('A001')`, 10*time.Second)
	if n := b.eval(pad, `String(document.querySelectorAll('.fb-level[aria-checked="true"]').length)`); n != "0" {
		t.Fatalf("%s levels preselected", n)
	}
	b.shot(pad, "fb-04-pad-prompt")
	b.do(pad, "rate 非常不满意", chromedp.Click(chromedp.CSS(`.fb-level[data-level="1"]`)), chromedp.WaitVisible(chromedp.CSS(`.fb-tag[data-tag="attitude"]`)),
		chromedp.Click(chromedp.CSS(`.fb-tag[data-tag="attitude"]`)), chromedp.Click(chromedp.CSS(`.fb-tag[data-tag="long_wait"]`)),
		chromedp.SendKeys(chromedp.CSS("#fb-comment"), "等了一个小时，窗口人员还不耐烦"), chromedp.SendKeys(chromedp.CSS("#fb-callback"), "13812345678"))
	if got := b.text(pad, ".fb-level[aria-checked=true] .fb-word"); got != "非常不满意" {
		t.Errorf("chosen level reads %q", got)
	}
	b.shot(pad, "fb-05-pad-bad")
	b.do(pad, "submit the rating", chromedp.Click(chromedp.CSS(`.fb-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".fb-thanks")))
	b.shot(pad, "fb-06-pad-thanks")

	// 3. The rectification shows in the supervisor's list without a reload, and is worked.
	b.wait(sup, "rectification appears live", `document.querySelectorAll('#fb-list tr[data-id]').length === 1 && document.getElementById('fb-n-rect').textContent === '1'`, 10*time.Second)
	if got := b.text(sup, "#fb-list tbody tr"); !strings.Contains(got, "A001") || !strings.Contains(got, "待联系") || !strings.Contains(got, "王丽") {
		t.Errorf("rectification row %q", got)
	}
	b.eval(sup, `(() => { document.querySelector('#fb-list tr[data-id]').click(); return ''; })()`) // open it: one step in the page (the live list may redraw between a query and a click)
	b.wait(sup, "detail", `document.getElementById('fb-detail').textContent.includes('138****5678')`, 10*time.Second)
	if strings.Contains(b.text(sup, "#fb-detail"), "13812345678") {
		t.Error("the work list shows the citizen's phone number unmasked")
	}
	b.shot(sup, "fb-07-work-rect")
	submit(sup, "contact", map[string]string{"note": "已电话联系市民，致歉并了解情况"})
	submit(sup, "verify", map[string]string{"verdict": "reasonable", "cause": "高峰时段窗口开放不足"})
	submit(sup, "report", map[string]string{"cause": "高峰时段窗口开放不足", "fix": "高峰时段增开窗口并提醒服务用语"})
	b.wait(sup, "to call back", `document.querySelector('#fb-list tbody tr').textContent.includes('待回访')`, 10*time.Second)
	b.shot(sup, "fb-08-work-callback")
	submit(sup, "callback", map[string]string{"outcome": "告知整改措施", "response": "satisfied"})
	b.wait(sup, "closed: off the open list", `document.getElementById('fb-list').textContent.includes('暂无')`, 10*time.Second)

	// 4. A complaint on the web, followed to closing; the citizen reopens it once.
	citizen := b.tab(browser, "citizen", 390, 844, chromedp.WithNewBrowserContext())
	b.do(citizen, "complaint form", chromedp.Navigate(srv.URL+"/complain/1?lang=zh-Hans"), chromedp.WaitVisible(chromedp.CSS("#fb-text")))
	b.eval(citizen, `(() => { document.getElementById('fb-topic').value = 'attitude'; return ''; })()`)
	b.do(citizen, "complain", chromedp.SendKeys(chromedp.CSS("#fb-text"), "3号窗口工作人员说“这不归我管”，让我自己去问"),
		chromedp.SendKeys(chromedp.CSS("#fb-name"), "张三"), chromedp.SendKeys(chromedp.CSS("#fb-phone"), "13900001234"))
	b.shot(citizen, "fb-09-complain-form")
	b.do(citizen, "send", chromedp.Click(chromedp.CSS(`#fb-complain button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#fb-follow")))
	b.shot(citizen, "fb-10-complain-done")
	b.do(citizen, "follow", chromedp.Click(chromedp.CSS("#fb-follow")), chromedp.WaitVisible(chromedp.CSS("#fb-cstate")))
	follow := b.eval(citizen, `location.pathname`)
	if got := b.text(citizen, "#fb-complaint"); !strings.Contains(got, "待受理") || !strings.Contains(got, "张*") || !strings.Contains(got, "139****1234") {
		t.Errorf("follow-up page %q", got)
	}
	b.do(sup, "complaints", chromedp.Click(chromedp.CSS(`.fb-tab[data-tab="complaint"]`)))
	b.wait(sup, "the complaint listed", `document.querySelectorAll('#fb-list tr[data-id]').length === 1`, 10*time.Second)
	b.eval(sup, `(() => { document.querySelector('#fb-list tr[data-id]').click(); return ''; })()`) // open the complaint: one step in the page (the live list may redraw between a query and a click)
	submit(sup, "sign", nil)
	submit(sup, "classify", map[string]string{"class": "general", "department": "综合服务科", "priority": "2"})
	submit(sup, "handle", map[string]string{"listened": "true", "apologised": "true", "action": "约谈窗口人员", "result": "已批评教育并向您致歉", "upheld": "true"})
	b.shot(sup, "fb-11-work-complaint")
	b.do(citizen, "reload", chromedp.Navigate(srv.URL+follow), chromedp.WaitVisible(chromedp.CSS("#fb-unsatisfied")))
	b.shot(citizen, "fb-12-complaint-result")
	b.do(citizen, "not satisfied", chromedp.SendKeys(chromedp.CSS("#fb-opinion-text"), "希望说明今后如何避免"), chromedp.Click(chromedp.CSS("#fb-unsatisfied")))
	b.wait(citizen, "reopened", `document.getElementById('fb-cstate').textContent === '调查处置中'`, 10*time.Second)
	submit(sup, "handle", map[string]string{"listened": "true", "action": "制定首问负责提醒", "result": "已在全窗口推行首问负责制"})
	b.do(citizen, "reload again", chromedp.Navigate(srv.URL+follow), chromedp.WaitVisible(chromedp.CSS("#fb-satisfied")))
	if got := b.text(citizen, "#fb-complaint"); !strings.Contains(got, "已重新办理过一次") {
		t.Errorf("the second result does not say it was reopened: %q", got)
	}
	b.do(citizen, "satisfied", chromedp.Click(chromedp.CSS("#fb-satisfied")))
	b.wait(citizen, "archived", `document.getElementById('fb-cstate').textContent === '已归档'`, 10*time.Second)
	b.eval(sup, `(() => { const s = document.getElementById('fb-state'); s.value = 'all'; s.dispatchEvent(new Event('change')); return ''; })()`)
	b.wait(sup, "all complaints", `document.querySelectorAll('#fb-list tr[data-id]').length === 1`, 10*time.Second)
	b.eval(sup, `(() => { document.querySelector('#fb-list tr[data-id]').click(); return ''; })()`) // open it again: one step in the page (the live list may redraw between a query and a click)
	submit(sup, "learn", map[string]string{"cause": "首问负责落实不到位", "improvement": "纳入本月培训"})
	b.do(citizen, "closed", chromedp.Navigate(srv.URL+follow), chromedp.WaitVisible(chromedp.CSS("#fb-cstate")))
	if got := b.text(citizen, "#fb-cstate"); got != "已办结" {
		t.Errorf("complaint state %q, want 已办结", got)
	}
	b.shot(citizen, "fb-13-complaint-closed")

	// 5. The figures count the bad rating, its call-back and the complaint.
	b.do(sup, "figures", chromedp.Navigate(srv.URL+"/feedback/1/figures"), chromedp.WaitVisible(chromedp.CSS(".fb-stats")))
	b.wait(sup, "figures loaded", `document.querySelectorAll('.fb-stat').length > 10`, 10*time.Second)
	b.shot(sup, "fb-14-figures")

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("browser console: %s", p)
	}
}
