// Package simulate runs hall days through the real queue engine on a scratch SQLite database
// with a simulated clock: citizens arrive by the arrival model (Profile), clerks open, call,
// serve with log-normal handling times, miss no-shows, pause and close their windows, all through
// queue.Engine's own operations, so what the engine decides (who is called next, pauses needing
// approval) is what the figures show. It answers what-if questions ("two more windows from
// 10:00", "close window 5 at noon") with waits p50/p90, the share within the target wait and
// utilisation, and generates arrival history for the forecasts.
//
// It sits at the wiring level: it creates its own organisation in its own database, through
// the owners' functions, and never touches a hall's real data.
package simulate

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/staffing"
	"github.com/qhall/qhall/internal/store"
)

// Service is one service of the simulated hall.
type Service struct {
	Prefix, Name string
	Share        float64       // of the day's arrivals
	MeanHandle   time.Duration // mean handling time
	Sigma        float64       // log-normal spread of handling times (0.5: most within ×0.4…×2.5 of the median)
}

// Change is a what-if: from At (offset from opening), Add more windows open, or Close one.
type Change struct {
	At     time.Duration
	Add    int // windows opened beyond the plan, lowest free numbers first
	Window int // close this window (after its current citizen) from At on
}

// Scenario is one simulated hall day.
type Scenario struct {
	Day        calendar.Date
	Open       time.Duration // opening time of day, e.g. 9h
	Profile    Profile
	Services   []Service
	Windows    [][]int // per window (number = index+1), the services it serves (indexes), best first
	Baseline   int     // windows open all day (the first ones by number) when Plan is nil
	Plan       [][]int // per service and half-hour, windows dedicated to it that are open (nil: Baseline)
	Changes    []Change
	TargetWait time.Duration
	NoShow     float64       // share of called citizens who do not come; skipped after NoShowWait
	NoShowWait time.Duration // how long a clerk waits for a called citizen before skipping
	Pauses     int           // pauses per clerk and day, at random times while open
	PauseLen   time.Duration
	Seed       uint64
	Arrivals   []Arrival // when set, these instead of drawing from Profile
}

// Result is what a simulated day showed.
type Result struct {
	Arrivals     int
	Served       int
	NoShows      int
	Unserved     int // still waiting when the day ended: no open window served their service
	Pauses       int // pauses taken through the engine
	Approved     int // of which a supervisor had to approve (long queue: the engine's rule)
	WaitP50      time.Duration
	WaitP90      time.Duration
	WaitMean     time.Duration
	WithinTarget float64 // share of called tickets called within TargetWait
	Utilisation  float64 // serving time over open, unpaused window time
	WindowHours  float64 // open window time, in hours
	MeanWaiting  float64 // time-average of citizens waiting, from the simulation's own count
	ArrivalRate  float64 // per second over the same span, for Little's law: MeanWaiting ≈ rate × WaitMean
	PerSlot      []SlotResult
	Elapsed      time.Duration // wall-clock time of the run
}

// SlotResult is one half-hour's arrivals and their waits (by arrival time).
type SlotResult struct {
	Arrivals     int
	Windows      int // windows open at the half-hour's start
	WithinTarget float64
	WaitP90      time.Duration
}

// Default is a 8-window hall with four services, open 09:00–17:00, dedicated windows.
func Default(day calendar.Date, base float64, seed uint64) Scenario {
	return Scenario{
		Day: day, Open: 9 * time.Hour, Profile: DefaultProfile(base),
		Services: []Service{
			{"A", "社保业务", 0.35, 6 * time.Minute, 0.5},
			{"B", "医保业务", 0.25, 5 * time.Minute, 0.5},
			{"C", "不动产登记", 0.25, 12 * time.Minute, 0.6},
			{"D", "综合咨询", 0.15, 3 * time.Minute, 0.6},
		},
		Windows:    [][]int{{0}, {0}, {0}, {1}, {1}, {2}, {2}, {2}, {2}, {3}, {0}, {1}, {2}, {3}, {0, 1}, {2, 3}},
		Baseline:   10,
		TargetWait: 10 * time.Minute, NoShow: 0.03, NoShowWait: time.Minute, Pauses: 1, PauseLen: 10 * time.Minute, Seed: seed,
	}
}

