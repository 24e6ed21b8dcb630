package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// The scheduled jobs are listed for admins (only) with their schedules, and their runs show in
// /metrics once a pass has run them.
func TestJobsAPI(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		expect(t, e.do("GET", "/api/v1/jobs", e.login("sup1"), nil), 403, "forbidden")
		if err := e.app.Jobs.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		r := e.do("GET", "/api/v1/jobs", e.login("admin"), nil)
		expect(t, r, 200, "")
		var states []struct {
			Name, Schedule string
			Runs           int
		}
		if err := json.Unmarshal(r.body, &states); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range states {
			if s.Name == "staff.sessions.purge" {
				found = s.Runs >= 1 && s.Schedule != ""
			}
		}
		if !found {
			t.Fatalf("jobs: %s", r.body)
		}
		m := e.do("GET", "/metrics", "", nil)
		if !strings.Contains(string(m.body), `qhall_job_runs_total{job="staff.sessions.purge"}`) {
			t.Fatalf("metrics lack the job: %.2000s", m.body)
		}
	})
}
