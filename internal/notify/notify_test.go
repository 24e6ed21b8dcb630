package notify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/notify"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

// A message is queued once per (kind, ref); a failing webhook is retried, then marked failed.
func TestOutboxOnceAndRetries(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, e)
			now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
			var news int
			for range 3 {
				err := db.InTx(ctx, func(tx *store.Tx) error {
					ok, err := notify.Enqueue(ctx, tx, now, notify.Message{Kind: "k", Ref: "r:1", Recipient: "13812345678", Text: "hi"})
					if ok {
						news++
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if news != 1 {
				t.Fatalf("queued %d times, want 1", news)
			}
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.WriteHeader(http.StatusBadGateway)
			}))
			defer srv.Close()
			for range notify.MaxAttempts + 2 {
				if _, err := notify.Deliver(ctx, db, &notify.Webhook{URL: srv.URL}, now, 10); err != nil {
					t.Fatal(err)
				}
			}
			out, err := notify.Outbox(ctx, db, "r:1")
			if err != nil || len(out) != 1 || out[0].State != "failed" || out[0].Attempts != notify.MaxAttempts || int(hits.Load()) != notify.MaxAttempts {
				t.Fatalf("outbox %+v, %d posts, %v", out, hits.Load(), err)
			}
		})
	}
}
