package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

// Store keeps accounts, sessions and tokens in the database, so several
// servers share them.
type Store struct{ DB *db.DB }

const userCols = `u.id, u.username, u.full_name, u.email, u.role, u.unit_id, u.area_id, u.locale, u.active, u.created_at, u.updated_at,
	COALESCE(un.name, ''), COALESCE(a.name, '')`

const userFrom = ` FROM users u LEFT JOIN units un ON un.id = u.unit_id LEFT JOIN areas a ON a.id = u.area_id`

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	var role string
	err := row.Scan(&u.ID, &u.Username, &u.FullName, &u.Email, &role, &u.UnitID, &u.AreaID, &u.Locale, &u.Active,
		&u.CreatedAt, &u.UpdatedAt, &u.UnitName, &u.AreaName)
	u.Role = auth.Role(role)
	return &u, err
}

// NormalizeUsername folds a user name so "Nguyen.Van.A" and "nguyen.van.a" are one account.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(vn.NFC(s))) }

// UserByID returns one user.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	u, err := scanUser(s.DB.QueryRowContext(ctx, "SELECT "+userCols+userFrom+" WHERE u.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("account: user %d: %w", id, err)
	}
	return u, nil
}

// UserByUsername returns one user by (normalised) user name.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	u, err := scanUser(s.DB.QueryRowContext(ctx, "SELECT "+userCols+userFrom+" WHERE u.username = $1", NormalizeUsername(username)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("account: user %q: %w", username, err)
	}
	return u, nil
}

// Users lists accounts, optionally filtered by a search text over user name and full name.
func (s *Store) Users(ctx context.Context, q string) ([]User, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT "+userCols+userFrom+" ORDER BY u.role, u.username")
	if err != nil {
		return nil, fmt.Errorf("account: users: %w", err)
	}
	defer rows.Close()
	words := vn.FoldWords(q)
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("account: users: %w", err)
		}
		if len(words) > 0 && !vn.MatchAllWords(vn.Fold(u.Username+" "+u.FullName+" "+u.UnitName), words) {
			continue
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// validate checks a user input; creating requires a password.
func (s *Store) validate(ctx context.Context, in *UserInput, creating bool) error {
	var fe apperr.Fields
	in.Username = NormalizeUsername(in.Username)
	in.FullName = vn.NFC(in.FullName)
	in.Email = strings.TrimSpace(in.Email)
	if in.Locale == "" {
		in.Locale = "vi"
	}
	if in.Username == "" {
		fe.Add("username", "err.required")
	} else if len(in.Username) > 64 || strings.ContainsAny(in.Username, " \t/\\:") {
		fe.Add("username", "account.err.username_chars")
	}
	if in.FullName == "" {
		fe.Add("full_name", "err.required")
	} else if len([]rune(in.FullName)) > 200 {
		fe.Add("full_name", "err.too_long", 200)
	}
	if in.Email != "" && !strings.Contains(in.Email, "@") {
		fe.Add("email", "account.err.email")
	}
	if in.Locale != "vi" && in.Locale != "en" {
		fe.Add("locale", "err.bad_choice", in.Locale)
	}
	if !in.Role.Valid() {
		fe.Add("role", "err.bad_choice", string(in.Role))
	}
	if in.Role.NeedsUnit() {
		if in.UnitID == nil || *in.UnitID == 0 {
			fe.Add("unit_id", "account.err.unit_required")
		} else if !s.exists(ctx, "units", *in.UnitID) {
			fe.Add("unit_id", "err.bad_choice", fmt.Sprint(*in.UnitID))
		}
	} else {
		in.UnitID = nil
	}
	if in.Role.NeedsArea() && (in.AreaID == nil || *in.AreaID == 0) {
		fe.Add("area_id", "account.err.area_required")
	}
	if in.Role == auth.Secretariat || in.Role == auth.Viewer {
		if in.AreaID != nil && *in.AreaID != 0 && !s.exists(ctx, "areas", *in.AreaID) {
			fe.Add("area_id", "err.bad_choice", fmt.Sprint(*in.AreaID))
		}
		if in.AreaID != nil && *in.AreaID == 0 {
			in.AreaID = nil
		}
	} else {
		in.AreaID = nil
	}
	if creating || in.Password != "" {
		if k := auth.PasswordProblem(in.Password); k != "" {
			fe.Add("password", k, auth.MinPasswordLength)
		}
	}
	return fe.Err()
}

func (s *Store) exists(ctx context.Context, table string, id int64) bool {
	var one int
	err := s.DB.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE id = $1", id).Scan(&one)
	return err == nil
}

// CreateUser adds an account.
func (s *Store) CreateUser(ctx context.Context, in UserInput) (*User, error) {
	if err := s.validate(ctx, &in, true); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return nil, fmt.Errorf("account: hash: %w", err)
	}
	active := in.Active == nil || *in.Active
	now := time.Now().UTC()
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users(username, full_name, email, password_hash, role, unit_id, area_id, locale, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			in.Username, in.FullName, in.Email, hash, string(in.Role), in.UnitID, in.AreaID, in.Locale, active, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Field("username", "account.err.username_taken", in.Username)
		}
		if err != nil {
			return fmt.Errorf("account: create user: %w", err)
		}
		u := User{Username: in.Username, FullName: in.FullName, Email: in.Email, Role: in.Role, UnitID: in.UnitID, AreaID: in.AreaID, Locale: in.Locale, Active: active}
		return audit.Record(ctx, tx, audit.Create, "user", id, nil, u.auditView())
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}

