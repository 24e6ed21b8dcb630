package queue

import (
	"context"
	"database/sql"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// HallState is what the hall's live screens show: the display board, the supervisor's view and
// the counters' waiting counts. It holds no personal data.
type HallState struct {
	Hall          HallRef        `json:"hall"`
	At            time.Time      `json:"at"`
	Issuing       bool           `json:"issuing"`
	Waiting       int            `json:"waiting"`
	LongestWaitS  int            `json:"longest_wait_seconds"`
	Peak          bool           `json:"peak"`
	Services      []ServiceState `json:"services"`
	Windows       []WindowState  `json:"windows"`
	Calls         []CallView     `json:"calls"`
	LongWaitMin   int            `json:"long_wait_minutes"`
	PendingPauses int            `json:"pending_pauses"`
	// CalledAlertMin: a ticket called this long ago and never started is an alert (the citizen
	// may not have heard the call, or the window forgot to start it).
	CalledAlertMin int `json:"called_alert_minutes"`
	// Missed are today's skipped numbers (过号), the latest first, for the board.
	Missed []string `json:"missed"`
}

// CalledAlert is how long a called ticket may wait for its start before the supervisor is told.
const CalledAlert = 5 * time.Minute

// HallRef names a hall.
type HallRef struct {
	ID     int64  `json:"id"`
	Number int    `json:"number"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// ServiceState is one service's queue.
type ServiceState struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	NameEN       string `json:"name_en"`
	Prefix       string `json:"prefix"`
	Waiting      int    `json:"waiting"`
	LongestWaitS int    `json:"longest_wait_seconds"`
	Alert        bool   `json:"alert"` // waiting at or over the service's threshold
	Windows      int    `json:"open_windows"`
	// OldestTakenAt lets screens tick the longest wait each second between states.
	OldestTakenAt time.Time `json:"oldest_taken_at,omitzero"`
	// LongWait: the oldest ticket has waited the hall's long-wait minutes or more.
	LongWait bool `json:"long_wait"`
}

// WindowState is one window as screens show it.
type WindowState struct {
	ID             int64     `json:"id"`
	Number         int       `json:"number"`
	Name           string    `json:"name"`
	State          string    `json:"state"`
	Clerk          string    `json:"clerk,omitempty"`
	Current        string    `json:"current,omitempty"`
	CurrentState   string    `json:"current_state,omitempty"`
	CurrentSince   time.Time `json:"current_since,omitzero"`
	PauseReason    string    `json:"pause_reason,omitempty"`
	PauseUntil     time.Time `json:"pause_until,omitzero"`
	PendingReason  string    `json:"pending_reason,omitempty"`
	PendingNote    string    `json:"pending_note,omitempty"`
	PendingMinutes int       `json:"pending_minutes,omitempty"`
	// CurrentPriority is the priority class of the current ticket, so the board can say why it
	// went first.
	CurrentPriority string `json:"current_priority,omitempty"`
	// PendingApproved: approved while serving; the pause starts when the current ticket is done.
	PendingApproved bool    `json:"pending_approved,omitempty"`
	Services        []int64 `json:"services"`
	// Idle is true when the window is open, has nobody at it, and people wait for its services
	// (先外后内: a measured fault).
	Idle bool `json:"idle"`
}

// CallView is one call on the display board.
type CallView struct {
	ID           int64     `json:"id"`
	Number       string    `json:"number"`
	WindowNumber int       `json:"window_number"`
	WindowName   string    `json:"window_name"`
	Kind         string    `json:"kind"`
	At           time.Time `json:"at"`
	// State is the ticket's state now; Current says the call still stands (the ticket's newest
	// call, and the ticket is still called or served at that window).
	State    string `json:"state"`
	Current  bool   `json:"current"`
	Priority string `json:"priority,omitempty"`
}

// State reads a hall's live state: the queue per service, the windows and the recent calls.
func (e *Engine) State(ctx context.Context, hallID int64) (*HallState, error) {
	q := e.DB
	hall, err := org.GetHall(ctx, q, hallID)
	if err != nil {
		return nil, err
	}
	now := e.Now()
	st := &HallState{Hall: HallRef{hall.ID, hall.Number, hall.Name, hall.NameEN}, At: now, Issuing: hall.Hours().IssuesAt(now),
		LongWaitMin: hall.LongWaitMin, Services: []ServiceState{}, Windows: []WindowState{}, Calls: []CallView{},
		CalledAlertMin: int(CalledAlert / time.Minute)}
	waiting, err := waitingByService(ctx, q, hallID)
	if err != nil {
		return nil, err
	}
	wins, err := e.windowStates(ctx, q, hallID, waiting)
	if err != nil {
		return nil, err
	}
	if err := e.serviceStates(ctx, q, st, hallID, waiting, wins, now); err != nil {
		return nil, err
	}
	st.Peak = hall.PeakWaiting > 0 && st.Waiting >= hall.PeakWaiting
	for _, ws := range wins {
		if ws.PendingReason != "" && !ws.PendingApproved {
			st.PendingPauses++
		}
	}
	st.Windows = wins
	if st.Calls, err = recentCalls(ctx, q, hallID); err != nil {
		return nil, err
	}
	y, m, d := now.In(hall.Location()).Date()
	st.Missed, err = missedToday(ctx, q, hallID, time.Date(y, m, d, 0, 0, 0, 0, hall.Location()))
	return st, err
}

// NextChange is the next moment after now at which the state changes with no event: a waiting
// ticket crosses the long-wait threshold, a pause runs over, a called ticket is not started in
// time. Zero when nothing is due. The hall screens' waker re-publishes the state then, so alerts
// come on time in a quiet hall.
func (st *HallState) NextChange(now time.Time) time.Time {
	var next time.Time
	consider := func(t time.Time) {
		if t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if st.LongWaitMin > 0 {
		for _, s := range st.Services {
			if !s.OldestTakenAt.IsZero() {
				consider(s.OldestTakenAt.Add(time.Duration(st.LongWaitMin) * time.Minute))
			}
		}
	}
	for _, w := range st.Windows {
		if w.State == "paused" && !w.PauseUntil.IsZero() {
			consider(w.PauseUntil)
		}
		if w.CurrentState == Called && !w.CurrentSince.IsZero() {
			consider(w.CurrentSince.Add(CalledAlert))
		}
	}
	return next
}

// missedToday are the hall's numbers skipped since the start of its day, the latest first.
func missedToday(ctx context.Context, q store.Querier, hallID int64, since time.Time) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT prefix, number FROM tickets WHERE hall_id = ? AND state = 'skipped' AND taken_at >= ?
		ORDER BY finished_at DESC, id DESC LIMIT 12`, hallID, since.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var prefix string
		var num int
		if err := rows.Scan(&prefix, &num); err != nil {
			return nil, err
		}
		out = append(out, FormatNumber(prefix, num))
	}
	return out, rows.Err()
}

