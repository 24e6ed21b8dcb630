package authz_test

import (
	"testing"

	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/staff"
)

func TestEveryRoleAndPermissionIsDescribed(t *testing.T) {
	for _, r := range staff.Roles {
		if authz.Table[r] == nil {
			t.Errorf("role %s has no row in the permission table", r)
		}
	}
	for r := range authz.Table {
		known := false
		for _, x := range staff.Roles {
			known = known || x == r
		}
		if !known {
			t.Errorf("permission table names unknown role %q", r)
		}
	}
	for _, p := range append(authz.Permissions(), authz.Public, authz.SignedIn) {
		if authz.Describe[p] == "" {
			t.Errorf("permission %s has no description", p)
		}
	}
}

func TestReach(t *testing.T) {
	admin := staff.Actor{ID: 1, Role: staff.Admin}
	sup := staff.Actor{ID: 2, Role: staff.Supervisor, HallID: 1}
	clerk := staff.Actor{ID: 3, Role: staff.Clerk, HallID: 1}
	stranger := staff.Actor{ID: 4, Role: "visitor", HallID: 1}
	cases := []struct {
		a                    staff.Actor
		p                    authz.Permission
		hall                 int64
		has, inHall, wholeHl bool
	}{
		{admin, authz.PauseApprove, 2, true, true, true},
		{sup, authz.PauseApprove, 1, true, true, true},
		{sup, authz.PauseApprove, 2, true, false, false},
		{clerk, authz.PauseApprove, 1, false, false, false},
		{clerk, authz.WindowOperate, 1, true, true, false}, // own window only: the domain checks which
		{clerk, authz.WindowOperate, 2, true, false, false},
		{clerk, authz.SpeechRulesEdit, 1, false, false, false},
		{stranger, authz.WindowRead, 1, false, false, false},
		{sup, authz.SignedIn, 1, true, false, false},
	}
	for i, c := range cases {
		if got := authz.Has(c.a, c.p); got != c.has {
			t.Errorf("%d: Has(%s, %s) = %v", i, c.a.Role, c.p, got)
		}
		if got := authz.InHall(c.a, c.p, c.hall); got != c.inHall {
			t.Errorf("%d: InHall(%s, %s, %d) = %v", i, c.a.Role, c.p, c.hall, got)
		}
		if got := authz.WholeHall(c.a, c.p, c.hall); got != c.wholeHl {
			t.Errorf("%d: WholeHall(%s, %s, %d) = %v", i, c.a.Role, c.p, c.hall, got)
		}
	}
	// A staff member without a hall never gets a hall-scoped permission on hall 0.
	if authz.InHall(staff.Actor{Role: staff.Supervisor}, authz.PauseApprove, 0) {
		t.Error("hall 0 matched a supervisor without a hall")
	}
}
