package events

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is the NOTIFY channel; the payload is the id of the hall that changed.
const Channel = "qhall_hall"

// ListenPostgres listens for hall changes made by any instance and pokes the hub. It reconnects
// after a lost connection and then re-reads every hall, since notifications sent meanwhile are
// not replayed. It returns when ctx ends. ready, if not nil, is closed once listening.
func ListenPostgres(ctx context.Context, dsn string, hub *Hub, log *slog.Logger, ready chan<- struct{}) {
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
			hub.PokeAll()
		}
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				break
			}
			if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
				hub.Poke(id)
			}
		}
		conn.Close(context.Background())
		if ctx.Err() == nil {
			log.Warn("listen: connection lost, reconnecting")
		}
	}
}
