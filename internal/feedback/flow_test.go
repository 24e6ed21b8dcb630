package feedback

import (
	"testing"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/calendar"
)

func TestRectFlowEveryPath(t *testing.T) {
	walk := func(steps ...[3]string) string {
		t.Helper()
		st := RContact
		for _, s := range steps {
			to, err := RectNext(st, s[0], s[1])
			if err != nil {
				t.Fatalf("%s --%s/%s--> : %v", st, s[0], s[1], err)
			}
			if s[2] != "" && to != s[2] {
				t.Fatalf("%s --%s/%s--> %s, want %s", st, s[0], s[1], to, s[2])
			}
			st = to
		}
		return st
	}
	// clear and reasonable: fix at once, report, call back
	walk([3]string{"contact", "", RVerify}, [3]string{"verify", VerdictReasonable, RRectify}, [3]string{"report", "", RCallback}, [3]string{"callback", "", RClosed})
	// complex: fix by a set date
	walk([3]string{"contact", "", RVerify}, [3]string{"verify", VerdictComplex, RRectify}, [3]string{"report", "", RCallback}, [3]string{"callback", "", RClosed})
	// without legal basis: the explanation is the report; call back
	walk([3]string{"contact", "", RVerify}, [3]string{"verify", VerdictNoBasis, RCallback}, [3]string{"callback", "", RClosed})
	// mistaken or malicious: the clerk appeals; upheld closes, rejected rectifies
	walk([3]string{"contact", "", RVerify}, [3]string{"appeal", "", RAppeal}, [3]string{"decide", AppealUpheld, RClosed})
	walk([3]string{"contact", "", RVerify}, [3]string{"appeal", "", RAppeal}, [3]string{"decide", AppealRejected, RRectify},
		[3]string{"report", "", RCallback}, [3]string{"callback", "", RClosed})
}

func TestRectFlowRefusesIllegalSteps(t *testing.T) {
	for _, c := range []struct {
		from, action, variant string
		kind                  apperr.Kind
		code                  string
	}{
		{RContact, "verify", VerdictReasonable, apperr.Conflict, "feedback_illegal_step"}, // verify before contacting
		{RContact, "callback", "", apperr.Conflict, "feedback_illegal_step"},              // call back before rectifying
		{RRectify, "contact", "", apperr.Conflict, "feedback_illegal_step"},
		{RClosed, "report", "", apperr.Conflict, "feedback_illegal_step"},       // nothing moves a closed one
		{RCallback, "appeal", "", apperr.Conflict, "feedback_illegal_step"},     // appeals come before rectifying
		{RVerify, "verify", "whatever", apperr.Invalid, "feedback_bad_variant"}, // unknown verdict
		{RAppeal, "decide", "", apperr.Invalid, "feedback_bad_variant"},
		{RVerify, "delete", "", apperr.Invalid, "feedback_bad_action"},
	} {
		_, err := RectNext(c.from, c.action, c.variant)
		e := apperr.As(err)
		if e == nil || e.Kind != c.kind || e.Code != c.code || len(e.Args) == 0 {
			t.Errorf("%s --%s/%s-->: %v, want %s", c.from, c.action, c.variant, err, c.code)
		}
	}
}

