package feedback

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Row is the ratings of one clerk, window or service (or the whole hall) in a period.
// Satisfaction is given two ways, each with its definition: Sat45 = levels 4–5 ÷ rated,
// Sat35 = levels 3–5 ÷ rated. RatingRate = rated ÷ served. Ratings of upheld appeals are left out.
type Row struct {
	Key        int64   `json:"key"`
	Name       string  `json:"name"`
	Served     int     `json:"served"`
	Rated      int     `json:"rated"`
	ByLevel    [6]int  `json:"by_level"` // index 1..5
	Bad        int     `json:"bad"`
	RatingRate float64 `json:"rating_rate"`
	Sat45      float64 `json:"sat45"`
	Sat35      float64 `json:"sat35"`
}

func (r *Row) finish() {
	r.Bad = r.ByLevel[1] + r.ByLevel[2]
	r.RatingRate = share(r.Rated, r.Served)
	r.Sat45 = share(r.ByLevel[4]+r.ByLevel[5], r.Rated)
	r.Sat35 = share(r.ByLevel[3]+r.ByLevel[4]+r.ByLevel[5], r.Rated)
}

func share(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// RectFigures count the rectifications opened in the period.
type RectFigures struct {
	Opened          int     `json:"opened"`
	ContactedOnTime int     `json:"contacted_on_time"`
	ContactRate     float64 `json:"contact_on_time_rate"` // contacted by contact_due ÷ opened
	Rectified       int     `json:"rectified"`            // reported back (or explained)
	RectifiedOnTime int     `json:"rectified_on_time"`
	RectifyRate     float64 `json:"rectify_on_time_rate"` // reported by the due day ÷ opened, upheld appeals left out
	Named           int     `json:"named"`                // the citizen left a contact
	CalledBack      int     `json:"called_back"`          // named ones called back
	CallbackRate    float64 `json:"callback_rate"`        // target 100%
	Appeals         int     `json:"appeals"`
	AppealsUpheld   int     `json:"appeals_upheld"`
	AppealsRejected int     `json:"appeals_rejected"`
}

// ComplaintFigures count the complaints received in the period.
type ComplaintFigures struct {
	Total         int            `json:"total"`
	ByClass       map[string]int `json:"by_class"`
	ByTopic       map[string]int `json:"by_topic"`
	Upheld        int            `json:"upheld"`
	Closed        int            `json:"closed"`
	MeanDaysClose float64        `json:"mean_days_to_close"` // calendar days from receipt to archive
}

// SurveyFigures are the call-back surveys done in the period, counted apart from the ratings.
type SurveyFigures struct {
	Done        int     `json:"done"`
	Unreachable int     `json:"unreachable"`
	ByLevel     [6]int  `json:"by_level"`
	Sat45       float64 `json:"sat45"`
}

// Figures are a hall's feedback in a period of days (both ends included).
type Figures struct {
	Hall           int64            `json:"hall"`
	From           string           `json:"from"`
	To             string           `json:"to"`
	By             string           `json:"by"`
	Total          Row              `json:"total"`
	Rows           []Row            `json:"rows"`
	Ranking        []Row            `json:"window_ranking"` // windows by Sat45, then by rated
	Rectifications RectFigures      `json:"rectifications"`
	Complaints     ComplaintFigures `json:"complaints"`
	Surveys        SurveyFigures    `json:"surveys"`
}

// Figures counts hall's feedback from from to to (YYYY-MM-DD, the hall's days), grouped by
// "clerk", "window" or "service". A clerk sees their own row alone.
func (s *Service) Figures(ctx context.Context, a staff.Actor, hall int64, from, to, by string) (*Figures, error) {
	if !authz.InHall(a, authz.FeedbackFigures, hall) {
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	own := !authz.WholeHall(a, authz.FeedbackFigures, hall)
	if own {
		by = "clerk"
	}
	if by == "" {
		by = "window"
	}
	if by != "clerk" && by != "window" && by != "service" {
		return nil, apperr.New(apperr.Invalid, "figures_bad_by", by)
	}
	fd, err1 := calendar.ParseDate(from)
	td, err2 := calendar.ParseDate(to)
	if err1 != nil || err2 != nil || td.Before(fd) || fd.AddDays(400).Before(td) {
		return nil, apperr.New(apperr.Invalid, "figures_bad_period")
	}
	h, err := org.GetHall(ctx, s.DB, hall)
	if err != nil {
		return nil, err
	}
	loc := h.Location()
	f := &Figures{Hall: hall, From: fd.String(), To: td.String(), By: by, Rows: []Row{}}
	start := time.Date(fd.Year, fd.Month, fd.Day, 0, 0, 0, 0, loc)
	end := time.Date(td.Year, td.Month, td.Day, 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	served, err := queue.ServedBetween(ctx, s.DB, hall, start, end)
	if err != nil {
		return nil, err
	}
	rows := map[int64]*Row{}
	wins := map[int64]*Row{}
	get := func(m map[int64]*Row, k int64) *Row {
		if m[k] == nil {
			m[k] = &Row{Key: k}
		}
		return m[k]
	}
	key := func(window, clerk, service int64) int64 {
		switch by {
		case "clerk":
			return clerk
		case "service":
			return service
		}
		return window
	}
	for _, sv := range served {
		if own && sv.ClerkID != a.ID {
			continue
		}
		get(rows, key(sv.WindowID, sv.ClerkID, sv.ServiceID)).Served += sv.N
		get(wins, sv.WindowID).Served += sv.N
		f.Total.Served += sv.N
	}
	rs, err := s.DB.Query(ctx, `SELECT COALESCE(window_id, 0), COALESCE(clerk_id, 0), service_id, level, COUNT(*) FROM ratings
		WHERE hall_id = ? AND day >= ? AND day <= ? AND excluded = 0 GROUP BY window_id, clerk_id, service_id, level`, hall, f.From, f.To)
	if err != nil {
		return nil, err
	}
	for rs.Next() {
		var w, c, sv int64
		var level, n int
		if err := rs.Scan(&w, &c, &sv, &level, &n); err != nil {
			rs.Close()
			return nil, err
		}
		if own && c != a.ID || level < 1 || level > 5 {
			continue
		}
		for _, r := range []*Row{get(rows, key(w, c, sv)), get(wins, w), &f.Total} {
			r.Rated += n
			r.ByLevel[level] += n
		}
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, err
	}
	if err := s.names(ctx, hall, by, rows); err != nil {
		return nil, err
	}
	if err := s.names(ctx, hall, "window", wins); err != nil {
		return nil, err
	}
	f.Total.finish()
	for _, r := range rows {
		r.finish()
		f.Rows = append(f.Rows, *r)
	}
	slices.SortFunc(f.Rows, func(x, y Row) int { return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.Key, y.Key)) })
	if !own {
		for _, r := range wins {
			r.finish()
			if r.Key != 0 {
				f.Ranking = append(f.Ranking, *r)
			}
		}
		slices.SortFunc(f.Ranking, func(x, y Row) int {
			return cmp.Or(cmp.Compare(y.Sat45, x.Sat45), cmp.Compare(y.Rated, x.Rated), cmp.Compare(x.Key, y.Key))
		})
		if err := s.otherFigures(ctx, f, start, end); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (s *Service) names(ctx context.Context, hall int64, by string, rows map[int64]*Row) error {
	switch by {
	case "clerk":
		ids := []int64{}
		for k := range rows {
			ids = append(ids, k)
		}
		n, err := staff.Names(ctx, s.DB, ids)
		if err != nil {
			return err
		}
		for k, r := range rows {
			r.Name = n[k]
		}
	case "window":
		ws, err := org.Windows(ctx, s.DB, hall)
		if err != nil {
			return err
		}
		for _, w := range ws {
			if r := rows[w.ID]; r != nil {
				r.Name = w.Name
			}
		}
	case "service":
		ss, err := org.Services(ctx, s.DB, hall)
		if err != nil {
			return err
		}
		for _, sv := range ss {
			if r := rows[sv.ID]; r != nil {
				r.Name = sv.Name
			}
		}
	}
	return nil
}

func (s *Service) otherFigures(ctx context.Context, f *Figures, start, end time.Time) error {
	q := s.DB
	// Rectifications opened in the period. On time: the step's time on or before the end of its
	// due day (dates compare as text; the step's day is the hall's).
	rows, err := q.Query(ctx, `SELECT x.state, x.contact_due, x.due, x.contacted_at, x.reported_at, x.called_back_at, x.appeal_decision,
		x.appeal_reason, r.contact_phone FROM rectifications x JOIN ratings r ON r.id = x.rating_id
		WHERE x.hall_id = ? AND x.opened_day >= ? AND x.opened_day <= ?`, f.Hall, f.From, f.To)
	if err != nil {
		return err
	}
	loc := start.Location()
	dayOf := func(ms int64) string { return calendar.DateOf(time.UnixMilli(ms).In(loc)).String() }
	rf := &f.Rectifications
	counted := 0
	for rows.Next() {
		var state, contactDue, due, decision, reason, ph string
		var contacted, reported, called int64
		if err := rows.Scan(&state, &contactDue, &due, &contacted, &reported, &called, &decision, &reason, &ph); err != nil {
			rows.Close()
			return err
		}
		rf.Opened++
		if contacted > 0 && dayOf(contacted) <= contactDue {
			rf.ContactedOnTime++
		}
		if reason != "" {
			rf.Appeals++
		}
		switch decision {
		case AppealUpheld:
			rf.AppealsUpheld++
			continue // leaves the figures
		case AppealRejected:
			rf.AppealsRejected++
		}
		counted++
		if reported > 0 {
			rf.Rectified++
			if dayOf(reported) <= due {
				rf.RectifiedOnTime++
			}
		}
		if ph != "" {
			rf.Named++
			if called > 0 {
				rf.CalledBack++
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rf.ContactRate, rf.RectifyRate, rf.CallbackRate = share(rf.ContactedOnTime, rf.Opened), share(rf.RectifiedOnTime, counted), share(rf.CalledBack, rf.Named)

	cf := &f.Complaints
	cf.ByClass, cf.ByTopic = map[string]int{}, map[string]int{}
	rows, err = q.Query(ctx, `SELECT class, topic, upheld, created_at, closed_at FROM complaints WHERE hall_id = ? AND received_day >= ? AND received_day <= ?`,
		f.Hall, f.From, f.To)
	if err != nil {
		return err
	}
	var sumDays float64
	for rows.Next() {
		var class, topic string
		var upheld int
		var created, closed int64
		if err := rows.Scan(&class, &topic, &upheld, &created, &closed); err != nil {
			rows.Close()
			return err
		}
		cf.Total++
		if class == "" {
			class = "unclassified"
		}
		cf.ByClass[class]++
		cf.ByTopic[topic]++
		cf.Upheld += upheld
		if closed > 0 {
			cf.Closed++
			sumDays += float64(closed-created) / float64(24*time.Hour/time.Millisecond)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if cf.Closed > 0 {
		cf.MeanDaysClose = sumDays / float64(cf.Closed)
	}

	sf := &f.Surveys
	rows, err = q.Query(ctx, "SELECT state, level FROM survey_calls WHERE hall_id = ? AND state <> 'pending' AND day >= ? AND day <= ?", f.Hall, f.From, f.To)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var level int
		if err := rows.Scan(&st, &level); err != nil {
			return err
		}
		if st == "unreachable" {
			sf.Unreachable++
			continue
		}
		sf.Done++
		if level >= 1 && level <= 5 {
			sf.ByLevel[level]++
		}
	}
	sf.Sat45 = share(sf.ByLevel[4]+sf.ByLevel[5], sf.Done)
	return rows.Err()
}

var _ store.Querier = (*store.DB)(nil)
