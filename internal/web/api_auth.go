package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
)

// tooMany is the answer to a sign-in refused by the throttle, whatever the name: it tells
// nothing of whether the account exists.
var tooMany = apperr.New(apperr.TooMany, "too_many")

// tarpitDelay is how long a refused sign-in waits before its answer: a guesser's every thread
// then sends two requests a second instead of thousands, so a flood costs the server next to no
// CPU, and every refusal (known name or not) takes the same time.
const tarpitDelay = 500 * time.Millisecond

func tarpit(r *http.Request) {
	t := time.NewTimer(tarpitDelay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	src, name := s.source(r), strings.TrimSpace(in.Username)
	if !s.logins.begin(src, name, s.Now()) {
		tarpit(r)
		s.fail(w, r, tooMany)
		return
	}
	token, a, err := s.Auth.Login(r.Context(), in.Username, in.Password)
	s.logins.end(src, name, s.Now(), err)
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
