package web

import (
	"net/http"
	"strings"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
)

// hallFixRoutes: what people met in the hall — an unknown address gets a page in the hall's
// style (and the API a JSON 404), never Go's bare "404 page not found".
func (s *Server) hallFixRoutes() []route {
	return []route{
		{"GET /api/v1/halls/{hall}/today", authz.HallMonitor, false, s.hallToday},
		{"GET /api/v1/halls/{hall}/today/me", authz.WindowRead, false, s.myToday},
		{"/", authz.Public, true, s.notFound},
	}
}

// hallToday: the day's figures per service and per clerk, for the supervisor.
func (s *Server) hallToday(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err == nil && !authz.WholeHall(actor(r), authz.HallMonitor, h.ID) {
		err = apperr.New(apperr.Forbidden, "forbidden")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	day, err := s.Queue.Today(r.Context(), h.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, day)
}

// myToday: the caller's own figures of the day in a hall, for their counter.
func (s *Server) myToday(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err == nil && !authz.InHall(actor(r), authz.WindowRead, h.ID) {
		err = apperr.New(apperr.Forbidden, "window_of_other_hall")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mine, err := s.Queue.ClerkToday(r.Context(), h.ID, actor(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, mine)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	// The catch-all takes every method, so an unknown path is a 404 whatever the method; a known
	// path asked with a method it lacks is still a 405, as the mux says without a catch-all.
	if allow := s.otherMethods(r); len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.fail(w, r, apperr.New(apperr.NotFound, "page_missing"))
		return
	}
	s.publicError(w, r, apperr.New(apperr.NotFound, "page_missing"))
}

// otherMethods are the methods a route other than the catch-all has for r's path.
func (s *Server) otherMethods(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if m == r.Method || (m == http.MethodGet && r.Method == http.MethodHead) {
			continue
		}
		r2 := r.Clone(r.Context())
		r2.Method = m
		if _, p := s.mux.Handler(r2); p != "" && p != "/" {
			out = append(out, m)
		}
	}
	return out
}
