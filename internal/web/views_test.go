package web

import (
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/qhall/qhall/internal/devices"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/staff"
)

// viewSamples holds a representative view model for every declared view (as GoatCounter runs
// every template in a test), so a template that reads a field its model lacks fails here,
// not in front of a citizen.
var viewSamples = func() map[string]any {
	hall := hallJS{ID: 1, Number: 1, Name: "市民服务中心", TZ: "Asia/Shanghai", LongWaitMin: 30, MaxRecalls: 3}
	names := []nameJS{{ID: 1, Number: 1, Prefix: "A", Name: "1号综合窗口"}}
	return map[string]any{
		"home":  []hallLinks{{ID: 1, Number: 1, Name: "市民服务中心", Hours: "全天开放", Kiosk: "/kiosk/1", Display: "/display/1", Supr: "/supervisor/1"}},
		"error": errorView{Message: "没有编号为 9 的大厅"},
		"login": loginView{Next: "/counter/1"},
		"kiosk": kioskView{Hall: hall, Issuing: true, Priorities: []codeName{{"elderly", "老年人"}},
			Groups: []kioskGroup{{Category: "社保", Services: []kioskService{{ID: 1, Name: "社保缴纳", Prefix: "A", Kind: "handle", KindLabel: "办理类", Waiting: 2}}}}},
		"display":      displayView{Hall: hall, Windows: names},
		"ticket":       ticketView{Hall: hall, Number: "A001", Service: "社保缴纳", State: "等候中"},
		"counter_list": []counterHall{{Name: "市民服务中心", Windows: []counterWindow{{ID: 1, HallID: 1, Number: 1, Name: "1号综合窗口", State: "open", Clerk: "张三", Current: "A001", Mine: true}}}},
		"counter":      counterView{Name: "1号综合窗口", Hall: hall, Services: names, Windows: names, Reasons: []codeName{{"break", "短暂休息"}}, MaxPause: 240},
		"supervisor":   supervisorView{Hall: hall},
		"speech_admin": speechAdminView{Editable: true},
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
