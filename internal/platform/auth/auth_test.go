package auth

import "testing"

func TestRoleGrants(t *testing.T) {
	cases := []struct {
		perm  Perm
		roles []Role // exactly the roles that hold it
	}{
		{PermPublic, AllRoles},
		{PermAuthenticated, Roles},
		{PermOrgAdmin, []Role{Admin}},
		{PermUnitManage, []Role{Admin, Secretariat}},
		{PermUserAdmin, []Role{Admin}},
		{PermAuditRead, []Role{Admin}},
		{PermReportEnter, []Role{Admin, Secretariat, Officer}},
		{PermReportApprove, []Role{Admin, Secretariat, Leader}},
		{PermConfigure, []Role{Admin}},
		{PermFundManage, []Role{Admin, Secretariat}},
		{PermMeetingManage, []Role{Admin, Secretariat}},
		{PermTaskUpdate, []Role{Admin, Secretariat, Officer, Leader}},
	}
	if len(cases) != len(Perms()) {
		t.Fatalf("the table covers %d of %d permissions", len(cases), len(Perms()))
	}
	for _, c := range cases {
		holds := map[Role]bool{}
		for _, r := range c.roles {
			holds[r] = true
		}
		for _, r := range AllRoles {
			if got := RoleHas(r, c.perm); got != holds[r] {
				t.Errorf("RoleHas(%s, %s) = %v", r, c.perm, got)
			}
		}
	}
	// Viewers never change anything.
	for _, p := range Perms() {
		if p != PermPublic && p != PermAuthenticated && RoleHas(Viewer, p) {
			t.Errorf("viewer holds %s", p)
		}
	}
}

func TestScope(t *testing.T) {
	district := "/1/2/"
	commune := "/1/2/7/"
	other := "/1/3/"
	sec := &Principal{Role: Secretariat, ScopePath: district}
	officer := &Principal{Role: Officer, UnitID: 9, ScopePath: commune}
	leader := &Principal{Role: Leader, UnitID: 9, ScopePath: commune}
	viewer := &Principal{Role: Viewer, ScopePath: district}
	nationalViewer := &Principal{Role: Viewer}
	admin := &Principal{Role: Admin}
	var public *Principal
	cases := []struct {
		name            string
		p               *Principal
		unit            int64
		path            string
		inScope, manage bool
		actFor, seeUnit bool
	}{
		{"secretariat, own district", sec, 9, commune, true, true, true, true},
		{"secretariat, other district", sec, 4, other, false, false, false, false},
		{"officer, own unit", officer, 9, commune, true, false, true, true},
		{"officer, another unit in the same commune", officer, 10, commune, true, false, false, false},
		{"leader, another unit", leader, 10, commune, true, false, false, false},
		{"viewer, in scope", viewer, 9, commune, true, false, false, true},
		{"viewer, out of scope", viewer, 4, other, false, false, false, false},
		{"viewer without area sees all", nationalViewer, 4, other, true, false, false, true},
		{"admin", admin, 4, other, true, true, true, true},
		{"public", public, 9, commune, false, false, false, false},
		{"a prefix that is not an ancestor", sec, 5, "/1/20/", false, false, false, false},
	}
	for _, c := range cases {
		if got := c.p.InScope(c.path); got != c.inScope {
			t.Errorf("%s: InScope = %v", c.name, got)
		}
		if got := c.p.CanManageArea(c.path); got != c.manage {
			t.Errorf("%s: CanManageArea = %v", c.name, got)
		}
		if got := c.p.CanActForUnit(c.unit, c.path); got != c.actFor {
			t.Errorf("%s: CanActForUnit = %v", c.name, got)
		}
		if got := c.p.CanSeeUnit(c.unit, c.path); got != c.seeUnit {
			t.Errorf("%s: CanSeeUnit = %v", c.name, got)
		}
	}
}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("mật khẩu dài")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword("mật khẩu dài", h) || CheckPassword("mat khau dai", h) || CheckPassword("", h) {
		t.Error("password check")
	}
	if PasswordProblem("1234567") == "" || PasswordProblem("12345678") != "" || PasswordProblem("mậtkhẩu") == "" {
		t.Error("length is counted in characters, minimum 8")
	}
	if HashToken("a") == HashToken("b") || len(NewToken("gb_")) < 40 {
		t.Error("tokens")
	}
}
