// Package period models Vietnamese reporting periods (kỳ báo cáo): month,
// quarter, six months, nine months and year, their codes, calendar spans,
// data cut-off windows (thời gian chốt số liệu) and submission deadlines.
//
// # Codes
//
// Codes follow DHIS2 where DHIS2 has the period type:
//
//	month       202108   (yyyyMM)
//	quarter     2021Q3   (yyyyQn, n = 1…4)
//	six months  2021S1   (yyyySn, n = 1 first half, 2 second half)
//	year        2021     (yyyy)
//
// DHIS2 has no nine-month period; this package uses
//
//	nine months 2021N9   (9 tháng đầu năm: January to September)
//
// Years have exactly four digits (1000–9999). [Parse] accepts lower-case
// letters ("2021q3") and surrounding white space, and [Period.Code] always
// writes the canonical upper-case form.
//
// # Dates
//
// All dates returned by this package are calendar dates at midnight UTC; the
// UTC zone only carries the date, it does not mean the date is a UTC date.
// Callers that hold an instant (a timestamp) must first take its date in the
// zone of the people concerned (Asia/Ho_Chi_Minh) — see [DateOf] — because an
// activity recorded at 23:30 on 14/09 in Vietnam is at 16:30 UTC the same day
// but one at 06:00 on 15/09 is at 23:00 UTC on 14/09.
//
// # Cut-off windows
//
// Nghị định 09/2019/NĐ-CP on the reporting regime of state administrative
// bodies fixes when the figures of a periodic report are closed: a monthly
// report covers the 15th of the previous month to the 14th of the month; a
// quarterly one the 15th of the month before the quarter to the 14th of the
// quarter's last month (Q3 2021: 15/06/2021–14/09/2021); six-monthly and yearly
// reports likewise (yearly: 15/12 of the previous year to 14/12). A date
// therefore belongs to the period whose window holds it, not necessarily to the
// period whose calendar span holds it: 20/09/2021 is reported in Q4 2021.
//
// Blocs set their own cut-off (and deadline) as settings: see [CutoffRule],
// [DeadlineRule] and [Settings]. The defaults are the decree's rule.
//
// For month, quarter, six months and year the windows of consecutive periods
// tile the time line without gaps or overlaps, so every date belongs to
// exactly one period of each of those types. Nine-month windows do not tile:
// a date after the nine-month window of its year (with the default rule,
// 15/09–14/12) belongs to no nine-month period; [PeriodOf] reports that with
// ok = false.
package period
