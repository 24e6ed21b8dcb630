package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/store"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// fail answers an error: an apperr with its 4xx and a message in the caller's language, anything
// else with a 500 that is logged (a 500 is a bug).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	lang := i18n.Pick(r)
	if e := apperr.As(err); e != nil {
		status := map[apperr.Kind]int{apperr.Invalid: 400, apperr.NotFound: 404, apperr.Conflict: 409,
			apperr.Forbidden: 403, apperr.Unauthorized: 401, apperr.TooMany: 429, apperr.Unavailable: 503}[e.Kind]
		if status == 0 {
			status = 400
		}
		writeJSON(w, status, map[string]string{"error": e.Code, "message": i18n.T(lang, e.Code, e.Args...)})
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	s.Log.Error("request failed", "method", r.Method, "path", routeOf(r), "err", store.Redact(err))
	writeJSON(w, 500, map[string]string{"error": "server_error", "message": i18n.T(lang, "server_error")})
}

// routeOf is the path with citizen tokens cut out, fit for logs.
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	if strings.HasPrefix(r.URL.Path, "/api/v1/tickets/") || strings.HasPrefix(r.URL.Path, "/t/") {
		return "ticket-by-token"
	}
	if strings.HasPrefix(r.URL.Path, "/api/v1/appointments/") || strings.HasPrefix(r.URL.Path, "/a/") {
		return "booking-by-token"
	}
	return r.URL.Path
}

// answer writes v with status, or the error.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, v)
}
