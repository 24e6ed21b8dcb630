package app

import (
	"context"
	"time"

	"github.com/qhall/qhall/internal/jobs"
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
			// Citizens' personal data is kept only as long as needed (QHALL_RETENTION_DAYS): each
			// domain that stores some is one line of anonymisers (privacy.go).
			Name: "privacy.anonymise", When: jobs.DailyAt(3, 0, shanghai),
			Run: func(ctx context.Context, _ time.Time) error { return a.anonymise(ctx, db, anonymisers()) },
		},
	}
}
