package web

import (
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/qhall/qhall/internal/appointments"
	"github.com/qhall/qhall/internal/cases"
	"github.com/qhall/qhall/internal/devices"
	"github.com/qhall/qhall/internal/feedback"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
)

// viewSamples holds a representative view model for every declared view (as GoatCounter runs
// every template in a test), so a template that reads a field its model lacks fails here,
// not in front of a citizen.
var viewSamples = func() map[string]any {
	hall := hallJS{ID: 1, Number: 1, Name: "市民服务中心", TZ: "Asia/Shanghai", LongWaitMin: 30, MaxRecalls: 3}
	names := []nameJS{{ID: 1, Number: 1, Prefix: "A", Name: "1号综合窗口"}}
	gh := guideHall{ID: 1, Name: "市民服务中心", Address: "人民路 1 号", Hours: "09:00–17:00", Phone: "12345", HoursNote: "法定节假日休息", Kiosk: "/kiosk/1"}
	gl := guideLink{ID: 1, Name: "社保缴纳", Prefix: "A", KindName: "办理类", Days: 1, URL: "/guide/1/1"}
	return map[string]any{
		"home":  []hallLinks{{ID: 1, Number: 1, Name: "市民服务中心", Hours: "全天开放", Kiosk: "/kiosk/1", Display: "/display/1", Supr: "/supervisor/1"}},
		"error": errorView{Message: "没有编号为 9 的大厅"},
		"login": loginView{Next: "/counter/1"},
		"kiosk": kioskView{Hall: hall, Issuing: true, Priorities: []codeName{{"elderly", "老年人"}},
			Groups: []kioskGroup{{Category: "社保", Services: []kioskService{{ID: 1, Name: "社保缴纳", Prefix: "A", Kind: "handle", KindLabel: "办理类", Waiting: 2}}}}},
		"display":      displayView{Hall: hall, Windows: names},
		"ticket":       ticketView{Hall: hall, Number: "A001", Service: "社保缴纳", State: "等候中"},
		"counter_list": []counterHall{{Name: "市民服务中心", Windows: []counterWindow{{ID: 1, HallID: 1, Number: 1, Name: "1号综合窗口", State: "open", Clerk: "张三", Current: "A001", Mine: true}}}},
		// appointments
		"book":         bookView{Hall: hall, Services: []apptServiceJS{{ID: 1, Name: "社保缴纳", Prefix: "A", NeedsID: true}}, Settings: appointments.Defaults},
		"booking":      bookingView{Hall: hall, B: &appointments.Booking{Code: "12345678", Token: "tok", State: "booked", Name: "张*", Phone: "138****5678", IDNumber: "110***********002X", TicketToken: "t"}, Service: "社保缴纳", State: "已预约", When: "2026-11-24 11:30–12:00", Change: "11-24 09:30", Checkin: "11:00–11:40", CanEdit: true},
		"appt_staff":   apptStaffView{Hall: hall, Date: "2026-11-24", Rows: []apptStaffRow{{Entry: appointments.Entry{ServiceName: "社保缴纳", State: "booked", Name: "张*", Phone: "138****5678"}, Time: "11:30–12:00", StateLabel: "已预约"}}, Counts: []codeName{{"booked", "待签到 1"}}},
		"counter":      counterView{Name: "1号综合窗口", Hall: hall, Services: names, Windows: names, Reasons: []codeName{{"break", "短暂休息"}}, MaxPause: 240},
		"supervisor":   supervisorView{Hall: hall},
		"speech_admin": speechAdminView{Editable: true},

		// back office, service guide and finder
		"guide_index": guideIndexView{Page: "index", Hall: gh, HasFinder: true, FinderURL: "/finder/1",
			Groups: []guideGroup{{Category: "社保", Services: []guideLink{gl}}}},
		"guide": guideView{Page: "service", Hall: gh, Name: "社保缴纳", KindName: "办理类", Windows: "1、2", KioskMode: true, BackURL: "/guide/1",
			Service: &org.Service{ID: 1, Prefix: "A", Kind: "handle", TimeLimitDays: 1, Fees: "免费", Description: "说明", Conditions: "条件",
				LegalBasis: "《社会保险法》", PlaceNote: "一楼", Materials: []org.Material{{Name: "居民身份证", Original: true, Copies: 1, Issuer: "公安机关", RequiredWhen: "首次"}}}},
		"finder": finderView{Page: "finder", Hall: gh, Question: "您要办理哪一类事项？", Options: []finderOption{{"社保", "/finder/1?path=0"}},
			Trail: []finderOption{{"社保", "/finder/1"}}, Found: &gl, BackURL: "/finder/1", IndexURL: "/guide/1", Searched: false},
		"admin_hub": adminView{Links: []adminLink{{"halls", "/admin/halls"}}},
		"admin":     adminView{Section: "services", Links: []adminLink{{"services", "/admin/services"}}, Halls: []codeName{{"1", "市民服务中心"}}, Hall: 1},
		// ratings and complaints
		"fb_pad":       feedbackView{Hall: hall, Window: "1号综合窗口"},
		"fb_rate":      feedbackView{Hall: hall},
		"fb_complain":  feedbackView{Hall: hall},
		"fb_complaint": feedbackView{},
		"fb_rect":      &feedback.RectPublic{Code: "R261125-ABCDE", State: "rectify", Level: 2, OpenedDay: "2026-11-25", ContactDue: "2026-11-26", Due: "2026-12-02"},
		"fb_work":      feedbackView{Hall: hall},
		"fb_figures":   feedbackView{Hall: hall},
		// Case files (办件).
		"notice": noticeView{Hall: hall, Case: &cases.Public{Number: "A260301-00001", State: cases.Correction},
			Notice: &cases.Notice{Reference: "告知-A260301-00001", Code: "ABCD2345", Service: "社保缴纳", LegalBasis: "《行政许可法》第三十二条",
				Items: []cases.NoticeItem{{Name: "身份证", Status: "missing", Original: true, Copies: 1}, {Name: "户口簿", Status: "faulty", Note: "页码不全", Copies: 2}}},
			Issued: "2026-03-01 10:00", QR: "/notice/ABCD2345/qr.png"},
		"case_list": caseListView{Hall: hall, States: []codeName{{"review", "审核受理"}}},
		// trust (issue 12)
		"kiosk_pair": kioskPairView{HallID: 1, HallName: "市民服务中心"},
		"devices": devicesView{HallID: 1, HallName: "市民服务中心", PairPath: "/kiosk/1/pair",
			Devices: []devices.Listed{{Device: devices.Device{ID: 1, HallID: 1, Kind: "kiosk", Name: "东门取号机"}, PairedBy: "sup1"}}},
	}
}()

