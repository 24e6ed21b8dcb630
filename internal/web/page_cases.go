package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/cases"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/qr"
)

// The addons of case files on other areas' pages: the counter's case panel, the case on the
// citizen's ticket page, and "凭告知书取号" on the kiosk.
var (
	casePanel = addon{part: "cases/case_panel.html", script: "cases/case_panel.js", keys: []string{
		"case_at_dept", "case_checked", "case_copy", "case_due", "case_f_*", "case_handed_off", "case_handoff",
		"case_issue_notice", "case_mat_*", "case_note", "case_notice_issued", "case_original", "case_pending", "case_print_notice",
		"case_reason_*", "case_resumed", "case_returns_n", "case_state_*", "case_step_*"}}
	ticketCase  = addon{part: "cases/ticket_case.html", script: "cases/ticket_case.js", keys: []string{"case_due", "case_state_*"}}
	kioskNotice = addon{part: "cases/kiosk_notice.html", script: "cases/kiosk_notice.js"}
)

// noticeView is the printable one-time notice.
type noticeView struct {
	Hall    hallJS
	Case    *cases.Public
	Notice  *cases.Notice
	Issued  string
	QR      string // the QR image's address
	Address string // what the QR code opens
}

// noticePage is the one-time notice (一次性告知书), printable on A4; public to whoever holds its
// unguessable code (the citizen, by the QR code on the paper) and to staff.
func (s *Server) noticePage(w http.ResponseWriter, r *http.Request) {
	code := cases.NormalizeCode(r.PathValue("code"))
	pub, hallID, err := s.Cases.NoticeByCode(r.Context(), code)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	h, err := org.GetHall(r.Context(), s.DB, hallID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if pub.Notice == nil {
		s.pageError(w, r, apperr.New(apperr.NotFound, "notice_not_found"))
		return
	}
	p := newPage(w, r, "notice_title")
	p.Class = "page-notice"
	hall := hallFor(p.Lang, h)
	p.Title = p.T("notice_title") + " · " + pub.Notice.Reference
	issued := time.UnixMilli(pub.Notice.IssuedAt).In(h.Location()).Format("2006-01-02 15:04")
	p.V = noticeView{Hall: hall, Case: pub, Notice: pub.Notice, Issued: issued, QR: "/notice/" + url.PathEscape(code) + "/qr.png",
		Address: baseURL(s, r) + "/notice/" + url.PathEscape(code)}
	s.render(w, r, http.StatusOK, "notice", p)
}

// noticeQR is the QR code printed on the notice: the address of the notice's page, where the
// citizen follows the case.
func (s *Server) noticeQR(w http.ResponseWriter, r *http.Request) {
	code := cases.NormalizeCode(r.PathValue("code"))
	if _, _, err := s.Cases.NoticeByCode(r.Context(), code); err != nil {
		if e := apperr.As(err); e != nil && e.Kind == apperr.NotFound {
			http.NotFound(w, r)
			return
		}
		s.fail(w, r, err)
		return
	}
	png, err := qr.PNG(baseURL(s, r)+"/notice/"+url.PathEscape(code), 6)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Write(png)
}

// baseURL is the address citizens reach qhall at: the configured one, else this request's.
func baseURL(s *Server, r *http.Request) string {
	if b := strings.TrimRight(s.BaseURL, "/"); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// caseListView is the work list of a hall's cases (the supervisor) or a department's (a handler).
type caseListView struct {
	Hall   hallJS
	States []codeName
}

func (s *Server) caseListPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if !authz.InHall(a, authz.CaseMonitor, h.ID) && !authz.InHall(a, authz.CaseRead, h.ID) {
		s.pageError(w, r, apperr.New(apperr.Forbidden, "case_of_other_hall"))
		return
	}
	p := newPage(w, r, "caselist_title")
	p.Class, p.Actor = "page-cases", &a
	hall := hallFor(p.Lang, h)
	p.Title = p.T("caselist_title") + " · " + hall.Name
	var states []codeName
	for _, st := range cases.States {
		states = append(states, codeName{string(st), p.T("case_state_" + string(st))})
	}
	_, wins, err := s.hallNames(r.Context(), p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.V = caseListView{Hall: hall, States: states}
	p.Data = map[string]any{"hall": hall, "windows": wins, "can": map[string]bool{
		"assign": authz.InHall(a, authz.CaseWork, h.ID), "extend": authz.InHall(a, authz.CaseExtend, h.ID)}}
	s.render(w, r, http.StatusOK, "case_list", p)
}
