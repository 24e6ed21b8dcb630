package web

import (
	"net/http"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/org"
)

// kioskView is what the kiosk's template shows: the services by category, the priority
// classes, and whether the hall issues tickets now.
type kioskView struct {
	Hall       hallJS
	Groups     []kioskGroup
	Priorities []codeName
	Issuing    bool
}

type kioskService struct {
	ID                            int64
	Name, Prefix, Kind, KindLabel string
	Waiting                       int
}

type kioskGroup struct {
	Category string
	Services []kioskService
}

type materialJS struct {
	Name     string `json:"name"`
	Original bool   `json:"original"`
	Copies   int    `json:"copies"`
	When     string `json:"when,omitempty"`
}

type serviceJS struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	Prefix    string       `json:"prefix"`
	Materials []materialJS `json:"materials"`
}

func (s *Server) kioskPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h, err := s.hallFromPath(r)
	if err == nil && !h.Active { // retired by the back office
		err = apperr.New(apperr.NotFound, "hall_not_found", h.ID)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	svcs, err := org.Services(ctx, s.DB, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	prios, err := org.PriorityClasses(ctx, s.DB)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	st, err := s.Queue.State(ctx, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "page_kiosk")
	p.Class = "page-kiosk"
	waiting := map[int64]int{}
	for _, x := range st.Services {
		waiting[x.ID] = x.Waiting
	}
	var groups []kioskGroup
	at := map[string]int{}
	var svcJS []serviceJS
	for _, x := range svcs {
		cat := categoryName(p.Lang, x.Category)
		i, ok := at[cat]
		if !ok {
			i = len(groups)
			at[cat] = i
			groups = append(groups, kioskGroup{Category: cat})
		}
		name := localName(p.Lang, x.Name, x.NameEN)
		groups[i].Services = append(groups[i].Services, kioskService{ID: x.ID, Name: name, Prefix: x.Prefix, Kind: x.Kind,
			KindLabel: p.T("kiosk_kind_" + x.Kind), Waiting: waiting[x.ID]})
		sj := serviceJS{ID: x.ID, Name: name, Prefix: x.Prefix, Materials: []materialJS{}}
		for _, m := range x.Materials {
			sj.Materials = append(sj.Materials, materialJS{Name: localName(p.Lang, m.Name, ""), Original: m.Original, Copies: m.Copies,
				When: localName(p.Lang, m.RequiredWhen, "")})
		}
		svcJS = append(svcJS, sj)
	}
	var ps []codeName
	for _, x := range prios {
		ps = append(ps, codeName{x.Code, localName(p.Lang, x.Name, x.NameEN)})
	}
	hall := hallFor(p.Lang, h)
	p.Title = p.T("page_kiosk") + " · " + hall.Name
	p.V = kioskView{Hall: hall, Groups: groups, Priorities: ps, Issuing: st.Issuing}
	p.Data = map[string]any{"hall": hall, "services": svcJS, "autoprint": r.URL.Query().Get("autoprint") == "1", "return_seconds": 30}
	s.render(w, r, http.StatusOK, "kiosk", p)
}
