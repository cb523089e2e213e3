package reporting

import (
	"fmt"
	"testing"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
)

// TestWorkflowTable walks every (status, action, role): each either moves
// the report to the expected status or is refused with the expected code.
func TestWorkflowTable(t *testing.T) {
	const (
		forbidden = "forbidden"
		conflict  = "conflict"
	)
	// want[status][action] for a role that may take the action.
	want := map[Status]map[Action]string{
		"":        {Save: "draft", Submit: "submitted", Approve: conflict, Return: conflict, Reopen: conflict},
		Draft:     {Save: "draft", Submit: "submitted", Approve: conflict, Return: conflict, Reopen: conflict},
		Submitted: {Save: conflict, Submit: conflict, Approve: "approved", Return: "returned", Reopen: conflict},
		Returned:  {Save: "returned", Submit: "submitted", Approve: conflict, Return: conflict, Reopen: conflict},
		Approved:  {Save: conflict, Submit: conflict, Approve: conflict, Return: conflict, Reopen: "returned"},
	}
	mayTake := map[auth.Role]map[Action]bool{
		auth.Admin:       {Save: true, Submit: true, Approve: true, Return: true, Reopen: true},
		auth.Secretariat: {Save: true, Submit: true, Approve: true, Return: true, Reopen: true},
		auth.Officer:     {Save: true, Submit: true},
		auth.Leader:      {Approve: true, Return: true, Reopen: true},
		auth.Viewer:      {},
		auth.Public:      {},
	}
	n := 0
	for status, row := range want {
		for _, action := range Actions {
			for _, role := range auth.AllRoles {
				n++
				expect := row[action]
				if !mayTake[role][action] {
					expect = forbidden
				}
				name := fmt.Sprintf("%q/%s/%s", status, action, role)
				got, err := Next(status, action, role)
				switch expect {
				case forbidden, conflict:
					if err == nil {
						t.Errorf("%s: moved to %s, want refusal (%s)", name, got, expect)
						continue
					}
					if code := string(apperr.CodeOf(err)); code != expect {
						t.Errorf("%s: refused with %s (%v), want %s", name, code, err, expect)
					}
				default:
					if err != nil {
						t.Errorf("%s: refused (%v), want %s", name, err, expect)
					} else if string(got) != expect {
						t.Errorf("%s: moved to %s, want %s", name, got, expect)
					}
				}
			}
		}
	}
	if n != 5*5*6 {
		t.Fatalf("covered %d cases", n)
	}
}

func TestWorkflowRefusesUnknowns(t *testing.T) {
	if _, err := Next("lost", Submit, auth.Admin); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("unknown status: %v", err)
	}
	if _, err := Next(Draft, "burn", auth.Admin); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("unknown action: %v", err)
	}
}

func TestAllowedButtons(t *testing.T) {
	cases := []struct {
		status Status
		role   auth.Role
		want   string
	}{
		{Draft, auth.Officer, "[submit]"},
		{Draft, auth.Leader, "[]"},
		{Submitted, auth.Leader, "[approve return]"},
		{Submitted, auth.Officer, "[]"},
		{Approved, auth.Secretariat, "[reopen]"},
		{Returned, auth.Secretariat, "[submit]"},
		{Approved, auth.Viewer, "[]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(Allowed(c.status, c.role)); got != c.want {
			t.Errorf("Allowed(%s, %s) = %s, want %s", c.status, c.role, got, c.want)
		}
	}
	if !Return.NeedsComment() || !Reopen.NeedsComment() || Submit.NeedsComment() || Approve.NeedsComment() {
		t.Error("comments: return and reopen need one, the others not")
	}
}
