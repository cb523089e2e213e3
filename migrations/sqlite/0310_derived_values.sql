-- Values computed by another room (a fund's ledger) rather than typed:
-- derived_source is the sentence that says where the value came from
-- ("Sổ quỹ COVID19: tiền tiếp nhận từ 21/05/2021 đến 20/08/2021 (412 phiếu
-- thu)"), derived_url the public page to check it. NULL for typed values.
-- The roll-up triggers need no change: a derived value is a value.
ALTER TABLE data_values ADD COLUMN derived_source TEXT;
ALTER TABLE data_values ADD COLUMN derived_url TEXT;
