package simulate

import (
	"bytes"
	"strings"
	"testing"
)

func TestCommand(t *testing.T) {
	for _, args := range [][]string{
		{"--windows", "8:00+1"}, {"--close", "99@12:00"}, {"--date", "2026-13-01"}, {"--baseline", "99"},
		{"--advice", "--date", "2026-10-03"}, {"--advice", "--level", "1"}, {"--nope"},
	} {
		var out, errb bytes.Buffer
		if code := RunCommand(args, &out, &errb); code != 2 || errb.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := RunCommand([]string{"--advice", "--date", "2026-10-08", "--seed", "3"}, &out, &errb); code != 0 {
		t.Fatalf("advice: exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"after-holiday", "A forecast/N", "16:30–17:00", "checked through the queue engine"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("advice output lacks %q:\n%s", want, out.String())
		}
	}
}
