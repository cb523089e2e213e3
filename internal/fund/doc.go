// Package fund is the room of donation funds (issue 5): funds and
// campaigns, receipts (tiếp nhận) and disbursements (chi hỗ trợ), bank
// statement import, VietQR, receipts with the amount in words, public
// disclosure and the tamper-evident log.
//
// This package holds the pure core shared by the rest of the room; the
// sub-packages hold the parts with no database and no HTTP:
//
//   - vietqr: the VietQR (EMVCo/NAPAS) payload, and its PNG and SVG images;
//   - translog: the per-fund transparency log (Merkle tree, signed
//     checkpoints, proofs, the published statement and its verifier);
//   - statement: reading banks' statement exports (CSV, XLSX) in constant
//     memory, and donors' names from transfer notes.
package fund
