// Package authz says who may do what: permissions as data, a table from each role to the
// permissions it holds and the reach of each (the caller's own records, their hall, or every
// hall). The route table names one permission per route and the domains ask this package, so no
// role name is compared anywhere else. A new role is a few lines in Table.
package authz

import (
	"sort"

	"github.com/qhall/qhall/internal/staff"
)

// Permission names one thing staff may do, as "object:verb".
type Permission string

// Pseudo-permissions of the route table: Public routes need no sign-in, SignedIn ones any
// signed-in staff member.
const (
	Public   Permission = "public"
	SignedIn Permission = "signed-in"
)

// The permissions. Each is described in Describe (and so in docs/API.md).
const (
	WindowRead    Permission = "window:read"    // the counter terminal's view of a window
	WindowOperate Permission = "window:operate" // open a window, work the window one is signed in at
	WindowStepIn  Permission = "window:step-in" // work a window someone else is signed in at
	PauseApprove  Permission = "pause:approve"  // approve or reject a pause request
	HallMonitor   Permission = "hall:monitor"   // the supervisor's live view of a hall
	AuditRead     Permission = "audit:read"     // the audit log
	JobsRead      Permission = "jobs:read"      // the scheduled jobs' last runs

	SpeechCheck     Permission = "speech:check"      // check a text for forbidden phrases
	SpeechRulesRead Permission = "speech:rules:read" // the active rules and the counter's phrases
	SpeechLibrary   Permission = "speech:library"    // the rule library page
	SpeechRulesEdit Permission = "speech:rules:edit" // import, export, edit rules; history
	SpeechStats     Permission = "speech:stats"      // forbidden phrases counted per clerk
	TranscriptWrite Permission = "transcript:write"  // attach a counter conversation to a ticket
	TranscriptRead  Permission = "transcript:read"   // read a ticket's conversations
)

// Appointments (预约).
const (
	AppointmentsRead   Permission = "appointments:read"   // a hall's bookings of a day
	AppointmentsManage Permission = "appointments:manage" // slot capacities and a hall's booking rules
)

// Reach is how far a permission held by a role extends.
type Reach int

const (
	None Reach = iota // not held
	Self              // the caller's own records (their window, their tickets, their figures)
	Hall              // everything of the caller's hall
	All               // every hall
)

// Table is the role → permission → reach table. Clerks act at their own window, supervisors in
// their hall, admins everywhere.
var Table = map[staff.Role]map[Permission]Reach{
	staff.Admin: {
		WindowRead: All, WindowOperate: All, WindowStepIn: All, PauseApprove: All, HallMonitor: All, AuditRead: All, JobsRead: All,
		SpeechCheck: All, SpeechRulesRead: All, SpeechLibrary: All, SpeechRulesEdit: All, SpeechStats: All,
		TranscriptWrite: All, TranscriptRead: All,
		// back office
		CatalogueEdit: All, HallConfigure: All, StaffManage: All,
		// appointments
		AppointmentsRead: All, AppointmentsManage: All,
		// ratings and complaints
		FeedbackManage: All, FeedbackAppeal: All, FeedbackFigures: All, ComplaintTake: All,
		// trust (issue 12)
		DevicePair: All, StaffSessionsEnd: All,
	},
	staff.Supervisor: {
		WindowRead: Hall, WindowOperate: Hall, WindowStepIn: Hall, PauseApprove: Hall, HallMonitor: Hall, AuditRead: Hall,
		SpeechCheck: All, SpeechRulesRead: All, SpeechLibrary: All, SpeechStats: Hall,
		TranscriptWrite: Hall, TranscriptRead: Hall,
		// back office: their hall's windows (service order) and calendar
		HallConfigure: Hall,
		// appointments
		AppointmentsRead: Hall, AppointmentsManage: Hall,
		// ratings and complaints
		FeedbackManage: Hall, FeedbackAppeal: Hall, FeedbackFigures: Hall, ComplaintTake: Hall,
		// trust (issue 12)
		DevicePair: Hall,
	},
	staff.Clerk: {
		WindowRead: Hall, WindowOperate: Self,
		SpeechCheck: All, SpeechRulesRead: All, SpeechStats: Self,
		TranscriptWrite: Self, TranscriptRead: Hall,
		// appointments: the counter sees who booked today
		AppointmentsRead: Hall,
		// ratings and complaints
		FeedbackAppeal: Self, FeedbackFigures: Self, ComplaintTake: Hall,
	},
	staff.Handler: {},
}

// Case files (办件): the front desk works a hall's cases, a department's handlers their
// department's (reach Self: the cases checks the department), a leader extends.
func init() {
	grant := func(r staff.Role, p Permission, reach Reach) { Table[r][p] = reach }
	grant(staff.Admin, CaseStep, All)
	grant(staff.Admin, CaseRead, All)
	grant(staff.Admin, CaseWork, All)
	grant(staff.Admin, CaseHandle, All)
	grant(staff.Admin, CaseExtend, All)
	grant(staff.Admin, CaseMonitor, All)
	grant(staff.Supervisor, CaseStep, Hall)
	grant(staff.Supervisor, CaseRead, Hall)
	grant(staff.Supervisor, CaseWork, Hall)
	grant(staff.Supervisor, CaseHandle, Hall)
	grant(staff.Supervisor, CaseExtend, Hall)
	grant(staff.Supervisor, CaseMonitor, Hall)
	grant(staff.Clerk, CaseStep, Hall)
	grant(staff.Clerk, CaseRead, Hall)
	grant(staff.Clerk, CaseWork, Hall)
	grant(staff.Handler, CaseStep, Self)
	grant(staff.Handler, CaseRead, Self)
	grant(staff.Handler, CaseHandle, Self)
	grant(staff.Handler, CaseMonitor, Self)
}

