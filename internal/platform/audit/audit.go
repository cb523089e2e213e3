// Package audit records every change: who, when, what, old → new. The log is
// append-only; the database refuses updates and deletes (see the triggers in
// the first migration), and this package offers no way to change an entry.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/platform/db"
)

// Actor is who made a change.
type Actor struct {
	UserID   int64
	Username string
	IP       string
}

type ctxKey struct{}

// WithActor returns ctx carrying the actor of the changes made under it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// ActorFrom returns the actor of ctx; changes without one are attributed to "system".
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(ctxKey{}).(Actor); ok {
		return a
	}
	return Actor{Username: "system"}
}

// Actions recorded.
const (
	Create = "create"
	Update = "update"
	Delete = "delete"
)

// Record appends an entry in the caller's transaction, so the change and its
// record commit together or not at all. old and new are encoded as JSON
// (nil → NULL).
func Record(ctx context.Context, q db.Q, action, entity string, entityID any, old, new any) error {
	a := ActorFrom(ctx)
	oldJSON, err := encode(old)
	if err != nil {
		return err
	}
	newJSON, err := encode(new)
	if err != nil {
		return err
	}
	var uid any
	if a.UserID != 0 {
		uid = a.UserID
	}
	_, err = q.ExecContext(ctx, `INSERT INTO audit_log(at, user_id, username, action, entity, entity_id, old_value, new_value, ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		time.Now().UTC(), uid, a.Username, action, entity, fmt.Sprint(entityID), oldJSON, newJSON, a.IP)
	if err != nil {
		return fmt.Errorf("audit: record %s %s: %w", action, entity, err)
	}
	return nil
}

func encode(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: encode: %w", err)
	}
	return string(b), nil
}

// Entry is one line of the log.
type Entry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	UserID   *int64    `json:"user_id"`
	Username string    `json:"username"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	Old      *string   `json:"old"`
	New      *string   `json:"new"`
	IP       string    `json:"ip"`
}

// Filter selects entries; zero fields do not filter.
type Filter struct {
	Username string
	Action   string
	Entity   string
	EntityID string
	From, To time.Time // To is exclusive
	Limit    int
	BeforeID int64 // for paging: entries with id < BeforeID
}

// List returns entries matching f, newest first.
func List(ctx context.Context, q db.Q, f Filter) ([]Entry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Username != "" {
		add("username = ?", f.Username)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		add("entity_id = ?", f.EntityID)
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UTC())
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	query := "SELECT id, at, user_id, username, action, entity, entity_id, old_value, new_value, ip FROM audit_log"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT " + strconv.Itoa(f.Limit)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.Action, &e.Entity, &e.EntityID, &e.Old, &e.New, &e.IP); err != nil {
			return nil, fmt.Errorf("audit: list: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Entities lists the distinct entity names in the log, for the filter form.
func Entities(ctx context.Context, q db.Q) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT DISTINCT entity FROM audit_log ORDER BY entity")
	if err != nil {
		return nil, fmt.Errorf("audit: entities: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
