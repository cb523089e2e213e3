package translog

import (
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// maxProofHashes bounds a parsed proof: a proof in a tree of 2⁶³ records
// has at most 2 × 63 hashes.
const maxProofHashes = 128

// FormatProof returns a proof (tlog.RecordProof or tlog.TreeProof) as text
// for the public endpoints: one hash per line in standard base64, each line
// ending in a line feed, in the order tlog gives them.
func FormatProof(p []tlog.Hash) string {
	var b strings.Builder
	for _, h := range p {
		b.WriteString(h.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// ParseProof parses the text of FormatProof.
func ParseProof(text string) ([]tlog.Hash, error) {
	if text == "" {
		return nil, nil
	}
	if !strings.HasSuffix(text, "\n") {
		return nil, fmt.Errorf("%w: thiếu xuống dòng cuối", ErrProof)
	}
	lines := strings.Split(text[:len(text)-1], "\n")
	if len(lines) > maxProofHashes {
		return nil, fmt.Errorf("%w: quá nhiều mã băm", ErrProof)
	}
	out := make([]tlog.Hash, len(lines))
	for i, l := range lines {
		h, err := tlog.ParseHash(l)
		if err != nil || h.String() != l {
			return nil, fmt.Errorf("%w: dòng %d không phải mã băm", ErrProof, i+1)
		}
		out[i] = h
	}
	return out, nil
}
