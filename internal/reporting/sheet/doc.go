// Package sheet is the Excel round trip and the CSV exchange of report
// values. It is pure: it turns a description of what to fill ([Spec]) into
// an XLSX template, and a filled template (or a CSV file) back into
// [Cell]s, with every problem named by sheet and cell. It touches no
// database; the reporting room decides what the cells mean (diff against
// what is stored, lost-update checks, workflow, scope) and writes them.
//
// # The template
//
// [WriteTemplate] writes one of two layouts, chosen by [Spec.Layout]:
//
//   - [SheetPerUnit]: one sheet per unit (named after the unit, at most 31
//     characters, unique), one value column;
//   - [UnitsAsColumns]: one sheet ("Số liệu") with a value column per unit,
//     for many units × one period.
//
// Every data sheet has the same shape (rows and columns are 1-based, as
// Excel shows them):
//
//	row 1  title ("BIỂU NHẬP SỐ LIỆU BÁO CÁO")
//	row 2  the unit ("Đơn vị: …") or the number of units
//	row 3  the period ("Kỳ báo cáo: Quý III/2021 (2021Q3)")
//	row 4  how to fill it in
//	row 5  header: STT | Chỉ tiêu | Đơn vị tính | <value column per unit>
//	row 6  hidden key row: the role of every column, the unit id over each
//	       value and version column
//	row 7… one row per indicator/option (section headings between them)
//
//	A STT · B Chỉ tiêu · C Đơn vị tính · D… values (one per unit), then the
//	hidden columns: Mã chỉ tiêu · Phân tổ · Kỳ · Kiểm tra · Phiên bản (one
//	per unit)
//
// Value cells are the only unlocked cells (yellow); the sheet is protected
// without a password so that headers and hidden columns are not changed by
// accident. Stored values are prefilled as numbers (integers, money and
// decimals; "Có"/"Không" for yes/no; text as text) with the number format
// #,##0 (#,##0.00 … for decimals): Excel shows thousands separators in the
// user's locale. Value cells carry data validation (whole numbers ≥ 0 for
// counts and money, decimals, within Min and Max; the list "Có,Không";
// text length). Panes are frozen below the header and right of column C;
// pages are A4, fitted to the width (one page wide, or one page per 8
// units when units are columns, with A–C and the header repeated). The
// workbook's structure is locked too (no renaming or unhiding sheets).
//
// The "Kiểm tra" column holds a check number per row: a hash of the
// template's nonce, the sheet, the row number, the code, option, period and
// versions of the row. The very hidden sheet "_giaoban" describes the
// template (kind, format, layout, period, nonce, units, sheets with their
// rows and a checksum of their row keys, the value type and bounds of every
// indicator row) and is sealed by a checksum of its own lines. A workbook
// whose "_giaoban" sheet is missing or altered, or made for another period
// or another unit, is refused as a whole; a row whose hidden keys were
// edited, moved or inserted is named. These checks detect accidents and
// wrong files; they are not a signature, and the caller still checks scope
// and values against the catalogue.
//
// # Reading back
//
// [ReadTemplate] streams the worksheets straight out of the zip with a
// small XML tokenizer (xmlscan.go, held to encoding/xml by a differential
// fuzz test; about three times faster than opening and iterating the file
// with excelize, whose row iterator also loses the cell types and
// formulas this reader needs). It never holds the workbook in memory and
// refuses files that are not XLSX, larger than [MaxBytes], with more than
// [MaxRows] rows or [MaxCells] cells, or unzipping to more than
// [MaxXMLBytes]. Per cell it reports text in number cells, negative counts
// and money, too many decimals, values out of range, text too long,
// formulas (the user must paste values), error values (#DIV/0!), dates,
// merged cells that touch value cells, and rows whose hidden keys do not
// match the template. Values are checked with indicator.ParseValue and
// indicator.CheckRange, so a typed value means the same in the web form,
// in Excel and in CSV, with the same messages.
//
// What a value cell yields:
//
//   - a non-empty cell yields a Cell with the value in canonical form (see
//     [Normalize]), whether or not the user changed it;
//   - an empty cell yields nothing ("no change") — unless the template had
//     a stored value there, in which case it yields a Cell with Raw ""
//     (the user cleared the value, meaning "delete it").
//
// Cell.Version is the version of the stored value the template was made
// from, or 0 when there was none, so the caller can refuse lost updates.
// Untouched prefilled cells come back too: a value changed by someone else
// since the download shows as a conflict unless it is equal.
//
// # CSV
//
// [WriteCSV] and [ReadCSV] exchange values with machines: UTF-8 (a BOM is
// accepted), a header line
//
//	unit_id,period,indicator,option,value,version
//
// and one value per line. Errors name the line ("Dòng 7: …").
//
// # Canonical values
//
// Cell.Raw is canonical: integers and money as plain digits ("348000000"),
// decimals with a decimal comma and exactly Scale decimals ("1234,50",
// "-0,05"), yes/no as "1" or "0", text as NFC text without surrounding
// spaces. All of these are read back by indicator.ParseValue (and the vn
// parsers). Prefill.Raw may be canonical or as a user types it
// (indicator.FormatInput's "348.000.000", "1,5", "Có" are fine).
package sheet
