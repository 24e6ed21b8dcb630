package web

import (
	"net/http"
	"time"
)

// deviceCookie holds a paired device's token.
const deviceCookie = "qhall_device"

func (s *Server) endOtherSessions(w http.ResponseWriter, r *http.Request) {
	n, err := s.Auth.EndOtherSessions(r.Context(), actor(r), sessionToken(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, map[string]any{"ended": n})
}

func (s *Server) endSessions(w http.ResponseWriter, r *http.Request) {
	n, err := s.Auth.EndSessions(r.Context(), actor(r), r.PathValue("username"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, map[string]any{"ended": n})
}

func (s *Server) newPairingCode(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Devices.NewCode(r.Context(), actor(r), h.ID, in.Kind, in.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// pairDevice turns a pairing code into the device's token, kept by the device as a cookie. Codes
// are eight digits: the sign-in throttle's per-source limit applies to guessing them too.
func (s *Server) pairDevice(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Code string `json:"code"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	src, now := s.source(r), s.Now()
	if !s.logins.begin(src, "\x00pair:"+src, now) {
		tarpit(r)
		s.fail(w, r, tooMany)
		return
	}
	token, d, err := s.Devices.Pair(r.Context(), in.Code)
	s.logins.end(src, "\x00pair:"+src, now, err)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https", Expires: now.Add(10 * 365 * 24 * time.Hour)})
	writeJSON(w, 200, map[string]any{"device": d})
}
