package queue

import (
	"context"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/org"
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
}

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
	PendingMinutes int       `json:"pending_minutes,omitempty"`
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
}

// State reads a hall's live state.
func (e *Engine) State(ctx context.Context, hallID int64) (*HallState, error) {
	q := e.DB
	hall, err := org.GetHall(ctx, q, hallID)
	if err != nil {
		return nil, err
	}
	now := e.Now()
	st := &HallState{Hall: HallRef{hall.ID, hall.Number, hall.Name, hall.NameEN}, At: now, Issuing: hall.Hours().IssuesAt(now),
		LongWaitMin: hall.LongWaitMin, Services: []ServiceState{}, Windows: []WindowState{}, Calls: []CallView{}}

	// Waiting per service (untargeted tickets and those sent to a window alike).
	waitBy := map[int64][2]int64{} // service -> count, oldest queued_at
	rows, err := q.Query(ctx, `SELECT service_id, COUNT(*), MIN(taken_at) FROM tickets WHERE hall_id = ? AND state = 'waiting' GROUP BY service_id`, hallID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sid, n, oldest int64
		if err := rows.Scan(&sid, &n, &oldest); err != nil {
			rows.Close()
			return nil, err
		}
		waitBy[sid] = [2]int64{n, oldest}
	}
	rows.Close()

	svcs, err := org.Services(ctx, q, hallID)
	if err != nil {
		return nil, err
	}
	wins, err := org.Windows(ctx, q, hallID)
	if err != nil {
		return nil, err
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
		wb := waitBy[s.ID]
		ss := ServiceState{ID: s.ID, Name: s.Name, NameEN: s.NameEN, Prefix: s.Prefix, Waiting: int(wb[0]), Windows: openFor[s.ID]}
		if wb[0] > 0 {
			ss.LongestWaitS = int(now.Sub(time.UnixMilli(wb[1])) / time.Second)
		}
		ss.Alert = s.AlertWaiting > 0 && ss.Waiting >= s.AlertWaiting
		st.Waiting += ss.Waiting
		st.LongestWaitS = max(st.LongestWaitS, ss.LongestWaitS)
		st.Services = append(st.Services, ss)
	}
	st.Peak = hall.PeakWaiting > 0 && st.Waiting >= hall.PeakWaiting

	wrows, err := q.Query(ctx, `SELECT w.id, COALESCE(s.name, ''), w.pause_reason, w.pause_until, w.pending_reason, w.pending_minutes, w.pending_approved,
		COALESCE(t.prefix, ''), COALESCE(t.number, 0), COALESCE(t.state, ''), COALESCE(t.called_at, 0)
		FROM windows w LEFT JOIN staff s ON s.id = w.clerk_id
		LEFT JOIN tickets t ON t.window_id = w.id AND t.state IN ('called', 'serving')
		WHERE w.hall_id = ? ORDER BY w.number`, hallID)
	if err != nil {
		return nil, err
	}
	type extra struct {
		clerk, pauseReason, pendingReason, prefix, tstate string
		pauseUntil, calledAt                              int64
		pendingMinutes, num                               int
		pendingApproved                                   bool
	}
	extras := map[int64]extra{}
	for wrows.Next() {
		var id int64
		var x extra
		if err := wrows.Scan(&id, &x.clerk, &x.pauseReason, &x.pauseUntil, &x.pendingReason, &x.pendingMinutes, &x.pendingApproved, &x.prefix, &x.num, &x.tstate, &x.calledAt); err != nil {
			wrows.Close()
			return nil, err
		}
		extras[id] = x
	}
	wrows.Close()
	for _, w := range wins {
		x := extras[w.ID]
		ws := WindowState{ID: w.ID, Number: w.Number, Name: w.Name, State: w.State, Clerk: x.clerk, Services: w.Services,
			PauseReason: x.pauseReason, PendingReason: x.pendingReason, PendingMinutes: x.pendingMinutes, PendingApproved: x.pendingApproved}
		if x.pauseUntil > 0 {
			ws.PauseUntil = time.UnixMilli(x.pauseUntil)
		}
		if x.num > 0 {
			ws.Current = FormatNumber(x.prefix, x.num)
			ws.CurrentState = x.tstate
			ws.CurrentSince = time.UnixMilli(x.calledAt)
		}
		if w.State == "open" && ws.Current == "" {
			for _, s := range w.Services {
				if waitBy[s][0] > 0 {
					ws.Idle = true
				}
			}
		}
		if ws.PendingReason != "" && !ws.PendingApproved {
			st.PendingPauses++
		}
		st.Windows = append(st.Windows, ws)
	}

	crows, err := q.Query(ctx, `SELECT c.id, t.prefix, t.number, w.number, w.name, c.kind, c.at FROM calls c
		JOIN tickets t ON t.id = c.ticket_id JOIN windows w ON w.id = c.window_id
		WHERE c.hall_id = ? ORDER BY c.id DESC LIMIT 10`, hallID)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var c CallView
		var prefix string
		var num int
		var at int64
		if err := crows.Scan(&c.ID, &prefix, &num, &c.WindowNumber, &c.WindowName, &c.Kind, &at); err != nil {
			return nil, err
		}
		c.Number = FormatNumber(prefix, num)
		c.At = time.UnixMilli(at)
		st.Calls = append(st.Calls, c)
	}
	return st, crows.Err()
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
	if err := e.DB.QueryRow(ctx, "SELECT hall_id, priority_streak FROM windows WHERE id = ?", windowID).Scan(&hallID, &streak); err != nil {
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
	var maxStreak int
	if err := e.DB.QueryRow(ctx, "SELECT priority_streak FROM halls WHERE id = ?", hallID).Scan(&maxStreak); err != nil {
		return nil, err
	}
	ordRank, prioRank := 1, 0
	if !PriorityFirst(streak, maxStreak) {
		ordRank, prioRank = 0, 1
	}
	rows, err := e.DB.Query(ctx, "SELECT "+ticketCols+ticketFrom+nextInLine+" LIMIT 50", windowID, hallID, windowID, ordRank, prioRank)
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
