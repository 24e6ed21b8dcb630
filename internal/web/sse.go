package web

import (
	"net/http"
	"time"
)

// events streams a hall's live state as server-sent events: the current state at once, then
// every change. Display boards, counters and dashboards all read it; it carries no personal data.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.streamsOpen.Add(1) > int64(s.Guard.maxStreams()) {
		s.streamsOpen.Add(-1)
		s.tooManyStreams(w, r)
		return
	}
	defer s.streamsOpen.Add(-1)
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(200)
	if err := rc.Flush(); err != nil {
		return
	}
	sub := s.Hub.Subscribe(h.ID)
	defer s.Hub.Unsubscribe(sub)
	s.metrics.streams.Inc()
	defer s.metrics.streams.Dec()
	ping := time.NewTicker(25 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case b := <-sub.C:
			rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if _, err := w.Write([]byte("event: state\ndata: ")); err != nil {
				return
			}
			w.Write(b)
			w.Write([]byte("\n\n"))
			if err := rc.Flush(); err != nil {
				return
			}
		case <-ping.C:
			rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if _, err := w.Write([]byte(": ping\n\n")); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		}
	}
}
