// Command qhall runs the service halls of an organisation: the queue, the counters, the display
// boards and the back office, in one binary.
//
//	qhall [serve]          start the server (QHALL_ADDR, QHALL_DATA, QHALL_DATABASE_URL)
//	qhall migrate          bring the database schema up to date and exit
//	qhall passwd USER      set a staff account's password (from standard input or a prompt)
//	qhall check-speech     check a text for forbidden service phrases (服务禁语)
//	qhall simulate         run a hall day through the queue engine on a scratch database (what-ifs)
//	qhall backup FILE      copy the SQLite database while qhall serves
//	qhall restore FILE     put a backup back (qhall must be stopped)
//	qhall audit verify     check the audit log's hash chains
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
	"path/filepath"
	"syscall"
	"time"
	_ "time/tzdata" // hall time zones work on machines without a zone database

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/audit"
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
	case "backup":
		os.Exit(backup(args))
	case "restore":
		os.Exit(restore(args))
	case "audit":
		os.Exit(auditCmd(args))
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
  backup FILE               copy the SQLite database to FILE while qhall serves (a consistent
                            snapshot); for PostgreSQL use pg_dump (README)
  restore FILE              put the backup FILE back as the SQLite database; refused while a
                            qhall serves the data folder (stop it first)
  audit verify              check the audit log's hash chains; exit 1 at the first altered or
                            missing entry of any chain
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
  QHALL_TRUST_PROXY=1       take the client's address from X-Forwarded-For (behind a proxy)
  QHALL_MAX_STREAMS         live event streams per instance (default 2000)
  QHALL_ISSUE_PER_MINUTE    tickets one address (not a paired kiosk) may take a minute (default
                            10; -1: no limit)
  QHALL_METRICS_TOKEN       bearer token /metrics asks for
  QHALL_METRICS_ADDR        serve /metrics on this address instead of the main one
  QHALL_RETENTION_DAYS      days before citizens' personal data is anonymised (default 180)
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
	// Bodies have their own read deadline (web's edge), since ReadTimeout would also end the
	// live event streams.
	srv := &http.Server{Addr: cfg.Addr, Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
		MaxHeaderBytes: 64 << 10, BaseContext: func(net.Listener) context.Context { return streams }}
	srv.RegisterOnShutdown(endStreams)
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	if cfg.MetricsAddr != "" {
		msrv := &http.Server{Addr: cfg.MetricsAddr, Handler: a.Server.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- msrv.ListenAndServe() }()
		defer msrv.Close()
	}

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

func backup(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: qhall backup FILE")
		return 2
	}
	cfg := app.FromEnv()
	if cfg.DatabaseURL != "" {
		fmt.Fprintln(os.Stderr, "qhall backup: PostgreSQL is backed up with pg_dump (see README)")
		return 2
	}
	// Opened without migrating and without the serving lock: the backup reads beside a running
	// server.
	db, err := store.OpenSQLiteFile(filepath.Join(cfg.DataDir, "qhall.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "qhall backup:", err)
		return 1
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(context.Background(), args[0]); err != nil {
		fmt.Fprintln(os.Stderr, "qhall backup:", err)
		return 1
	}
	fmt.Printf("backed up to %s in %v\n", args[0], time.Since(start).Round(time.Millisecond))
	return 0
}

func restore(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: qhall restore FILE")
		return 2
	}
	cfg := app.FromEnv()
	if cfg.DatabaseURL != "" {
		fmt.Fprintln(os.Stderr, "qhall restore: PostgreSQL is restored with pg_restore (see README)")
		return 2
	}
	if err := store.Restore(context.Background(), args[0], cfg.DataDir); err != nil {
		fmt.Fprintln(os.Stderr, "qhall restore:", err)
		return 1
	}
	fmt.Printf("restored %s into %s (the previous database is qhall.db.before-restore)\n", args[0], cfg.DataDir)
	return 0
}

func auditCmd(args []string) int {
	if len(args) != 1 || args[0] != "verify" {
		fmt.Fprintln(os.Stderr, "usage: qhall audit verify")
		return 2
	}
	cfg := app.FromEnv()
	db, err := store.Open(context.Background(), cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qhall audit verify:", err)
		return 1
	}
	defer db.Close()
	problems, n, err := audit.Verify(context.Background(), db)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qhall audit verify:", err)
		return 1
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		return 1
	}
	heads, err := audit.Heads(context.Background(), db)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qhall audit verify:", err)
		return 1
	}
	fmt.Printf("audit log intact: %d chained entries\n", n)
	for _, h := range heads {
		fmt.Printf("  head %-10s %8d %s\n", h.Chain, h.Seq, h.Hash)
	}
	return 0
}
