package translog

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func TestCheckpointRoundTrip(t *testing.T) {
	skey, vkey, err := NewSigner("giaoban-fund-TEST")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(skey, "PRIVATE+KEY+giaoban-fund-TEST+") || !strings.HasPrefix(vkey, "giaoban-fund-TEST+") {
		t.Fatalf("keys %q %q", skey, vkey)
	}
	s, _ := note.NewSigner(skey)
	h := tlog.RecordHash([]byte("x"))
	cp, err := Checkpoint("TEST", 42, h, s)
	if err != nil {
		t.Fatal(err)
	}
	body := "giaoban fund TEST\n42\n" + h.String() + "\n\n"
	if !strings.HasPrefix(cp, body) || !strings.Contains(cp, "\u2014 giaoban-fund-TEST ") {
		t.Fatalf("checkpoint:\n%s", cp)
	}
	tree, err := VerifyCheckpoint(cp, vkey)
	if err != nil || tree != (Tree{"TEST", 42, h}) {
		t.Fatalf("VerifyCheckpoint = %+v, %v", tree, err)
	}

	// Another key does not verify it.
	_, other, _ := NewSigner("giaoban-fund-TEST")
	if _, err := VerifyCheckpoint(cp, other); !errors.Is(err, ErrCheckpoint) {
		t.Errorf("verified with another key: %v", err)
	}
	// Any change to the text breaks the signature.
	for _, tampered := range []string{
		strings.Replace(cp, "\n42\n", "\n43\n", 1),
		strings.Replace(cp, "TEST\n", "TEST2\n", 1),
		strings.Replace(cp, h.String(), tlog.RecordHash([]byte("y")).String(), 1),
		cp[:len(cp)-3] + "AA\n",
		"",
		"giaoban fund TEST\n42\n",
	} {
		if _, err := VerifyCheckpoint(tampered, vkey); !errors.Is(err, ErrCheckpoint) {
			t.Errorf("tampered checkpoint verified: %q (%v)", tampered, err)
		}
	}
	if _, err := VerifyCheckpoint(cp, "not a key"); !errors.Is(err, ErrCheckpoint) {
		t.Errorf("bad key accepted: %v", err)
	}
	// Bad fund ids and key names.
	for _, id := range []string{"", "a b", "quỹ", strings.Repeat("x", 65), "a\nb", "a+b"} {
		if _, err := Checkpoint(id, 1, h, s); err == nil {
			t.Errorf("fund id %q accepted", id)
		}
		if _, _, err := NewSigner(id); err == nil {
			t.Errorf("key name %q accepted", id)
		}
	}
	if _, err := Checkpoint("X", -1, h, s); err == nil {
		t.Error("negative size accepted")
	}
}

func TestParseTree(t *testing.T) {
	h := tlog.RecordHash([]byte("x")).String()
	good := "giaoban fund COVID19\n7\n" + h + "\n"
	if tree, err := ParseTree([]byte(good)); err != nil || tree.N != 7 || tree.FundID != "COVID19" {
		t.Fatalf("ParseTree(good) = %+v, %v", tree, err)
	}
	for _, bad := range []string{
		"",
		"go.sum database tree\n7\n" + h + "\n",
		"giaoban fund COVID19\n7\n" + h,               // no final newline
		"giaoban fund COVID19\n07\n" + h + "\n",       // leading zero
		"giaoban fund COVID19\n-1\n" + h + "\n",       // negative
		"giaoban fund COVID19\n+7\n" + h + "\n",       // sign
		"giaoban fund COVID19\n7\n" + h + "\nextra\n", // extension line
		"giaoban fund \n7\n" + h + "\n",               // no id
		"giaoban fund COVID 19\n7\n" + h + "\n",       // space in id
		"giaoban fund COVID19\n7\n" + h[:10] + "\n",   // short hash
		"giaoban fund COVID19\n7\n" + h + "=\n",       // bad base64
		"giaoban fund COVID19\n99999999999999999999\n" + h + "\n",
		"giaoban fund COVID19\r\n7\r\n" + h + "\r\n",
	} {
		if _, err := ParseTree([]byte(bad)); !errors.Is(err, ErrCheckpoint) {
			t.Errorf("ParseTree(%q) = %v", bad, err)
		}
	}
}

