// Package translog is the transparency log of a fund: every receipt,
// disbursement, reversal and transfer is appended, as the canonical bytes of
// an Entry, to an append-only Merkle tree (golang.org/x/mod/sumdb/tlog, the
// tree of the Go checksum database and of Certificate Transparency, RFC
// 6962), whose size and root hash are published in checkpoints signed with
// Ed25519 (golang.org/x/mod/sumdb/note).
//
// What it gives the public: anyone holding a checkpoint and the fund's
// public key can check that an entry is in the log (inclusion proof), that a
// later checkpoint extends an earlier one without changing or removing
// anything (consistency proof), and that a downloaded statement is exactly
// the log (VerifyStatement), and if it is not, which row differs.
//
// # Entries
//
// Entry.Canonical is a line-based encoding, documented there, chosen so
// that an outsider can recompute a record hash from a published CSV row with
// a few lines of any language (or printf and sha256sum); the record hash is
// tlog.RecordHash: SHA-256 of a zero byte followed by the canonical bytes.
// An entry's Seq is its 1-based position in the log and is part of the
// hash, so a row cannot be moved without its hash changing.
//
// Amounts are signed: positive into the fund, negative out of it, so the
// sum of a statement is the fund's balance and can be checked too.
//
// # Storage
//
// A Log is a tlog.HashReader plus its size; the fund room stores the hashes
// (in the database) and this package computes which ones to store (Append).
// MemLog is the in-memory implementation used by tests and by verifiers.
//
// # Checkpoints
//
// A checkpoint is a signed note whose text follows the tlog.FormatTree
// convention with our own origin line:
//
//	giaoban fund COVID19-IAGRAI
//	1000
//	8Jv0iV3b2kI7g7pSy6tQ2E2o5G1mHk4Q9bq0Z1oYzKc=
//
//	— giaoban-fund-COVID19-IAGRAI Az3gZQ…
//
// that is: "giaoban fund " and the fund id; the number of records in
// decimal; the root hash in standard base64; then the note signature lines.
//
// # Statements
//
// A published statement is a CSV file (UTF-8 with a byte-order mark so
// spreadsheet programs show Vietnamese correctly; the reader accepts it
// without) whose columns are StatementHeader: every field of Canonical, in
// the same order, then the record hash the log stored for the row, in
// lower-case hex. The verifier recomputes each row's hash from its fields
// (so an edited row is named), rebuilds the tree from the recomputed hashes
// and compares the root with the signed checkpoint (so a removed, inserted
// or reordered row is detected even when the listed hashes were recomputed
// too); with a source of consistency proofs it also finds the first record
// where the listing departs from the log.
package translog
