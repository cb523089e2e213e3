-- The last-four indexes of 0610 carry the reference itself, so that a
-- fragment typed from the end is checked whole on the index (about a
-- hundred entries share their last four characters at a million
-- receipts), without reading each entry.
DROP INDEX fund_entries_bank_ref_tail;
DROP INDEX fund_entries_ref_tail;
CREATE INDEX fund_entries_bank_ref_tail ON fund_entries(fund_id, substr(lower(bank_ref), -4), bank_ref) WHERE bank_ref <> '';
CREATE INDEX fund_entries_ref_tail ON fund_entries(fund_id, substr(lower(ref), -4), ref) WHERE ref <> '';
