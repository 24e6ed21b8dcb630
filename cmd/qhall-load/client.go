package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// client speaks qhall's JSON API over keep-alive connections.
type client struct {
	base string
	hc   *http.Client
}

func newClient(base string, conns int) *client {
	tr := &http.Transport{
		MaxIdleConns:        conns + 16,
		MaxIdleConnsPerHost: conns + 16,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &client{base: base, hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// do sends one request and reads the whole answer (so the connection is reused). out, when
// not nil, receives a 2xx JSON answer.
func (c *client) do(ctx context.Context, method, path, token string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode/100 != 2 {
		return res.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return res.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return res.StatusCode, nil
}

func (c *client) login(ctx context.Context, user, password string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	_, err := c.do(ctx, "POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": password}, &out)
	return out.Token, err
}

type ticket struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
	Token  string `json:"token"`
}

func (c *client) issue(ctx context.Context, hall, service int64) (*ticket, int, error) {
	var t ticket
	code, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/halls/%d/tickets", hall), "", map[string]int64{"service": service}, &t)
	return &t, code, err
}

type windowInfo struct {
	ID       int64   `json:"id"`
	Number   int     `json:"number"`
	Services []int64 `json:"services"`
}

func (c *client) windows(ctx context.Context, hall int64) ([]windowInfo, error) {
	var ws []windowInfo
	_, err := c.do(ctx, "GET", fmt.Sprintf("/api/v1/halls/%d/windows", hall), "", nil, &ws)
	return ws, err
}

// --- latency statistics ---------------------------------------------------------------------

// samples gathers latencies of one kind of request from many goroutines.
type samples struct {
	mu     sync.Mutex
	d      []time.Duration
	errors map[string]int
}

func (s *samples) add(d []time.Duration) {
	s.mu.Lock()
	s.d = append(s.d, d...)
	s.mu.Unlock()
}

func (s *samples) fail(what string) {
	s.mu.Lock()
	if s.errors == nil {
		s.errors = map[string]int{}
	}
	s.errors[what]++
	s.mu.Unlock()
}

type summary struct {
	N                        int
	P50, P90, P99, P999, Max time.Duration
	Mean                     time.Duration
}

func summarize(d []time.Duration) summary {
	if len(d) == 0 {
		return summary{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	var sum time.Duration
	for _, v := range s {
		sum += v
	}
	q := func(p float64) time.Duration {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return summary{N: len(s), P50: q(.5), P90: q(.9), P99: q(.99), P999: q(.999), Max: s[len(s)-1], Mean: sum / time.Duration(len(s))}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func (s summary) String() string {
	if s.N == 0 {
		return "no samples"
	}
	return fmt.Sprintf("n=%d  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %s", s.N, ms(s.P50), ms(s.P90), ms(s.P99), ms(s.P999), ms(s.Max), ms(s.Mean))
}
