package simulate

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/calendar"
)

// ParseAdd reads "10:00+2" (two more windows from 10:00) relative to the opening time.
func ParseAdd(s string, open time.Duration) (Change, error) {
	at, n, ok := strings.Cut(strings.TrimSpace(s), "+")
	k, err := strconv.Atoi(n)
	if !ok || err != nil || k < 1 || k > 100 {
		return Change{}, fmt.Errorf("--windows %q: want HH:MM+N, e.g. 10:00+2", s)
	}
	off, err := clockOffset(at, open)
	if err != nil {
		return Change{}, fmt.Errorf("--windows %q: %w", s, err)
	}
	return Change{At: off, Add: k}, nil
}

// ParseClose reads "5@12:00" (close window 5 at noon).
func ParseClose(s string, open time.Duration) (Change, error) {
	w, at, ok := strings.Cut(strings.TrimSpace(s), "@")
	n, err := strconv.Atoi(w)
	if !ok || err != nil || n < 1 {
		return Change{}, fmt.Errorf("--close %q: want WINDOW@HH:MM, e.g. 5@12:00", s)
	}
	off, err := clockOffset(at, open)
	if err != nil {
		return Change{}, fmt.Errorf("--close %q: %w", s, err)
	}
	return Change{At: off, Window: n}, nil
}

func clockOffset(hhmm string, open time.Duration) (time.Duration, error) {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return 0, errors.New("the time must be HH:MM")
	}
	off := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute - open
	if off < 0 {
		return 0, errors.New("the time is before the hall opens")
	}
	return off, nil
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, strings.Split(v, ",")...); return nil }

// RunCommand is `qhall simulate`: one hall day of the default scenario, with what-ifs.
func RunCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	date := fs.String("date", "2026-11-18", "the day simulated (its weekday, month position and holidays shape arrivals)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same day")
	base := fs.Float64("base", 600, "arrivals on an ordinary Wednesday mid-month")
	baseline := fs.Int("baseline", 10, "windows open all day (of 16 configured)")
	target := fs.Duration("target", 10*time.Minute, "the hall's target wait")
	pauses := fs.Int("pauses", 1, "10-minute pauses per clerk and day")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	advice := fs.Bool("advice", false, "forecast the day from 26 weeks of simulated history, plan windows per service and half-hour by Erlang C for --level within --target, and run the plan")
	level := fs.Float64("level", 0.8, "with --advice: the share to serve within the target")
	var adds, closes multi
	fs.Var(&adds, "windows", `more windows from a time: "10:00+2" (repeatable)`)
	fs.Var(&closes, "close", `close a window at a time: "5@12:00" (repeatable)`)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	d, err := calendar.ParseDate(*date)
	if err != nil {
		fmt.Fprintln(stderr, "qhall simulate: --date:", err)
		return 2
	}
	sc := Default(d, *base, *seed)
	sc.Baseline, sc.TargetWait, sc.Pauses = *baseline, *target, *pauses
	if sc.Baseline < 0 || sc.Baseline > len(sc.Windows) || *base < 0 || *base > 20000 || *target <= 0 || *pauses < 0 || *pauses > 10 {
		fmt.Fprintf(stderr, "qhall simulate: --baseline 0…%d, --base 0…20000, --target > 0, --pauses 0…10\n", len(sc.Windows))
		return 2
	}
	for _, a := range adds {
		c, err := ParseAdd(a, sc.Open)
		if err != nil {
			fmt.Fprintln(stderr, "qhall simulate:", err)
			return 2
		}
		sc.Changes = append(sc.Changes, c)
	}
	for _, a := range closes {
		c, err := ParseClose(a, sc.Open)
		if err == nil && c.Window > len(sc.Windows) {
			err = fmt.Errorf("--close %q: the hall has windows 1…%d", a, len(sc.Windows))
		}
		if err != nil {
			fmt.Fprintln(stderr, "qhall simulate:", err)
			return 2
		}
		sc.Changes = append(sc.Changes, c)
	}
	if *advice {
		if *level <= 0 || *level >= 1 || len(adds)+len(closes) > 0 {
			fmt.Fprintln(stderr, "qhall simulate: --advice takes --level between 0 and 1, and no --windows or --close")
			return 2
		}
		return runAdvice(sc, *level, stdout, stderr)
	}
	r, err := Run(context.Background(), sc)
	if err != nil {
		fmt.Fprintln(stderr, "qhall simulate:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(r)
		return 0
	}
	Print(stdout, sc, r)
	return 0
}

