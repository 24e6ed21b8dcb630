// Command qhall-load puts a bounded load on a qhall server on loopback and measures it. It is a
// benchmark tool, not a test: its numbers go to docs/BENCHMARKS.md with the command that made
// them.
//
//	qhall-load calls   [flags]   counters calling and finishing under N concurrent clients
//	qhall-load streams [flags]   delay from a call to its arrival at many display streams,
//	                             and the server's memory while it holds them
//
// By default it builds ./cmd/qhall, starts it as a child process on a free 127.0.0.1 port with a
// fresh database (an SQLite folder of its own, or with -db a fresh schema on that PostgreSQL
// server, dropped afterwards), loads the demo organisation and stops it at the end. -url aims it
// at a server already running instead; -inproc (calls only) runs the server inside this process.
// Every run is bounded in time; loads go to loopback only.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

var cpuProfile, goroutineDump string

// maxRun bounds any run, whatever the flags say.
const maxRun = 3 * time.Minute

func usage() {
	fmt.Fprint(os.Stderr, `usage: qhall-load calls|streams [flags]   (qhall-load calls -h for the flags)

  calls     N clients on loopback: counters (issue, call, finish) and, beyond the windows,
            readers (hall state, ticket status); latency of every request, per kind
  streams   N display streams (SSE) held open, K calls made: delay from each call to its
            arrival on every stream; the server's memory while holding them
`)
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	mode, args := os.Args[1], os.Args[2:]
	fs := flag.NewFlagSet(mode, flag.ExitOnError)
	var cfg serverConfig
	fs.StringVar(&cfg.DB, "db", "", "PostgreSQL URL (postgres://...) to run the server on a fresh schema there; empty: SQLite in a temporary folder")
	fs.StringVar(&cfg.URL, "url", "", "base URL of a running server to load instead of starting one (must be on loopback)")
	fs.StringVar(&cfg.SetupDB, "setup-db", "", "with -url: the server's database (postgres URL, or SQLite folder) to add windows to")
	fs.IntVar(&cfg.PID, "pid", 0, "with -url: the server's process id, to read its memory")
	fs.StringVar(&cfg.Bin, "bin", "", "qhall binary to start (default: go build ./cmd/qhall into a temporary folder)")
	fs.StringVar(&cfg.Password, "password", "load-demo-password", "demo password (QHALL_DEMO_PASSWORD of the server)")
	fs.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of this process (with -inproc: server and clients) while measuring")
	fs.StringVar(&goroutineDump, "goroutines", "", "write where this process's goroutines stand halfway through the measured time (with -inproc: the server's)")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the temporary folder (server log, SQLite file) and the PostgreSQL schema")

	var run func(ctx context.Context, s *server) error
	switch mode {
	case "calls":
		c := callsFlags(fs)
		fs.BoolVar(&cfg.InProc, "inproc", false, "run the server inside this process (app.Open) instead of as a child process")
		run = c.run
	case "streams":
		s := streamsFlags(fs)
		run = s.run
	case "-h", "--help", "help":
		usage()
		return
	default:
		usage()
		os.Exit(2)
	}
	fs.Parse(args)
	if cfg.URL != "" && !loopback(cfg.URL) {
		fmt.Fprintln(os.Stderr, "qhall-load: -url must be on loopback (127.0.0.1, ::1 or localhost)")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, maxRun)
	defer cancel()

	raiseFileLimit()
	s, err := startServer(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qhall-load:", err)
		os.Exit(1)
	}
	err = run(ctx, s)
	s.stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "qhall-load:", err)
		os.Exit(1)
	}
}

func loopback(u string) bool {
	for _, p := range []string{"http://127.0.0.1:", "http://[::1]:", "http://localhost:"} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return false
}

// raiseFileLimit lifts the soft limit of open files to the hard one: a thousand streams need a
// thousand sockets on each side. A child server inherits it.
func raiseFileLimit() {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}
