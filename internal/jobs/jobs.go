// Package jobs runs named periodic work (deadline warnings, reminders, nightly forecasts,
// anonymisation) declared in one list, each period's run done by one instance however many
// share the database.
//
// job_runs holds one row per job and period (the claim and its outcome), job_status one row per
// job (totals and the last run).
//
// Tables owned (only this package writes them): job_runs, job_status.
//
// Exactly once per period. A Schedule maps the clock to the start of the period that holds it
// (Every: the time truncated to the interval, in UTC; DailyAt: the latest HH:MM in a zone).
// Before running, an instance claims (name, period) by inserting its job_runs row; the primary
// key turns away every later instance, which skips the period. Only the current period is ever
// claimed: a period that passed while no instance was up is not run late.
//
// Failures. A run that returns an error (or panics: the panic is recovered) marks its period
// failed with a retry time, Options.Retry doubled per attempt up to an hour; after it any
// instance retakes the period, so a passing database error does not lose the day's reminders.
// When the period ends the next one runs as usual.
//
// Crashes. A claim carries a lease: the job's Timeout plus a minute. A row still 'running' after
// its lease belongs to an instance that died mid-run; the next instance to pass retakes the
// period and counts the lost run as a failure. A run's context ends at Timeout, before the lease,
// so a live instance has stopped a job that heeds its context before anyone may retake it. On
// PostgreSQL an instance also holds an advisory lock keyed by the job's name (in a transaction,
// so it goes with the connection of an instance that dies) from before the claim until the
// outcome is recorded: two instances never run one job at the same moment, even when a job
// overruns its lease. On SQLite there is one process, and a Runner never starts a job that it
// is still running.
//
// Jobs must be idempotent. A run can be cut short at any point (crash, timeout, shutdown) and
// its period run again, repeating what the lost run had already committed, and a run is not told
// about periods that were skipped. So a job works from its data, not from its period alone
// ("deadlines due before now not yet warned", with a unique row per warning sent), and doing it
// twice is harmless.
package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/qhall/qhall/internal/store"
)

// Job is one named piece of periodic work.
type Job struct {
	// Name identifies the job in the tables, logs and metrics; renaming it starts afresh.
	Name string
	When Schedule
	// Run does the work of the period that starts at period. It must be idempotent (see the
	// package doc) and return when ctx ends.
	Run func(ctx context.Context, period time.Time) error
	// Timeout bounds one run (DefaultTimeout when zero); the claim's lease is a minute longer.
	Timeout time.Duration
}

const (
	DefaultTimeout = 15 * time.Minute
	DefaultRetry   = time.Minute
	DefaultTick    = 5 * time.Second

	leaseGrace = time.Minute
	maxRetry   = time.Hour
	keepRuns   = 30 * 24 * time.Hour
	maxErrLen  = 2000
)

func (j *Job) timeout() time.Duration {
	if j.Timeout > 0 {
		return j.Timeout
	}
	return DefaultTimeout
}

// Schedule divides time into periods; each period runs once.
type Schedule interface {
	// Period returns the start of the period that holds t.
	Period(t time.Time) time.Time
	String() string
}

type every time.Duration

// Every is a period of d, aligned on multiples of d since the zero time in UTC (so a divisor of
// a day starts at UTC midnight). It panics when d is under a millisecond (periods are stored in
// milliseconds); the list of jobs is code, checked at start.
func Every(d time.Duration) Schedule {
	if d < time.Millisecond {
		panic(fmt.Sprintf("jobs: Every(%v): the interval must be at least a millisecond", d))
	}
	return every(d)
}

func (e every) Period(t time.Time) time.Time { return t.UTC().Truncate(time.Duration(e)) }
func (e every) String() string               { return "every " + time.Duration(e).String() }

type daily struct {
	hour, min int
	loc       *time.Location
}

// DailyAt is a day from hour:min to hour:min the next day in loc; the run comes soon after
// hour:min. It panics on a time out of range or a nil location.
func DailyAt(hour, min int, loc *time.Location) Schedule {
	if hour < 0 || hour > 23 || min < 0 || min > 59 || loc == nil {
		panic(fmt.Sprintf("jobs: DailyAt(%d, %d, %v): no such time of day", hour, min, loc))
	}
	return daily{hour, min, loc}
}

