package app

import (
	"context"
	"time"

	"github.com/qhall/qhall/internal/cases"
	"github.com/qhall/qhall/internal/jobs"
	"github.com/qhall/qhall/internal/notify"
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
			// Cases: a notice not given in time makes the matter accepted (art. 32); each node
			// that goes red is recorded once.
			Name: "cases.sweep", When: jobs.Every(5 * time.Minute),
			Run: func(ctx context.Context, now time.Time) error {
				_, _, err := (&cases.Service{DB: db, Now: a.Now, Limits: cases.DefaultLimits}).Sweep(ctx, now)
				return err
			},
		},
		// appointments
		{
			// Bookings whose check-in span has passed without a check-in are no-shows; enough of
			// them suspend the person's booking. Marked once each (guarded by the state).
			Name: "appointments.noshows", When: jobs.Every(10 * time.Minute),
			Run: func(ctx context.Context, _ time.Time) error {
				_, err := a.Appointments.MarkNoShows(ctx, a.Now())
				return err
			},
		},
		{
			// The reminder the day before: queued once per booking (the outbox's unique kind+ref),
			// then the outbox is handed to the notifier.
			Name: "appointments.reminders", When: jobs.Every(10 * time.Minute),
			Run: func(ctx context.Context, _ time.Time) error {
				if _, err := a.Appointments.QueueReminders(ctx, a.Now()); err != nil {
					return err
				}
				_, err := notify.Deliver(ctx, db, a.Notifier, a.Now(), 500)
				return err
			},
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
		{
			// Citizens' personal data is kept only as long as needed (QHALL_RETENTION_DAYS): each
			// domain that stores some is one line of anonymisers (privacy.go).
			Name: "privacy.anonymise", When: jobs.DailyAt(3, 0, shanghai),
			Run: func(ctx context.Context, _ time.Time) error { return a.anonymise(ctx, db, anonymisers()) },
		},
	}
}
