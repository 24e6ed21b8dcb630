package web

import (
	"net/http"
	"net/url"
	"strings"
)

// localPath accepts only a path of this site (no scheme, no host, no "//evil"), for ?next=.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return next
}

type loginView struct{ Next string }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "login_title")
	p.Class, p.Actor = "page-login", s.optionalStaff(r)
	next := localPath(r.URL.Query().Get("next"))
	p.Data = map[string]string{"next": next}
	p.V = loginView{Next: next}
	s.render(w, r, http.StatusOK, "login", p)
}
