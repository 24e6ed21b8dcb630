package servicelang

import (
	"context"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Anonymise erases the text of the transcripts stored before before: the citizen's words may
// hold a name or an address that masking cannot find. What the figures need stays: the ticket,
// the clerk, the number of the clerk's lines, the forbidden phrases the clerk said and when. It
// returns how many transcripts it erased and is called by the privacy job (app.anonymisers).
func Anonymise(ctx context.Context, db *store.DB, before, now time.Time) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE transcripts SET text = '', anonymised_at = ? WHERE created_at < ? AND anonymised_at = 0",
			now.UnixMilli(), before.UnixMilli())
		if err != nil {
			return err
		}
		if n, _ = res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, now, staff.System, 0, "privacy.anonymise", "transcripts",
			map[string]any{"count": n, "before": before.UnixMilli()})
	})
	if err != nil {
		return 0, fmt.Errorf("servicelang: anonymise: %w", err)
	}
	return n, nil
}
