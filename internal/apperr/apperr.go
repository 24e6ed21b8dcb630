// Package apperr carries the errors that the caller caused (bad input, wrong state, no right)
// from the domain to the edge, which answers them with a 4xx in the caller's language. Any other
// error is a bug of ours and becomes a 500.
package apperr

import (
	"errors"
	"fmt"
)

// Kind says which sort of 4xx an error is.
type Kind int

const (
	Invalid      Kind = iota + 1 // 400: the input itself is wrong
	NotFound                     // 404
	Conflict                     // 409: the input is fine but the state does not allow it now
	Forbidden                    // 403
	Unauthorized                 // 401
	TooMany                      // 429
	Unavailable                  // 503: this instance is at its bound; try again later
)

// Error is an expected, user-facing error. Code names a message in the i18n catalogue; Args fill
// its placeholders.
type Error struct {
	Kind Kind
	Code string
	Args []any
}

func (e *Error) Error() string {
	if len(e.Args) == 0 {
		return e.Code
	}
	return fmt.Sprintf("%s %v", e.Code, e.Args)
}

func New(k Kind, code string, args ...any) error { return &Error{Kind: k, Code: code, Args: args} }

// As returns the *Error inside err, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Is tells whether err is an *Error with the given code.
func Is(err error, code string) bool {
	e := As(err)
	return e != nil && e.Code == code
}
