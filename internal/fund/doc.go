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
//
// # The store
//
// Store keeps the room in the database (migrations 0600–0602). A fund's
// ledger is fund_entries: one row per entry of its log, never updated or
// deleted (triggers refuse it; a correction is a reversing entry). Its
// published columns are what the entry's record hash covers, its private
// columns (a donor's address and phone, an anonymous donor's name) never
// leave the secretariat's pages. Every write — receipt, disbursement,
// reversal, transfer (both funds), import — is one transaction that locks
// the fund's row (SELECT … FOR UPDATE on PostgreSQL; SQLite's single writer
// serialises), checks that the balance stays at or above zero (refused with
// a message naming the balance), gives vouchers the next numbers of the
// fund's gap-free counters (fund_counters, per fund, year and series),
// appends to the log (the stored tlog hashes live in the entry's row,
// logdb.go), updates the daily sums (fund_daily: totals by period, area and
// unit without reading the ledger) and the search index, and signs a new
// checkpoint (fund_checkpoints). The signing key: see EnvKeyFile.
//
// # Public disclosure
//
// Handler serves /quy (no login, rate-limited per client address,
// RateLimiter; rendered pages cached per log size, PageCache), the
// secretariat's /funds pages (auth.PermFundManage, in the scope of the
// fund's managing unit's area) and the JSON API (/api/v1/funds…,
// /api/v1/public/funds/{code}/checkpoint, inclusion, consistency,
// statement.csv). Search: see store_search.go. Static export: Publish.
//
// # Into the reports
//
// Totals (and TotalsDetail, IndicatorValue) give the reporting room the
// fund figures of a period and unit, mapped to indicator codes by
// IndicatorSources (QUY_COVID_TIEP_NHAN ← received, QUY_COVID_CHI_HO_TRO ←
// paid out, …), with a sentence saying where a derived value came from.
package fund
