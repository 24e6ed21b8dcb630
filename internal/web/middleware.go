package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/staff"
)

type ctxKey int

const actorKey ctxKey = 1

// actor is the signed-in staff member of the request (set by require and pageRequire).
func actor(r *http.Request) staff.Actor {
	a, _ := r.Context().Value(actorKey).(*staff.Actor)
	if a == nil {
		return staff.Actor{}
	}
	return *a
}

const sessionCookie = "qhall_session"

func sessionToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(h[len("Bearer "):])
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// require lets through signed-in staff whose role holds perm (any signed-in staff for
// authz.SignedIn); the handler or the domain then checks the hall or the record.
func (s *Server) require(perm authz.Permission, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := s.Auth.Lookup(r.Context(), sessionToken(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !authz.Has(*a, perm) {
			s.fail(w, r, apperr.New(apperr.Forbidden, "forbidden"))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), actorKey, a)))
	}
}

func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
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
