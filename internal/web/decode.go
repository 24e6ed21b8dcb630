package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

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
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.Invalid, "bad_request", err.Error())
	}
	return nil
}

func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.Invalid, "bad_id", v)
	}
	return id, nil
}
