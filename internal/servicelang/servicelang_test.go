package servicelang_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/servicelang"
	"github.com/qhall/qhall/internal/speech"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

var (
	shanghai  = storetest.Shanghai
	tuesday10 = storetest.Tuesday10
)

type fixture struct {
	t   *testing.T
	db  *store.DB
	lib *servicelang.Library
	q   *queue.Engine
	ctx context.Context
}

// eachEngine runs f on SQLite and, when QHALL_TEST_POSTGRES is set, on PostgreSQL, with the demo
// organisation and the clock at tuesday10.
func eachEngine(t *testing.T, f func(f *fixture)) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := storetest.OpenDemo(t, e, "pw-for-tests", tuesday10)
			ctx := context.Background()
			now := func() time.Time { return tuesday10 }
			lib := servicelang.New(db)
			lib.Now = now
			q := queue.New(db)
			q.Now = now
			f(&fixture{t: t, db: db, lib: lib, q: q, ctx: ctx})
		})
	}
}

func (f *fixture) actor(username string) staff.Actor {
	f.t.Helper()
	return storetest.Actor(f.t, f.db, username)
}

// serve issues a ticket at the hall and has clerk{hall}-{n} call it at window n (opening the
// window first if needed); with start the service begins, with finish it ends.
func (f *fixture) serve(hall int64, n int, start, finish bool) (*queue.Ticket, staff.Actor) {
	f.t.Helper()
	a := f.actor(fmt.Sprintf("clerk%d-%d", hall, n))
	var win, svc int64
	if err := f.db.QueryRow(f.ctx, "SELECT id FROM windows WHERE hall_id = ? AND number = ?", hall, n).Scan(&win); err != nil {
		f.t.Fatal(err)
	}
	if err := f.db.QueryRow(f.ctx, `SELECT service_id FROM window_services WHERE window_id = ? ORDER BY rank LIMIT 1`, win).Scan(&svc); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.q.Issue(f.ctx, hall, svc, "", "kiosk"); err != nil {
		f.t.Fatal(err)
	}
	if err := f.q.Open(f.ctx, a, win); err != nil { // opening an open window again is harmless
		f.t.Fatalf("open: %v", err)
	}
	tk, err := f.q.Call(f.ctx, a, win)
	if err != nil || tk == nil {
		f.t.Fatalf("call: %v %v", tk, err)
	}
	if start {
		if tk, err = f.q.Start(f.ctx, a, win); err != nil {
			f.t.Fatal(err)
		}
	}
	if finish {
		if tk, err = f.q.Finish(f.ctx, a, win); err != nil {
			f.t.Fatal(err)
		}
	}
	return tk, a
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("want error %s, got %v", code, err)
	}
}

