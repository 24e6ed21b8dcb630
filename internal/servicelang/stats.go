package servicelang

import (
	"context"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/speech"
	"github.com/qhall/qhall/internal/staff"
)

// StatsQuery selects the transcripts to count: those of tickets whose service day (the hall's
// local date) lies in From..To (inclusive, YYYY-MM-DD), of one hall and one clerk when set.
type StatsQuery struct {
	From, To string
	Hall     int64
	Clerk    int64
}

// ClerkStats is one clerk's service language over a period, for the scorecards.
//
// Score is the severity-weighted number of forbidden phrases per 100 lines the clerk spoke:
// 100 × Σ severity (1 low, 2 medium, 3 high) ÷ clerk lines, rounded to two decimals; 0 when the
// clerk spoke no line. Lower is better. Dividing by lines, not transcripts, keeps a clerk who
// records long conversations from looking worse than one who records short ones.
type ClerkStats struct {
	ClerkID     int64          `json:"clerk_id"`
	Username    string         `json:"username"`
	Name        string         `json:"name"`
	HallID      int64          `json:"hall_id,omitempty"`
	Transcripts int            `json:"transcripts"`
	ClerkLines  int            `json:"clerk_lines"`
	Hits        int            `json:"hits"`
	ByCategory  map[string]int `json:"by_category"`
	BySeverity  map[string]int `json:"by_severity"` // "1", "2", "3"
	Weighted    int            `json:"weighted"`
	Score       float64        `json:"score"`
}

// Stats is the answer: the period and one row per clerk with transcripts in it.
type Stats struct {
	From   string       `json:"from"`
	To     string       `json:"to"`
	Hall   int64        `json:"hall,omitempty"`
	Clerk  int64        `json:"clerk,omitempty"`
	Clerks []ClerkStats `json:"clerks"`
}

// MaxStatsDays bounds a period.
const MaxStatsDays = 366

// Score is the formula of ClerkStats.Score.
func Score(weighted, clerkLines int) float64 {
	if clerkLines <= 0 {
		return 0
	}
	return math.Round(float64(weighted)*100/float64(clerkLines)*100) / 100
}

// Stats counts forbidden phrases per clerk. A clerk sees only their own; a supervisor their
// hall's; an admin any hall's (q.Hall, or all). Dates default to the month so far; today is
// taken in loc.
func (l *Library) Stats(ctx context.Context, a staff.Actor, q StatsQuery, loc *time.Location) (*Stats, error) {
	switch authz.ReachOf(a, authz.SpeechStats) {
	case authz.All:
	case authz.Hall:
		if q.Hall != 0 && q.Hall != a.HallID {
			return nil, apperr.New(apperr.Forbidden, "forbidden")
		}
		q.Hall = a.HallID
	case authz.Self:
		if q.Clerk != 0 && q.Clerk != a.ID {
			return nil, apperr.New(apperr.Forbidden, "forbidden")
		}
		q.Hall, q.Clerk = a.HallID, a.ID
	default:
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	from, to, err := period(q.From, q.To, l.Now().In(loc))
	if err != nil {
		return nil, err
	}
	out := &Stats{From: from, To: to, Hall: q.Hall, Clerk: q.Clerk, Clerks: []ClerkStats{}}
	const where = ` JOIN tickets t ON t.id = tr.ticket_id
		WHERE tr.clerk_id IS NOT NULL AND t.day >= ? AND t.day <= ? AND (? = 0 OR tr.hall_id = ?) AND (? = 0 OR tr.clerk_id = ?)`
	args := []any{from, to, q.Hall, q.Hall, q.Clerk, q.Clerk}
	rows, err := l.DB.Query(ctx, `SELECT tr.clerk_id, s.username, s.name, COALESCE(s.hall_id, 0), COUNT(*), SUM(tr.clerk_lines)
		FROM transcripts tr JOIN staff s ON s.id = tr.clerk_id`+where+` GROUP BY tr.clerk_id, s.username, s.name, s.hall_id`, args...)
	if err != nil {
		return nil, err
	}
	at := map[int64]int{}
	for rows.Next() {
		c := ClerkStats{ByCategory: map[string]int{}, BySeverity: map[string]int{"1": 0, "2": 0, "3": 0}}
		for _, cat := range speech.Categories() {
			c.ByCategory[string(cat)] = 0
		}
		if err := rows.Scan(&c.ClerkID, &c.Username, &c.Name, &c.HallID, &c.Transcripts, &c.ClerkLines); err != nil {
			rows.Close()
			return nil, err
		}
		at[c.ClerkID] = len(out.Clerks)
		out.Clerks = append(out.Clerks, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hrows, err := l.DB.Query(ctx, `SELECT tr.clerk_id, h.category, h.severity, COUNT(*)
		FROM transcript_hits h JOIN transcripts tr ON tr.id = h.transcript_id`+where+` GROUP BY tr.clerk_id, h.category, h.severity`, args...)
	if err != nil {
		return nil, err
	}
	defer hrows.Close()
	for hrows.Next() {
		var clerk int64
		var cat string
		var sev, n int
		if err := hrows.Scan(&clerk, &cat, &sev, &n); err != nil {
			return nil, err
		}
		i, ok := at[clerk]
		if !ok {
			continue
		}
		c := &out.Clerks[i]
		c.Hits += n
		c.ByCategory[cat] += n
		c.BySeverity[strconv.Itoa(sev)] += n
		c.Weighted += n * sev
	}
	if err := hrows.Err(); err != nil {
		return nil, err
	}
	for i := range out.Clerks {
		out.Clerks[i].Score = Score(out.Clerks[i].Weighted, out.Clerks[i].ClerkLines)
	}
	sort.Slice(out.Clerks, func(i, j int) bool {
		a, b := out.Clerks[i], out.Clerks[j]
		if a.HallID != b.HallID {
			return a.HallID < b.HallID
		}
		return a.Username < b.Username
	})
	return out, nil
}

// period checks and defaults a period: from the first of today's month to today.
func period(from, to string, today time.Time) (string, string, error) {
	if to == "" {
		to = today.Format(time.DateOnly)
	}
	if from == "" {
		from = today.Format("2006-01") + "-01"
		if from > to {
			from = to
		}
	}
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return "", "", apperr.New(apperr.Invalid, "bad_date", from)
	}
	t, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return "", "", apperr.New(apperr.Invalid, "bad_date", to)
	}
	if t.Before(f) || t.Sub(f) > (MaxStatsDays-1)*24*time.Hour {
		return "", "", apperr.New(apperr.Invalid, "bad_period", MaxStatsDays)
	}
	return from, to, nil
}