// queueLen is a service's waiting count and the take time of its oldest waiting ticket.
type queueLen struct{ n, oldest int64 }

// waitingByService counts the waiting tickets per service (untargeted tickets and those sent to
// a window alike).
func waitingByService(ctx context.Context, q store.Querier, hallID int64) (map[int64]queueLen, error) {
	rows, err := q.Query(ctx, `SELECT service_id, COUNT(*), MIN(taken_at) FROM tickets WHERE hall_id = ? AND state = 'waiting' GROUP BY service_id`, hallID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]queueLen{}
	for rows.Next() {
		var sid int64
		var l queueLen
		if err := rows.Scan(&sid, &l.n, &l.oldest); err != nil {
			return nil, err
		}
		out[sid] = l
	}
	return out, rows.Err()
}

// serviceStates fills the per-service queues and the hall's totals.
func (e *Engine) serviceStates(ctx context.Context, q store.Querier, st *HallState, hallID int64, waiting map[int64]queueLen,
	wins []WindowState, now time.Time) error {
	svcs, err := org.Services(ctx, q, hallID)
	if err != nil {
		return err
	}
	openFor := map[int64]int{}
	for _, w := range wins {
		if w.State != "closed" {
			for _, s := range w.Services {
				openFor[s]++
			}
		}
	}
	for _, s := range svcs {
		wb := waiting[s.ID]
		ss := ServiceState{ID: s.ID, Name: s.Name, NameEN: s.NameEN, Prefix: s.Prefix, Waiting: int(wb.n), Windows: openFor[s.ID]}
		if wb.n > 0 {
			ss.OldestTakenAt = time.UnixMilli(wb.oldest)
			ss.LongestWaitS = int(now.Sub(ss.OldestTakenAt) / time.Second)
			ss.LongWait = st.LongWaitMin > 0 && ss.LongestWaitS >= st.LongWaitMin*60
		}
		ss.Alert = s.AlertWaiting > 0 && ss.Waiting >= s.AlertWaiting
		st.Waiting += ss.Waiting
		st.LongestWaitS = max(st.LongestWaitS, ss.LongestWaitS)
		st.Services = append(st.Services, ss)
	}
	return nil
}

