package db

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Background work: what a large write leaves to do that nobody needs to
// wait for, such as copying SQLite's write-ahead log back into the database
// after an import of a million rows. Jobs run one at a time, in the order
// given, on a goroutine of the DB; a job already waiting under the same
// name is not queued twice. Close lets the queued jobs finish (a command
// that imported a statement leaves its database checkpointed and its
// index merged) and takes no more.
type background struct {
	mu      sync.Mutex
	queue   []bgJob
	waiting map[string]bool
	running bool
	closed  bool
	idle    chan struct{} // closed when the queue is empty and nothing runs
	ctx     context.Context
	cancel  context.CancelFunc
}

type bgJob struct {
	name string
	fn   func(ctx context.Context) error
}

// Later queues fn as background work named name. Errors are logged.
func (d *DB) Later(name string, fn func(ctx context.Context) error) {
	b := &d.bg
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || b.waiting[name] {
		return
	}
	if b.waiting == nil {
		b.waiting = map[string]bool{}
		b.ctx, b.cancel = context.WithCancel(context.Background())
	}
	b.waiting[name] = true
	b.queue = append(b.queue, bgJob{name, fn})
	if !b.running {
		b.running = true
		b.idle = make(chan struct{})
		go b.run()
	}
}

func (b *background) run() {
	for {
		b.mu.Lock()
		if len(b.queue) == 0 {
			b.queue = nil
			b.running = false
			close(b.idle)
			b.mu.Unlock()
			return
		}
		j := b.queue[0]
		b.queue = b.queue[1:]
		delete(b.waiting, j.name)
		ctx := b.ctx
		b.mu.Unlock()
		t0 := time.Now()
		if err := j.fn(ctx); err != nil && ctx.Err() == nil {
			slog.Error("db: background work failed", "job", j.name, "err", err)
		} else {
			slog.Debug("db: background work done", "job", j.name, "took", time.Since(t0))
		}
	}
}

// Idle waits until no background work is queued or running (or ctx ends).
func (d *DB) Idle(ctx context.Context) error {
	b := &d.bg
	b.mu.Lock()
	if !b.running {
		b.mu.Unlock()
		return nil
	}
	idle := b.idle
	b.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stop takes no more work and waits for the queued jobs.
func (b *background) stop() {
	b.mu.Lock()
	b.closed = true
	idle, running := b.idle, b.running
	b.mu.Unlock()
	if running {
		<-idle
	}
	if b.cancel != nil {
		b.cancel()
	}
}

// CheckpointLater copies SQLite's write-ahead log back into the database
// file in the background (a passive checkpoint: readers and writers go
// on). A bulk write that turned the automatic checkpoint off calls it once
// committed, instead of making its caller wait for the copy. Nothing on
// PostgreSQL.
func (d *DB) CheckpointLater() {
	if d.Dialect != SQLite {
		return
	}
	d.Later("wal-checkpoint", func(ctx context.Context) error {
		// On a reader's connection: a passive checkpoint takes no write
		// lock, so the writer stays free for the users meanwhile.
		_, err := d.read.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
		return err
	})
}
