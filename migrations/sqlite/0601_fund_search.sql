-- Donor-name search on SQLite: an FTS5 index of the folded names of the
-- published entries (receipts and disbursements), contentless (only rowids
-- are needed), without positions (no phrase queries), with prefix indexes
-- for words typed with one or two letters. The rowid orders entries as the
-- public lists do: fund (bits 48–62), days since 2000-01-01 (bits 32–47),
-- seq (bits 0–31), so a fund's matches come newest first from the index
-- itself and a page stops after its last row. fund_tokens and fund_terms
-- stay for PostgreSQL; on SQLite they are no longer written.
CREATE VIRTUAL TABLE fund_fts USING fts5(name, content='', columnsize=0, detail=none, prefix='1 2',
    tokenize='unicode61 remove_diacritics 0');

INSERT INTO fund_fts(rowid, name)
SELECT (fund_id << 48) | (CAST(julianday(date) - julianday('2000-01-01') AS INTEGER) << 32) | seq, party_folded
FROM fund_entries WHERE party_folded <> '' AND book IN ('thu', 'chi');
