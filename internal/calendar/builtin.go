package calendar

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Holiday is one day of a State Council notice: a public holiday, or a make-up working day (调休).
type Holiday struct {
	Day     Date   `json:"day"`
	Name    string `json:"name"`
	Working bool   `json:"working"`
}

// source is the national data: the notices' days and the years whose notice is known.
type source struct {
	days      map[Date]Holiday
	published map[int]bool
}

//go:embed holidays.txt
var patchText string

// lunar-go's data start with the 2002 notice (its first day is 2001-12-29); no notice will name
// a day beyond lastYear within this program's life.
const firstYear, lastYear = 2001, 2200

// builtin is lunar-go's data with holidays.txt on top, built once. We read the library's table
// and keep our own map instead of calling HolidayUtil.Fix, which rewrites a package global
// without a lock.
var builtin = sync.OnceValue(func() *source {
	s, err := newSource(lunarDays(), patchText)
	if err != nil {
		panic(err) // embedded data; TestBuiltinData fails first
	}
	return s
})

func lunarDays() []Holiday {
	var out []Holiday
	for y := firstYear; y <= lastYear; y++ {
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			d, err := ParseDate(h.GetDay())
			if err != nil {
				continue // not expected; a bad entry is better skipped than trusted
			}
			// lunar-go's IsWork is true for a make-up working day.
			out = append(out, Holiday{Day: d, Name: h.GetName(), Working: h.IsWork()})
		}
	}
	return out
}

// newSource builds the national data from the library's days and a patch in the format of
// holidays.txt.
func newSource(lib []Holiday, patch string) (*source, error) {
	s := &source{days: map[Date]Holiday{}, published: map[int]bool{}}
	for _, h := range lib {
		s.days[h.Day] = h
		s.published[h.Day.Year] = true
	}
	for i, line := range strings.Split(patch, "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		bad := func(why string) error {
			return fmt.Errorf("holiday patch line %d %q: %s", i+1, strings.TrimSpace(line), why)
		}
		if len(f) < 2 {
			return nil, bad("want: YYYY-MM-DD off|work|normal [name]")
		}
		d, err := ParseDate(f[0])
		if err != nil {
			return nil, bad(err.Error())
		}
		name := strings.Join(f[2:], " ")
		switch f[1] {
		case "off", "work":
			s.days[d] = Holiday{Day: d, Name: name, Working: f[1] == "work"}
			s.published[d.Year] = true
		case "normal":
			delete(s.days, d)
		default:
			return nil, bad("kind must be off, work or normal")
		}
	}
	return s, nil
}

// Published reports whether the State Council notice for year is in the data. Days of other
// years are counted by the weekday rule alone and marked provisional.
func Published(year int) bool { return builtin().published[year] }

// Holidays lists the notice days of year (holidays and make-up working days) in date order.
func Holidays(year int) []Holiday {
	var out []Holiday
	for d := (Date{year, 1, 1}); d.Year == year; d = d.AddDays(1) {
		if h, ok := builtin().days[d]; ok {
			out = append(out, h)
		}
	}
	return out
}
