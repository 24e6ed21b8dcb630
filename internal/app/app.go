// Package app wires qhall together from its configuration: the database, live events, demo data
// and the HTTP server. cmd/qhall and the end-to-end tests start it the same way.
package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/qhall/qhall/internal/demo"
	"github.com/qhall/qhall/internal/devices"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/hallscreen"
	"github.com/qhall/qhall/internal/jobs"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/servicelang"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/web"
)

// Config is read from the environment by cmd/qhall.
type Config struct {
	Addr         string // QHALL_ADDR
	DataDir      string // QHALL_DATA
	DatabaseURL  string // QHALL_DATABASE_URL
	DemoPassword string // QHALL_DEMO_PASSWORD; generated when empty
	NoDemo       bool   // QHALL_NO_DEMO=1: start with an empty organisation
	// Guard: the limits on what one client may take (see web.Guard and README).
	Guard web.Guard
	// MetricsAddr (QHALL_METRICS_ADDR) serves /metrics on a listen address of its own instead
	// of the main one; cmd/qhall starts it.
	MetricsAddr string
	// RetentionDays (QHALL_RETENTION_DAYS, default 180) is how long citizens' personal data is
	// kept before the privacy job anonymises it.
	RetentionDays int
	// Clock, when set, is the clock of every service from the start (tests); else time.Now.
	Clock func() time.Time
}

// FromEnv reads the configuration with its defaults.
func FromEnv() Config {
	c := Config{Addr: os.Getenv("QHALL_ADDR"), DataDir: os.Getenv("QHALL_DATA"), DatabaseURL: os.Getenv("QHALL_DATABASE_URL"),
		DemoPassword: os.Getenv("QHALL_DEMO_PASSWORD"), NoDemo: os.Getenv("QHALL_NO_DEMO") == "1"}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	c.Guard.TrustProxy = os.Getenv("QHALL_TRUST_PROXY") == "1"
	c.Guard.MaxStreams, _ = strconv.Atoi(os.Getenv("QHALL_MAX_STREAMS"))
	c.Guard.IssuePerMinute, _ = strconv.Atoi(os.Getenv("QHALL_ISSUE_PER_MINUTE"))
	c.Guard.MetricsToken = os.Getenv("QHALL_METRICS_TOKEN")
	c.MetricsAddr = os.Getenv("QHALL_METRICS_ADDR")
	c.Guard.MetricsElsewhere = c.MetricsAddr != ""
	if d, err := strconv.Atoi(os.Getenv("QHALL_RETENTION_DAYS")); err == nil && d > 0 {
		c.RetentionDays = d
	}
	if c.DataDir == "" {
		c.DataDir = "./data"
	}
	return c
}

// App is one running instance.
type App struct {
	DB     *store.DB
	Server *web.Server
	// Now is the clock of every service; tests set it.
	Now func() time.Time
	// Bus carries published changes to their subscribers (the hall screens' hub).
	Bus *events.Bus
	// DemoLoaded is true when this start created the demo organisation; DemoPassword is then
	// the password of every demo account.
	DemoLoaded   bool
	DemoPassword string
	// HasDemo is true when the database holds the demo organisation (loaded now or before).
	HasDemo bool

	// Jobs runs the scheduled work of jobList.
	Jobs *jobs.Runner

	guard         web.Guard
	retentionDays int
	cancel        context.CancelFunc
	done          chan struct{}
	jobsDone      chan struct{}
}

// Open opens the database, runs migrations, loads the demo organisation into an empty
// database, and connects live events (in-process on SQLite, LISTEN/NOTIFY on PostgreSQL).
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*App, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if cfg.Clock != nil {
		now = cfg.Clock
	}
	a := &App{DB: db, Now: now, Bus: events.NewBus(), done: make(chan struct{}), jobsDone: make(chan struct{}), guard: cfg.Guard, retentionDays: cfg.RetentionDays}
	if a.Jobs, err = jobs.New(db, a.jobList(db), jobs.Options{Log: log, Clock: func() time.Time { return a.Now() }}); err != nil {
		db.Close()
		return nil, err
	}
	a.Server = a.build(db, log)
	if !cfg.NoDemo {
		pw := cfg.DemoPassword
		if pw == "" {
			b := make([]byte, 9)
			rand.Read(b)
			pw = base64.RawURLEncoding.EncodeToString(b)
		}
		loaded, err := demo.Load(ctx, db, pw, time.Now())
		if err != nil {
			db.Close()
			return nil, err
		}
		a.DemoLoaded, a.DemoPassword = loaded, pw
		if a.HasDemo, err = demo.Present(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	lctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	if db.Dialect == store.Postgres {
		ready := make(chan struct{})
		go func() {
			defer close(a.done)
			events.ListenPostgres(lctx, db.DSN, a.Bus, log, ready)
		}()
		select {
		case <-ready:
		case <-time.After(10 * time.Second):
			log.Warn("live events: not listening yet; continuing")
		}
	} else {
		db.AfterCommit = a.Bus.AfterCommit
		close(a.done)
	}
	go func() {
		defer close(a.jobsDone)
		a.Jobs.Start(lctx)
	}()
	a.Server.MarkReady()
	return a, nil
}

// build is the composition root: every domain service on db, the hall screens composed from
// their providers, and the HTTP server handed what it needs.
func (a *App) build(db *store.DB, log *slog.Logger) *web.Server {
	clock := func() time.Time { return a.Now() }
	q := &queue.Engine{DB: db, Now: clock}
	screen := &hallscreen.Composer{Providers: []hallscreen.Provider{
		{Name: "queue", Read: func(ctx context.Context, hall int64) (any, error) { return q.State(ctx, hall) }},
	}}
	hub := events.NewHub(screen.Load, log)
	// The topics that change what a hall's screens show; each key is a hall.
	for _, t := range []events.Topic{queue.Topic} {
		a.Bus.Subscribe(t, hub.Poke)
	}
	a.Bus.OnResync(hub.PokeAll)
	srv := web.New(web.Deps{
		DB:      db,
		Queue:   q,
		Speech:  &servicelang.Library{DB: db, Now: clock},
		Auth:    &staff.Service{DB: db, Now: clock},
		Hub:     hub,
		Screen:  screen,
		Jobs:    a.Jobs,
		Devices: &devices.Registry{DB: db, Now: clock},
		Log:     log,
		Now:     clock,
	})
	srv.Guard = a.guard
	return srv
}

// Handler is the HTTP surface.
func (a *App) Handler() http.Handler { return a.Server.Handler() }

// Close stops live events and the scheduled jobs (waiting for a running one) and closes the
// database.
func (a *App) Close() error {
	a.cancel()
	<-a.done
	<-a.jobsDone
	return a.DB.Close()
}
