-- Donor-name search on SQLite moves to an FTS5 index (see the SQLite
-- migration of the same number); PostgreSQL keeps fund_tokens and
-- fund_terms. Nothing to change here: the file keeps both dialects'
-- sequences the same.
SELECT 1;
