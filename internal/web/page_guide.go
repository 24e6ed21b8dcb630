package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/org"
)

// The service guide (办事指南) and the finder (智能导办): public pages rendered on the server, so
// they work on a phone without a script and on the kiosk with large touch targets (?kiosk=1
// keeps the kiosk's frame and a way back to taking a ticket).

type guideLink struct {
	ID                     int64
	Name, Prefix, KindName string
	Days                   int
	URL                    string
}

type guideGroup struct {
	Category string
	Services []guideLink
}

type guideHall struct {
	ID                      int64
	Name, Address, Hours    string
	Phone, HoursNote, Kiosk string
}

type guideIndexView struct {
	Page      string // "index": the template's switch
	Hall      guideHall
	Groups    []guideGroup
	KioskMode bool
	FinderURL string
	HasFinder bool
}

type guideView struct {
	Page      string // "service"
	Hall      guideHall
	Service   *org.Service
	Name      string
	KindName  string
	Windows   string
	KioskMode bool
	BackURL   string
	Retired   bool
}

type finderOption struct{ Label, URL string }

type finderView struct {
	Page      string // "finder"
	Hall      guideHall
	KioskMode bool
	Query     string
	Searched  bool
	Results   []guideLink
	Question  string
	Options   []finderOption
	Trail     []finderOption // the answers given, each a link back to that step
	Found     *guideLink
	BackURL   string
	IndexURL  string
}

func kioskMode(r *http.Request) bool { return r.URL.Query().Get("kiosk") == "1" }

// withKiosk adds kiosk=1 to a page address when the citizen came from the kiosk.
func withKiosk(url string, kiosk bool) string {
	if !kiosk {
		return url
	}
	if strings.Contains(url, "?") {
		return url + "&kiosk=1"
	}
	return url + "?kiosk=1"
}

func (s *Server) guidePageBase(w http.ResponseWriter, r *http.Request, title string) (*page, *org.Hall, error) {
	h, err := s.hallFromPath(r)
	if err == nil && !h.Active {
		err = apperr.New(apperr.NotFound, "hall_not_found", h.ID)
	}
	if err != nil {
		return nil, nil, err
	}
	p := newPage(w, r, title)
	p.Class = "page-guide"
	if kioskMode(r) {
		p.Class = "page-guide page-guide-kiosk"
	}
	p.Actor = s.optionalStaff(r)
	return p, h, nil
}

func guideHallOf(lang string, h *org.Hall) guideHall {
	addr := h.Address
	if lang == i18n.EN && h.AddressEN != "" {
		addr = h.AddressEN
	}
	return guideHall{ID: h.ID, Name: localName(lang, h.Name, h.NameEN), Address: addr, Hours: hallHours(lang, h) + weekdaysText(lang, h),
		Phone: h.Phone, HoursNote: h.HoursNote, Kiosk: fmt.Sprintf("/kiosk/%d", h.ID)}
}

// weekdaysText names the days a hall is open when it is not every day.
func weekdaysText(lang string, h *org.Hall) string {
	if h.AlwaysOpen || h.Weekdays == "1234567" {
		return ""
	}
	var names []string
	for _, c := range h.Weekdays {
		names = append(names, i18n.T(lang, "weekday_"+string(c)))
	}
	return " · " + strings.Join(names, i18n.T(lang, "list_sep"))
}

func (s *Server) guideLinkOf(lang string, x *org.Service, kiosk bool) guideLink {
	return guideLink{ID: x.ID, Name: localName(lang, x.Name, x.NameEN), Prefix: x.Prefix, KindName: i18n.T(lang, "kiosk_kind_"+x.Kind),
		Days: x.TimeLimitDays, URL: withKiosk(fmt.Sprintf("/guide/%d/%d", x.HallID, x.ID), kiosk)}
}

