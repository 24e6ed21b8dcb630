package events_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

func TestBusDeliversByTopic(t *testing.T) {
	b := events.NewBus()
	var mu sync.Mutex
	got := map[events.Topic][]int64{}
	for _, topic := range []events.Topic{"queue", "emergency"} {
		topic := topic
		b.Subscribe(topic, func(k int64) { mu.Lock(); got[topic] = append(got[topic], k); mu.Unlock() })
	}
	resyncs := 0
	b.OnResync(func() { resyncs++ })
	b.AfterCommit([]store.Note{{Channel: events.Channel, Payload: "queue:3"}, {Channel: "other", Payload: "queue:4"}, {Channel: events.Channel, Payload: "emergency:5"}, {Channel: events.Channel, Payload: "nonsense"}, {Channel: events.Channel, Payload: "queue:x"}, {Channel: events.Channel, Payload: "unknown:1"}})
	b.Resync()
	if len(got["queue"]) != 1 || got["queue"][0] != 3 || len(got["emergency"]) != 1 || got["emergency"][0] != 5 || resyncs != 1 {
		t.Fatalf("got %v, resyncs %d", got, resyncs)
	}
}

// Published changes reach the bus after commit only, on SQLite through AfterCommit and on
// PostgreSQL through LISTEN/NOTIFY.
func TestPublishReachesSubscribersAfterCommit(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			db := storetest.Open(t, e)
			bus := events.NewBus()
			got := make(chan int64, 10)
			// NOTIFY channels are the server's, not the schema's: other packages' tests publish on
			// the same one at the same time, so this test listens to a topic of its own.
			topic := events.Topic(fmt.Sprintf("test-%d", time.Now().UnixNano()))
			bus.Subscribe(topic, func(k int64) { got <- k })
			if db.Dialect == store.Postgres {
				ready := make(chan struct{})
				done := make(chan struct{})
				go func() {
					defer close(done)
					events.ListenPostgres(ctx, db.DSN, bus, slog.New(slog.DiscardHandler), ready)
				}()
				defer func() { cancel(); <-done }()
				<-ready
			} else {
				db.AfterCommit = bus.AfterCommit
			}
			db.InTx(ctx, func(tx *store.Tx) error {
				events.Publish(ctx, tx, topic, 1)
				return context.Canceled // rolled back: never delivered
			})
			if err := db.InTx(ctx, func(tx *store.Tx) error {
				events.Publish(ctx, tx, topic, 2)
				return events.Publish(ctx, tx, topic, 2)
			}); err != nil {
				t.Fatal(err)
			}
			if k := <-got; k != 2 {
				t.Fatalf("got key %d, want 2 (the rolled-back 1 must not arrive)", k)
			}
			select {
			case k := <-got:
				t.Fatalf("extra delivery %d", k)
			default:
			}
		})
	}
}
