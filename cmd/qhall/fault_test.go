package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

// These tests run the real binary as a child process and break it: kill -9 under load, a
// backup under load and its restore, and (with PostgreSQL binaries at hand) a throw-away
// PostgreSQL cluster restarted while two instances serve.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// qhallBinary builds cmd/qhall once into a temporary folder.
func qhallBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "qhall-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "qhall")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type instance struct {
	cmd  *exec.Cmd
	base string
	log  *strings.Builder
}

// start runs qhall serve on dataDir (SQLite) or dbURL (PostgreSQL) and waits until it is ready.
func start(t *testing.T, dataDir, dbURL string) *instance {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(qhallBinary(t), "serve")
	cmd.Env = append(os.Environ(), "QHALL_ADDR="+addr, "QHALL_DATA="+dataDir, "QHALL_DATABASE_URL="+dbURL,
		"QHALL_DEMO_PASSWORD=fault-test-password", "QHALL_TRUST_PROXY=1")
	log := &strings.Builder{}
	var mu sync.Mutex
	pr, pw, _ := os.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			mu.Lock()
			log.WriteString(sc.Text() + "\n")
			mu.Unlock()
		}
	}()
	in := &instance{cmd: cmd, base: "http://" + addr, log: log}
	t.Cleanup(func() { in.cmd.Process.Kill(); in.cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(in.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return in
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	t.Fatalf("qhall did not become ready:\n%s", log.String())
	return nil
}

func (in *instance) kill9(t *testing.T) {
	in.cmd.Process.Signal(syscall.SIGKILL)
	in.cmd.Wait()
}

// acked is the tickets the server acknowledged (201): id → number.
type acked struct {
	mu sync.Mutex
	m  map[int64]string
}

func (a *acked) snapshot() map[int64]string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[int64]string, len(a.m))
	for k, v := range a.m {
		out[k] = v
	}
	return out
}

// load issues tickets at hall 1 from many sources through every base until stop is closed.
func load(bases []string, workers int, stop chan struct{}) (*acked, *sync.WaitGroup) {
	a := &acked{m: map[int64]string{}}
	var wg sync.WaitGroup
	var n atomic.Int64
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Timeout: 5 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := n.Add(1)
				req, _ := http.NewRequest("POST", bases[int(i)%len(bases)]+"/api/v1/halls/1/tickets", strings.NewReader(fmt.Sprintf(`{"service":%d}`, 1+i%3)))
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", w, (i/250)%250, i%250))
				res, err := c.Do(req)
				if err != nil {
					time.Sleep(20 * time.Millisecond)
					continue
				}
				var tk struct {
					ID     int64  `json:"id"`
					Number string `json:"number"`
				}
				if res.StatusCode == 201 && json.NewDecoder(res.Body).Decode(&tk) == nil {
					a.mu.Lock()
					a.m[tk.ID] = tk.Number
					a.mu.Unlock()
				}
				res.Body.Close()
			}
		}()
	}
	return a, &wg
}

// checkTickets opens the database and checks that every acknowledged ticket is there with its
// number, and that no number was given twice.
func checkTickets(t *testing.T, dataDir, dbURL string, want map[int64]string) {
	t.Helper()
	db, err := store.Open(context.Background(), dbURL, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := map[int64]string{}
	rows, err := db.Query(context.Background(), "SELECT id, prefix, number FROM tickets WHERE hall_id = 1")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int64{}
	for rows.Next() {
		var id int64
		var prefix string
		var num int
		rows.Scan(&id, &prefix, &num)
		got[id] = fmt.Sprintf("%s%03d", prefix, num)
		key := got[id]
		if other, dup := seen[key]; dup {
			t.Errorf("number %s given to tickets %d and %d", key, other, id)
		}
		seen[key] = id
	}
	rows.Close()
	lost := 0
	for id, num := range want {
		if got[id] != num {
			lost++
			if lost < 5 {
				t.Errorf("acknowledged ticket %d (%s) is %q in the database", id, num, got[id])
			}
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged tickets lost", lost, len(want))
	}
	t.Logf("%d acknowledged tickets all there (%d in the database), none doubled", len(want), len(got))
}

// kill -9 under load: every acknowledged ticket survives and the restarted server serves on.
func TestKill9UnderLoadLosesNothing(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			in := start(t, eng.Dir, eng.URL)
			stop := make(chan struct{})
			a, wg := load([]string{in.base}, 8, stop)
			time.Sleep(1500 * time.Millisecond)
			in.kill9(t)
			close(stop)
			wg.Wait()
			want := a.snapshot()
			if len(want) < 20 {
				t.Fatalf("only %d tickets issued before the kill", len(want))
			}
			in2 := start(t, eng.Dir, eng.URL)
			res, err := http.Post(in2.base+"/api/v1/halls/1/tickets", "application/json", strings.NewReader(`{"service":1}`))
			if err != nil || res.StatusCode != 201 {
				t.Fatalf("after restart: %v %v", res, err)
			}
			res.Body.Close()
			in2.kill9(t)
			checkTickets(t, eng.Dir, eng.URL, want)
		})
	}
}

// A backup taken while tickets are being issued holds every ticket acknowledged before it
// began; the restore puts it back, and is refused while qhall serves.
func TestBackupUnderLoadAndRestore(t *testing.T) {
	dir := t.TempDir()
	in := start(t, dir, "")
	stop := make(chan struct{})
	a, wg := load([]string{in.base}, 6, stop)
	time.Sleep(time.Second)
	before := a.snapshot()
	file := filepath.Join(t.TempDir(), "qhall-backup.db")
	bk := exec.Command(qhallBinary(t), "backup", file)
	bk.Env = append(os.Environ(), "QHALL_DATA="+dir)
	out, err := bk.CombinedOutput()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	time.Sleep(300 * time.Millisecond)
	cmd := exec.Command(qhallBinary(t), "restore", file)
	cmd.Env = append(os.Environ(), "QHALL_DATA="+dir)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "in use") {
		t.Fatalf("restore while serving: %v\n%s", err, out)
	}
	close(stop)
	wg.Wait()
	in.cmd.Process.Signal(syscall.SIGTERM)
	in.cmd.Wait()
	cmd = exec.Command(qhallBinary(t), "restore", file)
	cmd.Env = append(os.Environ(), "QHALL_DATA="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	checkTickets(t, dir, "", before)
	// The restored database serves.
	in2 := start(t, dir, "")
	res, err := http.Post(in2.base+"/api/v1/halls/1/tickets", "application/json", strings.NewReader(`{"service":1}`))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("after restore: %v %v", res, err)
	}
	res.Body.Close()
}