func activeVersion(f *fixture) *servicelang.Active {
	f.t.Helper()
	a, err := f.lib.Active(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

const smallSet = `{"version":1,"rules":[
 {"id":"r1","category":"模糊","words":["八九不离十"],"severity":"low","suggestion":"说确切的。"},
 {"id":"r2","category":"aggressive","words":["你错了"],"severity":3,"suggestion":"说“我们一起看一下”。"}],
 "scenarios":[{"code":"hello","name":"问候","step":"call","phrases":["您好！"]}]}`

func TestVersionsImportAndHistory(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		admin := f.actor("admin")
		a := activeVersion(f)
		if !a.Builtin || a.Version.Version != 0 || a.Rules != len(speech.Default().Rules) {
			t.Fatalf("empty table: active %+v, want the built-in set", a.Info)
		}
		if _, hits, _ := f.lib.Check(f.ctx, "你错了，八九不离十吧", false); len(hits) != 1 { // built-in: 你错了 only
			t.Fatalf("built-in hits %+v", hits)
		}

		info, err := f.lib.Import(f.ctx, admin, []byte(smallSet), "small set")
		if err != nil {
			t.Fatal(err)
		}
		if info.Version != 1 || info.Rules != 2 || info.Scenarios != 1 || info.CreatedBy != "admin" {
			t.Fatalf("import: %+v", info)
		}
		a = activeVersion(f)
		if a.Version.Version != 1 || a.Builtin || a.Note != "small set" {
			t.Fatalf("active after import %+v", a.Info)
		}
		if v, hits, _ := f.lib.Check(f.ctx, "你错了，八九不离十吧", false); v != 1 || len(hits) != 2 {
			t.Fatalf("v%d hits %+v", v, hits)
		}
		if _, sc, _ := f.lib.Phrases(f.ctx, speech.StepCall, tuesday10); len(sc) != 1 || sc[0].Code != "hello" {
			t.Fatalf("phrases %+v", sc)
		}
		_, _, err = f.lib.Phrases(f.ctx, "dance", tuesday10)
		wantCode(t, err, "speech_bad_step")

		// A file with problems: all of them, nothing saved.
		bad := `{"version":1,"rules":[{"id":"x","category":"rude","words":["八九不离十"],"severity":5,"suggestion":""},
			{"id":"x","category":"vague","words":[],"severity":1,"suggestion":"s"}],"scenarios":[]}`
		_, err = f.lib.Import(f.ctx, admin, []byte(bad), "")
		var inv *servicelang.InvalidError
		if !errors.As(err, &inv) || len(inv.Problems) < 4 {
			t.Fatalf("invalid import: %v", err)
		}
		wantCode(t, err, "speech_rules_invalid") // an apperr.Invalid to every layer
		for _, broken := range []string{"", "{", `{"rules":[],"extra":1}`, `[]`} {
			if _, err := f.lib.Import(f.ctx, admin, []byte(broken), ""); !errors.As(err, &inv) {
				t.Fatalf("import %q: %v", broken, err)
			}
		}
		_, err = f.lib.Import(f.ctx, admin, []byte(smallSet), strings.Repeat("长", 201))
		wantCode(t, err, "note_too_long")
		if activeVersion(f).Version.Version != 1 {
			t.Fatal("a refused import changed the version")
		}

		h, err := f.lib.History(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 2 || h[0].Version != 1 || h[0].Note != "small set" || !h[1].Builtin || h[1].Version != 0 {
			t.Fatalf("history %+v", h)
		}
		old, err := f.lib.Get(f.ctx, 0)
		if err != nil || len(old.Set.Rules) != len(speech.Default().Rules) {
			t.Fatalf("get v0: %v", err)
		}
		_, err = f.lib.Get(f.ctx, 7)
		wantCode(t, err, "speech_version_not_found")

		var action string
		f.db.QueryRow(f.ctx, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&action)
		if action != "speech.rules.import" {
			t.Fatalf("audit %q", action)
		}
	})
}

func TestEditOneRule(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		admin := f.actor("admin")
		n := len(speech.Default().Rules)
		rule := speech.Rule{Category: speech.Colloquial, Words: []string{"八九不离十"}, Severity: speech.Low, Suggestion: "说“没有问题”。"}
		info, created, err := f.lib.PutRule(f.ctx, admin, "local-01", rule)
		if err != nil || !created || info.Version != 1 || info.Rules != n+1 {
			t.Fatalf("add on the built-in set: %+v %v %v", info, created, err)
		}
		if _, hits, _ := f.lib.Check(f.ctx, "窗口：八九不离十", false); len(hits) != 1 || hits[0].RuleID != "local-01" {
			t.Fatalf("new rule not in force: %+v", hits)
		}
		rule.Severity = speech.Medium
		rule.ID = "local-01"
		info, created, err = f.lib.PutRule(f.ctx, admin, "local-01", rule)
		if err != nil || created || info.Version != 2 || info.Rules != n+1 {
			t.Fatalf("replace: %+v %v %v", info, created, err)
		}
		if _, hits, _ := f.lib.Check(f.ctx, "八九不离十", true); len(hits) != 1 || hits[0].Severity != speech.Medium {
			t.Fatalf("replaced rule: %+v", hits)
		}

		// An edit that would break the set: every problem, nothing saved.
		_, _, err = f.lib.PutRule(f.ctx, admin, "local-02", speech.Rule{Category: "rude", Words: []string{"可能"}, Severity: 9})
		var inv *servicelang.InvalidError
		if !errors.As(err, &inv) || len(inv.Problems) < 3 {
			t.Fatalf("invalid edit: %v", err)
		}
		_, _, err = f.lib.PutRule(f.ctx, admin, "local-01", speech.Rule{ID: "other", Category: speech.Vague, Words: []string{"x"}, Severity: 1, Suggestion: "s"})
		wantCode(t, err, "speech_rule_id_mismatch")
		_, err = f.lib.DeleteRule(f.ctx, admin, "no-such-rule")
		wantCode(t, err, "speech_rule_not_found")
		if v := activeVersion(f).Version.Version; v != 2 {
			t.Fatalf("refused edits changed the version to %d", v)
		}

		info, err = f.lib.DeleteRule(f.ctx, admin, "vague-01") // 可能
		if err != nil || info.Version != 3 || info.Rules != n {
			t.Fatalf("delete: %+v %v", info, err)
		}
		if _, hits, _ := f.lib.Check(f.ctx, "可能吧", false); len(hits) != 0 {
			t.Fatalf("deleted rule still hits: %+v", hits)
		}
		var actions []string
		rows, _ := f.db.Query(f.ctx, "SELECT action, target FROM audit_log WHERE action LIKE 'speech.%' ORDER BY id")
		for rows.Next() {
			var a, tg string
			rows.Scan(&a, &tg)
			actions = append(actions, a+" "+tg)
		}
		rows.Close()
		if strings.Join(actions, ",") != "speech.rule.put rule:local-01,speech.rule.put rule:local-01,speech.rule.delete rule:vague-01" {
			t.Fatalf("audit %v", actions)
		}
	})
}

