package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestInBrowserAdminServiceReachesKioskAndGuide: an admin creates a service with two materials
// through the back office's pages; the kiosk then offers it, and its guide lists the materials
// with original or copy, copies and issuing body. The finder and the guide are looked at on a
// phone and on the kiosk, and every back-office section at the counter's size.
func TestInBrowserAdminServiceReachesKioskAndGuide(t *testing.T) {
	const pw = "demo-pass"
	b, browser, srv := startHall(t, pw)

	// 1. The admin signs in and opens the services of hall 1.
	admin := b.tab(browser, "admin", 1366, 768)
	b.login(admin, "admin", pw, "/admin/services?hall=1&lang=zh-Hans", "")
	b.wait(admin, "services listed", `document.querySelectorAll('#admin-root tr[data-service]').length >= 12`, 10*time.Second)
	b.shot(admin, "admin-services")

	// 2. A new service with two materials.
	b.do(admin, "open the new-service form",
		chromedp.Click(chromedp.CSS(`[data-new=service]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "不动产登记"),
		chromedp.SendKeys(chromedp.CSS(`#f-prefix`), "R"),
		chromedp.SendKeys(chromedp.CSS(`#f-category`), "公共服务"),
		chromedp.SetValue(chromedp.CSS(`#f-time_limit_days`), "5"),
		chromedp.SendKeys(chromedp.CSS(`#f-fees`), "按规定收取登记费"),
		chromedp.SendKeys(chromedp.CSS(`#f-legal_basis`), "《不动产登记暂行条例》第十六条"),
		chromedp.SendKeys(chromedp.CSS(`#f-conditions`), "不动产权利人或利害关系人"),
		chromedp.Click(chromedp.CSS(`[data-add=material]`)),
		chromedp.Click(chromedp.CSS(`[data-add=material]`)),
	)
	b.do(admin, "fill the materials",
		chromedp.SendKeys(chromedp.CSS(`.mat-row[data-row="0"] .mat-name`), "不动产权证书"),
		chromedp.SendKeys(chromedp.CSS(`.mat-row[data-row="0"] input[placeholder="出具单位"]`), "不动产登记机构"),
		chromedp.SendKeys(chromedp.CSS(`.mat-row[data-row="1"] .mat-name`), "买卖合同"),
		chromedp.SetValue(chromedp.CSS(`.mat-row[data-row="1"] select`), "0"),
		chromedp.SetValue(chromedp.CSS(`.mat-row[data-row="1"] .mat-copies`), "2"),
	)
	b.eval(admin, `['select', '.mat-copies'].forEach(s => document.querySelector('.mat-row[data-row="1"] ' + s).dispatchEvent(new Event('input'))); ''`)
	b.shot(admin, "admin-service-form")
	b.do(admin, "save", chromedp.Click(chromedp.CSS(`#admin-save`)))
	b.wait(admin, "the new service is listed", `[...document.querySelectorAll('#admin-root td')].some(td => td.textContent === '不动产登记') && !document.getElementById('admin-dlg').open`, 10*time.Second)

	b.wait(admin, "no window calls it yet", `[...document.querySelectorAll('#admin-root tr')].some(tr => tr.textContent.includes('不动产登记') && tr.textContent.includes('无窗口办理'))`, 5*time.Second)

	// The admin adds it to window 1, first in its order of preference.
	b.do(admin, "windows", chromedp.Navigate(srv.URL+"/admin/windows?hall=1"), chromedp.WaitVisible(chromedp.CSS(`.win-card select`)))
	b.eval(admin, `(() => { const c = document.querySelector('.win-card'), s = c.querySelector('select');
		s.value = [...s.options].find(o => o.textContent.includes('不动产登记')).value; s.dispatchEvent(new Event('change')); return ''; })()`)
	for i := 0; i < 11; i++ { // to the top of window 1's eleven services
		b.eval(admin, `[...document.querySelectorAll('.win-card:first-child .win-order li')].find(li => li.textContent.includes('不动产登记')).querySelector('[data-up]').click(), ''`)
	}
	b.wait(admin, "first in window 1", `document.querySelector('.win-card .win-order li').textContent.includes('不动产登记')`, 5*time.Second)
	b.do(admin, "save window 1", chromedp.Click(chromedp.CSS(`.win-card [data-save]`)))
	b.wait(admin, "saved", `document.getElementById('admin-msg').textContent !== '' && document.querySelector('.win-card [data-save]').disabled`, 5*time.Second)
	b.shot(admin, "admin-windows-order")

	// 3. The kiosk offers it.
	kiosk := b.tab(browser, "kiosk", 1080, 1920)
	b.do(kiosk, "open kiosk", chromedp.Navigate(srv.URL+"/kiosk/1"), chromedp.WaitVisible(chromedp.CSS(`.tile[data-prefix=R]`)))
	if got := b.text(kiosk, `.tile[data-prefix=R] .tile-name`); got != "不动产登记" {
		t.Fatalf("kiosk tile R: %q", got)
	}
	b.shot(kiosk, "kiosk-with-guide-link")

	// 4. From the kiosk to the guide index and the new service's guide.
	b.do(kiosk, "open the guide from the kiosk", chromedp.Click(chromedp.CSS(`.kiosk-guide`)), chromedp.WaitVisible(chromedp.CSS(`.guide-list`)))
	b.shot(kiosk, "kiosk-guide-index")
	followText(b, kiosk, `.guide-list a`, "不动产登记")
	body := b.text(kiosk, `.guide-doc`)
	for _, want := range []string{"不动产权证书", "不动产登记机构", "买卖合同", "复印件", "5 个工作日", "按规定收取登记费", "《不动产登记暂行条例》第十六条", "不动产权利人或利害关系人", "1 号窗口"} {
		if !strings.Contains(body, want) {
			t.Errorf("guide lacks %q:\n%s", want, body)
		}
	}
	if got := b.eval(kiosk, `document.querySelectorAll('.guide-materials tbody tr')[1].children[3].textContent`); got != "2" {
		t.Errorf("copies of the second material: %q", got)
	}
	b.shot(kiosk, "kiosk-guide-service")

	// 5. The finder on the kiosk: two answers lead to 公积金提取.
	b.do(kiosk, "finder", chromedp.Navigate(srv.URL+"/finder/1?kiosk=1"), chromedp.WaitVisible(chromedp.CSS(`.finder-options`)))
	b.shot(kiosk, "kiosk-finder")
	followText(b, kiosk, `.finder-options a`, "住房公积金")
	followText(b, kiosk, `.finder-options a`, "取出公积金")
	followText(b, kiosk, `.finder-options a`, "租房")
	if got := b.text(kiosk, `.finder-found .gl-name`); got != "公积金提取" {
		t.Errorf("finder found %q", got)
	}

	// 6. On a phone: search by pinyin initials, then the guide.
	phone := b.tab(browser, "phone", 390, 844)
	b.do(phone, "guide index on a phone", chromedp.Navigate(srv.URL+"/guide/1"), chromedp.WaitVisible(chromedp.CSS(`#guide-q`)))
	b.shot(phone, "phone-guide-index")
	b.do(phone, "search sbjn", chromedp.SendKeys(chromedp.CSS(`#guide-q`), "sbjn\n"), chromedp.WaitVisible(chromedp.CSS(`.finder-results`)))
	if got := b.text(phone, `.finder-results .gl-name`); got != "社保缴纳" {
		t.Errorf("sbjn found %q", got)
	}
	b.shot(phone, "phone-finder-search")
	b.do(phone, "open guide", chromedp.Click(chromedp.CSS(`.finder-results a`)), chromedp.WaitVisible(chromedp.CSS(`.guide-materials`)))
	b.shot(phone, "phone-guide-service")

	// 7. Every other back-office section draws without an error.
	for _, sec := range []struct{ path, ready string }{
		{"/admin", `document.querySelectorAll('.admin-hub a').length === 7`},
		{"/admin/halls", `document.querySelectorAll('#admin-root tbody tr').length === 2`},
		{"/admin/windows?hall=1", `document.querySelectorAll('.win-card').length === 8`},
		{"/admin/staff", `document.querySelectorAll('#admin-root tbody tr').length >= 19`},
		{"/admin/priority", `document.querySelectorAll('#admin-root tbody tr').length === 4`},
		{"/admin/calendar?hall=1", `document.querySelectorAll('.cal-day').length >= 28`},
		{"/admin/finder?hall=1", `document.querySelectorAll('.finder-tree .fn-row').length >= 10`},
	} {
		b.do(admin, "open "+sec.path, chromedp.Navigate(srv.URL+sec.path))
		b.wait(admin, sec.path+" drawn", sec.ready, 10*time.Second)
		b.shot(admin, "admin"+strings.NewReplacer("/admin", "", "/", "-", "?hall=1", "").Replace(sec.path))
	}
	// 8. The calendar of February 2026: the Spring Festival and its make-up Saturdays; the admin
	// closes the hall on Friday 6 March and the public answer counts it.
	b.do(admin, "calendar of February", chromedp.Navigate(srv.URL+"/admin/calendar?hall=1&month=2026-02"))
	b.wait(admin, "the Spring Festival shown", `document.querySelector('[data-day="2026-02-14"].work.nat') && document.querySelector('[data-day="2026-02-17"].rest.nat')`, 10*time.Second)
	b.shot(admin, "admin-calendar-february")
	b.do(admin, "next month", chromedp.Click(chromedp.CSS(`[data-next]`)), chromedp.WaitVisible(chromedp.CSS(`[data-day="2026-03-06"]`)))
	b.do(admin, "close 6 March", chromedp.Click(chromedp.CSS(`[data-day="2026-03-06"]`)), chromedp.WaitVisible(chromedp.CSS(`#f-mode`)),
		chromedp.SetValue(chromedp.CSS(`#f-mode`), "0"), chromedp.SendKeys(chromedp.CSS(`#f-note`), "设备检修"), chromedp.Click(chromedp.CSS(`#admin-save`)))
	b.wait(admin, "6 March closed", `!!document.querySelector('[data-day="2026-03-06"].rest.own')`, 10*time.Second)
	b.shot(admin, "admin-calendar-march")
	res, err := http.Get(srv.URL + "/api/v1/calendar/workdays?hall=1&from=2026-03-05&add=1")
	if err != nil {
		t.Fatal(err)
	}
	var wd struct{ Date string }
	json.NewDecoder(res.Body).Decode(&wd)
	res.Body.Close()
	if wd.Date != "2026-03-09" {
		t.Errorf("after closing 6 March the next working day is %s", wd.Date)
	}

	// 9. The home page links the guides and, for staff who configure, the back office.
	b.do(admin, "home", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`a[href="/admin"]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/guide/1"]`)))
	b.shot(admin, "home")

	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.problems) > 0 {
		t.Errorf("browser problems:\n%s", strings.Join(b.problems, "\n"))
	}
}

// followText follows the first link matching sel whose text contains text, and waits for the
// page it leads to.
func followText(b *browserSession, ctx context.Context, sel, text string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const a = [...document.querySelectorAll(%s)].find(x => x.textContent.includes(%s)); return a ? a.href : ''; })()`,
		strconv.Quote(sel), strconv.Quote(text))
	href := b.eval(ctx, js)
	if href == "" {
		b.t.Fatalf("no link %s %q", sel, text)
	}
	b.do(ctx, "follow "+text, chromedp.Navigate(href))
}
