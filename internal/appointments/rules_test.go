package appointments

import (
	"testing"
	"time"

	"github.com/qhall/qhall/internal/org"
)

func TestValidID(t *testing.T) {
	good := []string{"11010519491231002X", "11010519491231002x", "440524188001010014", "110101199003074477"}
	for _, s := range good {
		if !ValidID(s) {
			t.Errorf("ValidID(%q) = false, want true", s)
		}
	}
	bad := []string{"110105194912310021", "440524188001010015", "11010519900307447", "1101011990030744770",
		"11010119900307447A", "X10101199003074477", "", "11010519491231002Y"}
	for _, s := range bad {
		if ValidID(s) {
			t.Errorf("ValidID(%q) = true, want false", s)
		}
	}
	// Every wrong check character of a good number is refused.
	base := "11010119900307447"
	n := 0
	for _, c := range "0123456789X" {
		if ValidID(base + string(c)) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d check characters accepted for %s, want exactly 1", n, base)
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{"13812345678": "13812345678", "138 1234 5678": "13812345678", "+86 138-1234-5678": "13812345678",
		"12812345678": "", "1381234567": "", "1381234567a": "", "": ""} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlotCapacity(t *testing.T) {
	cases := []struct {
		name             string
		slot, std, share int
		loads            []int
		want             int
	}{
		{"two dedicated windows, 30 min, 10 min each, half for bookings", 30, 10, 50, []int{1, 1}, 3},
		{"one window shared by three services gives a third", 30, 10, 100, []int{3}, 1},
		{"a dedicated and a shared window", 60, 10, 100, []int{1, 2}, 9},
		{"no window serves it: no slots", 30, 10, 50, nil, 0},
		{"long service still gets one place", 30, 45, 50, []int{4}, 1},
		{"all of three windows", 30, 5, 100, []int{1, 1, 1}, 18},
	}
	for _, c := range cases {
		if got := SlotCapacity(c.slot, c.std, c.loads, c.share); got != c.want {
			t.Errorf("%s: SlotCapacity = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestDaySlots(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	h := org.Hours{Open: "09:00", Close: "17:00", Weekdays: "12345", Loc: loc}
	tue := time.Date(2026, 11, 24, 0, 0, 0, 0, loc)
	s := DaySlots(h, tue, 30, 3)
	if len(s) != 16 || !s[0].Start.Equal(time.Date(2026, 11, 24, 9, 0, 0, 0, loc)) || !s[15].End.Equal(time.Date(2026, 11, 24, 17, 0, 0, 0, loc)) {
		t.Fatalf("office day: %d slots from %v", len(s), s)
	}
	if got := DaySlots(h, tue.AddDate(0, 0, 4), 30, 3); len(got) != 0 {
		t.Errorf("Saturday: %d slots, want none", len(got))
	}
	if got := DaySlots(h, tue, 45, 3); len(got) != 10 {
		t.Errorf("45-minute slots in 8 hours: %d, want 10 (the last partial slot dropped)", len(got))
	}
	if got := DaySlots(org.Hours{Always: true, Loc: loc}, tue, 30, 1); len(got) != 48 {
		t.Errorf("always open: %d slots, want 48", len(got))
	}
}

func TestNoShowSuspension(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	set := Defaults // 3 in 90 days suspend for 30 days
	days := func(ds ...int) []time.Time {
		var out []time.Time
		for _, d := range ds {
			out = append(out, now.AddDate(0, 0, -d))
		}
		return out
	}
	if ok, _ := set.Suspended(days(1, 10), now); ok {
		t.Error("two no-shows suspend")
	}
	ok, until := set.Suspended(days(0, 10, 80), now)
	if !ok || !until.Equal(now.AddDate(0, 0, 30)) {
		t.Errorf("three in 90 days: suspended %v until %v, want until %v", ok, until, now.AddDate(0, 0, 30))
	}
	if ok, _ := set.Suspended(days(1, 10, 91), now); ok {
		t.Error("a no-show older than 90 days counts")
	}
	// Served: the third no-show was 31 days ago, so the 30 days have run out.
	if ok, _ := set.Suspended(days(31, 40, 50), now); ok {
		t.Error("suspension outlasts its 30 days")
	}
	strict := set
	strict.NoShowLimit, strict.SuspendDays = 1, 7
	if ok, until := strict.Suspended(days(2), now); !ok || !until.Equal(now.AddDate(0, 0, 5)) {
		t.Errorf("limit 1, 7 days: %v until %v", ok, until)
	}
}

func TestSettingsValid(t *testing.T) {
	if f := Defaults.Valid(); f != "" {
		t.Fatalf("defaults invalid: %s", f)
	}
	bad := Defaults
	bad.SlotMinutes = 7 // does not divide a day
	if bad.Valid() != "slot_minutes" {
		t.Error("7-minute slots accepted")
	}
	bad = Defaults
	bad.NoShowLimit = 0
	if bad.Valid() != "noshow_limit" {
		t.Error("no-show limit 0 accepted")
	}
}
