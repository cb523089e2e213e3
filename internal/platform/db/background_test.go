package db_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"giaoban/internal/platform/db"
)

func openFile(t *testing.T) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "bg.db"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Background jobs run in order, one at a time; a job already waiting is
// not queued twice; Idle waits for the end.
func TestLaterRunsInOrderOnce(t *testing.T) {
	d := openFile(t)
	defer d.Close()
	var mu sync.Mutex
	var got []string
	release := make(chan struct{})
	d.Later("first", func(context.Context) error {
		<-release
		mu.Lock()
		got = append(got, "first")
		mu.Unlock()
		return nil
	})
	for _, name := range []string{"second", "third", "second"} {
		d.Later(name, func(context.Context) error {
			mu.Lock()
			got = append(got, name)
			mu.Unlock()
			return nil
		})
	}
	close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Idle(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"first", "second", "third"}; !equal(got, want) {
		t.Fatalf("ran %v, want %v", got, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Close lets the queued jobs finish, then takes no more.
func TestCloseFinishesBackgroundWork(t *testing.T) {
	d := openFile(t)
	release := make(chan struct{})
	var first, second bool
	d.Later("first", func(ctx context.Context) error {
		<-release
		first = ctx.Err() == nil
		return nil
	})
	d.Later("second", func(ctx context.Context) error { second = ctx.Err() == nil; return nil })
	go func() { time.Sleep(50 * time.Millisecond); close(release) }()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if !first || !second {
		t.Fatalf("after Close: first ran %v, second ran %v", first, second)
	}
	d.Later("after", func(context.Context) error { t.Error("ran after Close"); return nil })
}

// The WAL checkpoint runs in the background: the rows written to the log
// reach the database file.
func TestCheckpointLater(t *testing.T) {
	d := openFile(t)
	defer d.Close()
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, "CREATE TABLE t (x TEXT)"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		if _, err := d.ExecContext(ctx, "INSERT INTO t VALUES (randomblob(4000))"); err != nil {
			t.Fatal(err)
		}
	}
	size := func() int64 {
		st, err := os.Stat(d.Path)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	if n := size(); n >= 50*4000 {
		t.Fatalf("the database file has %d bytes before any checkpoint", n)
	}
	d.CheckpointLater()
	if err := d.Idle(ctx); err != nil {
		t.Fatal(err)
	}
	if n := size(); n < 50*4000 {
		t.Fatalf("the database file has %d bytes after the background checkpoint", n)
	}
}
