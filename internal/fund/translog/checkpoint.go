package translog

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Tree is what a checkpoint states: the fund's log had N records and this
// root hash.
type Tree struct {
	FundID string
	N      int64
	Hash   tlog.Hash
}

// OriginPrefix starts the first line of every checkpoint, before the fund id.
const OriginPrefix = "giaoban fund "

// ErrCheckpoint is wrapped by the errors of VerifyCheckpoint.
var ErrCheckpoint = errors.New("điểm kiểm tra không hợp lệ")

// ValidFundID reports whether id can name a fund in a checkpoint: 1–64
// ASCII letters, digits, '.', '_' or '-'.
func ValidFundID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// NewSigner generates an Ed25519 key pair for signing a fund's checkpoints
// (note.GenerateKey). name names the key in signatures, e.g.
// "giaoban-fund-COVID19-IAGRAI"; it must be a valid fund id. skey is the
// private key ("PRIVATE+KEY+name+hash+…"): keep it secret; vkey is the
// public verifier key ("name+hash+…") to publish.
func NewSigner(name string) (skey, vkey string, err error) {
	if !ValidFundID(name) {
		return "", "", fmt.Errorf("tên khóa '%s' không hợp lệ (chỉ chữ, số, '.', '_' và '-')", name)
	}
	return note.GenerateKey(rand.Reader, name)
}

// FormatTree returns the unsigned checkpoint text of t.
func FormatTree(t Tree) ([]byte, error) {
	if !ValidFundID(t.FundID) {
		return nil, fmt.Errorf("mã quỹ '%s' không hợp lệ", t.FundID)
	}
	if t.N < 0 {
		return nil, fmt.Errorf("số bản ghi %d không hợp lệ", t.N)
	}
	return fmt.Appendf(nil, "%s%s\n%d\n%s\n", OriginPrefix, t.FundID, t.N, t.Hash), nil
}

// ParseTree parses an unsigned checkpoint text: exactly the three lines of
// FormatTree (no extension lines).
func ParseTree(text []byte) (Tree, error) {
	bad := func(why string) (Tree, error) {
		return Tree{}, fmt.Errorf("%w: %s", ErrCheckpoint, why)
	}
	if len(text) > 512 || !bytes.HasSuffix(text, []byte("\n")) {
		return bad("sai cấu trúc")
	}
	lines := strings.Split(string(text[:len(text)-1]), "\n")
	if len(lines) != 3 {
		return bad("cần đúng 3 dòng")
	}
	id, ok := strings.CutPrefix(lines[0], OriginPrefix)
	if !ok || !ValidFundID(id) {
		return bad("dòng đầu phải là '" + OriginPrefix + "<mã quỹ>'")
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return bad("số bản ghi không hợp lệ")
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil || h.String() != lines[2] {
		return bad("mã băm gốc không hợp lệ")
	}
	return Tree{FundID: id, N: n, Hash: h}, nil
}

// Checkpoint returns the signed checkpoint of the first n records of the
// fund's log, whose root hash is h.
func Checkpoint(fundID string, n int64, h tlog.Hash, signer note.Signer) (string, error) {
	text, err := FormatTree(Tree{FundID: fundID, N: n, Hash: h})
	if err != nil {
		return "", err
	}
	msg, err := note.Sign(&note.Note{Text: string(text)}, signer)
	if err != nil {
		return "", err
	}
	return string(msg), nil
}

// VerifyCheckpoint checks the signature of a checkpoint with the public key
// vkey and returns the tree it states.
func VerifyCheckpoint(text, vkey string) (Tree, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return Tree{}, fmt.Errorf("%w: khóa công khai không hợp lệ: %v", ErrCheckpoint, err)
	}
	n, err := note.Open([]byte(text), note.VerifierList(v))
	if err != nil {
		return Tree{}, fmt.Errorf("%w: chữ ký không hợp lệ hoặc không phải của khóa %s: %v", ErrCheckpoint, v.Name(), err)
	}
	return ParseTree([]byte(n.Text))
}