// windowStates are the hall's windows as screens show them: configuration from org, live state
// and the current ticket from the queue.
func (e *Engine) windowStates(ctx context.Context, q store.Querier, hallID int64, waiting map[int64]queueLen) ([]WindowState, error) {
	wins, err := org.Windows(ctx, q, hallID)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT ws.window_id, ws.state, ws.clerk_id, ws.pause_reason, ws.pause_until, ws.pending_reason,
		ws.pending_note, ws.pending_minutes, ws.pending_approved, COALESCE(t.prefix, ''), COALESCE(t.number, 0), COALESCE(t.state, ''),
		COALESCE(t.called_at, 0), COALESCE(t.priority_class, '')
		FROM window_states ws JOIN windows w ON w.id = ws.window_id
		LEFT JOIN tickets t ON t.window_id = ws.window_id AND t.state IN ('called', 'serving')
		WHERE w.hall_id = ?`, hallID)
	if err != nil {
		return nil, err
	}
	type live struct {
		state, pauseReason, pendingReason, prefix, tstate string
		pendingNote, priority                             string
		clerk                                             sql.NullInt64
		pauseUntil, calledAt                              int64
		pendingMinutes, num                               int
		pendingApproved                                   bool
	}
	lives := map[int64]live{}
	var clerks []int64
	for rows.Next() {
		var id int64
		var x live
		if err := rows.Scan(&id, &x.state, &x.clerk, &x.pauseReason, &x.pauseUntil, &x.pendingReason, &x.pendingNote, &x.pendingMinutes,
			&x.pendingApproved, &x.prefix, &x.num, &x.tstate, &x.calledAt, &x.priority); err != nil {
			rows.Close()
			return nil, err
		}
		lives[id] = x
		if x.clerk.Valid {
			clerks = append(clerks, x.clerk.Int64)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names, err := staff.Names(ctx, q, clerks)
	if err != nil {
		return nil, err
	}
	out := make([]WindowState, 0, len(wins))
	for _, w := range wins {
		x := lives[w.ID]
		if x.state == "" {
			x.state = "closed"
		}
		ws := WindowState{ID: w.ID, Number: w.Number, Name: w.Name, State: x.state, Clerk: names[x.clerk.Int64], Services: w.Services,
			PauseReason: x.pauseReason, PendingReason: x.pendingReason, PendingNote: x.pendingNote, PendingMinutes: x.pendingMinutes,
			PendingApproved: x.pendingApproved}
		if x.pauseUntil > 0 {
			ws.PauseUntil = time.UnixMilli(x.pauseUntil)
		}
		if x.num > 0 {
			ws.Current = FormatNumber(x.prefix, x.num)
			ws.CurrentState = x.tstate
			ws.CurrentSince = time.UnixMilli(x.calledAt)
			ws.CurrentPriority = x.priority
		}
		if ws.State == "open" && ws.Current == "" {
			for _, s := range w.Services {
				if waiting[s].n > 0 {
					ws.Idle = true
				}
			}
		}
		out = append(out, ws)
	}
	return out, nil
}

// recentCalls are the hall's last ten calls, newest first.
func recentCalls(ctx context.Context, q store.Querier, hallID int64) ([]CallView, error) {
	rows, err := q.Query(ctx, `SELECT c.id, t.prefix, t.number, w.number, w.name, c.kind, c.at, t.id, t.state, COALESCE(t.window_id, 0),
		c.window_id, t.priority_class FROM calls c
		JOIN tickets t ON t.id = c.ticket_id JOIN windows w ON w.id = c.window_id
		WHERE c.hall_id = ? ORDER BY c.id DESC LIMIT 10`, hallID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CallView{}
	seen := map[int64]bool{}
	for rows.Next() {
		var c CallView
		var prefix string
		var num int
		var at, ticket, ticketWin, callWin int64
		if err := rows.Scan(&c.ID, &prefix, &num, &c.WindowNumber, &c.WindowName, &c.Kind, &at, &ticket, &c.State, &ticketWin, &callWin,
			&c.Priority); err != nil {
			return nil, err
		}
		// Only a ticket's newest call can stand, and only while the ticket is still at that window.
		c.Current = !seen[ticket] && (c.State == Called || c.State == Serving) && ticketWin == callWin
		seen[ticket] = true
		c.Number = FormatNumber(prefix, num)
		c.At = time.UnixMilli(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Windows are a hall's windows as configured, with whether each is open now (the API's list).
func (e *Engine) Windows(ctx context.Context, hallID int64) ([]WindowInfo, error) {
	wins, err := org.Windows(ctx, e.DB, hallID)
	if err != nil {
		return nil, err
	}
	states, err := e.windowStates(ctx, e.DB, hallID, nil)
	if err != nil {
		return nil, err
	}
	out := make([]WindowInfo, len(wins))
	for i, w := range wins {
		out[i] = WindowInfo{Window: w, State: states[i].State}
	}
	return out, nil
}

// WindowInfo is a configured window and its state now.
type WindowInfo struct {
	*org.Window
	State string `json:"state"`
}

// WindowView is what the counter terminal shows: the window, its current ticket and the
// tickets it would call next, in that order.
type WindowView struct {
	Window  WindowState `json:"window"`
	HallID  int64       `json:"hall"`
	Current *Ticket     `json:"current"`
	Next    []*Ticket   `json:"next"`
	Waiting int         `json:"waiting"`
}

// Window reads one window for its counter terminal.
func (e *Engine) Window(ctx context.Context, windowID int64) (*WindowView, error) {
	var hallID int64
	var streak int
	if err := e.DB.QueryRow(ctx, `SELECT w.hall_id, COALESCE(s.priority_streak, 0) FROM windows w LEFT JOIN window_states s ON s.window_id = w.id
		WHERE w.id = ?`, windowID).Scan(&hallID, &streak); err != nil {
		return nil, apperr.New(apperr.NotFound, "window_not_found", windowID)
	}
	st, err := e.State(ctx, hallID)
	if err != nil {
		return nil, err
	}
	v := &WindowView{HallID: hallID, Next: []*Ticket{}}
	for _, w := range st.Windows {
		if w.ID == windowID {
			v.Window = w
		}
	}
	cur, err := scanTicketOpt(e.DB.QueryRow(ctx, "SELECT "+ticketCols+ticketFrom+"WHERE t.window_id = ? AND t.state IN ('called', 'serving')", windowID))
	if err != nil {
		return nil, err
	}
	v.Current = cur
	hall, err := org.GetHall(ctx, e.DB, hallID)
	if err != nil {
		return nil, err
	}
	ordRank, prioRank := 1, 0
	if !PriorityFirst(streak, hall.PriorityStreak) {
		ordRank, prioRank = 0, 1
	}
	nowMs := e.Now().UnixMilli()
	rows, err := e.DB.Query(ctx, "SELECT "+ticketCols+ticketFrom+nextInLine+" LIMIT 50", windowID, hallID, windowID, ordRank, prioRank, nowMs, nowMs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		v.Next = append(v.Next, t)
	}
	for _, s := range st.Services {
		for _, ws := range v.Window.Services {
			if ws == s.ID {
				v.Waiting += s.Waiting
			}
		}
	}
	return v, rows.Err()
}

func scanTicketOpt(row interface{ Scan(...any) error }) (*Ticket, error) {
	t, err := scanTicket(row)
	if err != nil && isNoRows(err) {
		return nil, nil
	}
	return t, err
}

var _ store.Querier = (*store.DB)(nil)
