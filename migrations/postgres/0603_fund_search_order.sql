-- SQLite only (its FTS5 name index is rebuilt with rowids counting up);
-- this file keeps both dialects' sequences the same.
SELECT 1;
