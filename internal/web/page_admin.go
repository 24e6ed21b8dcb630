package web

import (
	"net/http"
	"strconv"

	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
)

// The back office's pages: a hub and one page per section, all drawn by admin/admin.js from the
// admin API. Each section names the permission it needs, so the hub shows only what the caller
// may open.

type adminSection struct {
	Key, Path string
	Perm      authz.Permission
}

var adminSections = []adminSection{
	{"halls", "/admin/halls", authz.CatalogueEdit},
	{"services", "/admin/services", authz.CatalogueEdit},
	{"windows", "/admin/windows", authz.HallConfigure},
	{"staff", "/admin/staff", authz.StaffManage},
	{"priority", "/admin/priority", authz.CatalogueEdit},
	{"calendar", "/admin/calendar", authz.HallConfigure},
	{"finder", "/admin/finder", authz.CatalogueEdit},
}

type adminLink struct{ Key, Path string }

// optJS is a choice of a select in the script: its value and its label.
type optJS struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type adminView struct {
	Section string
	Links   []adminLink // the sections the caller may open
	Halls   []codeName  // the halls the caller configures (id, name), for the hall picker
	Hall    int64       // the hall picked
}

// Can tells a template whether the signed-in staff member holds a permission (no role names in
// templates).
func (p *page) Can(perm string) bool {
	return p.Actor != nil && authz.Has(*p.Actor, authz.Permission(perm))
}

func (s *Server) adminViewOf(r *http.Request, a staff.Actor, section string) (adminView, error) {
	v := adminView{Section: section}
	for _, x := range adminSections {
		if authz.Has(a, x.Perm) {
			v.Links = append(v.Links, adminLink{x.Key, x.Path})
		}
	}
	hs, err := org.AllHalls(r.Context(), s.DB)
	if err != nil {
		return v, err
	}
	for _, h := range hs {
		if authz.WholeHall(a, authz.HallConfigure, h.ID) {
			v.Halls = append(v.Halls, codeName{itoa(h.ID), h.Name})
			if v.Hall == 0 || r.URL.Query().Get("hall") == itoa(h.ID) {
				v.Hall = h.ID
			}
		}
	}
	return v, nil
}

func (s *Server) adminHubPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	v, err := s.adminViewOf(r, a, "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "admin_title")
	p.Class, p.Actor, p.V = "page-admin", &a, v
	s.render(w, r, http.StatusOK, "admin_hub", p)
}

// adminPage is one section of the back office.
func (s *Server) adminPage(section string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := actor(r)
		v, err := s.adminViewOf(r, a, section)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		p := newPage(w, r, "adminsec_"+section)
		p.Class, p.Actor, p.V = "page-admin", &a, v
		opt := func(code, key string) optJS { return optJS{code, p.T(key)} }
		halls := []optJS{}
		for _, h := range v.Halls {
			halls = append(halls, optJS(h))
		}
		roles := []optJS{}
		for _, r := range staff.Roles {
			roles = append(roles, opt(string(r), "role_"+string(r)))
		}
		weekdays := []string{}
		for d := 1; d <= 7; d++ {
			weekdays = append(weekdays, p.T("weekday_"+strconv.Itoa(d)))
		}
		p.Data = map[string]any{"section": section, "hall": v.Hall, "halls": halls, "roles": roles, "weekdays": weekdays,
			"kinds":              []optJS{opt("handle", "kiosk_kind_handle"), opt("consult", "kiosk_kind_consult"), opt("complaint", "kiosk_kind_complaint")},
			"can_edit_catalogue": authz.Has(a, authz.CatalogueEdit)}
		s.render(w, r, http.StatusOK, "admin", p)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
