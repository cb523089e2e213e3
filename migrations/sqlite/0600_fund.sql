-- Donation funds (issue 5): funds and their bank accounts; the ledger, one
-- row per entry of the fund's transparency log, with the log's stored
-- hashes; gap-free voucher counters; donor-name tokens for search; daily
-- sums for totals; signed checkpoints; statement imports (preview lines,
-- debit matches) and saved mapping profiles.

CREATE TABLE funds (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    name_folded   TEXT NOT NULL,
    purpose       TEXT NOT NULL CHECK (purpose IN ('disaster','epidemic','poor','welfare','other')),
    description   TEXT NOT NULL DEFAULT '',
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    campaign      TEXT NOT NULL DEFAULT '',
    note_prefix   TEXT NOT NULL DEFAULT '',
    start_date    DATE,
    end_date      DATE,
    legal_basis   TEXT NOT NULL DEFAULT '',
    target        BIGINT NOT NULL DEFAULT 0,
    disclose_days INTEGER NOT NULL DEFAULT 5,
    is_public     BOOLEAN NOT NULL DEFAULT 1,
    -- The log's size and the running balance, changed only together with
    -- the entries, in the transaction that appends them.
    log_size      BIGINT NOT NULL DEFAULT 0,
    balance       BIGINT NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX funds_unit ON funds(unit_id);
CREATE INDEX funds_campaign ON funds(campaign);

CREATE TABLE fund_accounts (
    id         INTEGER PRIMARY KEY,
    fund_id    INTEGER NOT NULL REFERENCES funds(id) ON DELETE CASCADE,
    bank_name  TEXT NOT NULL,
    bin        TEXT NOT NULL,
    account_no TEXT NOT NULL,
    holder     TEXT NOT NULL,
    branch     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (fund_id, bin, account_no)
);

-- One row per log entry. The published columns (kind … reverses) are what
-- the entry's record hash covers; the private columns never leave the
-- secretariat's pages. Rows are never updated or deleted (see triggers).
CREATE TABLE fund_entries (
    fund_id       INTEGER NOT NULL REFERENCES funds(id),
    seq           BIGINT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('receipt','disbursement','reversal','transfer')),
    book          TEXT NOT NULL CHECK (book IN ('thu','chi','dao')),
    class         TEXT NOT NULL,
    date          DATE NOT NULL,
    amount        BIGINT NOT NULL,
    ref           TEXT NOT NULL DEFAULT '',
    bank_ref      TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL DEFAULT '',
    party         TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    reverses      BIGINT NOT NULL DEFAULT 0,
    party_folded  TEXT NOT NULL DEFAULT '',
    voucher_year  INTEGER NOT NULL DEFAULT 0,
    voucher_no    BIGINT NOT NULL DEFAULT 0,
    donor_name    TEXT NOT NULL DEFAULT '',
    party_kind    TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    anonymous     BOOLEAN NOT NULL DEFAULT 0,
    in_kind       TEXT NOT NULL DEFAULT '',
    transfer_note TEXT NOT NULL DEFAULT '',
    unit_id       INTEGER REFERENCES units(id),
    area_id       INTEGER REFERENCES areas(id),
    decision_no   TEXT NOT NULL DEFAULT '',
    approver      TEXT NOT NULL DEFAULT '',
    counterpart_fund_id INTEGER REFERENCES funds(id),
    counterpart_seq     BIGINT NOT NULL DEFAULT 0,
    import_id     TEXT NOT NULL DEFAULT '',
    log_hashes    BLOB NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (fund_id, seq)
) WITHOUT ROWID;
CREATE INDEX fund_entries_book_date ON fund_entries(fund_id, book, date, seq);
CREATE INDEX fund_entries_book_amount ON fund_entries(fund_id, book, amount, date, seq);
CREATE INDEX fund_entries_bank_ref ON fund_entries(fund_id, bank_ref) WHERE bank_ref <> '';
CREATE INDEX fund_entries_ref ON fund_entries(fund_id, ref) WHERE ref <> '';
CREATE INDEX fund_entries_reverses ON fund_entries(fund_id, reverses) WHERE reverses > 0;

