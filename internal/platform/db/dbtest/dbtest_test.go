package dbtest

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// fakeTB records a Fatalf and stops the goroutine, as testing.T does.
type fakeTB struct {
	testing.TB
	fatal string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// dialects runs Dialects on a fakeTB and returns what it gave and its Fatalf.
func dialects(t *testing.T) ([]string, string) {
	f := &fakeTB{TB: t}
	var got []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		got = Dialects(f)
	}()
	<-done
	return got, f.fatal
}

func TestDialects(t *testing.T) {
	for _, tc := range []struct {
		name, ci, require, pg string
		want                  []string
		fails                 bool
	}{
		{name: "local without PostgreSQL runs SQLite only", want: []string{"sqlite"}},
		{name: "local with PostgreSQL runs both", pg: "postgres://u@h/db", want: []string{"sqlite", "postgres"}},
		{name: "CI without PostgreSQL fails", ci: "true", fails: true},
		{name: "required without PostgreSQL fails", require: "1", fails: true},
		{name: "CI with PostgreSQL runs both", ci: "true", pg: "postgres://u@h/db", want: []string{"sqlite", "postgres"}},
		{name: "CI=false is not CI", ci: "false", want: []string{"sqlite"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			t.Setenv(EnvRequirePostgres, tc.require)
			t.Setenv(EnvPostgres, tc.pg)
			got, fatal := dialects(t)
			if tc.fails {
				if fatal == "" {
					t.Fatalf("Dialects gave %v, want a failure", got)
				}
				if !strings.Contains(fatal, EnvPostgres) {
					t.Errorf("failure %q does not name %s", fatal, EnvPostgres)
				}
				return
			}
			if fatal != "" {
				t.Fatalf("Dialects failed: %s", fatal)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Dialects = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWithDatabase(t *testing.T) {
	for _, tc := range []struct{ base, want string }{
		{"postgres://postgres@127.0.0.1:5433/postgres?sslmode=disable", "postgres://postgres@127.0.0.1:5433/giaoban_t_1?sslmode=disable"},
		{"postgresql://u:p%40ss@host/", "postgresql://u:p%40ss@host/giaoban_t_1"},
		{"postgres://u@host", "postgres://u@host/giaoban_t_1"},
		{"postgres://u@host/x?dbname=other&sslmode=require", "postgres://u@host/giaoban_t_1?sslmode=require"},
	} {
		got, err := withDatabase(tc.base, "giaoban_t_1")
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("withDatabase(%q) = %q, want %q", tc.base, got, tc.want)
		}
	}
}

func TestRedactHidesPassword(t *testing.T) {
	if got := redact("postgres://u:secret@host/db"); strings.Contains(got, "secret") {
		t.Errorf("redact shows the password: %q", got)
	}
}