// Slots is the number of half-hours the hall issues tickets.
func (sc Scenario) Slots() int { return len(sc.Profile.Shape) }

type window struct {
	id, num     int
	services    []int
	clerk       staff.Actor
	open        bool
	busy        bool // a citizen is called or served
	paused      bool
	openedAt    time.Time
	openTime    time.Duration
	pausedAt    time.Time
	pauseTime   time.Duration
	pausePend   bool // a pause is due when the current citizen is done
	closedByRul bool
}

type event struct {
	at   time.Time
	kind int
	win  int // window index, or arrival index
	seq  int
}

const (
	evArrival = iota
	evFinish
	evNoShow
	evPause
	evPauseEnd
	evReplan
)

type events []event

func (h events) Len() int { return len(h) }
func (h events) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h events) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *events) Push(x any)   { *h = append(*h, x.(event)) }
func (h *events) Pop() any     { old := *h; e := old[len(old)-1]; *h = old[:len(old)-1]; return e }

// Run simulates the scenario's day on a scratch database in a temporary folder, removed after.
func Run(ctx context.Context, sc Scenario) (*Result, error) {
	dir, err := os.MkdirTemp("", "qhall-simulate-")
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, "", dir)
	if err != nil {
		return nil, fmt.Errorf("simulate: scratch database: %w", err)
	}
	defer db.Close()
	return RunOn(ctx, db, sc)
}

type sim struct {
	sc      Scenario
	eng     *queue.Engine
	now     time.Time
	start   time.Time
	rng     *rand.Rand
	hall    int64
	svcIDs  []int64
	wins    []*window
	sup     staff.Actor
	h       events
	seq     int
	waiting []int // per service, from the simulation's own count
	// Little's law: the area under the number waiting, and the span.
	area               float64
	lastT              time.Time
	firstArr, lastCall time.Time
	waits              []float64
	slotWaits          [][]float64
	slotWins           []int
	busyTime           time.Duration
	noShows, served    int
	pauses, approved   int
	arrivals           []Arrival
	handleTime         []time.Duration // per arrival
	absent             []bool          // per arrival: a no-show
	byTicket           map[int64]int   // ticket id → arrival
}

// RunOn simulates the scenario on db, which must be freshly migrated and empty.
func RunOn(ctx context.Context, db *store.DB, sc Scenario) (*Result, error) {
	t0 := time.Now()
	s := &sim{sc: sc, rng: rand.New(rand.NewPCG(sc.Seed, 0x9e3779b97f4a7c15))}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	s.start = time.Date(sc.Day.Year, sc.Day.Month, sc.Day.Day, 0, 0, 0, 0, loc).Add(sc.Open)
	s.now = s.start.Add(-15 * time.Minute)
	s.eng = queue.New(db)
	s.eng.Now = func() time.Time { return s.now }
	if err := s.setup(ctx, db); err != nil {
		return nil, fmt.Errorf("simulate: setup: %w", err)
	}
	s.arrivals = sc.Arrivals
	if s.arrivals == nil {
		cal := calendar.New(nil)
		shares := make([]float64, len(sc.Services))
		for i, sv := range sc.Services {
			shares[i] = sv.Share
		}
		s.arrivals = sc.Profile.Arrivals(s.rng, Kind(cal, sc.Day), shares)
	}
	// Each citizen's handling time and whether they miss their call are theirs, drawn before the
	// day runs, so two plans of the same seed meet the same citizens (common random numbers).
	s.handleTime = make([]time.Duration, len(s.arrivals))
	s.absent = make([]bool, len(s.arrivals))
	for i, a := range s.arrivals {
		sv := sc.Services[a.Service]
		s.handleTime[i] = LogNormal(s.rng, sv.MeanHandle, sv.Sigma).Round(time.Millisecond)
		s.absent[i] = s.rng.Float64() < sc.NoShow
	}
	s.byTicket = map[int64]int{}
	s.waiting = make([]int, len(sc.Services))
	s.slotWaits = make([][]float64, sc.Slots())
	s.slotWins = make([]int, sc.Slots())
	for i, a := range s.arrivals {
		s.push(s.start.Add(a.At), evArrival, i)
	}
	for slot := range sc.Slots() {
		s.push(s.start.Add(time.Duration(slot)*SlotMinutes*time.Minute), evReplan, -1)
	}
	for _, c := range sc.Changes {
		s.push(s.start.Add(c.At), evReplan, -1)
	}
	day := time.Duration(sc.Slots()) * SlotMinutes * time.Minute
	for i := range s.wins {
		for range sc.Pauses {
			s.push(s.start.Add(time.Duration(s.rng.Int64N(int64(day-sc.PauseLen)))), evPause, i)
		}
	}
	s.lastT = s.start
	for s.h.Len() > 0 {
		ev := heap.Pop(&s.h).(event)
		s.advance(ev.at)
		if err := s.handle(ctx, ev); err != nil {
			return nil, fmt.Errorf("simulate: at %s: %w", s.now.Format("15:04:05"), err)
		}
		if err := s.dispatch(ctx); err != nil {
			return nil, fmt.Errorf("simulate: at %s: %w", s.now.Format("15:04:05"), err)
		}
	}
	return s.result(time.Since(t0)), nil
}

