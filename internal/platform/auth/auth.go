// Package auth defines who may do what: roles, permissions, the principal
// behind a request and its scope in the area tree. It holds the one
// permission check of the product; storage of users and sessions lives in
// the account room.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Role is a user's role.
type Role string

const (
	Admin       Role = "admin"       // everything
	Secretariat Role = "secretariat" // the bloc's secretariat: all units of its area subtree
	Officer     Role = "officer"     // unit officer: enters and submits its own unit's data
	Leader      Role = "leader"      // unit leader: approves its own unit's data
	Viewer      Role = "viewer"      // read-only, e.g. Party committee leaders
	Public      Role = "public"      // not logged in
)

// Roles lists the roles a user account can have.
var Roles = []Role{Admin, Secretariat, Officer, Leader, Viewer}

// AllRoles lists every role including Public, for permission tables.
var AllRoles = []Role{Admin, Secretariat, Officer, Leader, Viewer, Public}

// Valid tells whether r is a role an account can have.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// NeedsUnit tells whether the role belongs to one unit.
func (r Role) NeedsUnit() bool { return r == Officer || r == Leader }

// NeedsArea tells whether the role is scoped to an area subtree.
func (r Role) NeedsArea() bool { return r == Secretariat }

// Perm is a permission a route requires.
type Perm string

const (
	PermPublic        Perm = "public"         // anyone, without login
	PermAuthenticated Perm = "authenticated"  // any logged-in user
	PermOrgAdmin      Perm = "org.admin"      // areas, organisations, blocs, external bodies
	PermUnitManage    Perm = "unit.manage"    // create and edit units (in scope)
	PermUserAdmin     Perm = "user.admin"     // user accounts
	PermAuditRead     Perm = "audit.read"     // the audit log
	PermReportEnter   Perm = "report.enter"   // enter and submit a unit's report
	PermReportApprove Perm = "report.approve" // approve or return a unit's report
	PermConfigure     Perm = "configure"      // catalogues, forms, rules
	PermFundManage    Perm = "fund.manage"    // donation funds
	PermMeetingManage Perm = "meeting.manage" // meetings, directives, tasks
	PermTaskUpdate    Perm = "task.update"    // report progress on one's tasks
)

var grants = map[Perm][]Role{
	PermPublic:        AllRoles,
	PermAuthenticated: Roles,
	PermOrgAdmin:      {Admin},
	PermUnitManage:    {Admin, Secretariat},
	PermUserAdmin:     {Admin},
	PermAuditRead:     {Admin},
	PermReportEnter:   {Admin, Secretariat, Officer},
	PermReportApprove: {Admin, Secretariat, Leader},
	PermConfigure:     {Admin},
	PermFundManage:    {Admin, Secretariat},
	PermMeetingManage: {Admin, Secretariat},
	PermTaskUpdate:    {Admin, Secretariat, Officer, Leader},
}

// Perms lists every permission, for tests and docs.
func Perms() []Perm {
	out := make([]Perm, 0, len(grants))
	for p := range grants {
		out = append(out, p)
	}
	return out
}

// RoleHas tells whether role r holds permission p. This is the one
// role-level check; scope (which units and areas) is checked by Principal.
func RoleHas(r Role, p Perm) bool {
	for _, x := range grants[p] {
		if x == r {
			return true
		}
	}
	return false
}

// Principal is who is behind a request.
type Principal struct {
	UserID   int64
	Username string
	FullName string
	Role     Role
	UnitID   int64 // officer, leader: their unit
	AreaID   int64 // secretariat, viewer (optional): the root of their scope
	// ScopePath is the materialised path ("/1/5/") of the area the user's
	// scope starts at: the secretariat's or viewer's area, the unit's area
	// for officers and leaders; "" means the whole tree.
	ScopePath string
	Lang      string
	CSRF      string // the session's CSRF token ("" for API tokens)
	ViaToken  bool
	SessionID string // hash of the session token
}

// Has tells whether the principal holds permission p. A nil principal is
// the public.
func (p *Principal) Has(perm Perm) bool {
	if p == nil {
		return RoleHas(Public, perm)
	}
	return RoleHas(p.Role, perm)
}

// RoleOrPublic returns the principal's role, Public for nil.
func (p *Principal) RoleOrPublic() Role {
	if p == nil {
		return Public
	}
	return p.Role
}

// InScope tells whether an area (given by its materialised path) lies in
// the principal's scope: its subtree for secretariats and viewers, the
// whole tree for admins and unscoped viewers.
func (p *Principal) InScope(areaPath string) bool {
	if p == nil {
		return false
	}
	if p.Role == Admin || p.ScopePath == "" && p.Role == Viewer {
		return true
	}
	return p.ScopePath != "" && strings.HasPrefix(areaPath, p.ScopePath)
}

// CanManageArea tells whether the principal may change things attached to
// an area: admins anywhere, secretariats in their subtree.
func (p *Principal) CanManageArea(areaPath string) bool {
	if p == nil {
		return false
	}
	switch p.Role {
	case Admin:
		return true
	case Secretariat:
		return p.InScope(areaPath)
	}
	return false
}

// CanActForUnit tells whether the principal may enter, submit or approve for
// a unit: officers and leaders for their own unit only, secretariats for
// units in their subtree, admins for all. The permission (enter or approve)
// is checked separately with Has.
func (p *Principal) CanActForUnit(unitID int64, unitAreaPath string) bool {
	if p == nil {
		return false
	}
	switch p.Role {
	case Admin:
		return true
	case Secretariat:
		return p.InScope(unitAreaPath)
	case Officer, Leader:
		return p.UnitID == unitID
	}
	return false
}

// CanSeeUnit tells whether the principal may read a unit's reports.
func (p *Principal) CanSeeUnit(unitID int64, unitAreaPath string) bool {
	if p == nil {
		return false
	}
	if p.Role == Viewer {
		return p.InScope(unitAreaPath)
	}
	return p.CanActForUnit(unitID, unitAreaPath)
}

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal of ctx, nil for the public.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// NewToken returns a random URL-safe token with the given prefix.
func NewToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a token; only hashes are stored, so a
// copy of the database does not give anyone a session.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
