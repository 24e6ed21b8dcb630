package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/org"
)

type ticketView struct {
	Hall                   hallJS
	Number, Service, State string
	Guide                  string // the service's guide (办事指南)
	Hours                  string
	Materials              []string // what to bring, each with original/copies
}

// ticketPage is the citizen's page, reached by the QR code on the ticket.
func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := s.Queue.Status(ctx, r.PathValue("token"))
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	h, err := org.GetHall(ctx, s.DB, t.HallID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "ticket_title")
	p.Class = "page-ticket"
	svcs, wins, err := s.hallNames(ctx, p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	hall := hallFor(p.Lang, h)
	svcName := localName(p.Lang, t.ServiceName, "")
	for _, x := range svcs {
		if x.ID == t.ServiceID {
			svcName = x.Name
		}
	}
	all, err := org.Services(ctx, s.DB, h.ID) // with their materials
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var mats []string
	for _, m := range materialsOf(all, t.ServiceID) {
		line := localName(p.Lang, m.Name, "")
		if m.Original {
			line += " · " + p.T("kiosk_original")
		}
		if m.Copies > 0 {
			line += " · " + p.T("kiosk_copy") + " " + p.T("kiosk_copies", m.Copies)
		}
		mats = append(mats, line)
	}
	hours := hallHours(p.Lang, h)
	p.V = ticketView{Hall: hall, Number: t.Number, Service: svcName, State: p.T("state_" + t.State), Hours: hours, Materials: mats,
		Guide: fmt.Sprintf("/guide/%d/%d", t.HallID, t.ServiceID)}
	p.Data = map[string]any{"token": t.Token, "hall": hall, "ticket": t, "services": svcs, "windows": wins}
	s.render(w, r, http.StatusOK, "ticket", p)
}

// ticketQR is the QR code printed on a ticket: the address of the citizen's page.
func (s *Server) ticketQR(w http.ResponseWriter, r *http.Request) {
	t, err := s.Queue.Status(r.Context(), r.PathValue("token"))
	if err != nil {
		if e := apperr.As(err); e != nil && e.Kind == apperr.NotFound {
			http.NotFound(w, r)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.serveQR(w, r, "/t/"+url.PathEscape(t.Token))
}

func materialsOf(svcs []*org.Service, id int64) []org.Material {
	for _, x := range svcs {
		if x.ID == id {
			return x.Materials
		}
	}
	return nil
}