func (d daily) Period(t time.Time) time.Time {
	t = t.In(d.loc)
	p := time.Date(t.Year(), t.Month(), t.Day(), d.hour, d.min, 0, 0, d.loc)
	if p.After(t) {
		p = time.Date(t.Year(), t.Month(), t.Day()-1, d.hour, d.min, 0, 0, d.loc)
	}
	return p
}

func (d daily) String() string { return fmt.Sprintf("daily at %02d:%02d %s", d.hour, d.min, d.loc) }

// Options tune a Runner; the zero value is fine for production.
type Options struct {
	Clock func() time.Time // time.Now when nil; tests set the day and the hour
	Log   *slog.Logger     // slog.Default() when nil
	// Tick is how often Start looks for due jobs (DefaultTick): a period's run starts at most
	// a tick after the period does.
	Tick time.Duration
	// Retry is the wait before a failed period is retried (DefaultRetry), doubled per attempt
	// up to an hour.
	Retry time.Duration
	// Instance names this process in job_runs (host, pid and a random suffix by default).
	Instance string
}

// Runner runs a list of jobs on one instance.
type Runner struct {
	db       *store.DB
	jobs     []Job
	clock    func() time.Time
	log      *slog.Logger
	tick     time.Duration
	retry    time.Duration
	instance string

	mu      sync.Mutex
	running map[string]bool  // jobs this Runner is running now
	done    map[string]int64 // the period last seen done, so passes skip the database
}

// New checks the list (names present and unique, a schedule and a function each) and returns
// its Runner.
func New(db *store.DB, list []Job, opt Options) (*Runner, error) {
	seen := map[string]bool{}
	for _, j := range list {
		switch {
		case j.Name == "" || len(j.Name) > 100:
			return nil, fmt.Errorf("jobs: a job needs a name of 1 to 100 bytes, not %q", j.Name)
		case seen[j.Name]:
			return nil, fmt.Errorf("jobs: two jobs named %q", j.Name)
		case j.When == nil || j.Run == nil:
			return nil, fmt.Errorf("jobs: job %q needs When and Run", j.Name)
		}
		seen[j.Name] = true
	}
	r := &Runner{db: db, jobs: append([]Job(nil), list...), clock: opt.Clock, log: opt.Log, tick: opt.Tick,
		retry: opt.Retry, instance: opt.Instance, running: map[string]bool{}, done: map[string]int64{}}
	if r.clock == nil {
		r.clock = time.Now
	}
	if r.log == nil {
		r.log = slog.Default()
	}
	if r.tick <= 0 {
		r.tick = DefaultTick
	}
	if r.retry <= 0 {
		r.retry = DefaultRetry
	}
	if r.instance == "" {
		host, _ := os.Hostname()
		b := make([]byte, 3)
		rand.Read(b)
		r.instance = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	r.log = r.log.With("instance", r.instance)
	return r, nil
}

// Start runs due jobs every tick until ctx ends, then waits for the runs under way (their
// context has ended too) and returns. Each job runs in its own goroutine, so a long nightly job
// does not hold back a job due every few minutes.
func (r *Runner) Start(ctx context.Context) {
	var wg sync.WaitGroup
	t := time.NewTicker(r.tick)
	defer t.Stop()
	for {
		r.pass(ctx, &wg, func(err error) {
			if ctx.Err() == nil { // not the noise of shutting down
				r.log.Error("jobs: pass", "err", err)
			}
		})
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-t.C:
		}
	}
}

// RunDue makes one pass: it runs every job whose current period is due here, concurrently, and
// returns when they have finished. The error tells of the bookkeeping (claims, records); a job's
// own failure is recorded in its status, not returned.
func (r *Runner) RunDue(ctx context.Context) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	r.pass(ctx, &wg, func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() })
	wg.Wait()
	return errors.Join(errs...)
}

func (r *Runner) pass(ctx context.Context, wg *sync.WaitGroup, report func(error)) {
	for i := range r.jobs {
		j := &r.jobs[i]
		r.mu.Lock()
		busy := r.running[j.Name]
		r.running[j.Name] = true
		r.mu.Unlock()
		if busy {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { r.mu.Lock(); delete(r.running, j.Name); r.mu.Unlock() }()
			if err := r.runDue(ctx, j); err != nil {
				report(err)
			}
		}()
	}
}