// Edits of different rules at the same moment, through two instances, are all kept: saves
// queue and each applies to the version the one before wrote.
func TestConcurrentEditsKeepEveryRule(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		admin := f.actor("admin")
		libs := []*servicelang.Library{f.lib, servicelang.New(f.db)}
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := libs[i%2].PutRule(f.ctx, admin, fmt.Sprintf("c-%d", i), speech.Rule{Category: speech.Vague,
					Words: []string{fmt.Sprintf("含糊词%c", 'a'+i)}, Severity: 1, Suggestion: "s"})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent edit: %v", err)
			}
		}
		a := activeVersion(f)
		if a.Version.Version != n || a.Rules != len(speech.Default().Rules)+n {
			t.Fatalf("after %d edits: active v%d with %d rules", n, a.Version.Version, a.Rules)
		}
	})
}

// A second instance sees a version saved through the first at its next use.
func TestInstancesSeeNewVersions(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		other := servicelang.New(f.db)
		if a, _ := other.Active(f.ctx); a.Version.Version != 0 {
			t.Fatal("other instance")
		}
		if _, err := f.lib.Import(f.ctx, f.actor("admin"), []byte(smallSet), ""); err != nil {
			t.Fatal(err)
		}
		a, err := other.Active(f.ctx)
		if err != nil || a.Version.Version != 1 || len(a.Checker.Rules()) != 2 {
			t.Fatalf("other instance after import: %v %v", a, err)
		}
		if b, _ := other.Active(f.ctx); b != a {
			t.Fatal("the compiled version is not cached")
		}
	})
}

const talk = "窗口：您好，我不知道。\n客户：我的电话13812345678，身份证110101199003071234\n窗口：你必须先去办证，可能要很久。"