func (s *sim) push(at time.Time, kind, win int) {
	s.seq++
	heap.Push(&s.h, event{at, kind, win, s.seq})
}

// advance moves the clock, adding the number waiting over the step to Little's area.
func (s *sim) advance(t time.Time) {
	n := 0
	for _, w := range s.waiting {
		n += w
	}
	s.area += float64(n) * t.Sub(s.lastT).Seconds()
	s.lastT, s.now = t, t
}

func (s *sim) setup(ctx context.Context, db *store.DB) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		who, at := staff.System, s.now
		h := org.Hall{Number: 1, Name: "模拟大厅", NameEN: "Simulated hall", Weekdays: "1234567",
			OpenTime: fmt.Sprintf("%02d:%02d", int(s.sc.Open.Hours()), int(s.sc.Open.Minutes())%60),
			CloseTime: func() string {
				c := s.sc.Open + time.Duration(s.sc.Slots())*SlotMinutes*time.Minute
				return fmt.Sprintf("%02d:%02d", int(c.Hours()), int(c.Minutes())%60)
			}(), TargetWaitMin: int(s.sc.TargetWait.Minutes())}
		var err error
		if s.hall, err = org.CreateHall(ctx, tx, who, at, h); err != nil {
			return err
		}
		for _, sv := range s.sc.Services {
			id, err := org.CreateService(ctx, tx, who, at, org.Service{HallID: s.hall, Name: sv.Name, Prefix: sv.Prefix, Kind: "handle",
				StdMinutes: max(1, int(sv.MeanHandle.Minutes()+0.5)), Materials: []org.Material{}})
			if err != nil {
				return err
			}
			s.svcIDs = append(s.svcIDs, id)
		}
		supID, err := staff.Create(ctx, tx, who, at, staff.Account{Username: "sim-sup", Name: "模拟值班长", Role: staff.Supervisor, HallID: s.hall, PasswordHash: "!"})
		if err != nil {
			return err
		}
		s.sup = staff.Actor{ID: supID, Username: "sim-sup", Role: staff.Supervisor, HallID: s.hall}
		for i, svcs := range s.sc.Windows {
			name := fmt.Sprintf("sim-clerk-%d", i+1)
			cid, err := staff.Create(ctx, tx, who, at, staff.Account{Username: name, Name: name, Role: staff.Clerk, HallID: s.hall, PasswordHash: "!"})
			if err != nil {
				return err
			}
			ow := org.Window{HallID: s.hall, Number: i + 1, Name: fmt.Sprintf("%d号窗口", i+1)}
			for _, si := range svcs {
				ow.Services = append(ow.Services, s.svcIDs[si])
			}
			wid, err := org.CreateWindow(ctx, tx, who, at, ow, cid)
			if err != nil {
				return err
			}
			s.wins = append(s.wins, &window{id: int(wid), num: i + 1, services: svcs,
				clerk: staff.Actor{ID: cid, Username: name, Role: staff.Clerk, HallID: s.hall}})
		}
		return nil
	})
}

