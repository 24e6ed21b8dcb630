package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
)

// The pages are server-rendered shells (html/template) with a small plain script each; the
// scripts read the JSON API and the hall's event stream. Everything is embedded in the binary and
// works offline: no CDN, no web fonts, no build step.

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// staticVersion is a hash of every static file; asset URLs carry it, so they may be cached for
// a year and still change with each release.
var staticVersion = func() string {
	h := sha256.New()
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		io.WriteString(h, p)
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

func staticURL(name string) string { return "/static/" + name + "?v=" + staticVersion }

var pageTemplates = func() map[string]*template.Template {
	names := []string{"home", "login", "kiosk", "display", "counter_list", "counter", "ticket", "supervisor", "speech_admin", "error"}
	out := make(map[string]*template.Template, len(names))
	for _, n := range names {
		out[n] = template.Must(template.New(n).Funcs(template.FuncMap{"static": staticURL}).
			ParseFS(templateFS, "templates/base.html", "templates/"+n+".html"))
	}
	return out
}()

// static serves the embedded static files.
func (s *Server) static(mux *http.ServeMux) {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	mux.HandleFunc("GET /static/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") == staticVersion {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}

// --- rendering ----------------------------------------------------------------------------

// page is what every template gets: the language, the title, the signed-in staff (if any), the
// page's own values (V) and the JSON handed to its script (Data).
type page struct {
	Lang   string
	Title  string
	Class  string // class of <body>
	Script string // the page's script in /static/
	Actor  *staff.Actor
	V      any
	Data   any

	langs []langLink
}

type langLink struct {
	Code, Name, HTMLLang, URL string
	Current                   bool
}

var langShort = map[string]string{i18n.Hans: "简体", i18n.Hant: "繁體", i18n.EN: "English"}

// T is a message in the page's language.
func (p *page) T(key string, args ...any) string { return i18n.T(p.Lang, key, args...) }

// HTMLLang is the value of <html lang>.
func (p *page) HTMLLang() string { return htmlLang(p.Lang) }

// Langs are the links of the language switch.
func (p *page) Langs() []langLink { return p.langs }

// Messages is the page language's dictionary, for the script.
func (p *page) Messages() map[string]string { return i18n.All(p.Lang) }

func htmlLang(l string) string {
	switch l {
	case i18n.Hant:
		return "zh-TW"
	case i18n.EN:
		return "en"
	}
	return "zh-CN"
}

// newPage picks the language (and remembers a choice made with ?lang= in the qhall_lang cookie).
func newPage(w http.ResponseWriter, r *http.Request, titleKey string, titleArgs ...any) *page {
	lang := i18n.Pick(r)
	if strings.HasPrefix(r.URL.Path, "/kiosk/") || strings.HasPrefix(r.URL.Path, "/display/") {
		lang = i18n.PickPublic(r)
	}
	if r.URL.Query().Get("lang") != "" {
		http.SetCookie(w, &http.Cookie{Name: "qhall_lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	}
	p := &page{Lang: lang}
	p.Title = p.T(titleKey, titleArgs...)
	for _, l := range i18n.Langs {
		q := r.URL.Query()
		q.Set("lang", l)
		p.langs = append(p.langs, langLink{Code: l, Name: langShort[l], HTMLLang: htmlLang(l),
			URL: r.URL.Path + "?" + q.Encode(), Current: l == lang})
	}
	return p
}

// render executes a page into a buffer first, so a template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	var buf bytes.Buffer
	if err := pageTemplates[name].ExecuteTemplate(&buf, "base", p); err != nil {
		s.Log.Error("render page", "page", name, "path", routeOf(r), "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	// The citizen page's address holds its ticket's token: never hand it on as a referrer.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageError answers an error with a page: 404 and 403 with their message, anything else a 500
// that is logged (never with a citizen's token: routeOf cuts it out).
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
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
		s.Log.Error("page failed", "path", routeOf(r), "err", err)
	}
	p := newPage(w, r, title)
	p.Class = "page-error"
	p.V = map[string]string{"Message": i18n.T(p.Lang, msg, args...)}
	s.render(w, r, status, "error", p)
}

// pageRequire is require for pages: a stranger is sent to the sign-in page (which comes back
// here when done), a staff member without the permission gets the 403 page.
func (s *Server) pageRequire(perm authz.Permission, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := s.Auth.Lookup(r.Context(), sessionToken(r))
		if e := apperr.As(err); e != nil && e.Kind == apperr.Unauthorized {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		if !authz.Has(*a, perm) {
			s.pageError(w, r, apperr.New(apperr.Forbidden, "forbidden"))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), actorKey, a)))
	}
}

// optionalStaff is the signed-in staff member or nil, for pages anyone may see.
func (s *Server) optionalStaff(r *http.Request) *staff.Actor {
	if sessionToken(r) == "" {
		return nil
	}
	a, err := s.Auth.Lookup(r.Context(), sessionToken(r))
	if err != nil {
		return nil
	}
	return a
}

// --- names in the page's language ---------------------------------------------------------

func localName(lang, zh, en string) string {
	switch lang {
	case i18n.EN:
		if en != "" {
			return en
		}
	case i18n.Hant:
		return i18n.ToHant(zh)
	}
	return zh
}

// windowName: windows are named in Chinese only ("3号综合窗口"); English pages say "Window 3".
func windowName(lang string, number int, name string) string {
	if lang == i18n.EN {
		return i18n.T(lang, "window_n", number)
	}
	return localName(lang, name, "")
}

func categoryName(lang, c string) string {
	if i18n.Has("cat_" + c) {
		return i18n.T(lang, "cat_"+c)
	}
	return localName(lang, c, "")
}

func hallHours(lang string, h *org.Hall) string {
	if h.AlwaysOpen {
		return i18n.T(lang, "open_24h")
	}
	return i18n.T(lang, "office_hours", h.OpenTime, h.CloseTime)
}

// hallJS is a hall as the scripts need it.
type hallJS struct {
	ID          int64  `json:"id"`
	Number      int    `json:"number"`
	Name        string `json:"name"`
	TZ          string `json:"tz"`
	LongWaitMin int    `json:"long_wait_minutes"`
	MaxRecalls  int    `json:"max_recalls"`
}

func hallFor(lang string, h *org.Hall) hallJS {
	return hallJS{ID: h.ID, Number: h.Number, Name: localName(lang, h.Name, h.NameEN), TZ: h.Location().String(),
		LongWaitMin: h.LongWaitMin, MaxRecalls: h.MaxRecalls}
}

type nameJS struct {
	ID     int64  `json:"id"`
	Number int    `json:"number,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Name   string `json:"name"`
}

func (s *Server) hallNames(ctx context.Context, lang string, hall int64) (svcs, wins []nameJS, err error) {
	ss, err := org.Services(ctx, s.DB, hall)
	if err != nil {
		return nil, nil, err
	}
	ws, err := org.Windows(ctx, s.DB, hall)
	if err != nil {
		return nil, nil, err
	}
	svcs, wins = []nameJS{}, []nameJS{}
	for _, x := range ss {
		svcs = append(svcs, nameJS{ID: x.ID, Prefix: x.Prefix, Name: localName(lang, x.Name, x.NameEN)})
	}
	for _, x := range ws {
		wins = append(wins, nameJS{ID: x.ID, Number: x.Number, Name: windowName(lang, x.Number, x.Name)})
	}
	return svcs, wins, nil
}

// --- the pages ----------------------------------------------------------------------------

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

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "login_title")
	p.Class, p.Script, p.Actor = "page-login", "login.js", s.optionalStaff(r)
	next := localPath(r.URL.Query().Get("next"))
	p.Data = map[string]string{"next": next}
	p.V = map[string]string{"Next": next}
	s.render(w, r, http.StatusOK, "login", p)
}

type kioskService struct {
	ID                            int64
	Name, Prefix, Kind, KindLabel string
	Waiting                       int
}

type kioskGroup struct {
	Category string
	Services []kioskService
}

type materialJS struct {
	Name     string `json:"name"`
	Original bool   `json:"original"`
	Copies   int    `json:"copies"`
	When     string `json:"when,omitempty"`
}

type serviceJS struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	Prefix    string       `json:"prefix"`
	Materials []materialJS `json:"materials"`
}

func (s *Server) kioskPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	svcs, err := org.Services(ctx, s.DB, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	prios, err := org.PriorityClasses(ctx, s.DB)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	st, err := s.Queue.State(ctx, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "page_kiosk")
	p.Class, p.Script = "page-kiosk", "kiosk.js"
	waiting := map[int64]int{}
	for _, x := range st.Services {
		waiting[x.ID] = x.Waiting
	}
	var groups []kioskGroup
	at := map[string]int{}
	var svcJS []serviceJS
	for _, x := range svcs {
		cat := categoryName(p.Lang, x.Category)
		i, ok := at[cat]
		if !ok {
			i = len(groups)
			at[cat] = i
			groups = append(groups, kioskGroup{Category: cat})
		}
		name := localName(p.Lang, x.Name, x.NameEN)
		groups[i].Services = append(groups[i].Services, kioskService{ID: x.ID, Name: name, Prefix: x.Prefix, Kind: x.Kind,
			KindLabel: p.T("kiosk_kind_" + x.Kind), Waiting: waiting[x.ID]})
		sj := serviceJS{ID: x.ID, Name: name, Prefix: x.Prefix, Materials: []materialJS{}}
		for _, m := range x.Materials {
			sj.Materials = append(sj.Materials, materialJS{Name: localName(p.Lang, m.Name, ""), Original: m.Original, Copies: m.Copies,
				When: localName(p.Lang, m.RequiredWhen, "")})
		}
		svcJS = append(svcJS, sj)
	}
	type prio struct{ Code, Name string }
	var ps []prio
	for _, x := range prios {
		ps = append(ps, prio{x.Code, localName(p.Lang, x.Name, x.NameEN)})
	}
	hall := hallFor(p.Lang, h)
	p.Title = p.T("page_kiosk") + " · " + hall.Name
	p.V = map[string]any{"Hall": hall, "Groups": groups, "Priorities": ps, "Issuing": st.Issuing}
	p.Data = map[string]any{"hall": hall, "services": svcJS, "autoprint": r.URL.Query().Get("autoprint") == "1", "return_seconds": 30}
	s.render(w, r, http.StatusOK, "kiosk", p)
}

func (s *Server) displayPage(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "page_display")
	_, wins, err := s.hallNames(r.Context(), p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Class, p.Script = "page-display", "display.js"
	hall := hallFor(p.Lang, h)
	p.Title = p.T("page_display") + " · " + hall.Name
	p.V = map[string]any{"Hall": hall, "Windows": wins}
	p.Data = map[string]any{"hall": hall, "windows": wins, "speech_lang": map[string]string{i18n.Hans: "zh-CN", i18n.Hant: "zh-TW", i18n.EN: "en-US"}[p.Lang],
		"sound": r.URL.Query().Get("sound") != "off"}
	s.render(w, r, http.StatusOK, "display", p)
}

type counterWindow struct {
	ID, HallID         int64
	Number             int
	Name, State, Clerk string
	Current            string
	Mine               bool
}

type counterHall struct {
	Name    string
	Windows []counterWindow
}

func (s *Server) counterListPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	ctx := r.Context()
	hs, err := org.Halls(ctx, s.DB)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	mine, err := s.staffWindows(ctx, a.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "counter_title")
	p.Class, p.Actor = "page-counter-list", &a
	var out []counterHall
	for _, h := range hs {
		if !authz.InHall(a, authz.WindowRead, h.ID) {
			continue
		}
		st, err := s.Queue.State(ctx, h.ID)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		ch := counterHall{Name: localName(p.Lang, h.Name, h.NameEN)}
		for _, x := range st.Windows {
			cw := counterWindow{ID: x.ID, HallID: h.ID, Number: x.Number, Name: windowName(p.Lang, x.Number, x.Name),
				State: x.State, Clerk: localName(p.Lang, x.Clerk, ""), Current: x.Current}
			_, cw.Mine = mine[x.ID]
			ch.Windows = append(ch.Windows, cw)
		}
		// the clerk's own windows first (the one they work at, then their home window)
		sort.SliceStable(ch.Windows, func(i, j int) bool {
			ri, rj := rank(mine, ch.Windows[i].ID), rank(mine, ch.Windows[j].ID)
			return ri < rj
		})
		out = append(out, ch)
	}
	p.V = out
	s.render(w, r, http.StatusOK, "counter_list", p)
}

func rank(mine map[int64]int, id int64) int {
	if r, ok := mine[id]; ok {
		return r
	}
	return 9
}

// staffWindows are the windows a staff member works at now (rank 0) and their home windows
// (rank 1).
func (s *Server) staffWindows(ctx context.Context, staff int64) (map[int64]int, error) {
	home, err := org.HomeWindows(ctx, s.DB, staff)
	if err != nil {
		return nil, err
	}
	now, err := queue.WindowsOf(ctx, s.DB, staff)
	if err != nil {
		return nil, err
	}
	out := map[int64]int{}
	for _, id := range home {
		out[id] = 1
	}
	for _, id := range now {
		out[id] = 0
	}
	return out, nil
}

func (s *Server) counterPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	ctx := r.Context()
	id, err := pathID(r, "window")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v, err := s.Queue.Window(ctx, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if !authz.InHall(a, authz.WindowRead, v.HallID) { // as GET /api/v1/windows/{window}
		s.pageError(w, r, apperr.New(apperr.Forbidden, "window_of_other_hall"))
		return
	}
	h, err := org.GetHall(ctx, s.DB, v.HallID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "counter_title")
	svcs, wins, err := s.hallNames(ctx, p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Class, p.Script, p.Actor = "page-counter", "counter.js", &a
	name := windowName(p.Lang, v.Window.Number, v.Window.Name)
	p.Title = name + " · " + p.T("counter_title")
	type reason struct{ Code, Name string }
	var reasons []reason
	for _, c := range []string{"break", "phone", "meeting", "material", "equipment", "other"} {
		reasons = append(reasons, reason{c, p.T("reason_" + c)})
	}
	hall := hallFor(p.Lang, h)
	p.V = map[string]any{"Name": name, "Hall": hall, "Services": svcs, "Windows": wins, "Reasons": reasons, "MaxPause": queue.MaxPauseMinutes}
	p.Data = map[string]any{"window": map[string]any{"id": v.Window.ID, "number": v.Window.Number, "name": name}, "hall": hall,
		"services": svcs, "windows": wins, "me": map[string]string{"name": localName(p.Lang, a.Name, ""), "role": string(a.Role)}}
	s.render(w, r, http.StatusOK, "counter", p)
}

func (s *Server) supervisorPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if !authz.InHall(a, authz.HallMonitor, h.ID) {
		s.pageError(w, r, apperr.New(apperr.Forbidden, "forbidden"))
		return
	}
	p := newPage(w, r, "super_title")
	svcs, wins, err := s.hallNames(r.Context(), p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Class, p.Script, p.Actor = "page-super", "supervisor.js", &a
	hall := hallFor(p.Lang, h)
	p.Title = p.T("super_title") + " · " + hall.Name
	p.V = map[string]any{"Hall": hall}
	p.Data = map[string]any{"hall": hall, "services": svcs, "windows": wins}
	s.render(w, r, http.StatusOK, "supervisor", p)
}

// speechAdminPage is the service language library: admins edit, import and export it;
// supervisors read it and check texts.
func (s *Server) speechAdminPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	p := newPage(w, r, "speech_admin_title")
	p.Class, p.Script, p.Actor = "page-speech", "speech_admin.js", &a
	editable := authz.Has(a, authz.SpeechRulesEdit)
	p.V = map[string]any{"Editable": editable}
	p.Data = map[string]any{"editable": editable}
	s.render(w, r, http.StatusOK, "speech_admin", p)
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
	p.Class, p.Script = "page-ticket", "ticket.js"
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
	p.V = map[string]any{"Hall": hall, "Number": t.Number, "Service": svcName, "State": p.T("state_" + t.State)}
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
	base := strings.TrimRight(s.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	png, err := qrPNG(base+"/t/"+url.PathEscape(t.Token), 8)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Write(png)
}

// qrPNG draws text as a QR code, scale pixels a module, with the standard quiet zone of four
// modules. The go-qrcode encoder builds the matrix; the picture is a two-colour PNG drawn here
// (go-qrcode's own image writer is a separate module that brings a 2D graphics library along).
func qrPNG(text string, scale int) ([]byte, error) {
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := q.Save(&qrWriter{w: &buf, scale: scale, quiet: 4}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type qrWriter struct {
	w            io.Writer
	scale, quiet int
}

func (q *qrWriter) Write(m qrcode.Matrix) error {
	bits := m.Bitmap()
	n := len(bits)
	size := (n + 2*q.quiet) * q.scale
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range bits {
		for x, on := range row {
			if !on {
				continue
			}
			x0, y0 := (x+q.quiet)*q.scale, (y+q.quiet)*q.scale
			for dy := range q.scale {
				off := img.PixOffset(x0, y0+dy)
				for dx := range q.scale {
					img.Pix[off+dx] = 1
				}
			}
		}
	}
	return png.Encode(q.w, img)
}

func (q *qrWriter) Close() error { return nil }
