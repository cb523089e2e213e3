package account

import "testing"

// The audit page names actions and entities for people and shows a code it
// has no name for as it is stored.
func TestAuditLabels(t *testing.T) {
	for _, c := range []struct{ lang, kind, code, want string }{
		{"vi", "actions", "approve", "Duyệt"},
		{"en", "actions", "approve", "Approve"},
		{"vi", "entities", "report", "Báo cáo"},
		{"vi", "entities", "fund_entry", "Bút toán quỹ"},
		{"en", "entities", "report_values", "Report figures"},
		{"vi", "actions", "teleport", "teleport"},
		{"vi", "entities", "", ""},
	} {
		if got := auditLabel(c.lang, c.kind, c.code); got != c.want {
			t.Errorf("auditLabel(%s, %s, %q) = %q, want %q", c.lang, c.kind, c.code, got, c.want)
		}
	}
}
