// Package account holds user accounts, sessions, API tokens and login rate
// limiting, and the pages to log in, change one's password, manage users and
// read the audit log. Who may do what is decided by platform/auth.
package account

import (
	"time"

	"giaoban/internal/platform/auth"
)

// User is an account.
type User struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	FullName  string    `json:"full_name"`
	Email     string    `json:"email"`
	Role      auth.Role `json:"role"`
	UnitID    *int64    `json:"unit_id"`
	AreaID    *int64    `json:"area_id"`
	Locale    string    `json:"locale"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Read-only context for lists.
	UnitName string `json:"unit_name,omitempty"`
	AreaName string `json:"area_name,omitempty"`
}

// auditView is what the audit log keeps of a user (never the hash).
func (u User) auditView() map[string]any {
	return map[string]any{"username": u.Username, "full_name": u.FullName, "email": u.Email, "role": u.Role,
		"unit_id": u.UnitID, "area_id": u.AreaID, "locale": u.Locale, "active": u.Active}
}

// Token is an API token (its secret is shown once, at creation).
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// Session lifetime and rate-limit settings.
const (
	SessionTTL = 12 * time.Hour
	// A user name may fail this many times in FailureWindow before logins
	// for it are refused; an address gets more room (offices share one).
	MaxFailuresPerUser = 5
	MaxFailuresPerIP   = 30
	FailureWindow      = 15 * time.Minute
)

// UserInput is what a form or API call gives to create or change a user.
type UserInput struct {
	Username string    `json:"username"`
	FullName string    `json:"full_name"`
	Email    string    `json:"email"`
	Role     auth.Role `json:"role"`
	UnitID   *int64    `json:"unit_id"`
	AreaID   *int64    `json:"area_id"`
	Locale   string    `json:"locale"`
	Active   *bool     `json:"active"`
	Password string    `json:"password,omitempty"`
}