func TestAttachTranscript(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		serving, clerk := f.serve(1, 1, true, false)
		tr, err := f.lib.Attach(f.ctx, clerk, serving.ID, talk)
		if err != nil {
			t.Fatal(err)
		}
		if tr.ClerkID != clerk.ID || tr.ClerkName != clerk.Name || tr.HallID != 1 || tr.TicketNumber != serving.Number || tr.ClerkLines != 2 ||
			tr.CreatedBy != "clerk1-1" || tr.RulesetVersion != 0 {
			t.Fatalf("transcript %+v", tr)
		}
		if strings.Contains(tr.Text, "13812345678") || strings.Contains(tr.Text, "110101199003071234") ||
			!strings.Contains(tr.Text, "138****5678") || !strings.Contains(tr.Text, "110***********1234") {
			t.Fatalf("not masked: %q", tr.Text)
		}
		if len(tr.Hits) != 3 || tr.Hits[0].Text != "我不知道" || tr.Hits[1].Category != speech.Imperative {
			t.Fatalf("hits %+v", tr.Hits)
		}
		runes := []rune(tr.Text)
		for _, h := range tr.Hits {
			if string(runes[h.Start:h.End]) != h.Text {
				t.Fatalf("hit %+v does not point into the stored text", h)
			}
		}
		// stored: masked, hits against the serving clerk, one audit line
		var stored string
		var clerkID, nHits int64
		f.db.QueryRow(f.ctx, "SELECT text, clerk_id FROM transcripts WHERE id = ?", tr.ID).Scan(&stored, &clerkID)
		f.db.QueryRow(f.ctx, "SELECT COUNT(*) FROM transcript_hits WHERE transcript_id = ?", tr.ID).Scan(&nHits)
		if stored != tr.Text || clerkID != clerk.ID || nHits != 3 {
			t.Fatalf("stored %q clerk %d hits %d", stored, clerkID, nHits)
		}
		var action, detail string
		f.db.QueryRow(f.ctx, "SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&action, &detail)
		if action != "speech.transcript" || strings.Contains(detail, "5678") {
			t.Fatalf("audit %s %s", action, detail)
		}

		// Who may attach: the serving clerk, the hall's supervisor, an admin.
		done, _ := f.serve(1, 2, false, true) // served by clerk1-2, finished straight from called
		_, err = f.lib.Attach(f.ctx, clerk, done.ID, "窗口：您好")
		wantCode(t, err, "ticket_of_other_clerk")
		_, err = f.lib.Attach(f.ctx, f.actor("clerk2-1"), done.ID, "窗口：您好")
		wantCode(t, err, "ticket_of_other_hall")
		_, err = f.lib.Attach(f.ctx, f.actor("sup2"), done.ID, "窗口：您好")
		wantCode(t, err, "ticket_of_other_hall")
		bySup, err := f.lib.Attach(f.ctx, f.actor("sup1"), done.ID, "这不归我管")
		if err != nil || bySup.ClerkID != f.actor("clerk1-2").ID || bySup.CreatedBy != "sup1" || len(bySup.Hits) != 1 || bySup.ClerkLines != 1 {
			t.Fatalf("supervisor attach: %+v %v", bySup, err)
		}
		if _, err := f.lib.Attach(f.ctx, f.actor("admin"), done.ID, "窗口：好的。"); err != nil {
			t.Fatal(err)
		}

		// Only a ticket being served or done.
		called, c3 := f.serve(1, 3, false, false)
		_, err = f.lib.Attach(f.ctx, c3, called.ID, "窗口：您好")
		wantCode(t, err, "wrong_ticket_state")
		waiting, err := f.q.Issue(f.ctx, 1, 1, "", "kiosk")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.lib.Attach(f.ctx, f.actor("admin"), waiting.ID, "窗口：您好")
		wantCode(t, err, "wrong_ticket_state")
		_, err = f.lib.Attach(f.ctx, f.actor("admin"), 99999, "窗口：您好")
		wantCode(t, err, "ticket_not_found")
		_, err = f.lib.Attach(f.ctx, clerk, serving.ID, " \n ")
		wantCode(t, err, "speech_text_empty")
		_, err = f.lib.Attach(f.ctx, clerk, serving.ID, strings.Repeat("好", servicelang.MaxTextBytes/3+1))
		wantCode(t, err, "speech_text_too_long")

		// Reading: the staff of the hall.
		list, err := f.lib.Transcripts(f.ctx, f.actor("clerk1-5"), done.ID)
		if err != nil || len(list) != 2 || list[0].ID != bySup.ID || len(list[0].Hits) != 1 || list[0].Hits[0].RuleID != bySup.Hits[0].RuleID ||
			list[0].Hits[0].Suggestion == "" || list[0].ClerkName == "" {
			t.Fatalf("list: %+v %v", list, err)
		}
		list, _ = f.lib.Transcripts(f.ctx, f.actor("admin"), serving.ID)
		if len(list) != 1 || list[0].Text != tr.Text || len(list[0].Hits) != 3 || list[0].Hits[2].Start != tr.Hits[2].Start {
			t.Fatalf("list of the first ticket: %+v", list)
		}
		_, err = f.lib.Transcripts(f.ctx, f.actor("sup2"), done.ID)
		wantCode(t, err, "ticket_of_other_hall")
		_, err = f.lib.Transcripts(f.ctx, f.actor("sup2"), 424242)
		wantCode(t, err, "ticket_not_found")
	})
}

