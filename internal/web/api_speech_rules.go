package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/servicelang"
	"github.com/qhall/qhall/internal/speech"
)

// speechFail answers an invalid rule set with every problem listed, anything else as fail does.
func (s *Server) speechFail(w http.ResponseWriter, r *http.Request, err error) {
	var inv *servicelang.InvalidError
	if errors.As(err, &inv) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "speech_rules_invalid",
			"message": i18n.T(i18n.Pick(r), "speech_rules_invalid", len(inv.Problems)), "problems": inv.Problems})
		return
	}
	s.fail(w, r, err)
}

type namedCode struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// speechRules is the active library, for every signed-in staff member.
func (s *Server) speechRules(w http.ResponseWriter, r *http.Request) {
	a, err := s.Speech.Active(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := i18n.Pick(r)
	cats := []namedCode{}
	for _, c := range speech.Categories() {
		cats = append(cats, namedCode{string(c), categoryLabel(lang, c)})
	}
	steps := []namedCode{}
	for _, st := range []string{speech.StepCall, speech.StepServe, speech.StepMissingMaterial, speech.StepTransfer, speech.StepPause,
		speech.StepPhone, speech.StepComplaint, speech.StepFinish} {
		steps = append(steps, namedCode{st, i18n.T(lang, "speech_step_"+st)})
	}
	writeJSON(w, http.StatusOK, struct {
		servicelang.Info
		Rules      []speech.Rule     `json:"rules"`
		Scenarios  []speech.Scenario `json:"scenarios"`
		Categories []namedCode       `json:"categories"`
		Steps      []namedCode       `json:"steps"`
	}{a.Info, a.Set.Rules, a.Set.Scenarios, cats, steps})
}

// speechExport hands the library (the active version, or ?version=N) over as its file.
func (s *Server) speechExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var ver *servicelang.Version
	if q := r.URL.Query().Get("version"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 0 || n > maxID {
			s.fail(w, r, apperr.New(apperr.Invalid, "bad_id", q))
			return
		}
		if ver, err = s.Speech.Get(ctx, n); err != nil {
			s.fail(w, r, err)
			return
		}
	} else {
		a, err := s.Speech.Active(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ver = &a.Version
	}
	var buf bytes.Buffer
	if _, err := ver.Set.WriteTo(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="qhall-speech-rules-v%d.json"`, ver.Version))
	h.Set("X-Qhall-Speech-Version", strconv.Itoa(ver.Version))
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// speechImport replaces the library with the file in the body (a new version); ?note= says why.
func (s *Server) speechImport(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r, rulesFileLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The file's own reader checks its content; this refuses, as for every body, keys given
	// twice or in another case and trailing data, which encoding/json would let pass.
	// (A file the reader refuses gets the reader's own list of problems.)
	if _, perr := speech.ParseRuleSet(body); perr == nil {
		err = strictUnmarshal(body, &speech.RuleSet{})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	info, err := s.Speech.Import(r.Context(), actor(r), body, r.URL.Query().Get("note"))
	if err != nil {
		s.speechFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) speechHistory(w http.ResponseWriter, r *http.Request) {
	h, err := s.Speech.History(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}

// speechPutRule adds or replaces one rule: 201 when it is new.
func (s *Server) speechPutRule(w http.ResponseWriter, r *http.Request) {
	var rule speech.Rule
	if err := decode(r, &rule); err != nil {
		s.fail(w, r, err)
		return
	}
	info, created, err := s.Speech.PutRule(r.Context(), actor(r), r.PathValue("id"), rule)
	if err != nil {
		s.speechFail(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	if rule.ID == "" {
		rule.ID = r.PathValue("id")
	}
	writeJSON(w, status, map[string]any{"version": info.Version, "created": created, "rule": rule})
}

func (s *Server) speechDeleteRule(w http.ResponseWriter, r *http.Request) {
	info, err := s.Speech.DeleteRule(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": info.Version})
}