CREATE TRIGGER fund_entries_no_update BEFORE UPDATE ON fund_entries
BEGIN SELECT RAISE(ABORT, 'fund_entries is append-only: correct with a reversing entry'); END;
CREATE TRIGGER fund_entries_no_delete BEFORE DELETE ON fund_entries
BEGIN SELECT RAISE(ABORT, 'fund_entries is append-only: correct with a reversing entry'); END;

-- Gap-free voucher numbers: the last number given per fund, year and series
-- (PT receipts, PC payments), incremented in the transaction that uses it.
CREATE TABLE fund_counters (
    fund_id INTEGER NOT NULL REFERENCES funds(id) ON DELETE CASCADE,
    year    INTEGER NOT NULL,
    series  TEXT NOT NULL,
    last    BIGINT NOT NULL,
    PRIMARY KEY (fund_id, year, series)
);

-- Donor-name search: one row per distinct folded word of an entry's
-- published party, and the number of entries per word (prefix expansion
-- and choosing the rarest word first).
CREATE TABLE fund_tokens (
    fund_id INTEGER NOT NULL,
    token   TEXT NOT NULL,
    seq     BIGINT NOT NULL,
    PRIMARY KEY (fund_id, token, seq)
) WITHOUT ROWID;
CREATE TABLE fund_terms (
    fund_id INTEGER NOT NULL,
    token   TEXT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (fund_id, token)
) WITHOUT ROWID;

-- Sums per day, class, unit and area, kept with the entries: totals by
-- period and area without reading the ledger.
CREATE TABLE fund_daily (
    fund_id INTEGER NOT NULL,
    date    DATE NOT NULL,
    class   TEXT NOT NULL,
    unit_id INTEGER NOT NULL DEFAULT 0,
    area_id INTEGER NOT NULL DEFAULT 0,
    amount  BIGINT NOT NULL,
    n       BIGINT NOT NULL,
    max_seq BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (fund_id, date, class, unit_id, area_id)
);

CREATE TABLE fund_checkpoints (
    fund_id    INTEGER NOT NULL REFERENCES funds(id),
    size       BIGINT NOT NULL,
    root       TEXT NOT NULL,
    note       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (fund_id, size)
);

-- Debits of a bank statement matched to recorded disbursements (the
-- disbursement is not changed; the match is remembered so that importing
-- the statement again skips the line).
CREATE TABLE fund_matches (
    fund_id  INTEGER NOT NULL REFERENCES funds(id),
    bank_ref TEXT NOT NULL,
    seq      BIGINT NOT NULL,
    amount   BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (fund_id, bank_ref)
);

CREATE TABLE fund_imports (
    id          TEXT PRIMARY KEY,
    fund_id     INTEGER NOT NULL REFERENCES funds(id) ON DELETE CASCADE,
    file_name   TEXT NOT NULL DEFAULT '',
    profile     TEXT NOT NULL DEFAULT '',
    info        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'preview',
    lines       BIGINT NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    committed_at TIMESTAMP
);
CREATE INDEX fund_imports_fund ON fund_imports(fund_id, created_at);

CREATE TABLE fund_import_lines (
    import_id   TEXT NOT NULL REFERENCES fund_imports(id) ON DELETE CASCADE,
    line_no     BIGINT NOT NULL,
    action      TEXT NOT NULL,
    date        DATE,
    amount      BIGINT NOT NULL DEFAULT 0,
    bank_ref    TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    donor       TEXT NOT NULL DEFAULT '',
    donor_found BOOLEAN NOT NULL DEFAULT 0,
    reason      TEXT NOT NULL DEFAULT '',
    reason_arg  TEXT NOT NULL DEFAULT '',
    match_seq   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (import_id, line_no)
);
CREATE INDEX fund_import_lines_action ON fund_import_lines(import_id, action, line_no);

CREATE TABLE fund_profiles (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    profile    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