// desired is the set of windows the plan and the changes want open now.
func (s *sim) desired() map[int]bool {
	off := s.now.Sub(s.start)
	closed := map[int]bool{}
	add := 0
	for _, c := range s.sc.Changes {
		if off >= c.At {
			if c.Window > 0 {
				closed[c.Window-1] = true
			}
			add += c.Add
		}
	}
	// A closed window is not replaced: "close window 5 at noon" means one window fewer.
	want := map[int]bool{}
	if s.sc.Plan == nil {
		for i := 0; i < len(s.wins) && i < s.sc.Baseline; i++ {
			want[i] = true
		}
	} else {
		slot := min(max(int(off/(SlotMinutes*time.Minute)), 0), s.sc.Slots()-1)
		for svc, plan := range s.sc.Plan {
			n := plan[slot]
			for i := 0; i < len(s.wins) && n > 0; i++ {
				if !want[i] && s.wins[i].services[0] == svc {
					want[i] = true
					n--
				}
			}
		}
	}
	for i := range closed {
		delete(want, i)
	}
	for i := 0; i < len(s.wins) && add > 0; i++ {
		if !closed[i] && !want[i] {
			want[i] = true
			add--
		}
	}
	return want
}

func (s *sim) replan(ctx context.Context) error {
	want := s.desired()
	for i, w := range s.wins {
		switch {
		case want[i] && !w.open:
			if err := s.eng.Open(ctx, w.clerk, int64(w.id)); err != nil {
				return err
			}
			w.open, w.openedAt, w.closedByRul = true, s.now, false
		case !want[i] && w.open:
			w.closedByRul = true // closed as soon as idle (dispatch)
		}
	}
	if slot := int(s.now.Sub(s.start) / (SlotMinutes * time.Minute)); slot >= 0 && slot < len(s.slotWins) && s.now.Sub(s.start)%(SlotMinutes*time.Minute) == 0 {
		s.slotWins[slot] = len(want)
	}
	return nil
}

func (s *sim) handle(ctx context.Context, ev event) error {
	switch ev.kind {
	case evArrival:
		a := s.arrivals[ev.win]
		t, err := s.eng.Issue(ctx, s.hall, s.svcIDs[a.Service], "", "kiosk")
		if err != nil {
			return err
		}
		s.byTicket[t.ID] = ev.win
		if s.firstArr.IsZero() {
			s.firstArr = s.now
		}
		s.waiting[a.Service]++
	case evReplan:
		return s.replan(ctx)
	case evFinish:
		w := s.wins[ev.win]
		if _, err := s.eng.Finish(ctx, w.clerk, int64(w.id)); err != nil {
			return err
		}
		w.busy = false
		s.served++
		return s.afterTicket(ctx, ev.win)
	case evNoShow:
		w := s.wins[ev.win]
		if _, err := s.eng.Skip(ctx, w.clerk, int64(w.id)); err != nil {
			return err
		}
		w.busy = false
		s.noShows++
		return s.afterTicket(ctx, ev.win)
	case evPause:
		w := s.wins[ev.win]
		if !w.open || w.paused {
			return nil
		}
		if w.busy {
			w.pausePend = true
			return nil
		}
		return s.pause(ctx, ev.win)
	case evPauseEnd:
		w := s.wins[ev.win]
		if err := s.eng.Resume(ctx, w.clerk, int64(w.id)); err != nil {
			return err
		}
		w.paused = false
		w.pauseTime += s.now.Sub(w.pausedAt)
	}
	return nil
}

func (s *sim) afterTicket(ctx context.Context, i int) error {
	if s.wins[i].pausePend {
		s.wins[i].pausePend = false
		return s.pause(ctx, i)
	}
	return nil
}

// pause asks the engine for a break; one that needs approval is approved by the supervisor.
func (s *sim) pause(ctx context.Context, i int) error {
	w := s.wins[i]
	minutes := int(s.sc.PauseLen.Minutes())
	res, err := s.eng.Pause(ctx, w.clerk, int64(w.id), "break", minutes, "")
	if err != nil {
		return err
	}
	if res.State == "pending" {
		if err := s.eng.DecidePause(ctx, s.sup, int64(w.id), true); err != nil {
			return err
		}
		s.approved++
	}
	s.pauses++
	w.paused, w.pausedAt = true, s.now
	s.push(s.now.Add(s.sc.PauseLen), evPauseEnd, i)
	return nil
}