func (s *Server) guideIndexPage(w http.ResponseWriter, r *http.Request) {
	p, h, err := s.guidePageBase(w, r, "guide_index_title")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	svcs, err := org.Services(r.Context(), s.DB, h.ID)
	var tree []*org.FinderNode
	if err == nil {
		tree, err = org.Finder(r.Context(), s.DB, h.ID)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	kiosk := kioskMode(r)
	v := guideIndexView{Page: "index", Hall: guideHallOf(p.Lang, h), KioskMode: kiosk, HasFinder: len(tree) > 0,
		FinderURL: withKiosk(fmt.Sprintf("/finder/%d", h.ID), kiosk)}
	at := map[string]int{}
	for _, x := range svcs {
		cat := categoryName(p.Lang, x.Category)
		i, ok := at[cat]
		if !ok {
			i = len(v.Groups)
			at[cat] = i
			v.Groups = append(v.Groups, guideGroup{Category: cat})
		}
		v.Groups[i].Services = append(v.Groups[i].Services, s.guideLinkOf(p.Lang, x, kiosk))
	}
	p.V = v
	s.render(w, r, http.StatusOK, "guide_index", p)
}

func (s *Server) guidePage(w http.ResponseWriter, r *http.Request) {
	p, h, err := s.guidePageBase(w, r, "guide_title")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	id, err := pathID(r, "service")
	var g *org.Guide
	if err == nil {
		g, err = org.GetGuide(r.Context(), s.DB, id)
	}
	if err == nil && g.Service.HallID != h.ID {
		err = apperr.New(apperr.NotFound, "service_not_found", id)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	kiosk := kioskMode(r)
	var wins []string
	for _, n := range g.Windows {
		wins = append(wins, strconv.Itoa(n))
	}
	name := localName(p.Lang, g.Service.Name, g.Service.NameEN)
	p.Title = name + " · " + p.T("guide_title")
	p.V = guideView{Page: "service", Hall: guideHallOf(p.Lang, h), Service: g.Service, Name: name, KindName: p.T("kiosk_kind_" + g.Service.Kind),
		Windows: strings.Join(wins, p.T("list_sep")), KioskMode: kiosk, Retired: !g.Service.Active,
		BackURL: withKiosk(fmt.Sprintf("/guide/%d", h.ID), kiosk)}
	s.render(w, r, http.StatusOK, "guide", p)
}

// finderPage walks the hall's tree (?path=0.2: the first answer's third answer) or shows what a
// search (?q=) finds.
func (s *Server) finderPage(w http.ResponseWriter, r *http.Request) {
	p, h, err := s.guidePageBase(w, r, "finder_title")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ctx := r.Context()
	svcs, err := org.Services(ctx, s.DB, h.ID)
	var tree []*org.FinderNode
	if err == nil {
		tree, err = org.Finder(ctx, s.DB, h.ID)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	kiosk := kioskMode(r)
	base := fmt.Sprintf("/finder/%d", h.ID)
	v := finderView{Page: "finder", Hall: guideHallOf(p.Lang, h), KioskMode: kiosk, IndexURL: withKiosk(fmt.Sprintf("/guide/%d", h.ID), kiosk)}
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" {
		v.Query, v.Searched = q, true
		for _, x := range org.Search(svcs, q) {
			v.Results = append(v.Results, s.guideLinkOf(p.Lang, x, kiosk))
		}
	}
	var answers []int
	if ps := r.URL.Query().Get("path"); ps != "" {
		for _, part := range strings.Split(ps, ".") {
			n, err := strconv.Atoi(part)
			if err != nil {
				s.pageError(w, r, apperr.New(apperr.NotFound, "finder_step_not_found"))
				return
			}
			answers = append(answers, n)
		}
	}
	node, ok := org.Walk(tree, answers)
	if !ok {
		s.pageError(w, r, apperr.New(apperr.NotFound, "finder_step_not_found"))
		return
	}
	byID := map[int64]*org.Service{}
	for _, x := range svcs {
		byID[x.ID] = x
	}
	pathOf := func(a []int) string {
		parts := make([]string, len(a))
		for i, n := range a {
			parts[i] = strconv.Itoa(n)
		}
		return strings.Join(parts, ".")
	}
	for i := range answers {
		n, _ := org.Walk(tree, answers[:i+1])
		v.Trail = append(v.Trail, finderOption{Label: n.Label, URL: withKiosk(base+"?path="+pathOf(answers[:i]), kiosk)})
	}
	v.Question, v.Options = p.T("finder_first_question"), nil
	children := tree
	if node != nil {
		children = node.Children
		if node.Question != "" {
			v.Question = node.Question
		}
		if x := byID[node.Service]; node.Service != 0 && x != nil {
			l := s.guideLinkOf(p.Lang, x, kiosk)
			v.Found = &l
		}
		v.BackURL = withKiosk(base+"?path="+pathOf(answers[:len(answers)-1]), kiosk)
	}
	for i, c := range children {
		if c.Service != 0 && byID[c.Service] == nil {
			continue // retired since the tree was made
		}
		v.Options = append(v.Options, finderOption{Label: c.Label, URL: withKiosk(base+"?path="+pathOf(append(append([]int{}, answers...), i)), kiosk)})
	}
	p.V = v
	s.render(w, r, http.StatusOK, "finder", p)
}
