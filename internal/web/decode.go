package web

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/qhall/qhall/internal/apperr"
)

// decode reads a JSON body of at most 64 KiB into v; unknown fields are an error, so typos in
// field names do not pass silently. NUL characters are refused: no field needs one and
// PostgreSQL cannot store them in text.
func decode(r *http.Request, v any) error { return decodeLimit(r, v, 64<<10) }

// readBody reads a request body of at most limit bytes.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, apperr.New(apperr.Invalid, "body_too_large")
		}
		return nil, apperr.New(apperr.Invalid, "bad_request", err.Error())
	}
	return body, nil
}

// decodeLimit is decode for the few bodies that may be larger (texts to check, transcripts).
func decodeLimit(r *http.Request, v any, limit int64) error {
	body, err := readBody(r, limit)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if bytes.Contains(body, []byte(`\u0000`)) {
		return apperr.New(apperr.Invalid, "bad_request", "NUL character")
	}
	return strictUnmarshal(body, v)
}

// strictUnmarshal decodes one JSON value into v and refuses what encoding/json lets pass:
// trailing data after the value, a key that matches a field only in another case ("SERVICE"),
// a key given twice (where the last would silently win), unknown keys and invalid UTF-8. It
// uses the JSON v2 implementation (github.com/go-json-experiment/json), whose defaults are
// these; types with encoding/json methods (UnmarshalJSON, UnmarshalText) keep working.
func strictUnmarshal(body []byte, v any) error {
	if err := jsonv2.Unmarshal(body, v, jsonv2.RejectUnknownMembers(true)); err != nil {
		return apperr.New(apperr.Invalid, "bad_request", jsonProblem(err))
	}
	return nil
}

// jsonProblem is the decoder's complaint without the offending value, which may be long or hold
// what the caller typed.
func jsonProblem(err error) string {
	msg := err.Error()
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return strings.TrimPrefix(msg, "json: ")
}

func pathID(r *http.Request, name string) (int64, error) { return parseID(r.PathValue(name)) }

// maxID bounds every id and number taken from a request: PostgreSQL's INTEGER columns (and
// parameters compared with them) hold no more, and refusing it here gives the same 400 on both
// engines instead of a database error on one.
const maxID = math.MaxInt32

// parseID reads a positive id of at most maxID.
func parseID(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 || id > maxID {
		if len(v) > 24 {
			v = v[:24] + "…"
		}
		return 0, apperr.New(apperr.Invalid, "bad_id", v)
	}
	return id, nil
}