// dispatch lets every idle open window call, and closes windows the plan no longer wants.
func (s *sim) dispatch(ctx context.Context) error {
	for i, w := range s.wins {
		if !w.open || w.busy || w.paused {
			continue
		}
		if w.closedByRul {
			if err := s.closeWindow(ctx, w); err != nil {
				return err
			}
			continue
		}
		any := false
		for _, sv := range w.services {
			any = any || s.waiting[sv] > 0
		}
		if !any && !s.now.Before(s.closeAt()) { // the day is over for this window
			w.closedByRul = true
			if err := s.closeWindow(ctx, w); err != nil {
				return err
			}
			continue
		}
		if !any {
			continue
		}
		t, err := s.eng.Call(ctx, w.clerk, int64(w.id))
		if err != nil {
			return err
		}
		if t == nil {
			return fmt.Errorf("window %d found nobody while %v wait", w.num, s.waiting)
		}
		svc := slices.Index(s.svcIDs, t.ServiceID)
		s.waiting[svc]--
		wait := t.CalledAt.Sub(t.TakenAt)
		s.waits = append(s.waits, wait.Seconds())
		if slot := int(t.TakenAt.Sub(s.start) / (SlotMinutes * time.Minute)); slot >= 0 && slot < len(s.slotWaits) {
			s.slotWaits[slot] = append(s.slotWaits[slot], wait.Seconds())
		}
		s.lastCall = s.now
		w.busy = true
		who := s.byTicket[t.ID]
		if s.absent[who] {
			s.push(s.now.Add(s.sc.NoShowWait), evNoShow, i)
			s.busyTime += s.sc.NoShowWait
			continue
		}
		if _, err := s.eng.Start(ctx, w.clerk, int64(w.id)); err != nil {
			return err
		}
		d := s.handleTime[who]
		s.busyTime += d
		s.push(s.now.Add(d), evFinish, i)
	}
	return nil
}

func (s *sim) closeWindow(ctx context.Context, w *window) error {
	if err := s.eng.Close(ctx, w.clerk, int64(w.id)); err != nil {
		return err
	}
	w.open, w.closedByRul = false, false
	w.openTime += s.now.Sub(w.openedAt)
	return nil
}

// closeAt is when the hall stops issuing tickets.
func (s *sim) closeAt() time.Time {
	return s.start.Add(time.Duration(s.sc.Slots()) * SlotMinutes * time.Minute)
}

func (s *sim) result(elapsed time.Duration) *Result {
	r := &Result{Arrivals: len(s.arrivals), Served: s.served, NoShows: s.noShows, Pauses: s.pauses, Approved: s.approved, Elapsed: elapsed}
	for _, n := range s.waiting {
		r.Unserved += n
	}
	var open, paused time.Duration
	end := s.now
	for _, w := range s.wins {
		if w.open {
			w.openTime += end.Sub(w.openedAt)
		}
		open += w.openTime
		paused += w.pauseTime
	}
	r.WindowHours = open.Hours()
	if avail := open - paused; avail > 0 {
		r.Utilisation = s.busyTime.Seconds() / avail.Seconds()
	}
	r.WithinTarget = within(s.waits, s.sc.TargetWait)
	if len(s.waits) > 0 {
		p50, p90 := staffing.Percentiles(s.waits)
		r.WaitP50, r.WaitP90 = secs(p50), secs(p90)
		sum := 0.0
		for _, w := range s.waits {
			sum += w
		}
		r.WaitMean = secs(sum / float64(len(s.waits)))
	}
	if span := s.lastCall.Sub(s.firstArr).Seconds(); span > 0 {
		r.MeanWaiting = s.area / span
		r.ArrivalRate = float64(len(s.waits)) / span
	}
	for slot, ws := range s.slotWaits {
		sr := SlotResult{Arrivals: len(ws), Windows: s.slotWins[slot], WithinTarget: within(ws, s.sc.TargetWait)}
		if len(ws) > 0 {
			sr.WaitP90 = secs(staffing.Percentile(ws, 90))
		}
		r.PerSlot = append(r.PerSlot, sr)
	}
	return r
}

func within(waits []float64, target time.Duration) float64 {
	if len(waits) == 0 {
		return 1
	}
	n := 0
	for _, w := range waits {
		if w <= target.Seconds() {
			n++
		}
	}
	return float64(n) / float64(len(waits))
}

func secs(x float64) time.Duration { return time.Duration(x * float64(time.Second)).Round(time.Second) }

func sortArrivals(a []Arrival) {
	sort.SliceStable(a, func(i, j int) bool { return a[i].At < a[j].At })
}
