package web

import "net/http"

// pages registers the HTML pages (see pages_*.go).
func (s *Server) pages(mux *http.ServeMux) {}
