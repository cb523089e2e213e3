-- Public search by bank reference or voucher number, without case and by
-- fragment: an index on each reference in lower case (exact and prefix
-- search, a range of it) and one on its last four characters (a fragment
-- of four or more typed from the end, as people quote a transfer by its
-- last digits, is looked up by its last four, then checked whole on the index, which carries the
-- reference: about a hundred entries share their last four characters at
-- a million receipts).
CREATE INDEX fund_entries_bank_ref_lower ON fund_entries(fund_id, lower(bank_ref)) WHERE bank_ref <> '';
CREATE INDEX fund_entries_bank_ref_tail ON fund_entries(fund_id, substr(lower(bank_ref), -4), bank_ref) WHERE bank_ref <> '';
CREATE INDEX fund_entries_ref_lower ON fund_entries(fund_id, lower(ref)) WHERE ref <> '';
CREATE INDEX fund_entries_ref_tail ON fund_entries(fund_id, substr(lower(ref), -4), ref) WHERE ref <> '';
