package events

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// counter is a hall whose state is the number of reads so far; reads can be held up.
type counter struct {
	reads atomic.Int64
	gate  chan struct{}
}

func (c *counter) load(ctx context.Context, hall int64) ([]byte, error) {
	if c.gate != nil {
		<-c.gate
	}
	return []byte(fmt.Sprintf("%d:%d", hall, c.reads.Add(1))), nil
}

func recv(t *testing.T, s *Sub) string {
	t.Helper()
	select {
	case b := <-s.C:
		return string(b)
	case <-time.After(5 * time.Second):
		t.Fatal("no state")
		return ""
	}
}

func TestFanOutAndNewestWins(t *testing.T) {
	c := &counter{}
	h := NewHub(c.load, slog.New(slog.DiscardHandler))
	a, b := h.Subscribe(1), h.Subscribe(1)
	if got := recv(t, a); got != "1:1" {
		t.Fatalf("first state %q", got)
	}
	recv(t, b)
	if h.Subscribers(1) != 2 {
		t.Fatal("subscribers")
	}
	// b does not read while three changes pass: it then holds only the newest state.
	for i := 0; i < 3; i++ {
		h.Poke(1)
		recv(t, a)
	}
	// Wait for the hub to go idle (a poke during a read folds into one more read).
	var newest []byte
	for deadline := time.Now().Add(5 * time.Second); newest == nil && time.Now().Before(deadline); {
		newest = h.Recent(1, time.Minute)
		time.Sleep(time.Millisecond)
	}
	if got, want := recv(t, b), string(newest); got != want || want != fmt.Sprintf("1:%d", c.reads.Load()) {
		t.Fatalf("slow subscriber got %q, want the newest %q", got, want)
	}
	select {
	case extra := <-b.C:
		t.Fatalf("stale state queued: %q", extra)
	default:
	}
	h.Unsubscribe(a)
	h.Unsubscribe(b)
	if h.Subscribers(1) != 0 {
		t.Fatal("unsubscribe")
	}
}

// Changes that arrive while a read is under way fold into one more read, not one each.
func TestPokesCoalesce(t *testing.T) {
	c := &counter{gate: make(chan struct{})}
	h := NewHub(c.load, slog.New(slog.DiscardHandler))
	s := h.Subscribe(7) // starts a read that waits at the gate
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); h.Poke(7) }()
	}
	wg.Wait()
	close(c.gate)
	recv(t, s)
	time.Sleep(200 * time.Millisecond)
	if n := c.reads.Load(); n != 2 {
		t.Fatalf("%d reads for 51 pokes during one read, want 2", n)
	}
	if b := h.Recent(7, time.Minute); string(b) != "7:2" {
		t.Fatalf("Recent = %q", b)
	}
	if b := h.Recent(7, 0); b != nil {
		t.Fatal("Recent ignores the age")
	}
	if b := h.Recent(8, time.Minute); b != nil {
		t.Fatal("Recent of an unread hall")
	}
}