// UpdateUser changes an account; a non-empty Password sets a new one and
// ends the user's sessions.
func (s *Store) UpdateUser(ctx context.Context, id int64, in UserInput) (*User, error) {
	old, err := s.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.Username == "" {
		in.Username = old.Username
	}
	if err := s.validate(ctx, &in, false); err != nil {
		return nil, err
	}
	active := old.Active
	if in.Active != nil {
		active = *in.Active
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET username=$1, full_name=$2, email=$3, role=$4, unit_id=$5, area_id=$6, locale=$7, active=$8, updated_at=$9 WHERE id=$10`,
			in.Username, in.FullName, in.Email, string(in.Role), in.UnitID, in.AreaID, in.Locale, active, time.Now().UTC(), id)
		if db.IsUniqueViolation(err) {
			return apperr.Field("username", "account.err.username_taken", in.Username)
		}
		if err != nil {
			return fmt.Errorf("account: update user: %w", err)
		}
		changed := User{Username: in.Username, FullName: in.FullName, Email: in.Email, Role: in.Role, UnitID: in.UnitID, AreaID: in.AreaID, Locale: in.Locale, Active: active}
		nv := changed.auditView()
		if in.Password != "" {
			if err := setPassword(ctx, tx, id, in.Password); err != nil {
				return err
			}
			nv["password"] = "changed"
		}
		if !active || in.Password != "" || old.Role != in.Role {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", id); err != nil {
				return fmt.Errorf("account: end sessions: %w", err)
			}
		}
		return audit.Record(ctx, tx, audit.Update, "user", id, old.auditView(), nv)
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}

func setPassword(ctx context.Context, tx *sql.Tx, id int64, password string) error {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return fmt.Errorf("account: hash: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash=$1, updated_at=$2 WHERE id=$3", hash, time.Now().UTC(), id); err != nil {
		return fmt.Errorf("account: set password: %w", err)
	}
	return nil
}

// SetPassword sets a user's password (CLI `user passwd`, admin reset) and
// ends their sessions.
func (s *Store) SetPassword(ctx context.Context, id int64, password string) error {
	if k := auth.PasswordProblem(password); k != "" {
		return apperr.Field("password", k, auth.MinPasswordLength)
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := setPassword(ctx, tx, id, password); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", id); err != nil {
			return fmt.Errorf("account: end sessions: %w", err)
		}
		return audit.Record(ctx, tx, audit.Update, "user", id, nil, map[string]any{"password": "changed"})
	})
}

// ChangePassword checks the current password, sets the new one and ends
// every other session of the user.
func (s *Store) ChangePassword(ctx context.Context, userID int64, current, next, keepSession string) error {
	var hash string
	if err := s.DB.QueryRowContext(ctx, "SELECT password_hash FROM users WHERE id = $1", userID).Scan(&hash); err != nil {
		return fmt.Errorf("account: change password: %w", err)
	}
	var fe apperr.Fields
	if !auth.CheckPassword(current, hash) {
		fe.Add("current", "account.err.current_password")
	}
	if k := auth.PasswordProblem(next); k != "" {
		fe.Add("password", k, auth.MinPasswordLength)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := setPassword(ctx, tx, userID, next); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", userID, keepSession); err != nil {
			return fmt.Errorf("account: end sessions: %w", err)
		}
		return audit.Record(ctx, tx, audit.Update, "user", userID, nil, map[string]any{"password": "changed"})
	})
}

// Login checks credentials with rate limiting and opens a session. Every
// failure returns the same message, so nobody learns which user names exist.
func (s *Store) Login(ctx context.Context, username, password, ip, userAgent string) (token string, u *User, err error) {
	username = NormalizeUsername(username)
	userKey, ipKey := "u:"+username, "ip:"+ip
	since := time.Now().UTC().Add(-FailureWindow)
	if n := s.failures(ctx, userKey, since); n >= MaxFailuresPerUser {
		return "", nil, apperr.New(apperr.TooMany, "account.err.locked", int(FailureWindow.Minutes()))
	}
	if n := s.failures(ctx, ipKey, since); n >= MaxFailuresPerIP {
		return "", nil, apperr.New(apperr.TooMany, "account.err.locked", int(FailureWindow.Minutes()))
	}
	var id int64
	var hash string
	var active bool
	err = s.DB.QueryRowContext(ctx, "SELECT id, password_hash, active FROM users WHERE username = $1", username).Scan(&id, &hash, &active)
	ok := false
	if err == nil {
		ok = auth.CheckPassword(password, hash) && active
	} else if errors.Is(err, sql.ErrNoRows) {
		auth.BurnPasswordCheck(password)
	} else {
		return "", nil, fmt.Errorf("account: login: %w", err)
	}
	if !ok {
		now := time.Now().UTC()
		_, ferr := s.DB.ExecContext(ctx, "INSERT INTO login_failures(key, at) VALUES ($1, $2), ($3, $2)", userKey, now, ipKey)
		if ferr != nil {
			return "", nil, fmt.Errorf("account: record failure: %w", ferr)
		}
		return "", nil, apperr.Field("password", "account.err.bad_credentials")
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if token, _, err = createSession(ctx, tx, id, ip, userAgent); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE key = $1 OR at < $2", userKey, since); err != nil {
			return fmt.Errorf("account: clear failures: %w", err)
		}
		ctx := audit.WithActor(ctx, audit.Actor{UserID: id, Username: username, IP: ip})
		return audit.Record(ctx, tx, "login", "session", id, nil, nil)
	})
	if err != nil {
		return "", nil, err
	}
	u, err = s.UserByID(ctx, id)
	return token, u, err
}

// createSession opens a session and returns its token and CSRF token;
// expired sessions are swept at the same time.
func createSession(ctx context.Context, tx *sql.Tx, userID int64, ip, userAgent string) (token, csrf string, err error) {
	token, csrf = auth.NewToken(""), auth.NewToken("")
	now := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at, ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, auth.HashToken(token), userID, csrf, now, now.Add(SessionTTL), ip, truncate(userAgent, 300)); err != nil {
		return "", "", fmt.Errorf("account: open session: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < $1", now); err != nil {
		return "", "", fmt.Errorf("account: expire sessions: %w", err)
	}
	return token, csrf, nil
}

// OpenSession opens a session for a user without a password check (tests,
// and tools that have already authenticated the user).
func (s *Store) OpenSession(ctx context.Context, userID int64) (token, csrf string, err error) {
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		token, csrf, err = createSession(ctx, tx, userID, "", "")
		return err
	})
	return token, csrf, err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *Store) failures(ctx context.Context, key string, since time.Time) int {
	var n int
	if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2", key, since).Scan(&n); err != nil {
		return 0
	}
	return n
}

// Logout ends a session.
func (s *Store) Logout(ctx context.Context, tokenHash string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash); err != nil {
			return fmt.Errorf("account: logout: %w", err)
		}
		return audit.Record(ctx, tx, "logout", "session", audit.ActorFrom(ctx).UserID, nil, nil)
	})
}

const principalCols = `u.id, u.username, u.full_name, u.role, COALESCE(u.unit_id, 0), COALESCE(u.area_id, 0), u.locale,
	COALESCE(CASE WHEN u.role IN ('officer','leader') THEN ua.path ELSE a.path END, '')`

const principalFrom = ` FROM users u LEFT JOIN areas a ON a.id = u.area_id
	LEFT JOIN units un ON un.id = u.unit_id LEFT JOIN areas ua ON ua.id = un.area_id`

// PrincipalBySession returns the principal of a live session, nil if none.
func (s *Store) PrincipalBySession(ctx context.Context, token string) (*auth.Principal, error) {
	h := auth.HashToken(token)
	var p auth.Principal
	var role string
	err := s.DB.QueryRowContext(ctx, "SELECT "+principalCols+", s.csrf_token"+principalFrom+
		" JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active",
		h, time.Now().UTC()).Scan(&p.UserID, &p.Username, &p.FullName, &role, &p.UnitID, &p.AreaID, &p.Lang, &p.ScopePath, &p.CSRF)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "err.unavailable")
	}
	p.Role = auth.Role(role)
	p.SessionID = h
	return &p, nil
}

// PrincipalByToken returns the principal of a live API token, nil if none.
func (s *Store) PrincipalByToken(ctx context.Context, token string) (*auth.Principal, error) {
	h := auth.HashToken(token)
	var p auth.Principal
	var role string
	var tokenID int64
	now := time.Now().UTC()
	err := s.DB.QueryRowContext(ctx, "SELECT "+principalCols+", t.id"+principalFrom+
		" JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) AND u.active",
		h, now).Scan(&p.UserID, &p.Username, &p.FullName, &role, &p.UnitID, &p.AreaID, &p.Lang, &p.ScopePath, &tokenID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "err.unavailable")
	}
	p.Role = auth.Role(role)
	p.ViaToken = true
	// Last use is informative; a failure to note it must not fail the call.
	s.DB.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", now, tokenID)
	return &p, nil
}

// CreateToken makes an API token for a user and returns its secret, shown once.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (string, *Token, error) {
	name = vn.NFC(name)
	if name == "" {
		return "", nil, apperr.Field("name", "err.required")
	}
	secret := auth.NewToken("gb_")
	now := time.Now().UTC()
	t := &Token{UserID: userID, Name: name, CreatedAt: now}
	if ttl > 0 {
		e := now.Add(ttl)
		t.ExpiresAt = &e
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens(user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			userID, name, auth.HashToken(secret), now, t.ExpiresAt).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("account: create token: %w", err)
		}
		return audit.Record(ctx, tx, audit.Create, "api_token", t.ID, nil, map[string]any{"user_id": userID, "name": name, "expires_at": t.ExpiresAt})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// Tokens lists a user's tokens.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, user_id, name, created_at, expires_at, revoked_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("account: tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt, &t.LastUsedAt); err != nil {
			return nil, fmt.Errorf("account: tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of the user's tokens.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL", time.Now().UTC(), tokenID, userID)
		if err != nil {
			return fmt.Errorf("account: revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "err.not_found")
		}
		return audit.Record(ctx, tx, "revoke", "api_token", tokenID, nil, nil)
	})
}

// CountUsers returns the number of accounts (the demo creates its users once).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}
