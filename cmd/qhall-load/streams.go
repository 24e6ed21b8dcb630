package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// streamsCmd holds N display streams (GET /api/v1/halls/1/events) open, then window 1 calls K
// tickets, one every -spacing (finishing each halfway to the next call). For every call and
// every stream it measures the delay from the moment the call request is sent (the clerk's
// click) to the moment that stream has read a state whose latest call is that ticket. It reads
// the server's memory with no stream, while holding them idle, and after the calls.
type streamsCmd struct {
	streams, calls, connectors int
	spacing                    time.Duration
}

func streamsFlags(fs *flag.FlagSet) *streamsCmd {
	c := &streamsCmd{}
	fs.IntVar(&c.streams, "streams", 1000, "display streams to hold open")
	fs.IntVar(&c.calls, "calls", 50, "calls to make")
	fs.DurationVar(&c.spacing, "spacing", 200*time.Millisecond, "time between two calls")
	fs.IntVar(&c.connectors, "connectors", 50, "streams being opened at once")
	return c
}

// streamResult is what one stream saw: when each ticket first showed as the latest call.
type streamResult struct {
	seen   map[string]time.Time
	states int
	err    error
}

func (c *streamsCmd) run(ctx context.Context, s *server) error {
	if c.calls < 1 || c.streams < 1 {
		return errors.New("need at least one stream and one call")
	}
	if time.Duration(c.calls)*c.spacing > 90*time.Second {
		return errors.New("calls × spacing must stay under 90s")
	}
	cl := newClient(s.Base, 16)
	tok, err := cl.login(ctx, fmt.Sprintf("clerk%d-1", hallID), s.Password)
	if err != nil {
		return err
	}
	ws, err := cl.windows(ctx, hallID)
	if err != nil {
		return err
	}
	var win windowInfo
	for _, w := range ws {
		if w.Number == 1 {
			win = w
		}
	}
	if win.ID == 0 || len(win.Services) == 0 {
		return errors.New("hall 1 has no window number 1 with services")
	}
	if _, err := cl.do(ctx, "POST", fmt.Sprintf("/api/v1/windows/%d/open", win.ID), tok, nil, nil); err != nil {
		return err
	}
	for range c.calls {
		if _, _, err := cl.issue(ctx, hallID, win.Services[0]); err != nil {
			return err
		}
	}
	memNames := []string{"go_memstats_heap_inuse_bytes", "go_memstats_sys_bytes", "go_goroutines", "qhall_event_streams"}
	time.Sleep(time.Second)
	mem0, met0 := readProc(s.PID), metrics(ctx, s.Base, memNames...)

	// Open the streams.
	fmt.Fprintf(os.Stderr, "opening %d streams ...\n", c.streams)
	sctx, scancel := context.WithCancel(ctx)
	defer scancel()
	tr := &http.Transport{MaxIdleConnsPerHost: -1, DisableCompression: true, ResponseHeaderTimeout: 30 * time.Second}
	hc := &http.Client{Transport: tr}
	results := make([]streamResult, c.streams)
	var connected, failed atomic.Int64
	sem := make(chan struct{}, c.connectors)
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := range c.streams {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			first := make(chan struct{})
			go func() {
				select {
				case <-first:
				case <-time.After(30 * time.Second):
				}
				<-sem
			}()
			results[i] = readStream(sctx, hc, fmt.Sprintf("%s/api/v1/halls/%d/events", s.Base, hallID), first, &connected)
			if results[i].err != nil && sctx.Err() == nil {
				failed.Add(1)
			}
		}()
		if ctx.Err() != nil {
			break
		}
	}
	for connected.Load()+failed.Load() < int64(c.streams) && time.Since(t0) < 90*time.Second && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	connectTime := time.Since(t0)
	if n := connected.Load(); n < int64(c.streams) {
		scancel()
		wg.Wait()
		return fmt.Errorf("only %d of %d streams connected (%d failed); first error: %v", n, c.streams, failed.Load(), firstErr(results))
	}
	time.Sleep(2 * time.Second)
	mem1, met1 := readProc(s.PID), metrics(ctx, s.Base, memNames...)

	// The calls.
	fmt.Fprintf(os.Stderr, "calling %d tickets, one every %s ...\n", c.calls, c.spacing)
	type sent struct {
		number     string
		send, resp time.Time
	}
	var calls []sent
	var callLat []time.Duration
	begin := time.Now()
	for k := range c.calls {
		at := begin.Add(time.Duration(k) * c.spacing)
		time.Sleep(time.Until(at))
		var t ticket
		ts := time.Now()
		code, err := cl.do(ctx, "POST", fmt.Sprintf("/api/v1/windows/%d/call", win.ID), tok, nil, &t)
		te := time.Now()
		if err != nil || code != 200 {
			return fmt.Errorf("call %d: %d %v", k, code, err)
		}
		calls = append(calls, sent{t.Number, ts, te})
		callLat = append(callLat, te.Sub(ts))
		time.Sleep(time.Until(at.Add(c.spacing / 2)))
		if _, err := cl.do(ctx, "POST", fmt.Sprintf("/api/v1/windows/%d/finish", win.ID), tok, nil, nil); err != nil {
			return fmt.Errorf("finish %d: %v", k, err)
		}
	}
	time.Sleep(2 * time.Second) // stragglers
	mem2, met2 := readProc(s.PID), metrics(ctx, s.Base, memNames...)
	scancel()
	wg.Wait()

	var fromSend, fromResp []time.Duration
	missing := 0
	states := 0
	for _, r := range results {
		states += r.states
		for _, cs := range calls {
			at, ok := r.seen[cs.number]
			if !ok {
				missing++
				continue
			}
			fromSend = append(fromSend, at.Sub(cs.send))
			fromResp = append(fromResp, at.Sub(cs.resp))
		}
	}

	fmt.Printf("qhall-load streams: engine %s, %d display streams on hall %d, %d calls at window 1 one every %s (each finished halfway)\n",
		s.Engine, c.streams, hallID, c.calls, c.spacing)
	fmt.Printf("machine: %d CPUs (GOMAXPROCS %d), client and server on the same machine over loopback\n", runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Printf("  streams opened in %s; %d states read in all\n", connectTime.Round(time.Millisecond), states)
	fmt.Printf("  call request latency:            %s\n", summarize(callLat))
	fmt.Printf("  call sent → state on a stream:   %s\n", summarize(fromSend))
	fmt.Printf("  call answered → state on stream: %s\n", summarize(fromResp))
	fmt.Printf("  (call, stream) pairs never seen: %d of %d\n", missing, len(calls)*c.streams)
	row := func(label string, m procMem, met map[string]float64) {
		fmt.Printf("  server %-22s VmRSS %s  Go heap in use %s  Go sys %s  goroutines %.0f  streams %.0f\n", label+":",
			mib(float64(m.RSS)), mib(met["go_memstats_heap_inuse_bytes"]), mib(met["go_memstats_sys_bytes"]), met["go_goroutines"], met["qhall_event_streams"])
	}
	if mem0.Available {
		row("before streams", mem0, met0)
		row("holding streams", mem1, met1)
		row("after the calls", mem2, met2)
		fmt.Printf("  server peak VmHWM %s (the sign-in's argon2id takes 19 MiB a time: \"before\" holds that garbage until the next GC)\n", mib(float64(mem2.HWM)))
	} else {
		fmt.Printf("  server memory unknown (no process id; with -url give -pid)\n")
	}
	return nil
}

