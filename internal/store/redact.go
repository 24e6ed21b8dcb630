package store

import (
	"errors"
	"regexp"

	"github.com/jackc/pgx/v5/pgconn"
)

// valueLike are the parts of an error text that may be a value the caller sent: quoted strings
// and runs of digits (ids, numbers, phone numbers).
var valueLike = regexp.MustCompile(`"[^"]*"|'[^']*'|\d{4,}`)

// Redact is err's text fit for a log: a PostgreSQL error becomes its code, table and
// constraint (its message and detail quote the values), and anything quoted or numeric in other
// texts (the drivers' encoding errors quote the argument) is cut out.
func Redact(err error) string {
	if err == nil {
		return ""
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		s := "postgres error " + pg.Code
		if pg.TableName != "" {
			s += " table " + pg.TableName
		}
		if pg.ConstraintName != "" {
			s += " constraint " + pg.ConstraintName
		}
		return s
	}
	return valueLike.ReplaceAllString(err.Error(), "…")
}
