package app

import (
	"context"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/servicelang"
	"github.com/qhall/qhall/internal/store"
)

// DefaultRetentionDays is how long citizens' personal data is kept when QHALL_RETENTION_DAYS
// does not say: half a year covers complaints and reviews of a service.
const DefaultRetentionDays = 180

// An Anonymiser erases or anonymises the citizens' names, phone and ID numbers its domain stored
// before before, keeping what the figures need, and returns how many records it changed. It is
// idempotent (a record done once is skipped) and audits what it did in its own transaction.
type Anonymiser struct {
	Name string
	Run  func(ctx context.Context, db *store.DB, before, now time.Time) (int64, error)
}

// anonymisers is every domain that keeps citizens' personal data: a new one (appointments,
// cases, complaints) adds its line here, and the daily privacy job runs it.
func anonymisers() []Anonymiser {
	return []Anonymiser{
		{"transcripts", servicelang.Anonymise},
	}
}

// anonymise runs every anonymiser for data older than the retention period.
func (a *App) anonymise(ctx context.Context, db *store.DB, list []Anonymiser) error {
	now := a.Now()
	days := a.retentionDays
	if days <= 0 {
		days = DefaultRetentionDays
	}
	before := now.AddDate(0, 0, -days)
	for _, x := range list {
		if _, err := x.Run(ctx, db, before, now); err != nil {
			return fmt.Errorf("privacy: %s: %w", x.Name, err)
		}
	}
	return nil
}

// shanghai is China Standard Time, which has no daylight saving: the privacy job runs at 03:00.
var shanghai = time.FixedZone("CST", 8*3600)