// runDue runs j if its current period is not done and nobody else holds it.
func (r *Runner) runDue(ctx context.Context, j *Job) error {
	now := r.clock()
	period := j.When.Period(now)
	pms := period.UnixMilli()
	r.mu.Lock()
	seen := r.done[j.Name] == pms
	r.mu.Unlock()
	if seen {
		return nil
	}
	// A read first, so the passes of a period already taken write nothing (on SQLite writes
	// queue behind the hall's traffic).
	var state string
	var lease int64
	err := r.db.QueryRow(ctx, "SELECT state, lease_until FROM job_runs WHERE name = ? AND period = ?", j.Name, pms).Scan(&state, &lease)
	switch {
	case err == nil && state == "done":
		r.markDone(j.Name, pms)
		return nil
	case err == nil && lease > now.UnixMilli():
		return nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("jobs: read %s: %w", j.Name, err)
	}
	if r.db.Dialect == store.Postgres {
		// The lock outlives ctx: if shutdown cancels ctx mid-run, the run still holds it until
		// its outcome is recorded.
		lctx := context.WithoutCancel(ctx)
		tx, err := r.db.W.BeginTx(lctx, nil)
		if err != nil {
			return fmt.Errorf("jobs: lock %s: %w", j.Name, err)
		}
		defer tx.Rollback()
		var got bool
		if err := tx.QueryRowContext(lctx, "SELECT pg_try_advisory_xact_lock($1)", lockKey(j.Name)).Scan(&got); err != nil {
			return fmt.Errorf("jobs: lock %s: %w", j.Name, err)
		}
		if !got {
			return nil // another instance is running it
		}
	}
	if ctx.Err() != nil {
		return nil // shutting down: claim nothing new
	}
	// The claim is not cut short by shutdown: an interrupted commit may have been made, and
	// its period would then wait for the lease with nobody running it.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	attempt, ok, err := r.claim(cctx, j, pms, now)
	cancel()
	if err != nil || !ok {
		return err
	}
	return r.run(ctx, j, period, attempt)
}

func (r *Runner) markDone(name string, period int64) {
	r.mu.Lock()
	r.done[name] = period
	r.mu.Unlock()
}

// lockKey is the advisory lock of a job: its name hashed into PostgreSQL's bigint key space.
func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("qhall/jobs/" + name))
	return int64(h.Sum64())
}

// claim takes (j, period) for this instance: a new row, or a row whose lease or retry time has
// passed. ok is false when the period is done or held.
func (r *Runner) claim(ctx context.Context, j *Job, period int64, now time.Time) (attempt int, ok bool, err error) {
	nowms := now.UnixMilli()
	lease := now.Add(j.timeout() + leaseGrace).UnixMilli()
	err = r.db.InTx(ctx, func(tx *store.Tx) error {
		attempt, ok = 0, false
		res, err := tx.Exec(ctx, `INSERT INTO job_runs (name, period, instance, attempt, state, started_at, lease_until)
			VALUES (?, ?, ?, 1, 'running', ?, ?) ON CONFLICT (name, period) DO NOTHING`, j.Name, period, r.instance, nowms, lease)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 1 {
			attempt, ok = 1, true
			_, err = tx.Exec(ctx, "INSERT INTO job_status (name) VALUES (?) ON CONFLICT (name) DO NOTHING", j.Name)
			return err
		}
		var state, inst string
		var prev int
		var started, until int64
		err = tx.QueryRow(ctx, "SELECT state, instance, attempt, started_at, lease_until FROM job_runs WHERE name = ? AND period = ?",
			j.Name, period).Scan(&state, &inst, &prev, &started, &until)
		if err != nil || state == "done" || until > nowms {
			return err
		}
		// The guards repeat the checks so that a row changed since the read is left alone.
		res, err = tx.Exec(ctx, `UPDATE job_runs SET instance = ?, attempt = attempt + 1, state = 'running', started_at = ?,
			lease_until = ?, finished_at = 0, duration_ms = 0, error = ''
			WHERE name = ? AND period = ? AND attempt = ? AND state <> 'done' AND lease_until <= ?`,
			r.instance, nowms, lease, j.Name, period, prev, nowms)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n != 1 {
			return err
		}
		attempt, ok = prev+1, true
		if state != "running" {
			return nil
		}
		msg := fmt.Sprintf("abandoned: the run started on %s at %s did not finish within its lease",
			inst, time.UnixMilli(started).UTC().Format(time.RFC3339))
		r.log.Warn("jobs: retaking an abandoned run", "job", j.Name, "period", time.UnixMilli(period).UTC(), "was", inst)
		return recordStatus(ctx, tx, j.Name, period, started, until-started, msg, 0)
	})
	if err != nil {
		return 0, false, fmt.Errorf("jobs: claim %s: %w", j.Name, err)
	}
	return attempt, ok, nil
}

