package web

import (
	"net/http"
	"net/url"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/org"
)

type ticketView struct {
	Hall                   hallJS
	Number, Service, State string
}

// ticketPage is the citizen's page, reached by the QR code on the ticket.
func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := s.Queue.Status(ctx, r.PathValue("token"))
	if err != nil {
		s.pageError(w, r, err)
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
	p.V = ticketView{Hall: hall, Number: t.Number, Service: svcName, State: p.T("state_" + t.State)}
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
