package web

import (
	"net/http"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/store"
)

// errorView: Public pages (a citizen's lost ticket, an unknown address) show no staff menu.
type errorView struct {
	Message string
	Public  bool
}

// pageError answers an error with a page: 404 and 403 with their message, anything else a 500
// that is logged (never with a citizen's token: routeOf cuts it out).
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	s.errorPage(w, r, err, false)
}

// publicError is pageError for citizens: the hall's style, no staff menu.
func (s *Server) publicError(w http.ResponseWriter, r *http.Request, err error) {
	s.errorPage(w, r, err, true)
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error, public bool) {
	status, title, msg := http.StatusInternalServerError, "page_error", "server_error"
	var args []any
	if e := apperr.As(err); e != nil {
		msg, args = e.Code, e.Args
		switch e.Kind {
		case apperr.NotFound:
			status, title = http.StatusNotFound, "page_not_found"
		case apperr.Forbidden:
			status, title = http.StatusForbidden, "page_forbidden"
		case apperr.Unauthorized:
			status, title = http.StatusUnauthorized, "login_required"
		default:
			status = http.StatusBadRequest
		}
		if e.Code == "bad_id" { // /kiosk/abc is a page that does not exist
			status, title = http.StatusNotFound, "page_not_found"
		}
	} else {
		s.Log.Error("page failed", "path", routeOf(r), "err", store.Redact(err))
	}
	p := newPage(w, r, title)
	p.Class = "page-error"
	p.V = errorView{Message: i18n.T(p.Lang, msg, args...), Public: public}
	if public {
		p.Actor = nil
	}
	s.render(w, r, status, "error", p)
}