// run runs the claimed period and records its outcome.
func (r *Runner) run(ctx context.Context, j *Job, period time.Time, attempt int) error {
	started := r.clock()
	rctx, cancel := context.WithTimeout(ctx, j.timeout())
	t0 := time.Now()
	err := r.safeRun(rctx, j, period)
	dur := time.Since(t0)
	cancel()
	log := r.log.With("job", j.Name, "period", period, "attempt", attempt, "duration", dur)
	if err != nil {
		log.Error("jobs: run failed", "err", err)
	} else {
		log.Debug("jobs: run done")
	}
	// Record even when shutdown has ended ctx: otherwise the period waits for its lease.
	wctx, wcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer wcancel()
	if err := r.record(wctx, j, period.UnixMilli(), attempt, started, dur, err); err != nil {
		return fmt.Errorf("jobs: record %s: %w", j.Name, err)
	}
	return nil
}

// safeRun turns a panic into an error; the stack goes to the log, not to the admins' page.
func (r *Runner) safeRun(ctx context.Context, j *Job, period time.Time) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
			r.log.Error("jobs: panic", "job", j.Name, "err", err, "stack", string(debug.Stack()))
		}
	}()
	return j.Run(ctx, period)
}

func (r *Runner) record(ctx context.Context, j *Job, period int64, attempt int, started time.Time, dur time.Duration, runErr error) error {
	fin := r.clock()
	state, msg, next, success := "done", "", fin.UnixMilli(), fin.UnixMilli()
	if runErr != nil {
		state, msg, success = "failed", runErr.Error(), 0
		if msg == "" {
			msg = "error"
		}
		if len(msg) > maxErrLen {
			msg = msg[:maxErrLen]
		}
		next = fin.Add(r.retryAfter(attempt)).UnixMilli()
	}
	err := r.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE job_runs SET state = ?, finished_at = ?, duration_ms = ?, error = ?, lease_until = ?
			WHERE name = ? AND period = ? AND instance = ? AND attempt = ?`,
			state, fin.UnixMilli(), dur.Milliseconds(), msg, next, j.Name, period, r.instance, attempt)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			// Only a run that overran its lease while its lock was lost gets here.
			r.log.Warn("jobs: the claim was retaken while the run went on", "job", j.Name, "period", time.UnixMilli(period).UTC())
		}
		if err := recordStatus(ctx, tx, j.Name, period, started.UnixMilli(), dur.Milliseconds(), msg, success); err != nil {
			return err
		}
		cutoff := min(period, fin.Add(-keepRuns).UnixMilli())
		_, err = tx.Exec(ctx, "DELETE FROM job_runs WHERE name = ? AND period < ?", j.Name, cutoff)
		return err
	})
	if err == nil && state == "done" {
		r.markDone(j.Name, period)
	}
	return err
}

// recordStatus counts one finished run (msg empty when it succeeded) in job_status.
func recordStatus(ctx context.Context, tx *store.Tx, name string, period, started, durMS int64, msg string, success int64) error {
	failed := 0
	if msg != "" {
		failed = 1
	}
	_, err := tx.Exec(ctx, `INSERT INTO job_status (name, runs, failures, last_period, last_started, last_duration_ms, last_error, last_success)
		VALUES (?, 1, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET runs = job_status.runs + 1, failures = job_status.failures + excluded.failures,
			last_period = excluded.last_period, last_started = excluded.last_started,
			last_duration_ms = excluded.last_duration_ms, last_error = excluded.last_error,
			last_success = CASE WHEN excluded.last_success > 0 THEN excluded.last_success ELSE job_status.last_success END`,
		name, failed, period, started, durMS, msg, success)
	return err
}

func (r *Runner) retryAfter(attempt int) time.Duration {
	d := r.retry
	for i := 1; i < attempt && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}
