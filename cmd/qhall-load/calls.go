package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// callsCmd: N concurrent clients on loopback. The first W of them are counters, one per window
// (a window holds one ticket at a time, so two clients at one window would only trip over each
// other): each loops kiosk issue → call → finish, so the queue never runs dry and every call
// finds someone. Clients beyond the windows are readers: the hall's state (supervisor screen)
// and a citizen's ticket status, alternately. With -interval 0 every client sends its next
// request as soon as the last one is answered (closed loop, the server saturated); with
// -interval d each client starts a cycle every d on a fixed schedule (open loop, a set rate).
type callsCmd struct {
	clients, windows, backlog, boards int
	duration, warmup, interval        time.Duration
}

const hallID = 1

func callsFlags(fs *flag.FlagSet) *callsCmd {
	c := &callsCmd{}
	fs.IntVar(&c.clients, "clients", 200, "concurrent clients")
	fs.IntVar(&c.windows, "windows", 200, "windows of hall 1 worked by a counter client each (windows beyond the demo's 8 are added, with a clerk each)")
	fs.IntVar(&c.backlog, "backlog", 200, "tickets waiting before the run starts")
	fs.IntVar(&c.boards, "boards", 2, "display streams (SSE) open during the run, as in a real hall")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "measured time (at most 2m)")
	fs.DurationVar(&c.warmup, "warmup", 3*time.Second, "load before measuring starts")
	fs.DurationVar(&c.interval, "interval", 0, "each client starts a cycle every interval (0: as fast as answers come)")
	return c
}

type counter struct {
	window   windowInfo
	user     string
	token    string
	services []int64
}

