package staff

// Actor is the signed-in staff member behind a request or an operation.
type Actor struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	HallID   int64  `json:"hall_id,omitempty"`
}

// AuditID and AuditName make an Actor an audit.Who.
func (a Actor) AuditID() int64    { return a.ID }
func (a Actor) AuditName() string { return a.Username }

// Role is what a staff member does; what each role may do is authz's table, never a check on
// the role's name elsewhere.
type Role string

// The roles. A new one is a line here, a line in the staff table's CHECK (a migration) and its
// permissions in authz.
const (
	Admin      Role = "admin"
	Supervisor Role = "supervisor"
	Clerk      Role = "clerk"
	Handler    Role = "handler" // a back-office department's handler (后台分类审批), its department in cases
)

// Roles lists every role, for validation and for the permission table's documentation.
var Roles = []Role{Admin, Supervisor, Clerk, Handler}
