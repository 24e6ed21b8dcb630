package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/demo"
	"github.com/qhall/qhall/internal/feedback"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/storetest"
)

// The demo's history holds rectifications and complaints in every state, and figures to show.
func TestDemoFeedbackHasEveryState(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			db := storetest.OpenDemo(t, eng, "pw", now)
			start := time.Now()
			if err := demo.LoadFeedback(ctx, db, now); err != nil {
				t.Fatal(err)
			}
			t.Logf("history loaded in %v", time.Since(start))
			sup, err := staff.ActorOf(ctx, db, "sup2")
			if err != nil {
				t.Fatal(err)
			}
			fb := &feedback.Service{DB: db, Now: time.Now}
			rects, err := fb.Rectifications(ctx, sup, sup.HallID, "all")
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, x := range rects {
				seen[x.State] = true
			}
			for _, s := range []string{feedback.RContact, feedback.RVerify, feedback.RAppeal, feedback.RRectify, feedback.RCallback, feedback.RClosed} {
				if !seen[s] {
					t.Errorf("no rectification in state %s (%d in all)", s, len(rects))
				}
			}
			cs, err := fb.Complaints(ctx, sup, sup.HallID, "all")
			if err != nil {
				t.Fatal(err)
			}
			seen = map[string]bool{}
			for _, c := range cs {
				seen[c.State] = true
			}
			for _, s := range []string{feedback.CNew, feedback.CReceived, feedback.CInvestigating, feedback.CFeedback, feedback.CEscalated, feedback.CArchived, feedback.CClosed} {
				if !seen[s] {
					t.Errorf("no complaint in state %s", s)
				}
			}
			day := now.Format("2006-01-02")
			f, err := fb.Figures(ctx, sup, sup.HallID, now.AddDate(0, 0, -40).Format("2006-01-02"), day, "clerk")
			if err != nil || f.Total.Rated < 50 || f.Total.Served <= f.Total.Rated || f.Rectifications.Opened < 7 || f.Surveys.Done == 0 {
				t.Fatalf("figures %+v %v", f, err)
			}
		})
	}
}