func (c *callsCmd) run(ctx context.Context, s *server) error {
	if c.duration > 2*time.Minute {
		c.duration = 2 * time.Minute
	}
	if c.clients < 1 || c.windows < 1 {
		return fmt.Errorf("need at least one client and one window")
	}
	ncounters := min(c.clients, c.windows)
	cl := newClient(s.Base, c.clients+c.boards)
	if err := c.ensureWindows(ctx, s, cl, ncounters); err != nil {
		return err
	}
	ws, err := cl.windows(ctx, hallID)
	if err != nil {
		return err
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].Number < ws[j].Number })
	counters := make([]*counter, ncounters)
	for i := range counters {
		counters[i] = &counter{window: ws[i], user: fmt.Sprintf("clerk%d-%d", hallID, ws[i].Number), services: ws[i].Services}
	}
	var svcs []struct {
		ID int64 `json:"id"`
	}
	if _, err := cl.do(ctx, "GET", fmt.Sprintf("/api/v1/halls/%d/services", hallID), "", nil, &svcs); err != nil {
		return err
	}

	// Sign the clerks in (argon2id on the server: slow on purpose, two at a time) and open.
	fmt.Fprintf(os.Stderr, "signing in %d clerks and opening their windows ...\n", len(counters))
	if err := parallel(ctx, 2, len(counters), func(i int) error {
		k := counters[i]
		tok, err := cl.login(ctx, k.user, s.Password)
		if err != nil {
			return err
		}
		k.token = tok
		_, err = cl.do(ctx, "POST", fmt.Sprintf("/api/v1/windows/%d/open", k.window.ID), tok, nil, nil)
		return err
	}); err != nil {
		return err
	}

	// The queue before the doors open.
	var tokMu sync.Mutex
	var tokens []string
	if err := parallel(ctx, 4, c.backlog, func(i int) error {
		t, _, err := cl.issue(ctx, hallID, svcs[i%len(svcs)].ID)
		if err == nil {
			tokMu.Lock()
			tokens = append(tokens, t.Token)
			tokMu.Unlock()
		}
		return err
	}); err != nil {
		return err
	}

	// Display boards watching the hall.
	bctx, bcancel := context.WithCancel(ctx)
	defer bcancel()
	var boardEvents atomic.Int64
	for range c.boards {
		go func() {
			req, _ := http.NewRequestWithContext(bctx, "GET", fmt.Sprintf("%s/api/v1/halls/%d/events", s.Base, hallID), nil)
			res, err := (&http.Client{}).Do(req)
			if err != nil {
				return
			}
			defer res.Body.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := res.Body.Read(buf)
				boardEvents.Add(int64(strings.Count(string(buf[:n]), "event: state")))
				if err != nil {
					return
				}
			}
		}()
	}

	kinds := []string{"issue", "call", "finish", "state", "status"}
	stats := map[string]*samples{}
	for _, k := range kinds {
		stats[k] = &samples{}
	}
	var empty, lateStarts atomic.Int64
	var lag samples

	fmt.Fprintf(os.Stderr, "load: %d clients (%d counters, %d readers), %d boards, warm-up %s, measured %s, interval %s\n",
		c.clients, ncounters, c.clients-ncounters, c.boards, c.warmup, c.duration, c.interval)
	start := time.Now()
	measureFrom := start.Add(c.warmup)
	end := measureFrom.Add(c.duration)
	var cpuAtMeasure atomic.Value
	go func() {
		time.Sleep(time.Until(measureFrom))
		cpuAtMeasure.Store(readProc(s.PID))
	}()
	if cpuProfile != "" {
		stopProfile := startProfile(measureFrom, end)
		defer stopProfile()
	}
	if goroutineDump != "" {
		go func() {
			time.Sleep(time.Until(measureFrom.Add(c.duration / 2)))
			if f, err := os.Create(goroutineDump); err == nil {
				pprof.Lookup("goroutine").WriteTo(f, 1)
				f.Close()
			}
		}()
	}

	var wg sync.WaitGroup
	for i := range c.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			local := map[string][]time.Duration{}
			var lags []time.Duration
			timed := func(kind string, f func() (int, error)) (int, bool) {
				t0 := time.Now()
				code, err := f()
				d := time.Since(t0)
				if err != nil {
					if t0.After(measureFrom) {
						stats[kind].fail(errKey(code, err))
					}
					if ctx.Err() == nil {
						time.Sleep(10 * time.Millisecond) // do not spin on a failing server
					}
					return code, false
				}
				if t0.After(measureFrom) && t0.Before(end) {
					local[kind] = append(local[kind], d)
				}
				return code, true
			}
			next := start
			if c.interval > 0 {
				next = start.Add(time.Duration(rng.Int64N(int64(c.interval))))
			}
			for ctx.Err() == nil {
				if c.interval > 0 {
					now := time.Now()
					wait := next.Sub(now)
					if now.After(measureFrom) && now.Before(end) {
						lags = append(lags, max(0, -wait))
						if -wait > c.interval/10 {
							lateStarts.Add(1)
						}
					}
					if wait > 0 {
						time.Sleep(wait)
					}
					next = next.Add(c.interval)
				}
				if time.Now().After(end) {
					break
				}
				if i < ncounters {
					k := counters[i]
					svc := k.services[rng.IntN(len(k.services))]
					timed("issue", func() (int, error) {
						t, code, err := cl.issue(ctx, hallID, svc)
						if err == nil && rng.IntN(8) == 0 {
							tokMu.Lock()
							if len(tokens) < 5000 {
								tokens = append(tokens, t.Token)
							} else {
								tokens[rng.IntN(len(tokens))] = t.Token
							}
							tokMu.Unlock()
						}
						return code, err
					})
					code, ok := timed("call", func() (int, error) {
						return cl.do(ctx, "POST", fmt.Sprintf("/api/v1/windows/%d/call", k.window.ID), k.token, nil, nil)
					})
					if ok && code == http.StatusNoContent {
						empty.Add(1)
						continue
					}
					if ok || code == http.StatusConflict { // a current ticket left by an earlier failure
						timed("finish", func() (int, error) {
							return cl.do(ctx, "POST", fmt.Sprintf("/api/v1/windows/%d/finish", k.window.ID), k.token, nil, nil)
						})
					}
				} else {
					timed("state", func() (int, error) {
						return cl.do(ctx, "GET", fmt.Sprintf("/api/v1/halls/%d/state", hallID), "", nil, nil)
					})
					tokMu.Lock()
					tok := tokens[rng.IntN(len(tokens))]
					tokMu.Unlock()
					timed("status", func() (int, error) {
						return cl.do(ctx, "GET", "/api/v1/tickets/"+tok, "", nil, nil)
					})
				}
			}
			for k, d := range local {
				stats[k].add(d)
			}
			lag.add(lags)
		}()
	}
	wg.Wait()
	cpu1 := readProc(s.PID)
	bcancel()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	m := metrics(ctx, s.Base, "go_memstats_heap_inuse_bytes", "go_goroutines", "qhall_event_streams")

	// Report.
	fmt.Printf("qhall-load calls: engine %s, %d clients (%d counters at %d windows, %d readers), %d display streams, backlog %d, interval %s, measured %s after %s warm-up\n",
		s.Engine, c.clients, ncounters, ncounters, c.clients-ncounters, c.boards, c.backlog, c.interval, c.duration, c.warmup)
	fmt.Printf("machine: %d CPUs (GOMAXPROCS %d), client and server on the same machine over loopback\n", runtime.NumCPU(), runtime.GOMAXPROCS(0))
	secs := c.duration.Seconds()
	for _, k := range kinds {
		st := stats[k]
		sum := summarize(st.d)
		if sum.N == 0 && len(st.errors) == 0 {
			continue
		}
		fmt.Printf("  %-7s %7.1f/s  %s", k, float64(sum.N)/secs, sum)
		if len(st.errors) > 0 {
			fmt.Printf("  errors %v", st.errors)
		}
		fmt.Println()
	}
	fmt.Printf("  calls that found nobody (204): %d\n", empty.Load())
	if c.interval > 0 {
		ls := summarize(lag.d)
		fmt.Printf("  schedule: %d cycle starts more than %s late; lateness p50 %s p99 %s max %s\n", lateStarts.Load(), c.interval/10, ms(ls.P50), ms(ls.P99), ms(ls.Max))
	}
	if v, ok := cpuAtMeasure.Load().(procMem); ok && cpu1.Available && s.PID != os.Getpid() {
		fmt.Printf("  server CPU while measured: %.2f cores (of %d)\n", float64(cpu1.CPUTicks-v.CPUTicks)/clockTicks/secs, runtime.NumCPU())
	}
	if cpu1.Available {
		fmt.Printf("  server memory: VmRSS %s, VmHWM %s, Go heap in use %s, goroutines %.0f\n", mib(float64(cpu1.RSS)), mib(float64(cpu1.HWM)), mib(m["go_memstats_heap_inuse_bytes"]), m["go_goroutines"])
	}
	fmt.Printf("  display streams received %d states during the run\n", boardEvents.Load())
	return nil
}

