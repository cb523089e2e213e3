package fund

import (
	"context"
	"fmt"
	"io"

	"golang.org/x/mod/sumdb/tlog"

	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
)

func scanCheckpoint(row scanner) (*Checkpoint, error) {
	var c Checkpoint
	err := row.Scan(&c.FundID, &c.Size, &c.Root, &c.Note, &c.CreatedAt)
	return &c, err
}

// LatestCheckpoint returns the newest signed checkpoint of a fund; NotFound
// when the fund has no entries yet.
func (s *Store) LatestCheckpoint(ctx context.Context, fundID int64) (*Checkpoint, error) {
	c, err := scanCheckpoint(s.DB.QueryRowContext(ctx, `SELECT fund_id, size, root, note, created_at FROM fund_checkpoints
		WHERE fund_id = $1 ORDER BY size DESC LIMIT 1`, fundID))
	if err != nil {
		return nil, notFound(err, "checkpoint")
	}
	return c, nil
}

// CheckpointAt returns the signed checkpoint of a fund's log at a size.
func (s *Store) CheckpointAt(ctx context.Context, fundID, size int64) (*Checkpoint, error) {
	c, err := scanCheckpoint(s.DB.QueryRowContext(ctx, `SELECT fund_id, size, root, note, created_at FROM fund_checkpoints
		WHERE fund_id = $1 AND size = $2`, fundID, size))
	if err != nil {
		return nil, notFound(err, "checkpoint")
	}
	return c, nil
}

