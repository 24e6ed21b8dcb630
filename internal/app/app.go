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
	"strings"
	"sync/atomic"
	"time"

	"github.com/qhall/qhall/internal/appointments"
	"github.com/qhall/qhall/internal/cases"
	"github.com/qhall/qhall/internal/demo"
	"github.com/qhall/qhall/internal/devices"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/feedback"
	"github.com/qhall/qhall/internal/hallscreen"
	"github.com/qhall/qhall/internal/jobs"
	"github.com/qhall/qhall/internal/notify"
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
	// PublicURL is the address citizens' phones reach qhall at (QHALL_PUBLIC_URL), used in QR
	// codes and links; when set, the request's Host header is never used for them.
	PublicURL string
	// NotifyWebhook (QHALL_NOTIFY_WEBHOOK) receives citizens' messages (appointment reminders) as
	// JSON; with none, the outbox records them as not sent.
	NotifyWebhook string
	// PersonKey (QHALL_PERSON_KEY) keys phone and ID numbers; kept outside the database, a
	// copy of the database alone cannot be searched for a given ID number. When empty a key made
	// once and kept in the database is used. Changing it later breaks the "one per person" and
	// no-show matching of existing bookings.
	PersonKey string
	// Now, when set, is the clock of every service from the start (tests; set before the
	// scheduled jobs start, so it is never changed under them).
	Now func() time.Time
	// DemoHistory: a demo loaded now also gets weeks of served tickets, ratings, rectifications
	// and complaints (QHALL_DEMO_HISTORY=0 leaves them out; tests leave them out).
	DemoHistory bool
	// Guard: the limits on what one client may take (see web.Guard and README).
	Guard web.Guard
	// MetricsAddr (QHALL_METRICS_ADDR) serves /metrics on a listen address of its own instead
	// of the main one; cmd/qhall starts it.
	MetricsAddr string
	// RetentionDays (QHALL_RETENTION_DAYS, default 180) is how long citizens' personal data is
	// kept before the privacy job anonymises it.
	RetentionDays int
}

// FromEnv reads the configuration with its defaults.
func FromEnv() Config {
	c := Config{Addr: os.Getenv("QHALL_ADDR"), DataDir: os.Getenv("QHALL_DATA"), DatabaseURL: os.Getenv("QHALL_DATABASE_URL"),
		DemoPassword: os.Getenv("QHALL_DEMO_PASSWORD"), NoDemo: os.Getenv("QHALL_NO_DEMO") == "1",
		PublicURL:     os.Getenv("QHALL_PUBLIC_URL"),
		NotifyWebhook: os.Getenv("QHALL_NOTIFY_WEBHOOK"), PersonKey: os.Getenv("QHALL_PERSON_KEY"),
		DemoHistory: os.Getenv("QHALL_DEMO_HISTORY") != "0"}
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
	// clock is the clock of every service (Now); tests set it with SetClock, which the scheduled
	// jobs and the screens may read at any moment, hence atomic.
	clock atomic.Pointer[func() time.Time]
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
	// Appointments books slots; Notifier sends citizens' messages (nil: none configured).
	Appointments *appointments.Service
	Notifier     notify.Sender

	waker *hallscreen.Waker

	fb *feedback.Service

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
	a := &App{DB: db, Bus: events.NewBus(), done: make(chan struct{}), jobsDone: make(chan struct{}),
		guard: cfg.Guard, retentionDays: cfg.RetentionDays}
	a.SetClock(time.Now)
	if cfg.Now != nil {
		a.SetClock(cfg.Now)
	}
	if cfg.NotifyWebhook != "" {
		a.Notifier = &notify.Webhook{URL: cfg.NotifyWebhook}
	}
	a.Appointments = &appointments.Service{DB: db, Now: func() time.Time { return a.Now() }}
	if cfg.PersonKey != "" {
		a.Appointments.Key = []byte(cfg.PersonKey)
	}
	if a.Jobs, err = jobs.New(db, a.jobList(db), jobs.Options{Log: log, Clock: func() time.Time { return a.Now() }}); err != nil {
		db.Close()
		return nil, err
	}
	a.Server = a.build(db, log)
	a.Server.BaseURL = strings.TrimRight(cfg.PublicURL, "/")
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
		if loaded && cfg.DemoHistory {
			if err := demo.LoadFeedback(ctx, db, time.Now()); err != nil {
				db.Close()
				return nil, err
			}
		}
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
	// The waker re-reads a hall when its state changes with no event (a long wait begins).
	a.waker = &hallscreen.Waker{Now: clock}
	a.Appointments.Queue = q
	fb := a.feedback(db)
	screen := &hallscreen.Composer{Providers: []hallscreen.Provider{
		{Name: "queue", Read: func(ctx context.Context, hall int64) (any, error) {
			st, err := q.State(ctx, hall)
			if err == nil {
				a.waker.At(hall, st.NextChange(st.At))
			}
			return st, err
		}},
		{Name: "feedback", Read: func(ctx context.Context, hall int64) (any, error) { return fb.HallMarker(ctx, hall) }},
	}}
	hub := events.NewHub(screen.Load, log)
	a.waker.Poke = hub.Poke
	// The topics that change what a hall's screens show; each key is a hall.
	for _, t := range []events.Topic{queue.Topic, cases.Topic, feedback.Topic} {
		a.Bus.Subscribe(t, hub.Poke)
	}
	a.Bus.OnResync(hub.PokeAll)
	srv := web.New(web.Deps{
		DB:     db,
		Queue:  q,
		Cases:  &cases.Service{DB: db, Queue: q, Now: clock, Limits: cases.DefaultLimits},
		Speech: &servicelang.Library{DB: db, Now: clock},
		Auth:   &staff.Service{DB: db, Now: clock},
		Hub:    hub,
		Screen: screen,
		Jobs:   a.Jobs,
		Log:    log,

		Appointments: a.Appointments,
		Feedback:     fb,
		Devices:      &devices.Registry{DB: db, Now: clock},
		Now:          clock,
	})
	srv.Guard = a.guard
	return srv
}

// Now is the time by the app's clock.
func (a *App) Now() time.Time { return (*a.clock.Load())() }

// SetClock sets the clock of every service (tests).
func (a *App) SetClock(now func() time.Time) { a.clock.Store(&now) }

// feedback is the ratings and complaints service, built once: the scheduled escalation and the
// HTTP side share it. Appointments and case files add their ContactSources here.
func (a *App) feedback(db *store.DB) *feedback.Service {
	if a.fb == nil {
		a.fb = &feedback.Service{DB: db, Now: func() time.Time { return a.Now() }}
	}
	return a.fb
}

// Handler is the HTTP surface.
func (a *App) Handler() http.Handler { return a.Server.Handler() }

// Close stops live events and the scheduled jobs (waiting for a running one) and closes the
// database.
func (a *App) Close() error {
	a.cancel()
	a.waker.Stop()
	<-a.done
	<-a.jobsDone
	return a.DB.Close()
}
