package fund

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"giaoban/internal/fund/translog"
)

// EnvKeyFile names the environment variable that points at the file holding
// the checkpoint signing key.
//
// Where the key lives. The key that signs every fund's checkpoints is
// generated at first use (Ed25519, golang.org/x/mod/sumdb/note). Without
// GIAOBAN_FUND_KEY_FILE it is kept in the database's settings table, which
// is convenient but means that anyone who can read a backup can sign
// checkpoints. A real deployment sets GIAOBAN_FUND_KEY_FILE to a file
// outside the database and its backups, readable only by the server's user
// (mode 0600): the key is generated into it (0600) when it does not exist,
// and a file readable by group or others is refused. The file holds two
// lines: the private key (PRIVATE+KEY+giaoban-fund+…) and the public
// verifier key (giaoban-fund+…). Back it up separately: a lost key cannot
// sign checkpoints that extend the published ones with the same key (a new
// key has to be announced).
//
// The public key is published on every fund's public page, in the
// checkpoint API and in static exports.
const EnvKeyFile = "GIAOBAN_FUND_KEY_FILE"

// KeyName names the signing key in checkpoint signatures.
const KeyName = "giaoban-fund"

// settingKey is where the key is kept without a key file.
const settingKey = "fund.signing_key"

// Signer returns the checkpoint signer and its public verifier key,
// generating the key at first use. It must not be called inside a write
// transaction (it may write the key in its own).
func (s *Store) Signer(ctx context.Context) (note.Signer, string, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.signer != nil {
		return s.signer, s.vkey, nil
	}
	var skey string
	var err error
	if s.KeyFile != "" {
		skey, err = keyFromFile(s.KeyFile)
	} else {
		skey, err = s.keyFromSettings(ctx)
	}
	if err != nil {
		return nil, "", err
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, "", fmt.Errorf("fund: signing key: %w", err)
	}
	vkey, err := verifierKey(skey)
	if err != nil {
		return nil, "", err
	}
	s.signer, s.vkey = signer, vkey
	return signer, vkey, nil
}

// PublicKey returns the verifier key that checks every checkpoint.
func (s *Store) PublicKey(ctx context.Context) (string, error) {
	_, vkey, err := s.Signer(ctx)
	return vkey, err
}

// verifierKey derives the public key from a private key of note.GenerateKey.
func verifierKey(skey string) (string, error) {
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return "", errors.New("fund: signing key is not a note private key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return "", errors.New("fund: signing key is not an Ed25519 note key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(parts[2], pub)
}

func keyFromFile(path string) (string, error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		skey, vkey, err := translog.NewSigner(KeyName)
		if err != nil {
			return "", err
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return "", fmt.Errorf("fund: key file: %w", err)
			}
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return "", fmt.Errorf("fund: create key file: %w", err)
		}
		if _, err := fmt.Fprintf(f, "%s\n%s\n", skey, vkey); err != nil {
			f.Close()
			return "", fmt.Errorf("fund: write key file: %w", err)
		}
		if err := f.Close(); err != nil {
			return "", fmt.Errorf("fund: write key file: %w", err)
		}
		slog.Info("fund: checkpoint signing key generated", "file", path, "public_key", vkey)
		return skey, nil
	}
	if err != nil {
		return "", fmt.Errorf("fund: key file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("fund: key file %s is readable by others (mode %04o); chmod 600 it", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("fund: key file: %w", err)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return strings.TrimSpace(line), nil
}

func (s *Store) keyFromSettings(ctx context.Context) (string, error) {
	var skey string
	err := s.DB.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", settingKey).Scan(&skey)
	if err == nil {
		return skey, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("fund: signing key: %w", err)
	}
	gen, vkey, err := translog.NewSigner(KeyName)
	if err != nil {
		return "", err
	}
	// Two servers may start at once: the first key written wins.
	if _, err := s.DB.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", settingKey, gen); err != nil {
		return "", fmt.Errorf("fund: store signing key: %w", err)
	}
	if err := s.DB.Writer().QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", settingKey).Scan(&skey); err != nil {
		return "", fmt.Errorf("fund: signing key: %w", err)
	}
	if skey == gen {
		slog.Info("fund: checkpoint signing key generated in the settings table; set "+EnvKeyFile+" to keep it in a file", "public_key", vkey)
	}
	return skey, nil
}
