package feedback_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/feedback"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration)     { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func (c *clock) Set(t time.Time)         { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func code(err error) string              { return apperr.As(err).Code }
func isCode(err error, want string) bool { return apperr.As(err) != nil && code(err) == want }

type fx struct {
	t     *testing.T
	db    *store.DB
	q     *queue.Engine
	f     *feedback.Service
	clk   *clock
	clerk staff.Actor
	sup   staff.Actor
	sup2  staff.Actor
}

// Friday 2026-03-06 10:00 in Shanghai: the weekend and a closed Monday show in the deadlines.
var start = time.Date(2026, 3, 6, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func each(t *testing.T, run func(x *fx)) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			clk := &clock{t: start}
			db := storetest.OpenDemo(t, eng, "pw", start.Add(-time.Hour))
			x := &fx{t: t, db: db, clk: clk, q: &queue.Engine{DB: db, Now: clk.Now}, f: &feedback.Service{DB: db, Now: clk.Now},
				clerk: storetest.Actor(t, db, "clerk1-1"), sup: storetest.Actor(t, db, "sup1"), sup2: storetest.Actor(t, db, "sup2")}
			run(x)
		})
	}
}

// served issues a ticket at hall 1, serves and finishes it at window 1, and returns its token.
func (x *fx) served(finish bool) string {
	x.t.Helper()
	ctx := context.Background()
	tk, err := x.q.Issue(ctx, 1, 1, "", "kiosk")
	if err != nil {
		x.t.Fatal(err)
	}
	if err := x.q.Open(ctx, x.clerk, 1); err != nil && !isCode(err, "window_already_open") {
		x.t.Logf("open: %v", err)
	}
	if _, err := x.q.Call(ctx, x.clerk, 1); err != nil {
		x.t.Fatal(err)
	}
	if finish {
		if _, err := x.q.Finish(ctx, x.clerk, 1); err != nil {
			x.t.Fatal(err)
		}
	}
	return tk.Token
}

func TestRatingRules(t *testing.T) {
	each(t, func(x *fx) {
		t := x.t
		ctx := context.Background()
		tok := x.served(true)
		if _, err := x.f.Rate(ctx, tok, "", feedback.RateInput{Level: 6}); !isCode(err, "rating_bad_level") {
			t.Fatalf("level 6: %v", err)
		}
		if _, err := x.f.Rate(ctx, tok, "", feedback.RateInput{Level: 5, Tags: []string{"attitude"}}); !isCode(err, "rating_bad_tag") {
			t.Fatalf("a bad-rating tag on 5: %v", err)
		}
		if _, err := x.f.Rate(ctx, "forged-token-forged-token", "", feedback.RateInput{Level: 5}); !isCode(err, "ticket_not_found") {
			t.Fatalf("forged token: %v", err)
		}
		r, err := x.f.Rate(ctx, tok, "", feedback.RateInput{Level: 4, Tags: []string{"fast"}, Comment: "不错，电话13812345678"})
		if err != nil || r.ID == 0 || r.Level != 4 || r.Source != "phone" || r.Rectification != "" || r.ClerkID != x.clerk.ID {
			t.Fatalf("rate: %+v %v", r, err)
		}
		if _, err := x.f.Rate(ctx, tok, "", feedback.RateInput{Level: 1}); !isCode(err, "already_rated") {
			t.Fatalf("second rating: %v", err)
		}
		if _, err := x.f.Followup(ctx, tok, "后来又想到一点"); err != nil {
			t.Fatal(err)
		}
		if _, err := x.f.Followup(ctx, tok, "再追评"); !isCode(err, "followup_exists") {
			t.Fatalf("second follow-up: %v", err)
		}
		v, err := x.f.TicketRating(ctx, tok)
		if err != nil || v.Rating == nil || v.Rating.Comment != "不错，电话138****5678" && v.Rating.Comment == "不错，电话13812345678" {
			t.Fatalf("view: %+v %v (the comment must be masked)", v, err)
		}

		unserved := x.served(false)
		if _, err := x.f.Rate(ctx, unserved, "", feedback.RateInput{Level: 5}); !isCode(err, "rating_not_finished") {
			t.Fatalf("unserved: %v", err)
		}
		x.q.Finish(ctx, x.clerk, 1)
		x.clk.Add(8 * 24 * time.Hour) // past the 7 days
		if _, err := x.f.Rate(ctx, unserved, "", feedback.RateInput{Level: 5}); !isCode(err, "rating_span_over") {
			t.Fatalf("outside the span: %v", err)
		}
	})
}