func TestEveryViewRendersInEveryLanguage(t *testing.T) {
	if got, want := slices.Sorted(maps.Keys(viewSamples)), slices.Sorted(maps.Keys(views)); !slices.Equal(got, want) {
		t.Fatalf("samples for %v, views %v: give every view a sample", got, want)
	}
	admin := &staff.Actor{ID: 1, Name: "管理员", Role: staff.Admin}
	for name, v := range viewSamples {
		for _, lang := range i18n.Langs {
			for _, a := range []*staff.Actor{nil, admin} {
				p := newPage(httptest.NewRecorder(), httptest.NewRequest("GET", "/page?lang="+lang, nil), "app_name")
				p.Actor, p.V, p.Data = a, v, map[string]any{"hall": 1}
				b, err := execute(name, p)
				if err != nil {
					t.Errorf("%s (%s): %v", name, lang, err)
					continue
				}
				body := string(b)
				if !strings.Contains(body, `<html lang="`+htmlLang(lang)+`">`) || !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
					t.Errorf("%s (%s): not a whole page", name, lang)
				}
				if s := views[name].script; s != "" && !strings.Contains(body, "/static/"+s+"?v=") {
					t.Errorf("%s (%s): does not load %s", name, lang, s)
				}
			}
		}
	}
}

// A view naming a missing file, a template no view declares and a missing script each stop
// the program at start.
func TestViewDeclarationsCheckedAtStart(t *testing.T) {
	tfs := fstest.MapFS{}
	for _, f := range append(slices.Clone(layout), "site/home.html", "site/stray.html") {
		tfs["templates/"+f] = &fstest.MapFile{Data: []byte(`{{define "content"}}x{{end}}`)}
	}
	for _, f := range layout {
		tfs["templates/"+f] = &fstest.MapFile{Data: []byte(``)}
	}
	sfs := fstest.MapFS{"static/site/home.js": &fstest.MapFile{}}
	_, err := loadViews(tfs, sfs, map[string]view{
		"home": {file: "site/home.html", script: "site/home.js"},
		"gone": {file: "site/gone.html"},
		"nojs": {file: "site/home.html", script: "site/nojs.js"},
	})
	for _, want := range []string{"view gone", "template site/stray.html: no view declares it", "script site/nojs.js"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	if _, err := loadViews(templateFS, staticFS, views); err != nil {
		t.Fatal(err)
	}
}
