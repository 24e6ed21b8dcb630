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
		{"GET /", authz.Public, true, s.notFound},
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.fail(w, r, apperr.New(apperr.NotFound, "page_missing"))
		return
	}
	s.publicError(w, r, apperr.New(apperr.NotFound, "page_missing"))
}
