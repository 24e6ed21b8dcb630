package web

import (
	"fmt"
	"net/http"

	"github.com/qhall/qhall/internal/org"
)

type hallLinks struct {
	ID                   int64
	Number               int
	Name, Hours          string
	Kiosk, Display, Supr string
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	hs, err := org.Halls(r.Context(), s.DB)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "index_title")
	p.Class, p.Actor = "page-home", s.optionalStaff(r)
	var halls []hallLinks
	for _, h := range hs {
		halls = append(halls, hallLinks{ID: h.ID, Number: h.Number, Name: localName(p.Lang, h.Name, h.NameEN), Hours: hallHours(p.Lang, h),
			Kiosk: fmt.Sprintf("/kiosk/%d", h.ID), Display: fmt.Sprintf("/display/%d", h.ID), Supr: fmt.Sprintf("/supervisor/%d", h.ID)})
	}
	p.V = halls
	s.render(w, r, http.StatusOK, "home", p)
}
