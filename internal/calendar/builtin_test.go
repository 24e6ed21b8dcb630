package calendar

import (
	"strings"
	"testing"
)

// TestBuiltinData parses the embedded holidays.txt as the program will at start.
func TestBuiltinData(t *testing.T) {
	if _, err := newSource(lunarDays(), patchText); err != nil {
		t.Fatal(err)
	}
}

func TestPatch(t *testing.T) {
	lib := []Holiday{
		{Day: Date{2030, 1, 1}, Name: "元旦节"},
		{Day: Date{2030, 1, 5}, Name: "wrong", Working: true}, // a Saturday the library got wrong
	}
	s, err := newSource(lib, `
# comment
2030-01-05 normal
2031-01-01 off 元旦节   # brings 2031
2031-01-04 work 元旦节
`)
	if err != nil {
		t.Fatal(err)
	}
	c := &Calendar{src: s}
	for _, x := range []struct {
		day           Date
		working, prov bool
	}{
		{Date{2030, 1, 1}, false, false},
		{Date{2030, 1, 5}, false, false}, // back to an ordinary Saturday, 2030 still published
		{Date{2031, 1, 1}, false, false},
		{Date{2031, 1, 4}, true, false},
		{Date{2031, 1, 6}, true, false}, // an ordinary Monday of a now published year
		{Date{2032, 1, 6}, true, true},
	} {
		w, p := c.IsWorkday(x.day)
		if w != x.working || p != x.prov {
			t.Errorf("%v: %v %v, want %v %v", x.day, w, p, x.working, x.prov)
		}
	}
	for _, bad := range []string{"2031-01-01", "2031-01-01 holiday", "2031-02-30 off", "31-01-01 off"} {
		if _, err := newSource(nil, bad); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("patch %q: %v", bad, err)
		}
	}
}
