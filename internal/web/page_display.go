package web

import (
	"net/http"

	"github.com/qhall/qhall/internal/i18n"
)

type displayView struct {
	Hall    hallJS
	Windows []nameJS
}

func (s *Server) displayPage(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "page_display")
	svcs, wins, err := s.hallNames(r.Context(), p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Class = "page-display"
	hall := hallFor(p.Lang, h)
	p.Title = p.T("page_display") + " · " + hall.Name
	p.V = displayView{Hall: hall, Windows: wins}
	p.Data = map[string]any{"hall": hall, "windows": wins, "services": svcs, "speech_lang": map[string]string{i18n.Hans: "zh-CN", i18n.Hant: "zh-TW", i18n.EN: "en-US"}[p.Lang],
		"sound": r.URL.Query().Get("sound") != "off"}
	s.render(w, r, http.StatusOK, "display", p)
}
