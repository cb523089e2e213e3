package vietqr

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// field is one ID-length-value element.
type field struct {
	id, value string
}

// parseFields splits s into its fields. Lengths count characters; s must be
// valid UTF-8.
func parseFields(s string) ([]field, error) {
	var out []field
	for s != "" {
		if len(s) < 4 || !allDigits(s[:4]) {
			return nil, invalid("", "mã VietQR bị cắt hoặc sai cấu trúc gần '%s'", clip(s))
		}
		id := s[:2]
		n, _ := strconv.Atoi(s[2:4])
		rest := s[4:]
		// Advance n characters.
		i := 0
		for k := 0; k < n; k++ {
			if i >= len(rest) {
				return nil, invalid(id, "trường %s khai báo dài %d ký tự nhưng mã đã hết", id, n)
			}
			_, w := utf8.DecodeRuneInString(rest[i:])
			i += w
		}
		out = append(out, field{id, rest[:i]})
		s = rest[i:]
	}
	return out, nil
}

func clip(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}

// lookup returns the value of the only field with id, and whether it exists;
// a repeated id is an error.
func lookup(fs []field, id string) (string, bool, error) {
	v, found := "", false
	for _, f := range fs {
		if f.id == id {
			if found {
				return "", false, invalid(id, "trường %s xuất hiện hai lần", id)
			}
			v, found = f.value, true
		}
	}
	return v, found, nil
}

func require(fs []field, id, name string) (string, error) {
	v, ok, err := lookup(fs, id)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", invalid(id, "thiếu trường %s (%s)", id, name)
	}
	return v, nil
}

func expect(fs []field, id, name, want string) error {
	v, err := require(fs, id, name)
	if err != nil {
		return err
	}
	if v != want {
		return invalid(id, "trường %s (%s) là '%s', cần '%s'", id, name, v, want)
	}
	return nil
}

// Decode parses a VietQR payload and verifies its CRC. It requires the
// fields Encode writes (with the NAPAS values, service QRIBFTTA), validates
// BIN, account, amount and the note length as Encode does, and ignores the
// fields it does not model. The note is returned as written in the code.
func Decode(s string) (Payload, error) {
	var p Payload
	if !utf8.ValidString(s) {
		return p, invalid("", "mã VietQR chứa byte không hợp lệ (không phải UTF-8)")
	}
	fs, err := parseFields(s)
	if err != nil {
		return p, err
	}
	if len(fs) == 0 || fs[0].id != "00" {
		return p, invalid("00", "mã VietQR phải bắt đầu bằng trường 00")
	}
	last := fs[len(fs)-1]
	if last.id != "63" || len(last.value) != 4 {
		return p, invalid("63", "mã VietQR phải kết thúc bằng trường 63 (CRC) gồm 4 ký tự")
	}
	want := CRC16([]byte(s[:len(s)-4]))
	got, err := strconv.ParseUint(last.value, 16, 16)
	if err != nil || strings.ToUpper(last.value) != last.value {
		return p, invalid("63", "CRC '%s' phải gồm 4 chữ số hệ 16 viết hoa", last.value)
	}
	if uint16(got) != want {
		return p, invalid("63", "sai CRC: mã ghi %s, tính được %04X", last.value, want)
	}
	if err := expect(fs, "00", "phiên bản", "01"); err != nil {
		return p, err
	}
	poi, err := require(fs, "01", "phương thức khởi tạo")
	if err != nil {
		return p, err
	}
	if poi != "11" && poi != "12" {
		return p, invalid("01", "trường 01 là '%s', cần '11' hoặc '12'", poi)
	}
	if err := expect(fs, "53", "mã tiền tệ", currencyVND); err != nil {
		return p, err
	}
	if err := expect(fs, "58", "mã quốc gia", countryVN); err != nil {
		return p, err
	}
	mai, err := require(fs, "38", "thông tin tài khoản NAPAS")
	if err != nil {
		return p, err
	}
	if p.BIN, p.Account, err = decodeMerchant(mai); err != nil {
		return p, err
	}
	if amt, ok, err := lookup(fs, "54"); err != nil {
		return p, err
	} else if ok {
		if !allDigits(amt) || len(amt) > 13 {
			return p, invalid("54", "số tiền '%s' phải là số nguyên đồng, tối đa 13 chữ số", amt)
		}
		p.Amount, _ = strconv.ParseInt(amt, 10, 64)
		if p.Amount == 0 {
			return p, invalid("54", "số tiền bằng 0")
		}
	}
	if add, ok, err := lookup(fs, "62"); err != nil {
		return p, err
	} else if ok {
		sub, err := parseFields(add)
		if err != nil {
			return p, fmt.Errorf("trường 62: %w", err)
		}
		if p.Note, _, err = lookup(sub, "08"); err != nil {
			return p, err
		}
	}
	return p, p.Validate()
}

func decodeMerchant(v string) (bin, account string, err error) {
	fs, err := parseFields(v)
	if err != nil {
		return "", "", fmt.Errorf("trường 38: %w", err)
	}
	if err := expect(fs, "00", "mã NAPAS", napasGUID); err != nil {
		return "", "", err
	}
	if err := expect(fs, "02", "mã dịch vụ", serviceCode); err != nil {
		return "", "", err
	}
	ben, err := require(fs, "01", "người thụ hưởng")
	if err != nil {
		return "", "", err
	}
	bfs, err := parseFields(ben)
	if err != nil {
		return "", "", fmt.Errorf("trường 38/01: %w", err)
	}
	if bin, err = require(bfs, "00", "mã BIN ngân hàng"); err != nil {
		return "", "", err
	}
	if account, err = require(bfs, "01", "số tài khoản"); err != nil {
		return "", "", err
	}
	return bin, account, nil
}