// Checkpoints lists a fund's signed checkpoints, newest first.
func (s *Store) Checkpoints(ctx context.Context, fundID int64, limit int) ([]Checkpoint, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT fund_id, size, root, note, created_at FROM fund_checkpoints
		WHERE fund_id = $1 ORDER BY size DESC LIMIT $2`, fundID, limit)
	if err != nil {
		return nil, fmt.Errorf("fund: checkpoints: %w", err)
	}
	defer rows.Close()
	var out []Checkpoint
	for rows.Next() {
		c, err := scanCheckpoint(rows)
		if err != nil {
			return nil, fmt.Errorf("fund: checkpoints: %w", err)
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// readLog returns the fund's log for reading proofs, as of its current size.
func (s *Store) readLog(ctx context.Context, fundID int64) (*dbLog, error) {
	var size int64
	if err := s.DB.QueryRowContext(ctx, "SELECT log_size FROM funds WHERE id = $1", fundID).Scan(&size); err != nil {
		return nil, notFound(err, "fund")
	}
	return newDBLog(ctx, s.DB, fundID, size), nil
}

// Inclusion is the proof that an entry is in a fund's log of a given size.
type Inclusion struct {
	Seq        int64          `json:"seq"`
	Size       int64          `json:"size"`
	Entry      translog.Entry `json:"entry"`
	RecordHash string         `json:"record_hash"` // as stored, lower-case hex in the statement; base64 here
	Proof      []string       `json:"proof"`       // base64 hashes, tlog order
	Checkpoint string         `json:"checkpoint"`  // the signed checkpoint of Size
}

// ProveInclusion proves that entry seq is in the fund's log of size (0: the
// latest checkpoint's size). The size must be one a checkpoint was signed
// for, so that the proof checks against a signed root.
func (s *Store) ProveInclusion(ctx context.Context, fundID, seq, size int64) (*Inclusion, error) {
	var c *Checkpoint
	var err error
	if size == 0 {
		c, err = s.LatestCheckpoint(ctx, fundID)
	} else {
		c, err = s.CheckpointAt(ctx, fundID, size)
	}
	if err != nil {
		return nil, err
	}
	if seq < 1 || seq > c.Size {
		return nil, apperr.Field("seq", "fund.err.seq_range", c.Size)
	}
	l, err := s.readLog(ctx, fundID)
	if err != nil {
		return nil, err
	}
	p, err := translog.ProveInclusion(l, c.Size, seq-1)
	if err != nil {
		return nil, fmt.Errorf("fund: inclusion proof: %w", err)
	}
	e, err := s.Entry(ctx, fundID, seq)
	if err != nil {
		return nil, err
	}
	hs, err := l.ReadHashes([]int64{tlog.StoredHashIndex(0, seq-1)})
	if err != nil {
		return nil, err
	}
	out := &Inclusion{Seq: seq, Size: c.Size, Entry: e.Published(), RecordHash: hs[0].String(), Checkpoint: c.Note}
	for _, h := range p {
		out.Proof = append(out.Proof, h.String())
	}
	return out, nil
}

// Consistency is the proof that a fund's log of size From is a prefix of
// its log of size To.
type Consistency struct {
	From      int64    `json:"from"`
	To        int64    `json:"to"`
	Proof     []string `json:"proof"`
	FromCheck string   `json:"from_checkpoint,omitempty"`
	ToCheck   string   `json:"to_checkpoint,omitempty"`
}

// ProveConsistency proves that the log of size from is a prefix of the log
// of size to (0: the latest checkpoint's size).
func (s *Store) ProveConsistency(ctx context.Context, fundID, from, to int64) (*Consistency, error) {
	latest, err := s.LatestCheckpoint(ctx, fundID)
	if err != nil {
		return nil, err
	}
	if to == 0 {
		to = latest.Size
	}
	if from < 1 || from > to || to > latest.Size {
		return nil, apperr.Field("from", "fund.err.consistency_range", latest.Size)
	}
	l, err := s.readLog(ctx, fundID)
	if err != nil {
		return nil, err
	}
	p, err := translog.ProveConsistency(l, from, to)
	if err != nil {
		return nil, fmt.Errorf("fund: consistency proof: %w", err)
	}
	out := &Consistency{From: from, To: to}
	for _, h := range p {
		out.Proof = append(out.Proof, h.String())
	}
	if c, err := s.CheckpointAt(ctx, fundID, from); err == nil {
		out.FromCheck = c.Note
	}
	if c, err := s.CheckpointAt(ctx, fundID, to); err == nil {
		out.ToCheck = c.Note
	}
	return out, nil
}

// ConsistencyFunc returns a source of consistency proofs for
// translog.Options.Consistency.
func (s *Store) ConsistencyFunc(ctx context.Context, fundID int64) func(n, t int64) (tlog.TreeProof, error) {
	return func(n, t int64) (tlog.TreeProof, error) {
		l, err := s.readLog(ctx, fundID)
		if err != nil {
			return nil, err
		}
		return translog.ProveConsistency(l, n, t)
	}
}

// WriteStatement writes the published statement of a fund's first size
// entries (0: as of the latest checkpoint) as CSV (translog.StatementHeader):
// each entry's published fields as stored, and the record hash stored when
// it was appended. An entry changed in the database afterwards shows a hash
// its fields no longer give, which translog.VerifyStatement names.
// It returns the size written.
func (s *Store) WriteStatement(ctx context.Context, w io.Writer, fundID, size int64) (int64, error) {
	if size == 0 {
		c, err := s.LatestCheckpoint(ctx, fundID)
		if apperr.Is(err, apperr.NotFound) {
			return 0, translog.NewStatementWriter(w).Flush()
		}
		if err != nil {
			return 0, err
		}
		size = c.Size
	}
	sw := translog.NewStatementWriter(w)
	var want int64 = 1
	err := s.eachPublished(ctx, s.DB, fundID, size, func(e translog.Entry, h tlog.Hash) error {
		if e.Seq != want {
			return fmt.Errorf("fund: statement: entry %d is missing from the ledger", want)
		}
		want++
		return sw.Write(e, h)
	})
	if err != nil {
		return 0, err
	}
	if want != size+1 {
		return 0, fmt.Errorf("fund: statement: the ledger ends at entry %d, the checkpoint has %d", want-1, size)
	}
	return size, sw.Flush()
}

// eachPublished calls fn for the published entries 1..size in order, with
// the stored record hash.
func (s *Store) eachPublished(ctx context.Context, q db.Q, fundID, size int64, fn func(translog.Entry, tlog.Hash) error) error {
	const page = 5000
	var after int64
	for after < size {
		rows, err := q.QueryContext(ctx, `SELECT seq, kind, date, amount, ref, bank_ref, channel, party, note, reverses, log_hashes
			FROM fund_entries WHERE fund_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`, fundID, after, size, page)
		if err != nil {
			return fmt.Errorf("fund: statement: %w", err)
		}
		n := 0
		for rows.Next() {
			var e translog.Entry
			var d db.Date
			var blob []byte
			if err := rows.Scan(&e.Seq, &e.Kind, &d, &e.Amount, &e.Ref, &e.BankRef, &e.Channel, &e.Party, &e.Note, &e.Reverses, &blob); err != nil {
				rows.Close()
				return fmt.Errorf("fund: statement: %w", err)
			}
			e.Date = d.ISO()
			var h tlog.Hash
			copy(h[:], blob)
			if err := fn(e, h); err != nil {
				rows.Close()
				return err
			}
			after = e.Seq
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("fund: statement: %w", err)
		}
		if n == 0 {
			break
		}
	}
	return nil
}

// VerifyLog recomputes every entry's record hash from its stored fields
// and the tree from them, and checks the result against the latest signed
// checkpoint: what `giaoban fund verify` does with a downloaded statement,
// done on the database itself (the command `giaoban fund checkpoint` runs
// it).
func (s *Store) VerifyLog(ctx context.Context, fundID int64) (translog.Result, error) {
	c, err := s.LatestCheckpoint(ctx, fundID)
	if err != nil {
		return translog.Result{}, err
	}
	vkey, err := s.PublicKey(ctx)
	if err != nil {
		return translog.Result{}, err
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := s.WriteStatement(ctx, pw, fundID, c.Size)
		pw.CloseWithError(err)
	}()
	res, err := translog.VerifyStatementWith(pr, c.Note, vkey, translog.Options{Consistency: s.ConsistencyFunc(ctx, fundID)})
	pr.Close()
	return res, err
}

// Check verifies the inclusion proof against a tree (from a checkpoint
// verified with the fund's public key): the entry's fields give the record
// hash, and the proof leads from it to the tree's root.
func (inc *Inclusion) Check(t translog.Tree) error {
	var proof tlog.RecordProof
	for _, s := range inc.Proof {
		h, err := tlog.ParseHash(s)
		if err != nil {
			return fmt.Errorf("%w: %v", translog.ErrProof, err)
		}
		proof = append(proof, h)
	}
	if inc.Entry.Hash().String() != inc.RecordHash {
		return fmt.Errorf("%w: bản ghi số %d không cho ra mã băm đã ghi", translog.ErrProof, inc.Seq)
	}
	return translog.VerifyInclusion(proof, t, inc.Entry)
}