// Print writes a result as a short report.
func Print(w io.Writer, sc Scenario, r *Result) {
	fmt.Fprintf(w, "%s (%s), seed %d: %d arrivals, %d served, %d no-shows, %.1f window-hours, %d pauses (%d approved by the supervisor)\n",
		sc.Day, sc.Day.Weekday(), sc.Seed, r.Arrivals, r.Served, r.NoShows, r.WindowHours, r.Pauses, r.Approved)
	if r.Unserved > 0 {
		fmt.Fprintf(w, "%d citizens were never called: no open window serves their service\n", r.Unserved)
	}
	fmt.Fprintf(w, "wait p50 %s, p90 %s, mean %s; within %s: %.1f%%; utilisation %.1f%%\n",
		r.WaitP50, r.WaitP90, r.WaitMean, sc.TargetWait, 100*r.WithinTarget, 100*r.Utilisation)
	fmt.Fprintf(w, "\n%-11s %8s %7s %8s %9s\n", "half-hour", "arrivals", "windows", "within", "wait p90")
	for i, s := range r.PerSlot {
		from := sc.Open + time.Duration(i)*SlotMinutes*time.Minute
		fmt.Fprintf(w, "%02d:%02d–%02d:%02d %8d %7d %7.0f%% %9s\n", int(from.Hours()), int(from.Minutes())%60,
			int((from + 30*time.Minute).Hours()), int((from+30*time.Minute).Minutes())%60, s.Arrivals, s.Windows, 100*s.WithinTarget, s.WaitP90)
	}
	fmt.Fprintf(w, "\nsimulated through the queue engine in %s\n", r.Elapsed.Round(time.Millisecond))
}

func runAdvice(sc Scenario, level float64, stdout, stderr io.Writer) int {
	a, err := Advise(sc, sc.Day, 26, sc.Seed, level)
	if err != nil {
		fmt.Fprintln(stderr, "qhall simulate:", err)
		return 2
	}
	run := WithPlan(sc, a.Day, a.Plan)
	r, err := Run(context.Background(), run)
	if err != nil {
		fmt.Fprintln(stderr, "qhall simulate:", err)
		return 1
	}
	fmt.Fprintf(stdout, "staffing advice for %s (%s) %s: %.0f%% within %s, Erlang C per service and half-hour\n\n",
		sc.Day, sc.Day.Weekday(), flags(a.Day.Kind), 100*level, sc.TargetWait)
	fmt.Fprintf(stdout, "%-11s", "half-hour")
	for _, s := range sc.Services {
		fmt.Fprintf(stdout, " %12s", s.Prefix+" forecast/N")
	}
	fmt.Fprintf(stdout, " %7s %8s %7s\n", "windows", "arrived", "within")
	for slot := range sc.Slots() {
		from := sc.Open + time.Duration(slot)*SlotMinutes*time.Minute
		fmt.Fprintf(stdout, "%02d:%02d–%02d:%02d", int(from.Hours()), int(from.Minutes())%60,
			int((from + 30*time.Minute).Hours()), int((from+30*time.Minute).Minutes())%60)
		total := 0
		for s := range sc.Services {
			fmt.Fprintf(stdout, " %9.1f/%-2d", a.Forecast[s][slot], a.Plan[s][slot])
			total += a.Plan[s][slot]
		}
		fmt.Fprintf(stdout, " %7d %8d %6.0f%%\n", total, r.PerSlot[slot].Arrivals, 100*r.PerSlot[slot].WithinTarget)
	}
	fmt.Fprintf(stdout, "\nchecked through the queue engine on the day's simulated arrivals: %.1f%% within %s (target %.0f%%), "+
		"wait p50 %s, p90 %s, utilisation %.1f%%, %d window-half-hours\n", 100*r.WithinTarget, sc.TargetWait, 100*level,
		r.WaitP50, r.WaitP90, 100*r.Utilisation, WindowHalfHours(a.Plan))
	return 0
}

// flags names a day's calendar features.
func flags(k DayKind) string {
	var f []string
	for _, x := range []struct {
		on   bool
		name string
	}{{k.MonthStart, "month-start"}, {k.MonthEnd, "month-end"}, {k.AfterHoliday, "after-holiday"}, {k.BeforeHoliday, "before-holiday"}} {
		if x.on {
			f = append(f, x.name)
		}
	}
	return strings.Join(f, ",")
}
