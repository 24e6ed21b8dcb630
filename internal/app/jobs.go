package app

import (
	"context"
	"time"

	"github.com/qhall/qhall/internal/jobs"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// jobList is every piece of scheduled work qhall does, in one readable list. Each runs once per
// period across all instances (internal/jobs); each works from its data, so a run repeated
// after a crash does no harm.
func (a *App) jobList(db *store.DB) []jobs.Job {
	return []jobs.Job{
		{
			// Expired sign-ins are refused anyway; removing them keeps the sessions table small.
			Name: "staff.sessions.purge", When: jobs.Every(time.Hour),
			Run: func(ctx context.Context, _ time.Time) error { return staff.PurgeSessions(ctx, db, a.Now()) },
		},
		{
			// Overdue rectification and complaint steps go to the hall leader, each once.
			Name: "feedback.escalate", When: jobs.Every(15 * time.Minute),
			Run: func(ctx context.Context, _ time.Time) error {
				halls, err := org.Halls(ctx, db)
				if err != nil {
					return err
				}
				ids := make([]int64, len(halls))
				for i, h := range halls {
					ids[i] = h.ID
				}
				_, err = a.feedback(db).Escalate(ctx, ids)
				return err
			},
		},
	}
}
