package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"slices"
	"strings"

	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/staff"
)

// The pages are server-rendered shells (html/template) with a small plain script each; the
// scripts read the JSON API and the hall's event stream. Everything is embedded in the binary and
// works offline: no CDN, no web fonts, no build step.

//go:embed templates
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

// page is what every template gets: the language, the title, the signed-in staff (if any), the
// page's own values (V) and the JSON handed to its script (Data).
type page struct {
	Lang   string
	Title  string
	Class  string   // class of <body>
	Script string   // the page's script below /static/, from its view
	Addons []string // the scripts of its view's addons
	Actor  *staff.Actor
	V      any
	Data   any

	langs []langLink
	keys  []string // the messages its script reads, from its view
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

// Messages are the words the page's script reads, in the page's language.
func (p *page) Messages() map[string]string {
	return i18n.Select(p.Lang, slices.Concat(commonKeys, p.keys)...)
}

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
	b, err := execute(name, p)
	if err != nil {
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
	w.Write(b)
}

// execute runs the view name on p, with the script and messages its declaration names.
func execute(name string, p *page) ([]byte, error) {
	v, ok := views[name]
	if !ok {
		return nil, fmt.Errorf("no view %q", name)
	}
	p.Script, p.keys, p.Addons = v.script, v.keys, nil
	for _, a := range v.addons {
		p.Addons, p.keys = append(p.Addons, a.script), append(slices.Clone(p.keys), a.keys...)
	}
	var buf bytes.Buffer
	if err := pageTemplates[name].ExecuteTemplate(&buf, "base", p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