func errKey(code int, err error) string {
	if code != 0 {
		s := err.Error()
		if i := strings.Index(s, `"error":"`); i >= 0 {
			s = s[i+9:]
			if j := strings.IndexByte(s, '"'); j >= 0 {
				return fmt.Sprintf("%d %s", code, s[:j])
			}
		}
		return fmt.Sprint(code)
	}
	if strings.Contains(err.Error(), "deadline") || strings.Contains(err.Error(), "timeout") {
		return "timeout"
	}
	return "transport"
}

// ensureWindows gives hall 1 at least n windows, each with a clerk clerk1-<number> (password
// the demo's) serving all of the hall's services, in an order of preference that turns with the
// window number. It writes to the server's database directly, as an administrator setting up
// a big hall would through the back office.
func (c *callsCmd) ensureWindows(ctx context.Context, s *server, cl *client, n int) error {
	ws, err := cl.windows(ctx, hallID)
	if err != nil {
		return err
	}
	if len(ws) >= n {
		return nil
	}
	db, err := s.openDB(ctx)
	if err != nil {
		return fmt.Errorf("%d windows wanted, %d exist: %w", n, len(ws), err)
	}
	defer db.Close()
	hash := staff.HashPassword(s.Password)
	now := time.Now()
	return db.InTx(ctx, func(tx *store.Tx) error {
		svcs, err := org.Services(ctx, tx, hallID)
		if err != nil {
			return err
		}
		wins, err := org.Windows(ctx, tx, hallID)
		if err != nil {
			return err
		}
		top := 0
		for _, w := range wins {
			top = max(top, w.Number)
		}
		for num := top + 1; num <= top+n-len(ws); num++ {
			user := fmt.Sprintf("clerk%d-%d", hallID, num)
			clerk, err := staff.Create(ctx, tx, staff.System, now, staff.Account{Username: user, Name: fmt.Sprintf("负载柜员%d", num),
				Role: staff.Clerk, HallID: hallID, PasswordHash: hash})
			if err != nil {
				return err
			}
			win := org.Window{HallID: hallID, Number: num, Name: fmt.Sprintf("%d号综合窗口", num)}
			for i := range svcs {
				win.Services = append(win.Services, svcs[(i+num)%len(svcs)].ID)
			}
			if _, err := org.CreateWindow(ctx, tx, staff.System, now, win, clerk); err != nil {
				return err
			}
		}
		return nil
	})
}

// startProfile writes a CPU profile of this process from from to to.
func startProfile(from, to time.Time) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-time.After(time.Until(from)):
		case <-done:
			return
		}
		f, err := os.Create(cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cpuprofile:", err)
			return
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "cpuprofile:", err)
			return
		}
		select {
		case <-time.After(time.Until(to)):
		case <-done:
		}
		pprof.StopCPUProfile()
	}()
	return func() { close(done); <-finished }
}

// parallel runs f(0..n-1) on k goroutines and returns the first error.
func parallel(ctx context.Context, k, n int, f func(i int) error) error {
	var next atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}
