package calendar

import (
	"cmp"
	"errors"
	"fmt"
	"time"
)

// Date is a civil date: a day of the calendar with no time of day and no zone. Working days are
// counted in dates, never in durations, so a deadline cannot drift by an hour across zones or
// summer time. The zero Date is "no date". Dates compare with == and order with Compare.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrInvalid marks input the caller got wrong (a malformed date, a count out of range, a bad
// scope or note): the web layer answers it with a 4xx.
var ErrInvalid = errors.New("invalid input")

// ParseDate reads exactly YYYY-MM-DD (years 0001-9999) and refuses dates that do not exist,
// such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("parse date %q: %w: want YYYY-MM-DD", s, ErrInvalid)
	}
	var n [3]int
	for i, f := range [3]string{s[0:4], s[5:7], s[8:10]} {
		for _, c := range f {
			if c < '0' || c > '9' {
				return Date{}, fmt.Errorf("parse date %q: %w: want YYYY-MM-DD", s, ErrInvalid)
			}
			n[i] = n[i]*10 + int(c-'0')
		}
	}
	d := Date{n[0], time.Month(n[1]), n[2]}
	if n[0] == 0 || n[1] < 1 || n[1] > 12 || n[2] < 1 || !d.Valid() {
		return Date{}, fmt.Errorf("parse date %q: %w: no such day", s, ErrInvalid)
	}
	return d, nil
}

// DateOf is the date t shows in its own location; convert t to the hall's zone first.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Valid reports whether d is a real day of years 1-9999.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 {
		return false
	}
	return DateOf(d.Time()) == d
}

func (d Date) IsZero() bool { return d == Date{} }

// Time is midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays is the date n calendar days after d (before it when n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC))
}

func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// Compare is -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmp.Compare(d.Year, o.Year)
	case d.Month != o.Month:
		return cmp.Compare(d.Month, o.Month)
	}
	return cmp.Compare(d.Day, o.Day)
}

func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }
func (d Date) After(o Date) bool  { return d.Compare(o) > 0 }

// String is YYYY-MM-DD, the form the database and the API use.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// MarshalText writes YYYY-MM-DD, so a Date is a JSON string.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
