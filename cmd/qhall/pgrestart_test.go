package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// cluster is a throw-away PostgreSQL cluster in a temporary folder, never the machine's server.
type cluster struct {
	bin, dir, port string
	asUser         []string // runuser prefix when running as root
}

func (c *cluster) run(t *testing.T, name string, args ...string) {
	t.Helper()
	full := append(append([]string{}, c.asUser...), append([]string{filepath.Join(c.bin, name)}, args...)...)
	out, err := exec.Command(full[0], full[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

func (c *cluster) url() string {
	return "postgres://postgres@127.0.0.1:" + c.port + "/postgres?sslmode=disable"
}

// newCluster runs initdb in a temporary folder and starts the cluster on a free port. It skips
// the test when no PostgreSQL binaries are installed.
func newCluster(t *testing.T) *cluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Skip("no PostgreSQL binaries (/usr/lib/postgresql/*/bin/initdb): install postgresql to run this test")
	}
	c := &cluster{bin: filepath.Dir(bins[len(bins)-1])}
	root, err := os.MkdirTemp("", "qhall-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	c.dir = filepath.Join(root, "data")
	if os.Geteuid() == 0 { // initdb refuses root: run the cluster as the postgres user
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no postgres user to run initdb as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(root, uid, gid); err != nil {
			t.Fatal(err)
		}
		c.asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	addr := freeAddr(t)
	c.port = addr[strings.LastIndex(addr, ":")+1:]
	c.run(t, "initdb", "-D", c.dir, "-A", "trust", "-U", "postgres", "--no-sync")
	c.start(t)
	t.Cleanup(func() { c.stop(t, "immediate") })
	return c
}

func (c *cluster) start(t *testing.T) {
	c.run(t, "pg_ctl", "-D", c.dir, "-l", filepath.Join(filepath.Dir(c.dir), "log"), "-w", "-o",
		fmt.Sprintf("-p %s -k %s -c listen_addresses=127.0.0.1 -c fsync=on", c.port, filepath.Dir(c.dir)), "start")
}

func (c *cluster) stop(t *testing.T, mode string) {
	full := append(append([]string{}, c.asUser...), filepath.Join(c.bin, "pg_ctl"), "-D", c.dir, "-m", mode, "-w", "stop")
	exec.Command(full[0], full[1:]...).Run()
}

// screen follows a hall's event stream and keeps the last state it was sent.
type screen struct {
	mu   sync.Mutex
	last map[string]any
	n    int
}

func follow(t *testing.T, url string) *screen {
	s := &screen{}
	go func() {
		for { // a screen reconnects, as the pages' EventSource does
			res, err := http.Get(url)
			if err != nil {
				time.Sleep(200 * time.Millisecond)
				continue
			}
			sc := bufio.NewScanner(res.Body)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
					var v map[string]any
					if json.Unmarshal([]byte(d), &v) == nil {
						s.mu.Lock()
						s.last, s.n = v, s.n+1
						s.mu.Unlock()
					}
				}
			}
			res.Body.Close()
			time.Sleep(200 * time.Millisecond)
		}
	}()
	return s
}

func (s *screen) waiting() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, _ := s.last["waiting"].(float64)
	return w
}

// PostgreSQL restarts (an immediate stop: a crash) while two instances serve under load: they
// reconnect, no acknowledged ticket is lost or doubled, and the screens on both catch up.
func TestPostgresRestartWhileTwoInstancesServe(t *testing.T) {
	qhallBinary(t)
	c := newCluster(t)
	a := start(t, t.TempDir(), c.url())
	b := start(t, t.TempDir(), c.url())
	screens := []*screen{follow(t, a.base+"/api/v1/halls/1/events"), follow(t, b.base+"/api/v1/halls/1/events")}
	stop := make(chan struct{})
	ack, wg := load([]string{a.base, b.base}, 6, stop)
	time.Sleep(time.Second)
	c.stop(t, "immediate")
	time.Sleep(time.Second)
	c.start(t)
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()
	want := ack.snapshot()
	checkTickets(t, "", c.url(), want)

	// Both instances serve again, and every screen shows the hall's true count.
	var truth float64
	for _, base := range []string{a.base, b.base} {
		res, err := http.Post(base+"/api/v1/halls/1/tickets", "application/json", strings.NewReader(`{"service":1}`))
		if err != nil || res.StatusCode != 201 {
			t.Fatalf("after the restart, %s: %v %v", base, res, err)
		}
		res.Body.Close()
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		res, err := http.Get(a.base + "/api/v1/halls/1/state")
		if err == nil {
			var st map[string]any
			json.NewDecoder(res.Body).Decode(&st)
			res.Body.Close()
			truth, _ = st["waiting"].(float64)
		}
		if screens[0].waiting() == truth && screens[1].waiting() == truth && truth > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("screens show %v and %v waiting, the hall has %v", screens[0].waiting(), screens[1].waiting(), truth)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("screens caught up: %v waiting", truth)
}
