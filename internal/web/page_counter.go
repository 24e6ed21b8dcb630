package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
)

type counterWindow struct {
	ID, HallID         int64
	Number             int
	Name, State, Clerk string
	Current            string
	Mine               bool
}

type counterHall struct {
	Name    string
	Windows []counterWindow
}

func (s *Server) counterListPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	ctx := r.Context()
	hs, err := org.Halls(ctx, s.DB)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	mine, err := s.staffWindows(ctx, a.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	// Straight after sign-in a clerk goes to their own window: the one they sit at, else their
	// only home window.
	if r.URL.Query().Get("mine") == "1" {
		if id, ok := ownWindow(mine); ok {
			http.Redirect(w, r, fmt.Sprintf("/counter/%d", id), http.StatusSeeOther)
			return
		}
	}
	p := newPage(w, r, "counter_title")
	p.Class, p.Actor = "page-counter-list", &a
	var out []counterHall
	for _, h := range hs {
		if !authz.InHall(a, authz.WindowRead, h.ID) {
			continue
		}
		st, err := s.Queue.State(ctx, h.ID)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		ch := counterHall{Name: localName(p.Lang, h.Name, h.NameEN)}
		for _, x := range st.Windows {
			cw := counterWindow{ID: x.ID, HallID: h.ID, Number: x.Number, Name: windowName(p.Lang, x.Number, x.Name),
				State: x.State, Clerk: localName(p.Lang, x.Clerk, ""), Current: x.Current}
			_, cw.Mine = mine[x.ID]
			ch.Windows = append(ch.Windows, cw)
		}
		// the clerk's own windows first (the one they work at, then their home window)
		sort.SliceStable(ch.Windows, func(i, j int) bool {
			ri, rj := rank(mine, ch.Windows[i].ID), rank(mine, ch.Windows[j].ID)
			return ri < rj
		})
		out = append(out, ch)
	}
	p.V = out
	s.render(w, r, http.StatusOK, "counter_list", p)
}

// ownWindow is the window one works at now, else one's single home window.
func ownWindow(mine map[int64]int) (int64, bool) {
	var home []int64
	for id, r := range mine {
		if r == 0 {
			return id, true
		}
		home = append(home, id)
	}
	if len(home) == 1 {
		return home[0], true
	}
	return 0, false
}

func rank(mine map[int64]int, id int64) int {
	if r, ok := mine[id]; ok {
		return r
	}
	return 9
}

// staffWindows are the windows a staff member works at now (rank 0) and their home windows
// (rank 1).
func (s *Server) staffWindows(ctx context.Context, staff int64) (map[int64]int, error) {
	home, err := org.HomeWindows(ctx, s.DB, staff)
	if err != nil {
		return nil, err
	}
	now, err := queue.WindowsOf(ctx, s.DB, staff)
	if err != nil {
		return nil, err
	}
	out := map[int64]int{}
	for _, id := range home {
		out[id] = 1
	}
	for _, id := range now {
		out[id] = 0
	}
	return out, nil
}

// counterView is what the counter's template shows.
type counterView struct {
	Name              string
	Hall              hallJS
	Services, Windows []nameJS
	Reasons           []codeName // the pause reasons
	MaxPause          int
}

func (s *Server) counterPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	ctx := r.Context()
	id, err := pathID(r, "window")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v, err := s.Queue.Window(ctx, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if !authz.InHall(a, authz.WindowRead, v.HallID) { // as GET /api/v1/windows/{window}
		s.pageError(w, r, apperr.New(apperr.Forbidden, "window_of_other_hall"))
		return
	}
	h, err := org.GetHall(ctx, s.DB, v.HallID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "counter_title")
	svcs, wins, err := s.hallNames(ctx, p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Class, p.Actor = "page-counter", &a
	name := windowName(p.Lang, v.Window.Number, v.Window.Name)
	p.Title = name + " · " + p.T("counter_title")
	var reasons []codeName
	for _, c := range queue.PauseReasons {
		reasons = append(reasons, codeName{c, p.T("reason_" + c)})
	}
	hall := hallFor(p.Lang, h)
	prios, err := org.PriorityClasses(ctx, s.DB)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	prioName := map[string]string{}
	for _, x := range prios {
		prioName[x.Code] = localName(p.Lang, x.Name, x.NameEN)
	}
	p.V = counterView{Name: name, Hall: hall, Services: svcs, Windows: wins, Reasons: reasons, MaxPause: queue.MaxPauseMinutes}
	p.Data = map[string]any{"window": map[string]any{"id": v.Window.ID, "number": v.Window.Number, "name": name}, "hall": hall,
		"services": svcs, "windows": wins, "priorities": prioName, "me": map[string]string{"name": localName(p.Lang, a.Name, ""), "role": string(a.Role)}}
	s.render(w, r, http.StatusOK, "counter", p)
}
