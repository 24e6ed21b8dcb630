package events

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// ListenPostgres hears the changes published by any instance and hands them to the bus. It
// reconnects after a lost connection and then tells the bus to resync, since notifications
// sent meanwhile are not replayed. It returns when ctx ends. ready, if not nil, is closed once
// listening.
func ListenPostgres(ctx context.Context, dsn string, bus *Bus, log *slog.Logger, ready chan<- struct{}) {
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, dsn)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+Channel)
		}
		if err != nil {
			if conn != nil {
				conn.Close(context.Background())
			}
			if ctx.Err() != nil {
				return
			}
			log.Warn("listen: cannot connect", "err", err, "retry_in", backoff)
			time.Sleep(backoff)
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		if first {
			first = false
			if ready != nil {
				close(ready)
			}
		} else {
			bus.Resync()
		}
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				break
			}
			bus.Deliver(n.Payload)
		}
		conn.Close(context.Background())
		if ctx.Err() == nil {
			log.Warn("listen: connection lost, reconnecting")
		}
	}
}
