// Command qhall runs the service halls of an organisation: the queue, the counters, the display
// boards and the back office, in one binary.
//
//	qhall [serve]          start the server (QHALL_ADDR, QHALL_DATA, QHALL_DATABASE_URL)
//	qhall migrate          bring the database schema up to date and exit
//	qhall passwd USER      set a staff account's password (from standard input or a prompt)
//	qhall check-speech     check a text for forbidden service phrases (服务禁语)
//	qhall simulate         run a hall day through the queue engine on a scratch database (what-ifs)
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // hall time zones work on machines without a zone database

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/simulate"
	"github.com/qhall/qhall/internal/speech"
	"github.com/qhall/qhall/internal/store"
)

func main() {
	cmd := "serve"
	args := os.Args[1:]
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		os.Exit(serve())
	case "migrate":
		os.Exit(migrate())
	case "passwd":
		os.Exit(passwd(args, os.Stdin, os.Stdout, os.Stderr))
	case "check-speech":
		os.Exit(speech.RunCheckSpeech(args, os.Stdin, os.Stdout, os.Stderr))
	case "simulate":
		os.Exit(simulate.RunCommand(args, os.Stdout, os.Stderr))
	case "help", "-h", "--help":
		usage(os.Stdout)
	default:
		fmt.Fprintf(os.Stderr, "qhall: unknown command %q\n\n", cmd)
		usage(os.Stderr)
		os.Exit(2)
	}
}

func usage(w *os.File) {
	fmt.Fprint(w, `usage: qhall [command]

commands:
  serve                     start the server (the default)
  migrate                   bring the database schema up to date and exit
  passwd USER               set the password of a staff account: asked for on a terminal, else
                            the first line of standard input; at least 10 characters; audited
  check-speech [--json] [--plain] [--rules FILE] FILE
                            check a transcript or text (- for standard input) for forbidden
                            service phrases; exit 0 without hits, 1 with hits, 2 on an error
  simulate [--date D] [--seed N] [--base N] [--baseline N] [--windows HH:MM+N] [--close W@HH:MM]
                            a hall day through the real queue engine on a scratch database:
                            waits p50/p90, share within the target, utilisation (-h for all flags)

environment:
  QHALL_ADDR                listen address (default 127.0.0.1:8080)
  QHALL_DATA                folder of the SQLite file (default ./data)
  QHALL_DATABASE_URL        postgres://... to run on PostgreSQL instead of SQLite
  QHALL_DEMO_PASSWORD       password of the demo accounts (generated and printed once if unset)
  QHALL_NO_DEMO=1           do not load the demo organisation into an empty database
`)
}

const demoAccounts = "admin, sup1, sup2, clerk1-1 … clerk1-8, clerk2-1 … clerk2-8"

func logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func migrate() int {
	cfg := app.FromEnv()
	db, err := store.Open(context.Background(), cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qhall migrate:", err)
		return 1
	}
	db.Close()
	fmt.Println("schema up to date")
	return 0
}

func serve() int {
	cfg := app.FromEnv()
	log := logger()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	defer a.Close()

	// Live streams never end by themselves: their requests share a context that shutdown
	// cancels, so a stop does not wait for every display board to hang up.
	streams, endStreams := context.WithCancel(context.Background())
	defer endStreams()
	srv := &http.Server{Addr: cfg.Addr, Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
		BaseContext: func(net.Listener) context.Context { return streams }}
	srv.RegisterOnShutdown(endStreams)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()

	printPages(a, cfg)
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Error("server stopped", "err", err)
			return 1
		}
	case <-ctx.Done():
		log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}
	return 0
}

// printPages tells the operator where every page is, and the demo password the one time it is
// made (it is never logged again).
func printPages(a *app.App, cfg app.Config) {
	base := "http://" + cfg.Addr
	engine := "SQLite " + cfg.DataDir
	if a.DB.Dialect == store.Postgres {
		engine = "PostgreSQL"
	}
	fmt.Printf("qhall is serving on %s (%s)\n\n", base, engine)
	fmt.Printf("  Home                 %s/\n", base)
	fmt.Printf("  Counter terminal     %s/counter\n", base)
	fmt.Printf("  Sign in              %s/login\n", base)
	fmt.Printf("  Service language     %s/admin/speech\n", base)
	fmt.Printf("  Back office          %s/admin\n", base)
	halls, err := org.Halls(context.Background(), a.DB)
	if err == nil {
		for _, h := range halls {
			fmt.Printf("  Hall %d %s\n", h.Number, h.Name)
			fmt.Printf("    Kiosk              %s/kiosk/%d\n", base, h.ID)
			fmt.Printf("    Display board      %s/display/%d\n", base, h.ID)
			fmt.Printf("    Supervisor         %s/supervisor/%d\n", base, h.ID)
			fmt.Printf("    Service guide      %s/guide/%d\n", base, h.ID)
		}
	}
	fmt.Printf("  API                  %s/api/v1/halls   health %s/healthz   metrics %s/metrics\n", base, base, base)
	switch {
	case a.DemoLoaded:
		fmt.Printf("\nDemo organisation loaded. Accounts: %s\n", demoAccounts)
		if cfg.DemoPassword == "" {
			fmt.Printf("Their password (shown only now; set QHALL_DEMO_PASSWORD to choose it): %s\n", a.DemoPassword)
		} else {
			fmt.Printf("Their password is QHALL_DEMO_PASSWORD.\n")
		}
		fmt.Printf("To set a new password later: qhall passwd USER (go run ./cmd/qhall passwd USER)\n")
	case a.HasDemo:
		fmt.Printf("\nDemo accounts: %s\n", demoAccounts)
		fmt.Printf("Their password was printed when the demo was first loaded")
		if cfg.DemoPassword != "" {
			fmt.Printf(" (QHALL_DEMO_PASSWORD chooses it only then, not on this data folder)")
		}
		fmt.Printf(".\nTo set a new one: go run ./cmd/qhall passwd admin   (any account; the password is asked for)\n")
	}
	fmt.Println()
}
