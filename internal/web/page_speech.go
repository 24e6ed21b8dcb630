package web

import (
	"net/http"

	"github.com/qhall/qhall/internal/authz"
)

type speechAdminView struct{ Editable bool }

// speechAdminPage is the service language library: admins edit, import and export it;
// supervisors read it and check texts.
func (s *Server) speechAdminPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	p := newPage(w, r, "speech_admin_title")
	p.Class, p.Actor = "page-speech", &a
	editable := authz.Has(a, authz.SpeechRulesEdit)
	p.V = speechAdminView{Editable: editable}
	p.Data = map[string]any{"editable": editable}
	s.render(w, r, http.StatusOK, "speech_admin", p)
}
