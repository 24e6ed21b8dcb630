package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/qhall/qhall/internal/store"
)

// State is what admins see of a job: its totals and its last finished run. Times are UTC and
// zero when there was none.
type State struct {
	Name     string
	Schedule string // set by Runner.Status only
	// Runs counts finished runs, failed ones included; a run lost with its instance counts as
	// a failure when another instance retakes its period.
	Runs, Failures int64
	LastPeriod     time.Time
	StartedAt      time.Time
	Duration       time.Duration
	Error          string // of the last run; empty when it succeeded
	LastSuccess    time.Time
	Running        bool // a claim is open: a run under way, or lost and not yet retaken
}

// Status lists the recorded state of every job that has run, by name.
func Status(ctx context.Context, q store.Querier) ([]State, error) {
	rows, err := q.Query(ctx, `SELECT s.name, s.runs, s.failures, s.last_period, s.last_started, s.last_duration_ms,
			s.last_error, s.last_success,
			CASE WHEN EXISTS (SELECT 1 FROM job_runs r WHERE r.state = 'running' AND r.name = s.name) THEN 1 ELSE 0 END
		FROM job_status s ORDER BY s.name`)
	if err != nil {
		return nil, fmt.Errorf("jobs: status: %w", err)
	}
	defer rows.Close()
	var out []State
	for rows.Next() {
		var s State
		var period, started, dur, success, running int64
		if err := rows.Scan(&s.Name, &s.Runs, &s.Failures, &period, &started, &dur, &s.Error, &success, &running); err != nil {
			return nil, fmt.Errorf("jobs: status: %w", err)
		}
		s.LastPeriod, s.StartedAt, s.LastSuccess = fromMS(period), fromMS(started), fromMS(success)
		s.Duration = time.Duration(dur) * time.Millisecond
		s.Running = running == 1
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("jobs: status: %w", err)
	}
	return out, nil
}

func fromMS(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// Status lists every job of the Runner's list in its order, with its schedule, including those
// that have not run yet.
func (r *Runner) Status(ctx context.Context) ([]State, error) {
	rec, err := Status(ctx, r.db)
	if err != nil {
		return nil, err
	}
	byName := map[string]State{}
	for _, s := range rec {
		byName[s.Name] = s
	}
	out := make([]State, len(r.jobs))
	for i, j := range r.jobs {
		s := byName[j.Name]
		s.Name, s.Schedule = j.Name, j.When.String()
		out[i] = s
	}
	return out, nil
}

var (
	descUp = prometheus.NewDesc("qhall_jobs_status_up",
		"1 when the job status could be read from the database for this scrape, else 0.", nil, nil)
	descSuccess = prometheus.NewDesc("qhall_job_last_success_timestamp_seconds",
		"Unix time the job last finished without error (0: never).", []string{"job"}, nil)
	descDuration = prometheus.NewDesc("qhall_job_last_duration_seconds",
		"How long the job's last run took.", []string{"job"}, nil)
	descFailing = prometheus.NewDesc("qhall_job_last_run_failed",
		"1 when the job's last run failed.", []string{"job"}, nil)
	descRuns = prometheus.NewDesc("qhall_job_runs_total",
		"Finished runs of the job on all instances, failed ones included.", []string{"job"}, nil)
	descFailures = prometheus.NewDesc("qhall_job_failures_total",
		"Failed runs of the job on all instances.", []string{"job"}, nil)
)

// Collector reports the jobs' state at /metrics. The values come from the database at each
// scrape, so every instance reports the same totals for the whole cluster: aggregate them
// across instances with max, not sum. A failed read is logged and reported as
// qhall_jobs_status_up 0 rather than failing the whole scrape.
func (r *Runner) Collector() prometheus.Collector { return collector{r} }

type collector struct{ r *Runner }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descSuccess, descDuration, descFailing, descRuns, descFailures} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	states, err := c.r.Status(ctx)
	if err != nil {
		c.r.log.Error("jobs: metrics", "err", err)
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
	for _, s := range states {
		var success, failing float64
		if !s.LastSuccess.IsZero() {
			success = float64(s.LastSuccess.UnixMilli()) / 1000
		}
		if s.Error != "" {
			failing = 1
		}
		ch <- prometheus.MustNewConstMetric(descSuccess, prometheus.GaugeValue, success, s.Name)
		ch <- prometheus.MustNewConstMetric(descDuration, prometheus.GaugeValue, s.Duration.Seconds(), s.Name)
		ch <- prometheus.MustNewConstMetric(descFailing, prometheus.GaugeValue, failing, s.Name)
		ch <- prometheus.MustNewConstMetric(descRuns, prometheus.CounterValue, float64(s.Runs), s.Name)
		ch <- prometheus.MustNewConstMetric(descFailures, prometheus.CounterValue, float64(s.Failures), s.Name)
	}
}
