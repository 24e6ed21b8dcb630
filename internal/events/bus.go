package events

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/qhall/qhall/internal/store"
)

// Channel is the one NOTIFY channel of qhall; a note's payload is "topic:key".
const Channel = "qhall_events"

// Topic names a kind of change; its key says what changed (for the queue, the hall). Topics are
// declared by the domain that publishes them.
type Topic string

// Publish announces, when tx commits, that key of topic changed: on PostgreSQL to every
// instance, on SQLite to this process's bus.
func Publish(ctx context.Context, tx *store.Tx, topic Topic, key int64) error {
	return tx.Notify(ctx, Channel, string(topic)+":"+strconv.FormatInt(key, 10))
}

// Bus hands published changes to the subscribers of their topic, in this process.
type Bus struct {
	mu     sync.RWMutex
	subs   map[Topic][]func(key int64)
	resync []func()
}

// NewBus returns an empty bus.
func NewBus() *Bus { return &Bus{subs: map[Topic][]func(int64){}} }

// Subscribe calls f with the key of every change of topic. f must return quickly.
func (b *Bus) Subscribe(t Topic, f func(key int64)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs[t] = append(b.subs[t], f)
}

// OnResync calls f when changes may have been missed (a lost database connection): the
// subscriber then reads everything it shows again.
func (b *Bus) OnResync(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.resync = append(b.resync, f)
}

// Deliver hands one payload ("topic:key") to its subscribers; others are ignored.
func (b *Bus) Deliver(payload string) {
	topic, k, ok := strings.Cut(payload, ":")
	if !ok {
		return
	}
	key, err := strconv.ParseInt(k, 10, 64)
	if err != nil {
		return
	}
	b.mu.RLock()
	fs := b.subs[Topic(topic)]
	b.mu.RUnlock()
	for _, f := range fs {
		f(key)
	}
}

// AfterCommit is store.DB.AfterCommit for a single process (SQLite).
func (b *Bus) AfterCommit(notes []store.Note) {
	for _, n := range notes {
		if n.Channel == Channel {
			b.Deliver(n.Payload)
		}
	}
}

// Resync tells every subscriber that changes may have been missed.
func (b *Bus) Resync() {
	b.mu.RLock()
	fs := append([]func(){}, b.resync...)
	b.mu.RUnlock()
	for _, f := range fs {
		f()
	}
}
