-- The SQLite name index once more, back to rowids that count up (as in
-- 0601): FTS5 buffers new rows in memory only while their rowids grow, and
-- an import appends entries in ascending date and seq, so with keys that
-- counted down (0602) every insert flushed a segment of its own, which
-- made a million-line import spend most of its time merging them. Reading
-- newest first walks the posting lists backwards, which costs less. The
-- fund is in bits 48–62, the days since 2000-01-01 in bits 32–47, the seq
-- in bits 0–31. The index is rebuilt from the ledger.
DROP TABLE fund_fts;
CREATE VIRTUAL TABLE fund_fts USING fts5(name, content='', columnsize=0, detail=none, prefix='1 2',
    tokenize='unicode61 remove_diacritics 0');
INSERT INTO fund_fts(rowid, name)
SELECT (fund_id << 48) | (CAST(julianday(date) - julianday('2000-01-01') AS INTEGER) << 32) | seq, party_folded
FROM fund_entries WHERE party_folded <> '' AND book IN ('thu', 'chi') ORDER BY fund_id, date, seq;
INSERT INTO fund_fts(fund_fts) VALUES ('optimize');
