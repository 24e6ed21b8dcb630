package web

import (
	"net/http"
	"time"
)

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	token, a, err := s.Auth.Login(r.Context(), in.Username, in.Password)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https", Expires: s.Now().Add(12 * time.Hour)})
	writeJSON(w, 200, map[string]any{"token": token, "staff": a})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	// Signing out closes the windows one sits at; with a ticket in service it refuses, and the
	// session stays so the clerk can finish it.
	if err := s.Queue.SignOut(r.Context(), actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Auth.Logout(r.Context(), sessionToken(r), actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, actor(r))
}
