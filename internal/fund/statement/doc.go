// Package statement reads the statements banks export (sao kê), CSV or
// XLSX, into transactions, in constant memory, and finds donors' names in
// transfer notes.
//
// # Reading a file
//
// NewReader detects what it can and Lines streams the transactions:
//
//	rd, err := statement.NewReader(file, statement.KindAuto, statement.Profile{})
//	if err != nil { … }        // *FormatError: not a usable statement
//	defer rd.Close()
//	for line, err := range rd.Lines() {
//		if err != nil { … }    // *LineError: "Dòng 12, cột 'Ghi có': '1.2a0' không phải là số tiền"
//	}
//
// Kind. A file starting with a ZIP signature is XLSX, anything else CSV.
//
// Encoding (CSV). A byte-order mark decides (UTF-8, UTF-16LE/BE); UTF-16
// without one shows as zero bytes; valid UTF-8 is UTF-8; otherwise the file
// is a legacy 8-bit code page: Windows-1258 (Vietnamese, tones as combining
// bytes, which are recomposed to NFC) when tone bytes follow vowels or đ
// appears, else Windows-1252. Reader.Encoding reports the choice for the
// import preview; Profile.Encoding forces one. TCVN3 (the pre-Unicode
// "ABC" font encoding) is not in golang.org/x/text and is not read.
//
// Separator (CSV). ',', ';' and tab are each tried on the first megabyte:
// the one under which a header row is found with the most columns mapped
// wins; Profile.Comma forces one. The CSV reader is lenient as bank
// exports need (stray quotes, text after a closing quote, a file ending
// inside quotes) and bounds a record to MaxRecord bytes.
//
// Header. Banks put a title block (bank, account, period) above the
// table. The header is the first row within HeaderSearchRows whose cells,
// folded (vn.Fold: no case, no diacritics, no punctuation), name at least
// a date column and an amount column (credit, debit, or a single amount).
// Columns are recognised by meaning, not by bank: "Ngày giao dịch", "Ngày
// GD/TNX Date", "Số tiền ghi có/Credit", "Phát sinh Nợ", "Diễn giải",
// "Số CT/Doc No"… (see the meaning table in header.go); short words that
// occur inside other headers ("Có" in "Ngày có hiệu lực") count only as a
// whole cell, and cells with digits ("Ngày in: 01/09/2024") never. A
// Profile names columns explicitly: the built-in Profiles (Vietcombank,
// BIDV, VietinBank, Agribank, Techcombank, MB) carry the headers those
// banks publish, and a saved mapping is the same struct (it has JSON tags
// for storing).
//
// Lines. Amounts read as Vietnamese and English exports write them
// ("1.000.000", "1,000,000", "1 000 000", "1.000.000,00", "1,000,000.00",
// "(1.000)", "500.000 VND"; a fraction of a đồng is an error); the sign
// comes from the column (credit positive, debit negative) or from a
// direction column (C/D, Có/Nợ, +/-) beside a single amount, or from the
// amount itself. Dates are dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy or
// yyyy-mm-dd with an optional time, Excel serial dates in XLSX (1900 and
// 1904 systems), or Profile.DateFormat. Blank lines, totals and balances
// ("Tổng cộng", "Số dư cuối kỳ"), a second (English) header line and text
// lines without amounts (signatures) are skipped; every other line that
// cannot be read is a *LineError naming the line and the column as the
// file writes it, and reading goes on.
//
// Memory. CSV is streamed: the reader keeps a 1 MB sniffing buffer and one
// record; a 1,000,000-line file parses at a few hundred thousand lines per
// second with a heap of a few megabytes (BenchmarkParseCSV1M). XLSX is a
// ZIP archive that excelize reads whole (bounded by MaxXLSXSize), then
// streams the sheet's rows (large sheets are unzipped to a temporary file).
//
// # Donors
//
// DonorFromNote finds the donor's name in a transfer note when it follows
// the common patterns; see its documentation for the rules.
package statement