func TestTwoRatingsAtOnceKeepOne(t *testing.T) {
	each(t, func(x *fx) {
		t := x.t
		ctx := context.Background()
		for round := 0; round < 3; round++ {
			tok := x.served(true)
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = x.f.Rate(ctx, tok, "", feedback.RateInput{Level: 1 + i%5})
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case !isCode(err, "already_rated"):
					t.Fatalf("round %d: %v", round, err)
				}
			}
			var n int
			x.db.QueryRow(ctx, "SELECT COUNT(*) FROM ratings r JOIN tickets t ON t.id = r.ticket_id WHERE t.token = ?", tok).Scan(&n)
			if ok != 1 || n != 1 {
				t.Fatalf("round %d: %d accepted, %d stored; want exactly one", round, ok, n)
			}
		}
	})
}

func TestPadRatesOnlyItsWindowsTicket(t *testing.T) {
	each(t, func(x *fx) {
		t := x.t
		ctx := context.Background()
		if _, _, err := x.f.PairCode(ctx, x.clerk, 1, 1); !isCode(err, "forbidden") {
			t.Fatalf("a clerk pairs: %v", err)
		}
		if _, _, err := x.f.PairCode(ctx, x.sup2, 1, 1); !isCode(err, "forbidden") {
			t.Fatalf("another hall's supervisor pairs: %v", err)
		}
		cd, _, err := x.f.PairCode(ctx, x.sup, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			if _, err := x.f.Pair(ctx, 1, "000000x"); !isCode(err, "pad_bad_code") {
				t.Fatalf("wrong code: %v", err)
			}
		}
		pad, err := x.f.Pair(ctx, 1, cd)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.f.Pair(ctx, 1, cd); !isCode(err, "pad_bad_code") {
			t.Fatalf("a code pairs once: %v", err)
		}
		p, err := x.f.PadPrompt(ctx, pad)
		if err != nil || p.Ticket != nil {
			t.Fatalf("idle pad: %+v %v", p, err)
		}
		x.served(true)
		p, err = x.f.PadPrompt(ctx, pad)
		if err != nil || p.Ticket == nil || p.Ticket.Number == "" {
			t.Fatalf("prompt after finish: %+v %v", p, err)
		}
		if _, err := x.f.Rate(ctx, p.Ticket.Token, "not-a-pad", feedback.RateInput{Level: 1}); !isCode(err, "pad_unknown") {
			t.Fatalf("forged pad: %v", err)
		}
		r, err := x.f.Rate(ctx, p.Ticket.Token, pad, feedback.RateInput{Level: 1, Tags: []string{"attitude", "long_wait"}, ContactPhone: "13812345678"})
		if err != nil || r.Source != "pad" || r.Rectification == "" {
			t.Fatalf("pad rating: %+v %v", r, err)
		}
		if p, _ = x.f.PadPrompt(ctx, pad); p.Ticket != nil {
			t.Fatal("the pad still prompts for a rated ticket")
		}
		// Past the pad's span the pad may not rate; the holder still may, on the phone.
		tok := x.served(true)
		x.clk.Add(feedback.PadSpan + time.Minute)
		if _, err := x.f.Rate(ctx, tok, pad, feedback.RateInput{Level: 5}); !isCode(err, "rating_span_over") {
			t.Fatalf("pad after its span: %v", err)
		}
		if _, err := x.f.Rate(ctx, tok, "", feedback.RateInput{Level: 5}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRectificationLifecycle(t *testing.T) {
	each(t, func(x *fx) {
		t := x.t
		ctx := context.Background()
		tok := x.served(true)
		r, err := x.f.Rate(ctx, tok, "", feedback.RateInput{Level: 2, Tags: []string{"efficiency"}, ContactPhone: "13900001111"})
		if err != nil {
			t.Fatal(err)
		}
		list, err := x.f.Rectifications(ctx, x.sup, 1, "open")
		if err != nil || len(list) != 1 {
			t.Fatalf("open list: %+v %v", list, err)
		}
		rc := list[0]
		// Rated Friday 3/6: contact by Monday 3/9, rectify by Friday 3/13.
		if rc.RatingID != r.ID || rc.State != feedback.RContact || rc.ContactDue != "2026-03-09" || rc.Due != "2026-03-13" ||
			rc.ContactPhone != "139****1111" || !rc.Named || rc.ClerkID != x.clerk.ID {
			t.Fatalf("rectification %+v", rc)
		}
		if _, err := x.f.Rectifications(ctx, x.sup2, 1, "open"); !isCode(err, "forbidden") {
			t.Fatalf("other hall: %v", err)
		}
		if _, err := x.f.Act(ctx, x.sup, rc.ID, "verify", feedback.RectInput{Verdict: "reasonable"}); !isCode(err, "feedback_illegal_step") {
			t.Fatalf("verify before contact: %v", err)
		}
		if _, err := x.f.Act(ctx, x.clerk, rc.ID, "contact", feedback.RectInput{Note: "x"}); !isCode(err, "forbidden") {
			t.Fatalf("a clerk works it: %v", err)
		}
		// Monday passes without contact: the job escalates once.
		x.clk.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, start.Location()))
		e, err := x.f.Escalate(ctx, []int64{1, 2})
		if err != nil || e.Rectifications != 1 {
			t.Fatalf("escalate: %+v %v", e, err)
		}
		if e, _ := x.f.Escalate(ctx, []int64{1, 2}); e.Rectifications != 0 {
			t.Fatalf("escalated twice: %+v", e)
		}
		got, _ := x.f.Rectification(ctx, x.sup, rc.ID)
		if !got.Escalated || !got.Overdue {
			t.Fatalf("late contact: %+v", got)
		}
		steps := []struct {
			a   staff.Actor
			act string
			in  feedback.RectInput
			to  string
		}{
			{x.sup, "contact", feedback.RectInput{Note: "电话联系，市民说等了40分钟"}, feedback.RVerify},
			{x.clerk, "appeal", feedback.RectInput{Note: "当天系统故障"}, feedback.RAppeal},
			{x.sup, "decide", feedback.RectInput{Decision: "rejected"}, feedback.RRectify},
			{x.sup, "report", feedback.RectInput{Cause: "高峰时段只开一个窗口", Fix: "高峰增开窗口"}, feedback.RCallback},
			{x.sup, "callback", feedback.RectInput{Outcome: "已告知整改措施", Response: "satisfied"}, feedback.RClosed},
		}
		for _, s := range steps {
			got, err := x.f.Act(ctx, s.a, rc.ID, s.act, s.in)
			if err != nil || got.State != s.to {
				t.Fatalf("%s: %+v %v", s.act, got, err)
			}
		}
		got, _ = x.f.Rectification(ctx, x.sup, rc.ID)
		if len(got.History) != 7 || got.CallbackResponse != "satisfied" {
			t.Fatalf("history %+v", got.History)
		}
		if _, err := x.f.Act(ctx, x.sup, rc.ID, "callback", feedback.RectInput{Outcome: "x", Response: "satisfied"}); !isCode(err, "feedback_illegal_step") {
			t.Fatalf("closed moved: %v", err)
		}
		pub, err := x.f.RectByCode(ctx, r.Rectification)
		if err != nil || pub.State != feedback.RClosed || pub.Fix != "高峰增开窗口" {
			t.Fatalf("citizen's view %+v %v", pub, err)
		}
		f, err := x.f.Figures(ctx, x.sup, 1, "2026-03-01", "2026-03-31", "window")
		if err != nil || f.Total.Rated != 1 || f.Total.Bad != 1 || f.Rectifications.Opened != 1 || f.Rectifications.CallbackRate != 1 ||
			f.Rectifications.ContactedOnTime != 0 || f.Rectifications.AppealsRejected != 1 {
			t.Fatalf("figures %+v %v", f, err)
		}
	})
}

func TestUpheldAppealLeavesTheFigures(t *testing.T) {
	each(t, func(x *fx) {
		t := x.t
		ctx := context.Background()
		tok := x.served(true)
		if _, err := x.f.Rate(ctx, tok, "", feedback.RateInput{Level: 1}); err != nil {
			t.Fatal(err)
		}
		list, _ := x.f.Rectifications(ctx, x.sup, 1, "open")
		id := list[0].ID
		for _, s := range []struct {
			a   staff.Actor
			act string
			in  feedback.RectInput
		}{{x.sup, "contact", feedback.RectInput{Note: "联系上了"}}, {x.clerk, "appeal", feedback.RectInput{Note: "误评"}},
			{x.sup, "decide", feedback.RectInput{Decision: "upheld"}}} {
			if _, err := x.f.Act(ctx, s.a, id, s.act, s.in); err != nil {
				t.Fatalf("%s: %v", s.act, err)
			}
		}
		f, err := x.f.Figures(ctx, x.sup, 1, "2026-03-06", "2026-03-06", "clerk")
		if err != nil || f.Total.Rated != 0 || f.Total.Served != 1 || f.Rectifications.AppealsUpheld != 1 {
			t.Fatalf("figures %+v %v", f, err)
		}
		mine, err := x.f.Figures(ctx, x.clerk, 1, "2026-03-06", "2026-03-06", "window")
		if err != nil || mine.By != "clerk" || len(mine.Rows) != 1 || mine.Rows[0].Key != x.clerk.ID {
			t.Fatalf("a clerk's own figures %+v %v", mine, err)
		}
	})
}

func TestComplaintLifecycle(t *testing.T) {
	each(t, func(x *fx) {
		t := x.t
		ctx := context.Background()
		tok := x.served(true)
		in := feedback.ComplaintInput{Channel: "web", Topic: "attitude", Text: "窗口人员态度冷淡", ContactName: "张三丰", ContactPhone: "13812345678", TicketToken: tok}
		if _, err := x.f.TakeComplaint(ctx, nil, 1, feedback.ComplaintInput{Channel: "phone", Topic: "attitude", Text: "x"}); !isCode(err, "complaint_web_only") {
			t.Fatalf("anonymous phone complaint: %v", err)
		}
		if _, err := x.f.TakeComplaint(ctx, nil, 1, feedback.ComplaintInput{Channel: "web", Topic: "attitude"}); !isCode(err, "feedback_missing") {
			t.Fatalf("empty text: %v", err)
		}
		if _, err := x.f.TakeComplaint(ctx, nil, 2, in); !isCode(err, "ticket_not_found") {
			t.Fatalf("another hall's ticket: %v", err)
		}
		taken, err := x.f.TakeComplaint(ctx, nil, 1, in)
		if err != nil || taken.Code == "" || len(taken.Token) < 20 {
			t.Fatalf("take: %+v %v", taken, err)
		}
		pub, err := x.f.ComplaintByToken(ctx, taken.Token)
		if err != nil || pub.ContactName != "张**" || pub.ContactPhone != "138****5678" || pub.State != feedback.CNew {
			t.Fatalf("public %+v %v", pub, err)
		}
		list, err := x.f.Complaints(ctx, x.sup, 1, "open")
		if err != nil || len(list) != 1 || list[0].SignDue != "2026-03-09" || list[0].ClerkID != x.clerk.ID || list[0].TicketNumber == "" {
			t.Fatalf("list %+v %v", list, err)
		}
		id := list[0].ID
		act := func(a string, s feedback.ComplaintStep, want string) {
			t.Helper()
			p, err := x.f.ActComplaint(ctx, x.sup, id, a, s)
			if err != nil || p.State != want {
				t.Fatalf("%s: %+v %v", a, p, err)
			}
		}
		if _, err := x.f.ActComplaint(ctx, x.sup, id, "handle", feedback.ComplaintStep{Action: "x", Result: "y"}); !isCode(err, "feedback_illegal_step") {
			t.Fatalf("handle before signing: %v", err)
		}
		act("sign", feedback.ComplaintStep{}, feedback.CReceived)
		if _, err := x.f.ActComplaint(ctx, x.sup, id, "classify", feedback.ComplaintStep{Class: "huge", Department: "d", Priority: 1}); !isCode(err, "complaint_bad_class") {
			t.Fatalf("bad class: %v", err)
		}
		act("classify", feedback.ComplaintStep{Class: "general", Department: "社保科", Priority: 2}, feedback.CInvestigating)
		p, _ := x.f.Complaint(ctx, x.sup, id)
		if p.Due != "2026-03-17" { // 7 working days from Friday 3/6
			t.Fatalf("due %s", p.Due)
		}
		act("handle", feedback.ComplaintStep{Listened: true, Apologised: true, Action: "约谈窗口人员", Result: "已批评教育并道歉", Upheld: true}, feedback.CFeedback)
		pub, err = x.f.CitizenOpinion(ctx, taken.Token, false, "还是不满意")
		if err != nil || pub.State != feedback.CInvestigating || pub.Reopens != 1 {
			t.Fatalf("reopen: %+v %v", pub, err)
		}
		act("handle", feedback.ComplaintStep{Listened: true, Apologised: true, Action: "再次回访", Result: "调整窗口人员", Upheld: true}, feedback.CFeedback)
		if pub, err = x.f.CitizenOpinion(ctx, taken.Token, true, ""); err != nil || pub.State != feedback.CArchived {
			t.Fatalf("satisfied: %+v %v", pub, err)
		}
		if _, err := x.f.CitizenOpinion(ctx, taken.Token, false, ""); !isCode(err, "feedback_illegal_step") {
			t.Fatalf("opinion after archiving: %v", err)
		}
		act("learn", feedback.ComplaintStep{Cause: "服务意识不足", Improvement: "纳入月度培训"}, feedback.CClosed)
		f, err := x.f.Figures(ctx, x.sup, 1, "2026-03-01", "2026-03-31", "service")
		if err != nil || f.Complaints.Total != 1 || f.Complaints.ByClass["general"] != 1 || f.Complaints.Upheld != 1 || f.Complaints.Closed != 1 {
			t.Fatalf("figures %+v %v", f.Complaints, err)
		}
		// Surveys: the complainant left a contact.
		calls, err := x.f.DrawSurvey(ctx, x.sup, 1, 10, 30)
		if err != nil || len(calls) != 1 || calls[0].Phone != "138****5678" {
			t.Fatalf("draw %+v %v", calls, err)
		}
		if again, _ := x.f.DrawSurvey(ctx, x.sup, 1, 10, 30); len(again) != 1 {
			t.Fatalf("drawn twice: %+v", again)
		}
		if err := x.f.RecordSurvey(ctx, x.sup, calls[0].ID, feedback.SurveyResult{Reached: true, Level: 4}); err != nil {
			t.Fatal(err)
		}
		if err := x.f.RecordSurvey(ctx, x.sup, calls[0].ID, feedback.SurveyResult{Reached: false}); !isCode(err, "feedback_illegal_step") {
			t.Fatalf("a survey recorded twice: %v", err)
		}
		f, _ = x.f.Figures(ctx, x.sup, 1, "2026-03-01", "2026-03-31", "window")
		if f.Surveys.Done != 1 || f.Surveys.ByLevel[4] != 1 {
			t.Fatalf("survey figures %+v", f.Surveys)
		}
	})
}
