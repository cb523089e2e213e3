-- Fewer indexes to write when a statement of a million receipts is
-- imported (every index is one more B-tree insert per receipt). Public
-- search by amount is answered by the in-memory search index; what SQL
-- still needs by amount is the matching of bank debits to recorded
-- disbursements, a partial index of the payments book alone (no receipt
-- is written to it). The list-order index carries the amount, so that
-- SQL's own search (while the in-memory index loads) filters amounts on
-- the index without reading the rows.
DROP INDEX fund_entries_book_amount;
CREATE INDEX fund_entries_out_amount ON fund_entries(fund_id, amount, date, seq) WHERE book = 'chi';
DROP INDEX fund_entries_book_date;
CREATE INDEX fund_entries_book_date ON fund_entries(fund_id, book, date, seq, amount);
