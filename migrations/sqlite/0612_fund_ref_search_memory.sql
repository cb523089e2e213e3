-- Public search by bank reference or voucher number is answered by the
-- in-memory search index; SQL (while a fund's index loads, or with it off)
-- reads the plain (fund_id, bank_ref) and (fund_id, ref) indexes instead,
-- and walks the fund for a fragment typed from the end. The four
-- expression indexes of 0610 were 40% of a million-line statement's
-- import.
DROP INDEX IF EXISTS fund_entries_bank_ref_lower;
DROP INDEX IF EXISTS fund_entries_bank_ref_tail;
DROP INDEX IF EXISTS fund_entries_ref_lower;
DROP INDEX IF EXISTS fund_entries_ref_tail;
