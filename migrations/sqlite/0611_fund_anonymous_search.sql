-- Public search for "Ẩn danh" lists the anonymous donors (never by their
-- real names): their entries in list order.
CREATE INDEX fund_entries_anonymous ON fund_entries(fund_id, date, seq) WHERE anonymous;