func TestComplaintFlow(t *testing.T) {
	type mv struct {
		action, variant string
		reopens         int
		escalated       bool
		want            string
	}
	run := func(name string, mvs ...mv) {
		st := CNew
		for _, m := range mvs {
			to, err := ComplaintNext(st, m.action, m.variant, m.reopens, m.escalated)
			if err != nil || to != m.want {
				t.Fatalf("%s: %s --%s/%s--> %s %v, want %s", name, st, m.action, m.variant, to, err, m.want)
			}
			st = to
		}
	}
	base := []mv{{"sign", "", 0, false, CReceived}, {"classify", "", 0, false, CInvestigating}, {"handle", "", 0, false, CFeedback}}
	run("satisfied", append(base, mv{"opinion", OpinionSatisfied, 0, false, CArchived}, mv{"learn", "", 0, false, CClosed})...)
	run("reopened once, then satisfied", append(base, mv{"opinion", OpinionUnsatisfied, 0, false, CInvestigating},
		mv{"handle", "", 1, false, CFeedback}, mv{"opinion", OpinionSatisfied, 1, false, CArchived}, mv{"learn", "", 1, false, CClosed})...)
	run("unsatisfied twice escalates, the leader's answer is the last", append(base, mv{"opinion", OpinionUnsatisfied, 0, false, CInvestigating},
		mv{"handle", "", 1, false, CFeedback}, mv{"opinion", OpinionUnsatisfied, 1, false, CEscalated},
		mv{"handle", "", 1, true, CFeedback}, mv{"opinion", OpinionUnsatisfied, 1, true, CArchived}, mv{"learn", "", 1, true, CClosed})...)

	for _, c := range []struct{ from, action, variant string }{
		{CNew, "classify", ""}, {CNew, "handle", ""}, {CReceived, "opinion", OpinionSatisfied}, {CClosed, "sign", ""},
		{CArchived, "opinion", OpinionUnsatisfied}, {CInvestigating, "learn", ""},
	} {
		if _, err := ComplaintNext(c.from, c.action, c.variant, 0, false); apperr.As(err) == nil || apperr.As(err).Code != "feedback_illegal_step" {
			t.Errorf("%s --%s-->: %v, want feedback_illegal_step", c.from, c.action, err)
		}
	}
	if _, err := ComplaintNext(CFeedback, "opinion", "meh", 0, false); apperr.As(err) == nil || apperr.As(err).Code != "feedback_bad_variant" {
		t.Errorf("bad opinion: %v", err)
	}
}

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestDeadlinesOnTheWorkingDayCalendar(t *testing.T) {
	c := calendar.New(nil)
	for _, x := range []struct {
		day, contact, due string
	}{
		{"2026-04-27", "2026-04-28", "2026-05-07"}, // before 劳动节: 4/28-30 are 1-3, 5/1-5 off, 5/6-7 are 4-5
		{"2026-09-30", "2026-10-08", "2026-10-13"}, // National Day: 10/1-7 off; 10/8, 10/9, 10/10 (make-up Saturday), 10/12, 10/13
		{"2026-02-13", "2026-02-14", "2026-02-27"}, // 春节: 2/14 a make-up Saturday is 1, 2/15-23 off, 2/24-27 are 2-5
		{"2026-03-06", "2026-03-09", "2026-03-13"}, // a Friday: the weekend does not count
	} {
		contact, due := RectDeadlines(c, DefaultSettings, date(x.day))
		want, _ := c.AddWorkdays(date(x.day), 5)
		if contact.String() != x.contact || due.String() != x.due || due != want {
			t.Errorf("rating on %s: contact by %s, due %s; want %s, %s", x.day, contact, due, x.contact, x.due)
		}
	}
	// A hall with 10 working days to rectify (another city's rule) and a hall's own closed day.
	set := DefaultSettings
	set.RectifyDays = 10
	closed := calendar.New([]calendar.Day{{Scope: 1, Day: date("2026-03-09"), Working: false}})
	contact, due := RectDeadlines(closed, set, date("2026-03-06"))
	if contact.String() != "2026-03-10" || due.String() != "2026-03-23" {
		t.Errorf("10 days with 3/9 closed: %s %s", contact, due)
	}
	for class, want := range map[string]string{ClassGeneral: "2026-10-15", ClassMajor: "2026-10-27", ClassUrgent: "2026-09-30"} {
		got, err := ComplaintDue(c, DefaultSettings, date("2026-09-30"), class)
		if err != nil || got.String() != want {
			t.Errorf("%s complaint received 9/30: due %s %v, want %s", class, got, err, want)
		}
	}
	if _, err := ComplaintDue(c, DefaultSettings, date("2026-09-30"), "huge"); apperr.As(err) == nil {
		t.Error("unknown class accepted")
	}
	if !Overdue("2026-03-09", date("2026-03-10")) || Overdue("2026-03-10", date("2026-03-10")) || Overdue("", date("2026-03-10")) {
		t.Error("Overdue: past the due day only")
	}
}

func TestSettingsAndTags(t *testing.T) {
	if err := DefaultSettings.validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultSettings
	bad.RectifyDays = 0
	if apperr.As(bad.validate()) == nil {
		t.Error("0 days to rectify accepted")
	}
	if len(TagsFor(1)) == 0 || len(TagsFor(5)) == 0 || TagsFor(0) != nil || TagsFor(6) != nil || TagsFor(1)[0] == TagsFor(5)[0] {
		t.Error("tags depend on the level")
	}
	if !Bad(1) || !Bad(2) || Bad(3) {
		t.Error("Bad")
	}
}

func TestSurveyFlow(t *testing.T) {
	if to, err := SurveyNext(SPending, true); err != nil || to != SDone {
		t.Fatalf("reached: %s %v", to, err)
	}
	if to, err := SurveyNext(SPending, false); err != nil || to != SUnreachable {
		t.Fatalf("not reached: %s %v", to, err)
	}
	for _, from := range []string{SDone, SUnreachable} {
		if _, err := SurveyNext(from, true); apperr.As(err) == nil || apperr.As(err).Code != "feedback_illegal_step" {
			t.Errorf("%s recorded again: %v", from, err)
		}
	}
}
