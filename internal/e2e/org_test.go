package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"giaoban/internal/demo"
)

// pick selects the option of a <select> whose text starts with text.
func (e *env) pick(selector, text string) {
	e.t.Helper()
	ok := get(e, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		for (const o of s.options) if (o.text.replace(/^[—\s]+/, "").startsWith(%q)) { s.value = o.value; return true }
		return false })()`, selector, text)))
	if !ok {
		e.t.Fatalf("no option %q in %s", text, selector)
	}
}

// TestAdminCreatesAreaAndUnitThenSecretariatImportsUnits is the
// organisation journey: an admin adds a commune and a unit through the
// forms; the secretariat imports two more units from an XLSX file, sees the
// preview, applies it, and a second import of the same file changes nothing.
func TestAdminCreatesAreaAndUnitThenSecretariatImportsUnits(t *testing.T) {
	e := newEnv(t)
	admin := user("admin")
	e.login(admin.Username, admin.Password)

	// An area, with a validation error first: nothing typed is lost.
	e.navigate("/org/areas/new")
	e.run(chromedp.SendKeys(chromedp.CSS(`#code`), "12a"))
	e.run(chromedp.SendKeys(chromedp.CSS(`#name`), "Xã Ia Mơr"))
	e.pick("#level_id", "Xã")
	e.pick("#parent_id", demo.DistrictName)
	e.andWait(chromedp.Submit(chromedp.CSS(`#name`)))
	if s := e.text(); !strings.Contains(s, "Vui lòng sửa các lỗi sau") {
		e.shot("area-error")
		t.Fatalf("a bad code was accepted: %.400s", s)
	}
	if v := get(e, chromedp.Value(chromedp.CSS(`#name`))); v != "Xã Ia Mơr" {
		t.Errorf("the name typed was lost: %q", v)
	}
	get(e, chromedp.Evaluate[string](`document.querySelector("#code").value = ""`))
	e.andWait(chromedp.Submit(chromedp.CSS(`#name`)))
	var areaID int64
	if err := e.db.QueryRowContext(context.Background(), "SELECT id FROM areas WHERE name = $1", "Xã Ia Mơr").Scan(&areaID); err != nil {
		e.shot("area")
		t.Fatalf("the area was not created: %v\n%.500s", err, e.text())
	}

	// A unit at the new commune.
	e.navigate("/org/units/new")
	e.pick("#organisation_id", "Hội Nông dân")
	e.pick("#area_id", "Xã Ia Mơr")
	e.andWait(chromedp.Submit(chromedp.CSS(`#name`)))
	if s := e.text(); !strings.Contains(s, "Xã Ia Mơr") {
		t.Errorf("unit page: %.300s", s)
	}
	var n int
	e.db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM units WHERE area_id = $1", areaID).Scan(&n)
	if n != 1 {
		t.Fatalf("%d units at the new commune", n)
	}
	e.shot("unit")
	e.logout()

	// The secretariat imports two units from a workbook.
	file := filepath.Join(t.TempDir(), "don-vi.xlsx")
	x := excelize.NewFile()
	rows := [][]any{{"Tổ chức", "Địa bàn", "Tên"}, {"HLHPN", "Xã Ia Mơr", "Hội LHPN xã Ia Mơr"}, {"DTN", "Xã Ia Mơr", "Đoàn xã Ia Mơr"}}
	for i, r := range rows {
		x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r)
	}
	if err := x.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	sec := user("secretariat")
	e.login(sec.Username, sec.Password)
	for round := 1; round <= 2; round++ {
		e.navigate("/org/import?kind=units")
		e.run(chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}))
		e.andWait(chromedp.Submit(chromedp.CSS(`#file`)))
		preview := e.text()
		if !strings.Contains(preview, "Đoàn xã Ia Mơr") {
			e.shot("preview")
			t.Fatalf("round %d preview: %.800s", round, preview)
		}
		e.shot(fmt.Sprintf("preview-%d", round))
		e.andWait(chromedp.Click(chromedp.CSS(`form:has(input[name="apply"]) button[type="submit"]`)))
		e.db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM units WHERE area_id = $1", areaID).Scan(&n)
		if n != 3 {
			t.Fatalf("round %d: %d units at the new commune, want 3", round, n)
		}
	}

	// A file with bad rows is refused whole, each bad row named.
	bad := filepath.Join(t.TempDir(), "sai.xlsx")
	x = excelize.NewFile()
	rows = [][]any{{"to_chuc", "dia_ban"}, {"HCCB", "Xã Ia Mơr"}, {"XYZ", "Xã Ia Mơr"}, {"HND", "Xã Không Có"}}
	for i, r := range rows {
		x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r)
	}
	x.SaveAs(bad)
	e.navigate("/org/import?kind=units")
	e.run(chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{bad}))
	e.andWait(chromedp.Submit(chromedp.CSS(`#file`)))
	s := e.text()
	if !strings.Contains(s, "Dòng 3") || !strings.Contains(s, "Dòng 4") {
		e.shot("bad-import")
		t.Errorf("bad rows not listed: %.800s", s)
	}
	e.db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM units WHERE area_id = $1", areaID).Scan(&n)
	if n != 3 {
		t.Errorf("a refused import wrote something: %d units", n)
	}
}