func TestStats(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		t1, c1 := f.serve(1, 1, true, true)
		t2, _ := f.serve(1, 1, true, false)
		t3, c2 := f.serve(1, 2, true, true)
		t4, c21 := f.serve(2, 1, true, true)
		for _, x := range []struct {
			who  staff.Actor
			tk   *queue.Ticket
			text string
		}{
			{c1, t1, talk}, // 2 clerk lines; 我不知道 (2), 你必须 (2), 可能 (1)
			{c1, t2, "窗口：您好，请问您办理什么业务？\n客户：社保。\n窗口：好的，请稍等。"}, // 2 lines, clean
			{f.actor("sup1"), t3, "这不归我管"}, // clerk1-2: 1 line, 推诿 (3)
			{c21, t4, "窗口：搞定了"},            // hall 2: 1 line, 口语化 (1)
		} {
			if _, err := f.lib.Attach(f.ctx, x.who, x.tk.ID, x.text); err != nil {
				t.Fatal(err)
			}
		}
		stats := func(a staff.Actor, q servicelang.StatsQuery) *servicelang.Stats {
			t.Helper()
			st, err := f.lib.Stats(f.ctx, a, q, shanghai)
			if err != nil {
				t.Fatalf("stats for %s: %v", a.Username, err)
			}
			return st
		}
		st := stats(f.actor("sup1"), servicelang.StatsQuery{})
		if st.From != "2026-11-01" || st.To != "2026-11-24" || st.Hall != 1 || len(st.Clerks) != 2 {
			t.Fatalf("supervisor stats %+v", st)
		}
		one := st.Clerks[0]
		if one.ClerkID != c1.ID || one.Transcripts != 2 || one.ClerkLines != 4 || one.Hits != 3 || one.Weighted != 5 || one.Score != 125 ||
			one.ByCategory["uncivil"] != 1 || one.ByCategory["imperative"] != 1 || one.ByCategory["vague"] != 1 || one.ByCategory["jargon"] != 0 ||
			one.BySeverity["2"] != 2 || one.BySeverity["1"] != 1 || one.BySeverity["3"] != 0 {
			t.Fatalf("clerk1-1: %+v", one)
		}
		if two := st.Clerks[1]; two.ClerkID != c2.ID || two.Hits != 1 || two.Weighted != 3 || two.Score != 300 || two.ByCategory["buck_passing"] != 1 {
			t.Fatalf("clerk1-2: %+v", two)
		}
		// a clerk: only themself
		if st := stats(c1, servicelang.StatsQuery{}); len(st.Clerks) != 1 || st.Clerks[0].ClerkID != c1.ID {
			t.Fatalf("clerk's own stats %+v", st)
		}
		_, err := f.lib.Stats(f.ctx, c1, servicelang.StatsQuery{Clerk: c2.ID}, shanghai)
		wantCode(t, err, "forbidden")
		_, err = f.lib.Stats(f.ctx, f.actor("sup1"), servicelang.StatsQuery{Hall: 2}, shanghai)
		wantCode(t, err, "forbidden")
		// the admin: every hall, or one clerk
		if st := stats(f.actor("admin"), servicelang.StatsQuery{}); len(st.Clerks) != 3 || st.Clerks[2].ClerkID != c21.ID || st.Clerks[2].Score != 100 {
			t.Fatalf("admin stats %+v", st)
		}
		if st := stats(f.actor("admin"), servicelang.StatsQuery{Clerk: c2.ID}); len(st.Clerks) != 1 || st.Clerks[0].ClerkID != c2.ID {
			t.Fatalf("admin stats of one clerk %+v", st)
		}
		// periods
		if st := stats(f.actor("admin"), servicelang.StatsQuery{From: "2026-11-25", To: "2026-12-31"}); len(st.Clerks) != 0 {
			t.Fatalf("a later period counted %+v", st)
		}
		if st := stats(f.actor("admin"), servicelang.StatsQuery{From: "2026-11-24", To: "2026-11-24"}); len(st.Clerks) != 3 {
			t.Fatalf("one day %+v", st)
		}
		for _, q := range []servicelang.StatsQuery{{From: "2026-13-01"}, {To: "24.11.2026"}, {From: "2026-11-24", To: "2026-11-01"}, {From: "2024-01-01", To: "2026-01-01"}} {
			_, err := f.lib.Stats(f.ctx, f.actor("admin"), q, shanghai)
			if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid {
				t.Fatalf("period %+v: %v", q, err)
			}
		}
	})
}

func TestScore(t *testing.T) {
	for _, c := range []struct {
		w, lines int
		want     float64
	}{{0, 0, 0}, {5, 0, 0}, {5, 4, 125}, {1, 3, 33.33}, {2, 3, 66.67}} {
		if got := servicelang.Score(c.w, c.lines); got != c.want {
			t.Errorf("Score(%d, %d) = %v, want %v", c.w, c.lines, got, c.want)
		}
	}
}
