package servicelang_test

import (
	"testing"
	"time"

	"github.com/qhall/qhall/internal/servicelang"
)

// After the retention period a transcript's text is erased; the clerk's figures stay.
func TestAnonymiseErasesOldTranscriptsKeepingFigures(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		serving, clerk := f.serve(1, 1, true, false)
		tr, err := f.lib.Attach(f.ctx, clerk, serving.ID, talk)
		if err != nil {
			t.Fatal(err)
		}
		// Not yet old enough: nothing changes.
		if n, err := servicelang.Anonymise(f.ctx, f.db, tuesday10.Add(-time.Hour), tuesday10); err != nil || n != 0 {
			t.Fatalf("anonymise too early: %d %v", n, err)
		}
		n, err := servicelang.Anonymise(f.ctx, f.db, tuesday10.Add(time.Hour), tuesday10.Add(2*time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("anonymise: %d %v", n, err)
		}
		var text string
		var lines, hits int
		f.db.QueryRow(f.ctx, "SELECT text, clerk_lines FROM transcripts WHERE id = ?", tr.ID).Scan(&text, &lines)
		f.db.QueryRow(f.ctx, "SELECT COUNT(*) FROM transcript_hits WHERE transcript_id = ?", tr.ID).Scan(&hits)
		if text != "" || lines != 2 || hits != 3 {
			t.Fatalf("after anonymising: text %q, clerk lines %d, hits %d", text, lines, hits)
		}
		if n, _ := servicelang.Anonymise(f.ctx, f.db, tuesday10.Add(time.Hour), tuesday10.Add(3*time.Hour)); n != 0 {
			t.Fatalf("a second run changed %d transcripts", n)
		}
		var action string
		f.db.QueryRow(f.ctx, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&action)
		if action != "privacy.anonymise" {
			t.Fatalf("last audit line %q", action)
		}
	})
}
