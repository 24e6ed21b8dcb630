package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/servicelang"
	"github.com/qhall/qhall/internal/speech"
)

// Bodies of the service language endpoints: a text of up to servicelang.MaxTextBytes inside JSON
// (escapes may make it longer), and a whole rule set file.
const (
	speechBodyLimit = 2*servicelang.MaxTextBytes + 4<<10
	rulesFileLimit  = 2 << 20
)

// hitJSON is a hit as the API answers it, with the names of its category and severity in the
// caller's language.
type hitJSON struct {
	Line         int    `json:"line"`
	Start        int    `json:"start"`
	End          int    `json:"end"`
	Text         string `json:"text"`
	Category     string `json:"category"`
	CategoryName string `json:"category_name"`
	Severity     int    `json:"severity"`
	SeverityName string `json:"severity_name"`
	Suggestion   string `json:"suggestion"`
	RuleID       string `json:"rule_id"`
}

func categoryLabel(lang string, c speech.Category) string {
	if k := "speech_cat_" + string(c); i18n.Has(k) {
		return i18n.T(lang, k)
	}
	return string(c)
}

// hitsJSON converts hits; the hit's text stays as written (its offsets point into it), the
// suggestion follows the page's script.
func hitsJSON(lang string, hits []speech.Hit) []hitJSON {
	out := make([]hitJSON, len(hits))
	for i, h := range hits {
		out[i] = hitJSON{Line: h.Line, Start: h.Start, End: h.End, Text: h.Text, Category: string(h.Category),
			CategoryName: categoryLabel(lang, h.Category), Severity: int(h.Severity), SeverityName: i18n.T(lang, fmt.Sprintf("speech_sev_%d", h.Severity)),
			Suggestion: localName(lang, h.Suggestion, ""), RuleID: h.RuleID}
	}
	return out
}

// speechCheck: any signed-in staff member checks a text (clerks practise, trainers check answers).
func (s *Server) speechCheck(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Text  string `json:"text"`
		Plain bool   `json:"plain"`
	}
	if err := decodeLimit(r, &in, speechBodyLimit); err != nil {
		s.fail(w, r, err)
		return
	}
	v, hits, err := s.Speech.Check(r.Context(), in.Text, in.Plain)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"hits": hitsJSON(i18n.Pick(r), hits), "count": len(hits), "version": v})
}

// staffHall is the hall whose clock a staff request reads: ?hall= when given (it must exist),
// else the caller's hall; nil for an admin without one (Asia/Shanghai is then used).
func (s *Server) staffHall(r *http.Request) (*org.Hall, error) {
	id := actor(r).HallID
	if q := r.URL.Query().Get("hall"); q != "" {
		n, err := parseID(q)
		if err != nil || n <= 0 {
			return nil, apperr.New(apperr.Invalid, "bad_id", q)
		}
		id = n
	}
	if id == 0 {
		return nil, nil
	}
	return org.GetHall(r.Context(), s.DB, id)
}

func hallLocation(h *org.Hall) *time.Location {
	if h == nil {
		return (&org.Hall{Timezone: "Asia/Shanghai"}).Location()
	}
	return h.Location()
}

// speechPhrases: the standard phrases for a counter step at the hall's time of day.
func (s *Server) speechPhrases(w http.ResponseWriter, r *http.Request) {
	step := r.URL.Query().Get("step")
	h, err := s.staffHall(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.Now().In(hallLocation(h))
	v, scenarios, err := s.Speech.Phrases(r.Context(), step, now)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := i18n.Pick(r)
	type scenarioJSON struct {
		Code      string   `json:"code"`
		Name      string   `json:"name"`
		TimeOfDay string   `json:"time_of_day,omitempty"`
		Phrases   []string `json:"phrases"`
	}
	out := []scenarioJSON{}
	for _, sc := range scenarios {
		x := scenarioJSON{Code: sc.Code, Name: localName(lang, sc.Name, ""), TimeOfDay: sc.TimeOfDay, Phrases: []string{}}
		for _, p := range sc.Phrases {
			x.Phrases = append(x.Phrases, localName(lang, p, ""))
		}
		out = append(out, x)
	}
	writeJSON(w, http.StatusOK, map[string]any{"step": step, "step_name": i18n.T(lang, "speech_step_"+step),
		"time_of_day": speech.TimeOfDay(now), "at": now, "version": v, "scenarios": out})
}

// speechStats: per-clerk counts for a period (supervisor: own hall; admin: all; clerk: self).
func (s *Server) speechStats(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sq := servicelang.StatsQuery{From: q.Get("from"), To: q.Get("to")}
	for name, dst := range map[string]*int64{"clerk": &sq.Clerk, "hall": &sq.Hall} {
		if v := q.Get(name); v != "" {
			n, err := parseID(v)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			*dst = n
		}
	}
	h, err := s.staffHall(r) // "today" is the hall's
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.Speech.Stats(r.Context(), actor(r), sq, hallLocation(h))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// transcriptJSON is a stored transcript with its hits named in the caller's language.
type transcriptJSON struct {
	*servicelang.Transcript
	Hits  []hitJSON `json:"hits"`
	Count int       `json:"count"`
}

func (s *Server) attachTranscript(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Text string `json:"text"`
	}
	if err := decodeLimit(r, &in, speechBodyLimit); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Speech.Attach(r.Context(), actor(r), id, in.Text)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, transcriptJSON{t, hitsJSON(i18n.Pick(r), t.Hits), len(t.Hits)})
}

func (s *Server) ticketTranscripts(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ts, err := s.Speech.Transcripts(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := i18n.Pick(r)
	out := make([]transcriptJSON, len(ts))
	for i, t := range ts {
		out[i] = transcriptJSON{t, hitsJSON(lang, t.Hits), len(t.Hits)}
	}
	writeJSON(w, http.StatusOK, out)
}
