package feedback

import (
	"github.com/qhall/qhall/internal/apperr"
)

// Rectification states (差评整改), in the order a bad rating goes through them.
const (
	RContact  = "contact"  // opened: the citizen is to be contacted (default within 1 working day)
	RVerify   = "verify"   // contacted: the complaint behind the rating is to be verified and sorted
	RAppeal   = "appeal"   // the clerk appealed (申诉复核): a supervisor decides
	RRectify  = "rectify"  // to be fixed and reported back (default within 5 working days, or by a set date)
	RCallback = "callback" // fixed or explained: the citizen is to be called back (回访)
	RClosed   = "closed"
)

// Verification verdicts, as the 好差评 regime sorts a bad rating.
const (
	VerdictReasonable = "reasonable" // clear and reasonable: fix at once
	VerdictComplex    = "complex"    // complex: fix by a set date
	VerdictNoBasis    = "no_basis"   // without legal basis: explain to the citizen
)

// Appeal decisions.
const (
	AppealUpheld   = "upheld"   // the rating was mistaken or malicious: it leaves the figures
	AppealRejected = "rejected" // the rating stands: rectify
)

// Complaint states (投诉).
const (
	CNew           = "new"           // taken: to be signed for (受理) within 1 working day
	CReceived      = "received"      // signed for: to be classified and assigned
	CInvestigating = "investigating" // assigned: investigate and handle (调查, 处置)
	CFeedback      = "feedback"      // handled: the result is with the complainant, their opinion awaited (反馈)
	CEscalated     = "escalated"     // not satisfied after a reopening: the hall leader handles it
	CArchived      = "archived"      // 归档: cause and improvement to record (结果运用)
	CClosed        = "closed"
)

// Complaint classes with their default limits in working days (紧急: the same day).
const (
	ClassGeneral = "general" // 一般
	ClassMajor   = "major"   // 重大
	ClassUrgent  = "urgent"  // 紧急
)

// step is one line of a transition table: from a state, an action (and, where the outcome
// depends on it, a variant such as a verdict) leads to a state.
type step struct{ from, action, variant, to string }

// RectFlow is the rectification's transition table; nothing else moves a rectification.
var RectFlow = []step{
	{RContact, "contact", "", RVerify},
	{RVerify, "verify", VerdictReasonable, RRectify},
	{RVerify, "verify", VerdictComplex, RRectify},
	{RVerify, "verify", VerdictNoBasis, RCallback},
	{RVerify, "appeal", "", RAppeal},
	{RAppeal, "decide", AppealUpheld, RClosed},
	{RAppeal, "decide", AppealRejected, RRectify},
	{RRectify, "report", "", RCallback},
	{RCallback, "callback", "", RClosed},
}

// Complaint opinions at feedback. "unsatisfied" reopens once; the second time it escalates;
// once escalated, any opinion archives it (the leader's answer is the last).
const (
	OpinionSatisfied   = "satisfied"
	OpinionUnsatisfied = "unsatisfied"
	OpinionReopen      = "reopen"   // variant used internally: unsatisfied, first time
	OpinionEscalate    = "escalate" // unsatisfied, after a reopening
)

// ComplaintFlow is the complaint's transition table.
var ComplaintFlow = []step{
	{CNew, "sign", "", CReceived},
	{CReceived, "classify", "", CInvestigating},
	{CInvestigating, "handle", "", CFeedback},
	{CEscalated, "handle", "", CFeedback},
	{CFeedback, "opinion", OpinionSatisfied, CArchived},
	{CFeedback, "opinion", OpinionReopen, CInvestigating},
	{CFeedback, "opinion", OpinionEscalate, CEscalated},
	{CFeedback, "opinion", OpinionUnsatisfied, CArchived}, // after escalation
	{CArchived, "learn", "", CClosed},
}

// next finds the state that action (with variant) leads to from from in table, or refuses it
// with a message that names the state and the action.
func next(table []step, from, action, variant string) (string, error) {
	known := false
	for _, s := range table {
		if s.action != action {
			continue
		}
		known = true
		if s.from == from && s.variant == variant {
			return s.to, nil
		}
	}
	if !known {
		return "", apperr.New(apperr.Invalid, "feedback_bad_action", action)
	}
	for _, s := range table {
		if s.from == from && s.action == action {
			return "", apperr.New(apperr.Invalid, "feedback_bad_variant", action, variant)
		}
	}
	return "", apperr.New(apperr.Conflict, "feedback_illegal_step", action, from)
}

// RectNext is the rectification state that action (with variant: a verdict or a decision)
// leads to from from.
func RectNext(from, action, variant string) (string, error) {
	return next(RectFlow, from, action, variant)
}

// ComplaintNext is the complaint state that action leads to from from. For "opinion", variant
// is satisfied or unsatisfied; reopens and escalated say what unsatisfied means now.
func ComplaintNext(from, action, variant string, reopens int, escalated bool) (string, error) {
	if action == "opinion" && variant == OpinionUnsatisfied && !escalated {
		if reopens == 0 {
			variant = OpinionReopen
		} else {
			variant = OpinionEscalate
		}
	}
	return next(ComplaintFlow, from, action, variant)
}

// Survey call states and the one move each pending call makes.
const (
	SPending     = "pending"
	SDone        = "done"
	SUnreachable = "unreachable"
)

// SurveyFlow is a survey call's transition table: a pending call is answered or not reached.
var SurveyFlow = []step{
	{SPending, "record", "reached", SDone},
	{SPending, "record", "unreached", SUnreachable},
}

// SurveyNext is the state a survey call in from reaches when recorded as reached or not.
func SurveyNext(from string, reached bool) (string, error) {
	v := "unreached"
	if reached {
		v = "reached"
	}
	return next(SurveyFlow, from, "record", v)
}

// RectOpen tells whether a rectification still has work to do.
func RectOpen(state string) bool { return state != RClosed }

// ComplaintOpen tells whether a complaint is still being handled (archived ones only await the
// lessons learnt, which no deadline binds).
func ComplaintOpen(state string) bool { return state != CArchived && state != CClosed }

// Level words, 5 best.
var LevelWords = map[int]string{5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

// TagsFor are the reason tags offered for a level: what went wrong for 1–2, what could be
// better for 3, what went well for 4–5.
func TagsFor(level int) []string {
	switch {
	case level <= 0 || level > 5:
		return nil
	case level <= 2:
		return []string{"attitude", "efficiency", "unclear", "repeat_trips", "long_wait", "environment", "rules"}
	case level == 3:
		return []string{"long_wait", "unclear", "efficiency", "environment"}
	default:
		return []string{"friendly", "fast", "clear", "one_trip", "environment"}
	}
}

// Bad tells whether a level opens a rectification.
func Bad(level int) bool { return level == 1 || level == 2 }
