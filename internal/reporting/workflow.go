package reporting

import (
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
)

// Action is something done to a report.
type Action string

// Actions on a report. Save changes values or narratives without moving
// the report; the others are transitions recorded in report_events.
const (
	Save    Action = "save"
	Submit  Action = "submit"
	Approve Action = "approve"
	Return  Action = "return"
	Reopen  Action = "reopen"
)

// Actions lists every action.
var Actions = []Action{Save, Submit, Approve, Return, Reopen}

// NeedsComment tells whether the action must carry a comment: a return
// says what to fix, a reopening says why an approved report changes.
func (a Action) NeedsComment() bool { return a == Return || a == Reopen }

// actors says which roles may take an action (scope is checked apart, with
// the unit's area path). Officers enter and submit their unit's report, the
// secretariat may do it on a unit's behalf; leaders and the secretariat
// approve, return and reopen.
var actors = map[Action][]auth.Role{
	Save:    {auth.Admin, auth.Secretariat, auth.Officer},
	Submit:  {auth.Admin, auth.Secretariat, auth.Officer},
	Approve: {auth.Admin, auth.Secretariat, auth.Leader},
	Return:  {auth.Admin, auth.Secretariat, auth.Leader},
	Reopen:  {auth.Admin, auth.Secretariat, auth.Leader},
}

// CanTake tells whether role may take the action at all (whatever the status).
func CanTake(role auth.Role, a Action) bool {
	for _, r := range actors[a] {
		if r == role {
			return true
		}
	}
	return false
}

// Next is the workflow: the status a report in status from moves to when
// role takes action a, or an error saying why not (Forbidden for the role,
// Conflict for the status). A report not yet created (from = "") is a
// draft. It is pure: scope, comments and validation are the service's.
//
//	draft, returned --submit--> submitted --approve--> approved
//	                            submitted --return---> returned
//	                                      approved --reopen--> returned
func Next(from Status, a Action, role auth.Role) (Status, error) {
	if from == "" {
		from = Draft
	}
	if !from.Valid() {
		return "", apperr.New(apperr.Invalid, "reporting.err.bad_status", string(from))
	}
	if _, known := actors[a]; !known {
		return "", apperr.New(apperr.Invalid, "reporting.err.bad_action", string(a))
	}
	if !CanTake(role, a) {
		return "", apperr.New(apperr.Forbidden, "reporting.err.role."+string(a))
	}
	switch a {
	case Save:
		switch from {
		case Draft, Returned:
			return from, nil
		case Submitted:
			return "", apperr.New(apperr.Conflict, "reporting.err.locked_submitted")
		}
		return "", apperr.New(apperr.Conflict, "reporting.err.locked_approved")
	case Submit:
		switch from {
		case Draft, Returned:
			return Submitted, nil
		case Submitted:
			return "", apperr.New(apperr.Conflict, "reporting.err.already_submitted")
		}
		return "", apperr.New(apperr.Conflict, "reporting.err.already_approved")
	case Approve, Return:
		switch from {
		case Submitted:
			if a == Approve {
				return Approved, nil
			}
			return Returned, nil
		case Approved:
			return "", apperr.New(apperr.Conflict, "reporting.err.already_approved")
		}
		return "", apperr.New(apperr.Conflict, "reporting.err.not_submitted")
	case Reopen:
		if from == Approved {
			return Returned, nil
		}
		return "", apperr.New(apperr.Conflict, "reporting.err.not_approved")
	}
	return "", apperr.New(apperr.Invalid, "reporting.err.bad_action", string(a))
}

// Allowed lists the transitions (not Save) role may take on a report in
// status from, for showing buttons.
func Allowed(from Status, role auth.Role) []Action {
	var out []Action
	for _, a := range []Action{Submit, Approve, Return, Reopen} {
		if _, err := Next(from, a, role); err == nil {
			out = append(out, a)
		}
	}
	return out
}
