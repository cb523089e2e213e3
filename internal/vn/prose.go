package vn

// MoneyProse rounds an amount of đồng the way report prose writes it, in the
// unit a reader uses:
//
//	950         → "950 đồng"
//	850000      → "850 nghìn đồng"
//	348000000   → "348 triệu đồng"
//	14250000    → "hơn 14 triệu đồng"
//	1200000000  → "1,2 tỷ đồng"
//	1250000000  → "hơn 1,2 tỷ đồng"
//	15000000000 → "15 tỷ đồng"
//
// The rule:
//   - the unit is the largest of đồng, nghìn (10^3), triệu (10^6) and tỷ
//     (10^9) that is not more than the amount; amounts of 1.000 tỷ and more
//     stay in tỷ with thousand dots ("1.500 tỷ đồng");
//   - below 10 of the unit one decimal is kept ("1,2 tỷ", "2,5 triệu"), from
//     10 on none ("14 triệu"); a decimal of zero is not written ("1 tỷ");
//   - the figure is truncated, never rounded up, and "hơn" (more than) is
//     put in front when something was dropped, so the prose never claims more
//     than was received;
//   - a negative amount reads "âm" and the rule applies to its magnitude.
func MoneyProse(d int64) string {
	neg, u := magnitude(d)
	var s string
	var more bool
	if u < 1000 {
		s = FormatInt(int64(u)) + " đồng"
	} else {
		unit, name := uint64(1000), "nghìn"
		switch {
		case u >= billion:
			unit, name = billion, "tỷ"
		case u >= 1_000_000:
			unit, name = 1_000_000, "triệu"
		}
		q := u / unit
		if q < 10 {
			// u < 10*unit <= 10^10: u*10 does not overflow.
			tenths := u * 10 / unit
			more = u*10%unit != 0
			if tenths%10 == 0 {
				s = FormatInt(int64(tenths / 10))
			} else {
				s = FormatDecimal(int64(tenths), 1)
			}
		} else {
			more = u%unit != 0
			s = appendGroupedString(q)
		}
		s += " " + name + " đồng"
	}
	if more {
		s = "hơn " + s
	}
	if neg {
		s = "âm " + s
	}
	return s
}

func appendGroupedString(u uint64) string {
	return string(appendGrouped(nil, u, false))
}
