package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"giaoban/internal/demo"
	"giaoban/internal/platform/db/dbtest"
)

// TestSeedNamesUnitsOnce checks the names of the units the demo creates:
// "<organisation> <commune>" with the commune said once ("Đoàn Thanh niên
// xã Ia Tô", never "Đoàn xã xã Ia Tô").
func TestSeedNamesUnitsOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d := dbtest.Open(t, dbtest.SQLite)
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	rows, err := d.QueryContext(ctx, "SELECT u.name, o.code, a.name FROM units u JOIN organisations o ON o.id = u.organisation_id JOIN areas a ON a.id = u.area_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	byKey := map[string]string{}
	for rows.Next() {
		var name, code, area string
		if err := rows.Scan(&name, &code, &area); err != nil {
			t.Fatal(err)
		}
		byKey[code+"@"+area] = name
		low := strings.ToLower(name)
		for _, twice := range []string{"xã xã", "thị trấn thị trấn", "huyện huyện"} {
			if strings.Contains(low, twice) {
				t.Errorf("unit %q (%s@%s) says %q", name, code, area, twice)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"DTN@Xã Ia Tô":             "Đoàn Thanh niên xã Ia Tô",
		"DTN@Thị trấn Ia Blang":    "Đoàn Thanh niên thị trấn Ia Blang",
		"MTTQ@Xã Ia Tô":            "Ủy ban MTTQ xã Ia Tô",
		"DTN@" + demo.DistrictName: "Huyện đoàn " + demo.DistrictShort,
		"HND@" + demo.DistrictName: "Hội Nông dân huyện " + demo.DistrictShort,
		"HLHPN@Xã Ia O":            "Hội LHPN xã Ia O",
	} {
		if byKey[key] != want {
			t.Errorf("unit %s is named %q, want %q", key, byKey[key], want)
		}
	}
}

// TestFundEntriesAreTheClerks checks that the demo fund's entries are
// recorded by an existing account, the district secretariat, as a real
// user's would be: the receipts' "người lập phiếu" is someone.
func TestFundEntriesAreTheClerks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d := dbtest.Open(t, dbtest.SQLite)
	if _, err := demo.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	rows, err := d.QueryContext(ctx, `SELECT e.created_by, COUNT(*), MIN(u.full_name), MIN(u.role) FROM fund_entries e
		LEFT JOIN users u ON u.username = e.created_by GROUP BY e.created_by`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var seen int
	for rows.Next() {
		var by string
		var n int
		var name, role *string
		if err := rows.Scan(&by, &n, &name, &role); err != nil {
			t.Fatal(err)
		}
		seen += n
		if by != demo.FundClerk || name == nil || role == nil || *role != "secretariat" || *name == "" {
			t.Errorf("%d fund entries recorded by %q (account name %v, role %v); want the secretariat %q", n, by, name, role, demo.FundClerk)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen == 0 {
		t.Fatal("no fund entries")
	}
	var clerk string
	for _, u := range demo.Users {
		if u.Username == demo.FundClerk {
			clerk = u.FullName
		}
	}
	if clerk == "" {
		t.Errorf("no demo account %q", demo.FundClerk)
	}
}