// ReachOf is how far a's role holds p (None when it does not).
func ReachOf(a staff.Actor, p Permission) Reach { return Table[a.Role][p] }

// Has tells whether a holds p at all; the route table checks this before a handler runs.
func Has(a staff.Actor, p Permission) bool {
	switch p {
	case Public, SignedIn:
		return true
	}
	return ReachOf(a, p) != None
}

// InHall tells whether a may use p on something of the given hall. Self counts as the caller's
// hall here: the domain then checks that the thing is the caller's own.
func InHall(a staff.Actor, p Permission, hall int64) bool {
	switch ReachOf(a, p) {
	case All:
		return true
	case Hall, Self:
		return hall != 0 && a.HallID == hall
	}
	return false
}

// WholeHall tells whether a may use p on anything of the hall, not only their own records.
func WholeHall(a staff.Actor, p Permission, hall int64) bool {
	switch ReachOf(a, p) {
	case All:
		return true
	case Hall:
		return hall != 0 && a.HallID == hall
	}
	return false
}

// Everywhere tells whether a holds p for every hall.
func Everywhere(a staff.Actor, p Permission) bool { return ReachOf(a, p) == All }

// Describe is each permission's meaning, for docs and the admin pages.
var Describe = map[Permission]string{
	Public:          "anyone, without signing in",
	SignedIn:        "any signed-in staff member",
	WindowRead:      "read a window's counter view",
	WindowOperate:   "open a window and work the window one is signed in at",
	WindowStepIn:    "work a window another clerk is signed in at",
	PauseApprove:    "approve or reject a pause request",
	HallMonitor:     "the supervisor's live view of a hall",
	AuditRead:       "read the audit log",
	JobsRead:        "the scheduled jobs' last runs",
	SpeechCheck:     "check a text for forbidden phrases",
	SpeechRulesRead: "read the active service-language rules and the counter's phrases",
	SpeechLibrary:   "open the rule library page",
	SpeechRulesEdit: "import, export and edit the rule library; see its history",
	SpeechStats:     "forbidden phrases counted per clerk",
	TranscriptWrite: "attach a counter conversation to a ticket",
	TranscriptRead:  "read a ticket's conversations",

	CatalogueEdit:      "create, edit and retire halls, services with their materials, windows, priority classes and the finder",
	HallConfigure:      "a hall's windows and their services in order of preference, and its calendar days; the back office's pages",
	StaffManage:        "create staff accounts, set their role and hall, reset passwords, disable and enable them",
	AppointmentsRead:   "a hall's bookings of a day",
	AppointmentsManage: "set slot capacities and a hall's booking rules",
	// ratings and complaints
	FeedbackManage:  "work the rectifications, complaints and call-back surveys; pair rating pads; the hall's feedback settings",
	FeedbackAppeal:  "appeal a bad rating of one's own service (申诉复核)",
	FeedbackFigures: "rating, rectification and complaint figures",
	ComplaintTake:   "take a complaint for a citizen (on site, by phone, from the suggestion box, from 12345)",
	// trust (issue 12)
	DevicePair:       "make a one-time code that pairs a device (a kiosk) with the hall",
	StaffSessionsEnd: "end every session of a staff account",
}

// Permissions lists every permission in the table, sorted.
func Permissions() []Permission {
	seen := map[Permission]bool{}
	for _, ps := range Table {
		for p := range ps {
			seen[p] = true
		}
	}
	out := make([]Permission, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Case files (办件).
const (
	CaseStep    Permission = "case:step"    // take a step on a case (the step needs one of the next too)
	CaseRead    Permission = "case:read"    // read a case, its notice and timeline
	CaseWork    Permission = "case:work"    // the front desk: open, check, notify, accept, reject, assign, deliver
	CaseHandle  Permission = "case:handle"  // a department: suspend, resume, complete its cases
	CaseExtend  Permission = "case:extend"  // approve the one extension of a time limit
	CaseMonitor Permission = "case:monitor" // the work list of yellow and red cases
)

func init() {
	Describe[CaseStep] = "take a step on a case (each step also needs case:work, case:handle or case:extend)"
	Describe[CaseRead] = "read a case, its checklist, notice and timeline"
	Describe[CaseWork] = "the front desk's case work: open, check materials, issue the one-time notice, accept, reject, assign, deliver"
	Describe[CaseHandle] = "a back-office department's case work: suspend, resume, complete"
	Describe[CaseExtend] = "approve the one extension of a case's time limit"
	Describe[CaseMonitor] = "the work list of cases and their time limits"
}

func (r Reach) String() string {
	return [...]string{"—", "own", "own hall", "all halls"}[r]
}

// Ratings and complaints (internal/feedback).
const (
	FeedbackManage  Permission = "feedback:manage"  // rectifications, complaints, surveys, pads, settings
	FeedbackAppeal  Permission = "feedback:appeal"  // a clerk's appeal against a bad rating
	FeedbackFigures Permission = "feedback:figures" // ratings and complaints counted
	ComplaintTake   Permission = "complaint:take"   // take a complaint for a citizen
)

// The back office's permissions (halls, services, windows, staff, calendar, finder).
const (
	CatalogueEdit Permission = "catalogue:edit" // halls, services, materials, windows, priority classes, finder
	HallConfigure Permission = "hall:configure" // a hall's window service order and calendar days
	StaffManage   Permission = "staff:manage"   // staff accounts
)

// trust (issue 12): devices and sessions.
const (
	DevicePair       Permission = "device:pair"        // make a code that pairs a kiosk with a hall
	StaffSessionsEnd Permission = "staff:sessions:end" // end another account's sessions
)
