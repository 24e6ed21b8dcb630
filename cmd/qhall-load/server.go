package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/web"
)

type serverConfig struct {
	DB, URL, SetupDB, Bin, Password string
	PID                             int
	Keep, InProc                    bool
}

// server is the qhall under load: a child process, an instance in this process, or one
// already running (-url).
type server struct {
	Base     string // http://127.0.0.1:port
	PID      int    // process to read memory from (0: unknown)
	Engine   string // "sqlite" or "postgres"
	Password string

	dir      string // temporary folder (SQLite data, server log)
	dbURL    string // PostgreSQL URL with the fresh schema, or ""
	dataDir  string // SQLite folder, or ""
	schema   string
	adminURL string
	cmd      *exec.Cmd
	inproc   *app.App
	httpSrv  *http.Server
	keep     bool
}

func startServer(ctx context.Context, cfg serverConfig) (*server, error) {
	s := &server{Password: cfg.Password, keep: cfg.Keep, Engine: "sqlite"}
	if cfg.URL != "" {
		s.Base = strings.TrimRight(cfg.URL, "/")
		s.PID = cfg.PID
		if strings.HasPrefix(cfg.SetupDB, "postgres") {
			s.dbURL, s.Engine = cfg.SetupDB, "postgres"
		} else {
			s.dataDir = cfg.SetupDB
		}
		return s, waitReady(ctx, s.Base, 30*time.Second)
	}
	dir, err := os.MkdirTemp("", "qhall-load-")
	if err != nil {
		return nil, err
	}
	s.dir = dir
	s.dataDir = filepath.Join(dir, "data")
	if cfg.DB != "" {
		if !strings.HasPrefix(cfg.DB, "postgres://") && !strings.HasPrefix(cfg.DB, "postgresql://") {
			return nil, errors.New("-db must be a postgres:// URL")
		}
		if err := s.freshSchema(cfg.DB); err != nil {
			s.stop()
			return nil, err
		}
		s.Engine, s.dataDir = "postgres", ""
	}
	addr, err := freeAddr()
	if err != nil {
		s.stop()
		return nil, err
	}
	s.Base = "http://" + addr
	if cfg.InProc {
		err = s.startInProc(ctx, addr)
	} else {
		err = s.startChild(ctx, cfg.Bin, addr)
	}
	if err == nil {
		err = waitReady(ctx, s.Base, 60*time.Second)
	}
	if err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// freshSchema makes an empty schema on the PostgreSQL server and points the server's URL at it.
func (s *server) freshSchema(base string) error {
	b := make([]byte, 5)
	rand.Read(b)
	s.schema = "qhall_load_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base) // the driver registered by internal/store
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec("CREATE SCHEMA " + s.schema); err != nil {
		return fmt.Errorf("postgres: create schema: %w", err)
	}
	s.adminURL = base
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("search_path", s.schema)
	u.RawQuery = q.Encode()
	s.dbURL = u.String()
	return nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func (s *server) startChild(ctx context.Context, bin, addr string) error {
	if bin == "" {
		bin = filepath.Join(s.dir, "qhall")
		fmt.Fprintf(os.Stderr, "building ./cmd/qhall ...\n")
		out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/qhall").CombinedOutput()
		if err != nil {
			return fmt.Errorf("go build ./cmd/qhall (run from the repository root): %v\n%s", err, out)
		}
	}
	logf, err := os.Create(filepath.Join(s.dir, "server.log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, "serve")
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "QHALL_") {
			env = append(env, kv)
		}
	}
	// The load comes from this one address: no per-source ticket limit (issue 12).
	env = append(env, "QHALL_ADDR="+addr, "QHALL_DEMO_PASSWORD="+s.Password, "QHALL_ISSUE_PER_MINUTE=-1")
	if s.dbURL != "" {
		env = append(env, "QHALL_DATABASE_URL="+s.dbURL)
	} else {
		env = append(env, "QHALL_DATA="+s.dataDir)
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the tool
	if err := cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	logf.Close()
	s.cmd, s.PID = cmd, cmd.Process.Pid
	return nil
}

func (s *server) startInProc(ctx context.Context, addr string) error {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.Open(ctx, app.Config{DataDir: s.dataDir, DatabaseURL: s.dbURL, DemoPassword: s.Password, Guard: web.Guard{IssuePerMinute: -1}}, log)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		a.Close()
		return err
	}
	s.inproc = a
	s.httpSrv = &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	go s.httpSrv.Serve(l)
	s.PID = os.Getpid()
	return nil
}

func waitReady(ctx context.Context, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/readyz", nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("server at %s not ready after %s", base, limit)
}

// openDB opens the server's database from this process (to add windows and clerks for a load
// that needs more than the demo's eight). Migrations have already run; Open finds nothing to do.
func (s *server) openDB(ctx context.Context) (*store.DB, error) {
	if s.dbURL == "" && s.dataDir == "" {
		return nil, errors.New("the server's database is unknown (with -url, give -setup-db)")
	}
	return store.Open(ctx, s.dbURL, s.dataDir)
}

func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
			<-done
		}
		s.cmd = nil
	}
	if s.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s.httpSrv.Shutdown(ctx)
		cancel()
		s.httpSrv = nil
	}
	if s.inproc != nil {
		s.inproc.Close()
		s.inproc = nil
	}
	if s.keep {
		if s.dir != "" {
			fmt.Fprintf(os.Stderr, "kept %s\n", s.dir)
		}
		if s.schema != "" {
			fmt.Fprintf(os.Stderr, "kept schema %s\n", s.schema)
		}
		return
	}
	if s.schema != "" {
		if db, err := sql.Open("pgx", s.adminURL); err == nil {
			db.Exec("DROP SCHEMA " + s.schema + " CASCADE")
			db.Close()
		}
		s.schema = ""
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
		s.dir = ""
	}
}

// --- what the server uses ----------------------------------------------------------------

// procMem is the server's memory as the kernel sees it.
type procMem struct {
	RSS, HWM  int64 // bytes: resident now, resident at peak
	CPUTicks  int64 // user+system clock ticks so far
	Available bool
}

func readProc(pid int) procMem {
	var m procMem
	if pid <= 0 {
		return m
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		switch k {
		case "VmRSS":
			m.RSS, m.Available = n*1024, true
		case "VmHWM":
			m.HWM = n * 1024
		}
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// fields after the command's closing parenthesis; utime and stime are the 14th and 15th
		if i := strings.LastIndexByte(string(b), ')'); i > 0 {
			f := strings.Fields(string(b[i+1:]))
			if len(f) > 13 {
				u, _ := strconv.ParseInt(f[11], 10, 64)
				st, _ := strconv.ParseInt(f[12], 10, 64)
				m.CPUTicks = u + st
			}
		}
	}
	return m
}

// clockTicks is USER_HZ, 100 on Linux.
const clockTicks = 100

// metrics reads a few gauges from the server's /metrics.
func metrics(ctx context.Context, base string, names ...string) map[string]float64 {
	out := map[string]float64{}
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return out
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, n := range names {
			if rest, ok := strings.CutPrefix(line, n+" "); ok {
				if v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64); err == nil {
					out[n] = v
				}
			}
		}
	}
	return out
}

func mib(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }
