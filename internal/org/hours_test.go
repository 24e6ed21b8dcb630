package org

import (
	"testing"
	"time"
)

func TestHours(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	h := Hours{Open: "09:00", Close: "17:00", Weekdays: "12345", Loc: sh}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	// 2026-11-24 is a Tuesday, 2026-11-28 a Saturday.
	cases := []struct {
		at            string
		issues, ready bool
	}{
		{"2026-11-24 08:49", false, false},
		{"2026-11-24 08:50", false, true}, // windows may open ten minutes early
		{"2026-11-24 09:00", true, true},
		{"2026-11-24 16:59", true, true},
		{"2026-11-24 17:00", false, false},
		{"2026-11-28 10:00", false, false}, // Saturday
	}
	for _, c := range cases {
		if got := h.IssuesAt(at(c.at)); got != c.issues {
			t.Errorf("IssuesAt(%s) = %v", c.at, got)
		}
		if got := h.WindowsMayOpenAt(at(c.at)); got != c.ready {
			t.Errorf("WindowsMayOpenAt(%s) = %v", c.at, got)
		}
	}
	// The same instant in UTC is judged in the hall's zone.
	if !h.IssuesAt(at("2026-11-24 10:00").UTC()) {
		t.Error("zone not applied")
	}
	always := Hours{Always: true}
	if !always.IssuesAt(at("2026-11-28 03:00")) {
		t.Error("always-open hall closed")
	}
}

func TestClockMinutes(t *testing.T) {
	for in, want := range map[string]int{"00:00": 0, "09:30": 570, "24:00": 1440} {
		if got, ok := ClockMinutes(in); !ok || got != want {
			t.Errorf("ClockMinutes(%q) = %d %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "9", "25:00", "12:60", "aa:bb", "24:01"} {
		if _, ok := ClockMinutes(bad); ok {
			t.Errorf("ClockMinutes(%q) accepted", bad)
		}
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	noon := time.Date(2026, 11, 24, 12, 0, 0, 0, sh)
	if !InClockRange(noon, sh, "", "") || !InClockRange(noon, sh, "08:00", "12:01") || InClockRange(noon, sh, "08:00", "12:00") {
		t.Error("InClockRange")
	}
}
