package cases

import (
	"slices"

	"github.com/qhall/qhall/internal/apperr"
)

// State is where a case stands.
type State string

// The states of a case (DOMAIN.md §2: consult → accepted / not accepted / correction → in
// progress → completed → delivered).
const (
	Consult    State = "consult"    // 接待咨询: the clerk hears the matter
	Review     State = "review"     // 审核受理: materials under review
	Correction State = "correction" // 补正: the one-time notice is out, the citizen brings the rest
	Processing State = "processing" // 受理, in progress (at the front desk or a department)
	Suspended  State = "suspended"  // hearing, testing or expert review: the clock stops
	Rejected   State = "rejected"   // 不予受理, with the rule cited and the rights to appeal
	Completed  State = "completed"  // 办结: the result waits at the pickup window
	Delivered  State = "delivered"  // 出件: the result is handed over
)

// States lists every state in the order a case meets them.
var States = []State{Consult, Review, Correction, Processing, Suspended, Rejected, Completed, Delivered}

// Step is something done to a case.
type Step string

// The steps.
const (
	StepReview     Step = "review"      // start checking the materials
	StepNotice     Step = "notice"      // issue the one-time notice (一次性告知)
	StepReturn     Step = "return"      // the citizen is back with the notice
	StepAccept     Step = "accept"      // 受理
	StepAcceptLack Step = "accept_lack" // 容缺受理: a secondary item follows under a commitment
	StepAutoAccept Step = "auto_accept" // no notice within 5 working days: accepted by law (art. 32)
	StepReject     Step = "reject"      // 不予受理
	StepAssign     Step = "assign"      // to a back-office department (后台分类审批)
	StepSupplement Step = "supplement"  // the committed item arrived
	StepSuspend    Step = "suspend"     // hearing, testing, expert review
	StepResume     Step = "resume"
	StepExtend     Step = "extend" // once, with a leader's approval
	StepComplete   Step = "complete"
	StepDeliver    Step = "deliver" // result handed out at the pickup window
)

// Steps lists every step.
var Steps = []Step{StepReview, StepNotice, StepReturn, StepAccept, StepAcceptLack, StepAutoAccept, StepReject, StepAssign,
	StepSupplement, StepSuspend, StepResume, StepExtend, StepComplete, StepDeliver}

// transition is one row of the table: from these states the step leads to To (empty To: the
// state stays).
type transition struct {
	From []State
	To   State
}

// table is the state machine. Anything not in it is refused.
var table = map[Step]transition{
	StepReview:     {[]State{Consult}, Review},
	StepNotice:     {[]State{Review}, Correction},
	StepReturn:     {[]State{Correction}, Review},
	StepAccept:     {[]State{Review}, Processing},
	StepAcceptLack: {[]State{Review}, Processing},
	StepAutoAccept: {[]State{Review}, Processing},
	StepReject:     {[]State{Consult, Review, Correction}, Rejected},
	StepAssign:     {[]State{Processing}, ""},
	StepSupplement: {[]State{Processing, Suspended}, ""},
	StepSuspend:    {[]State{Processing}, Suspended},
	StepResume:     {[]State{Suspended}, Processing},
	StepExtend:     {[]State{Processing, Suspended}, ""},
	StepComplete:   {[]State{Consult, Processing}, Completed},
	StepDeliver:    {[]State{Completed}, Delivered},
}

// Next is the state a step leads to from s, or an error naming both when the step is not
// allowed there.
func Next(s State, step Step) (State, error) {
	tr, ok := table[step]
	if !ok {
		return s, apperr.New(apperr.Invalid, "case_unknown_step", string(step))
	}
	if !slices.Contains(tr.From, s) {
		return s, apperr.New(apperr.Conflict, "case_illegal_step", string(step), string(s))
	}
	if tr.To == "" {
		return s, nil
	}
	return tr.To, nil
}

// Allowed lists the steps open from s, for the counter's buttons.
func Allowed(s State) []Step {
	var out []Step
	for _, st := range Steps {
		if slices.Contains(table[st].From, s) && st != StepAutoAccept {
			out = append(out, st)
		}
	}
	return out
}

// Open tells whether a case in s is still running (not rejected, completed or delivered).
func (s State) Open() bool { return s != Rejected && s != Completed && s != Delivered }
