-- SQLite only (its FTS5 name index is rebuilt with rowids counting down);
-- this file keeps both dialects' sequences the same.
SELECT 1;
