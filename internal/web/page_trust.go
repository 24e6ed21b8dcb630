package web

import "net/http"

type kioskPairView struct {
	HallID   int64
	HallName string
}

// kioskPairPage is where a supervisor, standing at a kiosk, types the pairing code made for it.
func (s *Server) kioskPairPage(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "pair_title")
	p.Class = "page-login"
	p.V = kioskPairView{HallID: h.ID, HallName: localName(p.Lang, h.Name, h.NameEN)}
	s.render(w, r, http.StatusOK, "kiosk_pair", p)
}
