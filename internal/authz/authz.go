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
		// trust (issue 12)
		DevicePair: All, StaffSessionsEnd: All,
	},
	staff.Supervisor: {
		WindowRead: Hall, WindowOperate: Hall, WindowStepIn: Hall, PauseApprove: Hall, HallMonitor: Hall, AuditRead: Hall,
		SpeechCheck: All, SpeechRulesRead: All, SpeechLibrary: All, SpeechStats: Hall,
		TranscriptWrite: Hall, TranscriptRead: Hall,
		// trust (issue 12)
		DevicePair: Hall,
	},
	staff.Clerk: {
		WindowRead: Hall, WindowOperate: Self,
		SpeechCheck: All, SpeechRulesRead: All, SpeechStats: Self,
		TranscriptWrite: Self, TranscriptRead: Hall,
	},
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

func (r Reach) String() string {
	return [...]string{"—", "own", "own hall", "all halls"}[r]
}

// trust (issue 12): devices and sessions.
const (
	DevicePair       Permission = "device:pair"        // make a code that pairs a kiosk with a hall
	StaffSessionsEnd Permission = "staff:sessions:end" // end another account's sessions
)
