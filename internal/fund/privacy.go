package fund

import (
	"strings"

	"giaoban/internal/fund/translog"
)

// What the public sees of an entry is decided when it is recorded, because
// the published fields are what the log signs:
//
//   - a donor who asked to stay anonymous is published as "Ẩn danh", and
//     the transfer note (which usually carries the name) is not published;
//   - addresses and phone numbers are never published: they are kept in
//     private columns, and phone numbers inside transfer notes are masked;
//   - the real name of an anonymous donor stays in a private column, for
//     the receipt and the secretariat.

// publicParty is the party as published.
func publicParty(name string, anonymous bool) string {
	if anonymous {
		return translog.Anonymous
	}
	return name
}

// MaskPhones replaces what looks like a Vietnamese phone number in a text
// (10 digits starting with 0, or 84 / +84 and 9 digits, with or without
// spaces, dots or hyphens between digit groups) by "***".
func MaskPhones(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		isDigit := c >= '0' && c <= '9'
		plus := c == '+' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9'
		if !isDigit && !plus {
			b.WriteByte(c)
			i++
			continue
		}
		// A run of digits, with single separators between groups.
		j := i
		if plus {
			j++
		}
		var digits []byte
		end := j
		for j < len(s) {
			if s[j] >= '0' && s[j] <= '9' {
				digits = append(digits, s[j])
				j++
				end = j
				continue
			}
			if (s[j] == ' ' || s[j] == '.' || s[j] == '-') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' && len(digits) < 12 {
				j++
				continue
			}
			break
		}
		// Digits glued to letters are a code (account, reference), not a phone.
		glued := i > 0 && isAlnum(s[i-1]) || end < len(s) && isAlnum(s[end])
		if !glued && isPhone(string(digits)) {
			b.WriteString("***")
		} else {
			b.WriteString(s[i:end])
		}
		i = end
	}
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isPhone(d string) bool {
	switch {
	case len(d) == 10 && d[0] == '0' && d[1] != '0':
		return true
	case len(d) == 11 && strings.HasPrefix(d, "84") && d[2] != '0':
		return true
	}
	return false
}

// publicReceiptNote is the note published for a receipt.
func publicReceiptNote(transferNote, inKind string, anonymous bool) string {
	var parts []string
	if inKind != "" {
		parts = append(parts, "Hiện vật: "+inKind)
	}
	if !anonymous && transferNote != "" {
		parts = append(parts, MaskPhones(transferNote))
	}
	return truncate(strings.Join(parts, "; "), maxNote)
}

// publicDisbursementNote is the note published for a disbursement.
func publicDisbursementNote(purpose, inKind, decision string) string {
	s := purpose
	if inKind != "" {
		s = "Hiện vật: " + inKind + "; " + s
	}
	if decision != "" {
		s += " (QĐ " + decision + ")"
	}
	return truncate(MaskPhones(s), maxNote)
}