func firstErr(rs []streamResult) error {
	for _, r := range rs {
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

// readStream reads one SSE stream until ctx ends, noting when each ticket number first shows
// as the latest call. first is closed at the first state.
func readStream(ctx context.Context, hc *http.Client, url string, first chan struct{}, connected *atomic.Int64) streamResult {
	r := streamResult{seen: map[string]time.Time{}}
	once := func() {
		if first != nil {
			close(first)
			first = nil
		}
	}
	defer once()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	res, err := hc.Do(req)
	if err != nil {
		r.err = err
		return r
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		r.err = fmt.Errorf("events: status %d", res.StatusCode)
		return r
	}
	br := bufio.NewReaderSize(res.Body, 32<<10)
	var long []byte
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, line...)
			continue
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && ctx.Err() == nil {
				r.err = err
			}
			return r
		}
		if long != nil {
			line = append(long, line...)
			long = nil
		}
		data, ok := bytes.CutPrefix(line, []byte("data: "))
		if !ok {
			continue
		}
		now := time.Now()
		r.states++
		if first != nil {
			once()
			connected.Add(1)
		}
		if n := latestCall(data); n != "" {
			if _, ok := r.seen[n]; !ok {
				r.seen[n] = now
			}
		}
	}
}

var callsKey = []byte(`"calls":[{`)
var numberKey = []byte(`"number":"`)

// latestCall finds the number of the first (newest) call of a HallState in JSON without
// decoding the whole state: a thousand streams decode every state on a shared machine.
func latestCall(b []byte) string {
	i := bytes.Index(b, callsKey)
	if i < 0 {
		return ""
	}
	b = b[i+len(callsKey):]
	j := bytes.Index(b, numberKey)
	if j < 0 || bytes.IndexByte(b[:j], '}') >= 0 {
		return ""
	}
	b = b[j+len(numberKey):]
	k := bytes.IndexByte(b, '"')
	if k < 0 {
		return ""
	}
	return string(b[:k])
}
