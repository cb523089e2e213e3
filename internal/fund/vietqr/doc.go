// Package vietqr builds and reads the VietQR payload (NAPAS), the EMVCo
// "merchant-presented" QR code that every Vietnamese banking app scans to
// pre-fill a transfer to an account, and renders it as PNG and SVG.
//
// # Payload
//
// Every field is ID (2 digits) + length (2 digits) + value, the length
// counting characters; Encode only ever writes ASCII, so characters and
// bytes agree. Encode writes, in this order:
//
//	00 "01"                     payload format indicator
//	01 "11" | "12"              point of initiation: static, or with amount
//	38 merchant account (NAPAS):
//	    00 "A000000727"         NAPAS application id (GUID)
//	    01 beneficiary:
//	        00 BIN              the bank's 6-digit BIN (970436 Vietcombank…)
//	        01 account          the account number
//	    02 "QRIBFTTA"           service: instant transfer to an account
//	53 "704"                    currency: VND (ISO 4217 numeric)
//	54 amount                   only when an amount is given, whole đồng
//	58 "VN"                     country
//	62 additional data:         only when there is a transfer note
//	    08 note                 "purpose of transaction"
//	63 CRC                      CRC-16/CCITT-FALSE, 4 upper-case hex digits
//
// The CRC (poly 0x1021, init 0xFFFF, no reflection, no final xor; check
// value 0x29B1 for "123456789") covers everything before it including the
// ID and length of field 63 itself, "6304".
//
// # Judgement calls
//
// Transfer note. EMVCo limits sub-field 62/08 to 25 characters of its "ans"
// set (printable ASCII), and in practice Vietnamese banks strip diacritics
// and many reject punctuation in a transfer note; a note they mangle can no
// longer be matched to the fund. So Encode first normalises the note with
// [NormalizeNote]: diacritics dropped (đ → D), upper case, only A–Z, 0–9 and
// single spaces kept. A note still longer than 25 characters is an error,
// not silently cut: the fund's transfer-note prefix must be chosen short
// enough ("UH COVID19 " leaves room for a name).
//
// Amount. The đồng has no subunit, so field 54 is written as whole đồng
// without a decimal point ("500000"); at most 13 digits as EMVCo allows.
//
// Account. 1–19 ASCII letters or digits (NAPAS account numbers are digits;
// some virtual accounts carry letters), written as given.
//
// Decode is the independent check used by tests and by the fund room before
// printing a poster: it verifies the CRC, requires the NAPAS fields and
// values above, applies the same validation as Encode, and ignores fields it
// does not model (59 merchant name, 62/01 bill number…), which other issuers
// add. Lengths are counted in characters of valid UTF-8.
//
// # Images
//
// PNG and SVG render with error-correction level M (15 %), the level NAPAS
// samples use, and the 4-module quiet zone ISO/IEC 18004 requires; the QR
// matrix comes from github.com/yeqown/go-qrcode/v2 (maintained, pure Go),
// the drawing is done here so both formats show exactly the same modules.
package vietqr
