-- The SQLite name index again (see 0601), with its rowids counting down:
-- FTS5 walks its posting lists forwards faster than backwards, so the
-- newest entry of a fund gets the smallest rowid and a list page is read
-- in ascending rowid order. The fund is in bits 48–62, 65535 minus the
-- days since 2000-01-01 in bits 32–47, 4294967295 minus the seq in bits
-- 0–31. The index is rebuilt from the ledger.
DROP TABLE fund_fts;
CREATE VIRTUAL TABLE fund_fts USING fts5(name, content='', columnsize=0, detail=none, prefix='1 2',
    tokenize='unicode61 remove_diacritics 0');
INSERT INTO fund_fts(rowid, name)
SELECT (fund_id << 48) | ((65535 - CAST(julianday(date) - julianday('2000-01-01') AS INTEGER)) << 32) | (4294967295 - seq), party_folded
FROM fund_entries WHERE party_folded <> '' AND book IN ('thu', 'chi');
INSERT INTO fund_fts(fund_fts) VALUES ('optimize');