func TestProofText(t *testing.T) {
	f := newFixture(t, 50)
	p, _ := ProveInclusion(f.log, 50, 17)
	text := FormatProof(p)
	back, err := ParseProof(text)
	if err != nil || len(back) != len(p) {
		t.Fatalf("ParseProof: %v", err)
	}
	if err := VerifyInclusion(tlog.RecordProof(back), f.tree, f.entries[17]); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"x\n", p[0].String(), p[0].String() + "\n\n", strings.Repeat(p[0].String()+"\n", 130)} {
		if _, err := ParseProof(bad); err == nil {
			t.Errorf("ParseProof(%q) accepted", bad)
		}
	}
	if got, err := ParseProof(""); err != nil || len(got) != 0 {
		t.Errorf("empty proof: %v %v", got, err)
	}
}

func FuzzVerifyCheckpoint(f *testing.F) {
	skey, vkey, _ := NewSigner("giaoban-fund-FUZZ")
	s, _ := note.NewSigner(skey)
	cp, _ := Checkpoint("FUZZ", 3, tlog.RecordHash(nil), s)
	f.Add(cp)
	f.Add("giaoban fund FUZZ\n3\n" + tlog.RecordHash(nil).String() + "\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		tree, err := VerifyCheckpoint(text, vkey)
		if err != nil {
			if !errors.Is(err, ErrCheckpoint) {
				t.Fatalf("error %v does not wrap ErrCheckpoint", err)
			}
			return
		}
		// Only a text we signed verifies; its body formats back exactly.
		body, _ := FormatTree(tree)
		if !strings.HasPrefix(text, string(body)+"\n") {
			t.Fatalf("verified %q, body %q", text, body)
		}
	})
}

func FuzzParseTree(f *testing.F) {
	f.Add([]byte("giaoban fund COVID19\n7\n" + tlog.RecordHash(nil).String() + "\n"))
	f.Add([]byte("giaoban fund A\n0\n" + tlog.Hash{}.String() + "\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		tree, err := ParseTree(text)
		if err != nil {
			return
		}
		back, err := FormatTree(tree)
		if err != nil || !bytes.Equal(back, text) {
			t.Fatalf("ParseTree(%q) = %+v, formats back to %q (%v)", text, tree, back, err)
		}
	})
}

func FuzzReadStatement(f *testing.F) {
	fx := newFixture(f, 5)
	f.Add(fx.csv)
	f.Add([]byte(strings.Join(StatementHeader, ",") + "\n1,receipt,2021-01-01,1,,,,A,,0," + strings.Repeat("0", 64) + "\n"))
	f.Add([]byte("seq\n\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var rows []Row
		for row, err := range ReadStatement(bytes.NewReader(data)) {
			if err != nil {
				var re *RowError
				if !errors.As(err, &re) && !errors.Is(err, ErrFormat) {
					t.Fatalf("unexpected error type %T: %v", err, err)
				}
				continue
			}
			rows = append(rows, row)
		}
		// Rows that read write back to rows that read the same.
		var buf bytes.Buffer
		w := NewStatementWriter(&buf)
		for _, r := range rows {
			if err := w.Write(r.Entry, r.Listed); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		i := 0
		for row, err := range ReadStatement(&buf) {
			if err != nil {
				t.Fatalf("re-reading written rows: %v", err)
			}
			if i >= len(rows) || row.Entry != rows[i].Entry || row.Listed != rows[i].Listed {
				t.Fatalf("row %d changed on rewrite", i)
			}
			i++
		}
		if i != len(rows) {
			t.Fatalf("%d rows re-read, want %d", i, len(rows))
		}
		// The verifier never panics on it either.
		VerifyStatement(bytes.NewReader(data), fx.checkpoint, fx.vkey)
	})
}
