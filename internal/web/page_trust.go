package web

import (
	"fmt"
	"net/http"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/devices"
)

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

type devicesView struct {
	HallID   int64
	HallName string
	PairPath string
	Devices  []devices.Listed
}

// devicesPage lists a hall's paired kiosks and makes pairing codes.
func (s *Server) devicesPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if !authz.InHall(a, authz.DevicePair, h.ID) {
		s.pageError(w, r, apperr.New(apperr.Forbidden, "forbidden"))
		return
	}
	list, err := devices.List(r.Context(), s.DB, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "devices_title")
	p.Class, p.Actor = "page-home", &a
	p.V = devicesView{HallID: h.ID, HallName: localName(p.Lang, h.Name, h.NameEN), PairPath: fmt.Sprintf("/kiosk/%d/pair", h.ID), Devices: list}
	s.render(w, r, http.StatusOK, "devices", p)
}
