package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"giaoban/internal/demo"
)

// demoUser returns the demo account with a username.
func demoUser(t *testing.T, username string) demo.DemoUser {
	t.Helper()
	for _, u := range demo.Users {
		if u.Username == username {
			return u
		}
	}
	t.Fatalf("no demo user %s", username)
	return demo.DemoUser{}
}

// hndDistrict returns the ids of the district's Farmers' Union and of the
// district's bloc.
func (e *env) hndDistrict() (unit, bloc int64) {
	e.t.Helper()
	ctx := context.Background()
	err := e.db.QueryRowContext(ctx, `SELECT u.id FROM units u JOIN organisations o ON o.id = u.organisation_id JOIN areas a ON a.id = u.area_id
		WHERE o.code = 'HND' AND a.name = $1`, demo.DistrictName).Scan(&unit)
	if err == nil {
		err = e.db.QueryRowContext(ctx, `SELECT b.id FROM blocs b JOIN areas a ON a.id = b.area_id WHERE a.name = $1`, demo.DistrictName).Scan(&bloc)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return unit, bloc
}

// stored returns a stored value of a unit's report ("" when none).
func (e *env) stored(unit int64, per, code, option string) string {
	e.t.Helper()
	var v *int64
	var s *string
	err := e.db.QueryRowContext(context.Background(), `SELECT v.value_num, v.value_text FROM data_values v JOIN indicators i ON i.id = v.indicator_id
		WHERE v.unit_id = $1 AND v.period = $2 AND i.code = $3 AND v.option = $4`, unit, per, code, option).Scan(&v, &s)
	switch {
	case err != nil:
		return ""
	case v != nil:
		return fmt.Sprint(*v)
	case s != nil:
		return *s
	}
	return ""
}

// status returns the workflow status of a report ("" when not started).
func (e *env) status(unit int64, per string) string {
	var s string
	e.db.QueryRowContext(context.Background(), "SELECT status FROM reports WHERE unit_id = $1 AND period = $2", unit, per).Scan(&s)
	return s
}

// typeInto replaces the text of a field.
func (e *env) typeInto(sel, text string) {
	e.t.Helper()
	get(e, chromedp.Evaluate[bool](fmt.Sprintf(`(document.querySelector(%q).value = "", true)`, sel)))
	e.run(chromedp.SendKeys(chromedp.CSS(sel), text))
}

// confirmAll answers yes to the page's confirmation dialogs.
func (e *env) confirmAll() {
	get(e, chromedp.Evaluate[bool](`(window.confirm = () => true, true)`))
}

// TestReportWorkflowJourney: the officer opens the district Farmers'
// Union's report of a period without one (Q4 2021), sees the previous
// period, the same period last year and the annual target beside the cells,
// types values and a narrative, saves and submits; the leader returns it
// with a comment; the officer sees the comment, corrects a value and
// resubmits; the leader approves; the completeness page shows it approved.
func TestReportWorkflowJourney(t *testing.T) {
	e := newEnv(t)
	unit, bloc := e.hndDistrict()
	page := fmt.Sprintf("/reports/%d/2021Q4", unit)
	officer, leader := demoUser(t, "canbo.hnd"), demoUser(t, "lanhdao.hnd")
	const comment = "Số buổi tập huấn khoa học kỹ thuật chưa khớp với sổ theo dõi, đề nghị kiểm tra lại."

	e.login(officer.Username, officer.Password)
	e.navigate(page)
	e.run(chromedp.WaitVisible(chromedp.CSS(`[name="v:TAP_HUAN_KHKT_BUOI"]`)))
	heads := get(e, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("table.entry thead th")).map(th => th.textContent.trim())`))
	for _, h := range []string{"Kỳ trước", "Cùng kỳ năm trước", "Kế hoạch năm"} {
		if !has(heads, h) {
			t.Errorf("no column %q in %v", h, heads)
		}
	}
	filled := func(label string) int {
		return get(e, chromedp.Evaluate[int](fmt.Sprintf(`Array.from(document.querySelectorAll('td[data-label=%q]')).filter(td => td.textContent.trim() !== "").length`, label)))
	}
	if filled("Kỳ trước") == 0 || filled("Kế hoạch năm") == 0 {
		e.shot("comparisons")
		t.Errorf("comparisons empty: previous %d, target %d", filled("Kỳ trước"), filled("Kế hoạch năm"))
	}
	if s := e.text(); !strings.Contains(s, "Quý IV/2021") || !strings.Contains(s, "Hội Nông dân huyện Ia Grai Nam") {
		t.Errorf("entry page: %.400s", s)
	}
	if prev := get(e, chromedp.Text(chromedp.CSS(`#row-TAP_HUAN_KHKT_BUOI td[data-label="Kỳ trước"]`))); strings.TrimSpace(prev) == "" {
		t.Errorf("no previous period beside the training sessions")
	}

	e.typeInto(`[name="v:TAP_HUAN_KHKT_BUOI"]`, "5")
	e.typeInto(`[name="v:HO_SXKD_GIOI"]`, "1.200")
	e.typeInto(`[name="n:ket_qua"]`, "Tổ chức 5 buổi tập huấn chuyển giao khoa học kỹ thuật cho hội viên.")
	e.andWait(chromedp.Click(chromedp.CSS(`button[name="do"][value="save"]`)))
	if e.stored(unit, "2021Q4", "TAP_HUAN_KHKT_BUOI", "") != "5" || e.stored(unit, "2021Q4", "HO_SXKD_GIOI", "") != "1200" {
		e.shot("saved")
		t.Fatalf("values not saved: %.600s", e.text())
	}
	if v := get(e, chromedp.Value(chromedp.CSS(`[name="n:ket_qua"]`))); !strings.Contains(v, "5 buổi tập huấn") {
		t.Errorf("narrative after save: %q", v)
	}
	e.confirmAll()
	e.andWait(chromedp.Click(chromedp.CSS(`button[name="do"][value="submit"]`)))
	if st := e.status(unit, "2021Q4"); st != "submitted" {
		e.shot("submit")
		t.Fatalf("after submit: %q\n%.600s", st, e.text())
	}
	e.shot("submitted")
	e.logout()

	// The leader returns it with a comment.
	e.login(leader.Username, leader.Password)
	e.navigate(page)
	e.run(chromedp.WaitVisible(chromedp.CSS(`#return-comment`)))
	e.run(chromedp.SendKeys(chromedp.CSS(`#return-comment`), comment))
	e.andWait(chromedp.Submit(chromedp.CSS(`#return-comment`)))
	if st := e.status(unit, "2021Q4"); st != "returned" {
		e.shot("return")
		t.Fatalf("after return: %q\n%.600s", st, e.text())
	}
	e.logout()

	// The officer sees the comment, corrects and resubmits.
	e.login(officer.Username, officer.Password)
	e.navigate(page)
	e.run(chromedp.WaitVisible(chromedp.CSS(`[name="v:TAP_HUAN_KHKT_BUOI"]`)))
	if s := e.text(); !strings.Contains(s, comment) || !strings.Contains(s, "Bị trả lại") {
		e.shot("returned")
		t.Fatalf("the officer does not see the comment: %.800s", s)
	}
	e.typeInto(`[name="v:TAP_HUAN_KHKT_BUOI"]`, "6")
	e.andWait(chromedp.Click(chromedp.CSS(`button[name="do"][value="save"]`)))
	if v := e.stored(unit, "2021Q4", "TAP_HUAN_KHKT_BUOI", ""); v != "6" {
		e.shot("corrected")
		t.Fatalf("corrected value: %q", v)
	}
	e.confirmAll()
	e.andWait(chromedp.Click(chromedp.CSS(`button[name="do"][value="submit"]`)))
	if st := e.status(unit, "2021Q4"); st != "submitted" {
		e.shot("resubmit")
		t.Fatalf("after resubmit: %q\n%.600s", st, e.text())
	}
	e.logout()

	// The leader approves.
	e.login(leader.Username, leader.Password)
	e.navigate(page)
	e.run(chromedp.WaitVisible(chromedp.CSS(`form[action$="/approve"] button`)))
	if v := get(e, chromedp.Value(chromedp.CSS(`[name="v:TAP_HUAN_KHKT_BUOI"]`))); v != "6" {
		t.Errorf("the leader sees %q", v)
	}
	e.confirmAll()
	e.andWait(chromedp.Click(chromedp.CSS(`form[action$="/approve"] button`)))
	if st := e.status(unit, "2021Q4"); st != "approved" {
		e.shot("approve")
		t.Fatalf("after approve: %q\n%.600s", st, e.text())
	}
	if s := e.text(); !strings.Contains(s, "Đã duyệt") || !strings.Contains(s, comment) {
		t.Errorf("approved page (history keeps the comment): %.1200s", s)
	}

	// Completeness shows it approved.
	e.navigate(fmt.Sprintf("/reports/completeness?bloc=%d&period=2021Q4", bloc))
	state := get(e, chromedp.Text(chromedp.CSS(fmt.Sprintf(`a[href="%s"]`, page))))
	if !strings.Contains(state, "Đã duyệt") {
		e.shot("completeness")
		t.Errorf("completeness shows %q for the unit", state)
	}
	e.shot("completeness")
}

// TestExcelTemplateJourney: the officer downloads the unit's template from
// the import page, fills one value in Excel (excelize here), uploads it,
// sees the preview (stored → new), applies it, and the value is stored.
func TestExcelTemplateJourney(t *testing.T) {
	e := newEnv(t)
	unit, _ := e.hndDistrict()
	officer := demoUser(t, "canbo.hnd")
	e.login(officer.Username, officer.Password)
	e.navigate("/reports/import?period=2021Q4")
	e.run(chromedp.WaitVisible(chromedp.CSS(`#unit-template`)))
	// The download form, fetched with the session as the browser would.
	b64 := get(e, chromedp.Evaluate[string](`(async () => {
		const f = document.querySelector("#unit-template");
		const r = await fetch(f.action + "?" + new URLSearchParams(new FormData(f)));
		if (!r.ok) return "HTTP " + r.status;
		const u = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
		return btoa(s);
	})()`, chromedp.EvalAwaitPromise))
	tpl, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("template download: %.200s", b64)
	}

	x, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	sh := x.GetSheetName(0)
	rows, _ := x.GetRows(sh)
	ref := ""
	for i, r := range rows {
		if i > 5 && len(r) > 4 && r[4] == "TAP_HUAN_KHKT_BUOI" {
			ref = fmt.Sprintf("D%d", i+1)
		}
	}
	if ref == "" {
		t.Fatal("no training sessions row in the template")
	}
	x.SetCellValue(sh, ref, 7)
	file := filepath.Join(t.TempDir(), "mau-so-lieu.xlsx")
	if err := x.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	x.Close()
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}

	e.run(chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}))
	e.andWait(chromedp.Submit(chromedp.CSS(`#file`)))
	preview := e.text()
	for _, w := range []string{"Xem trước", "Hội Nông dân huyện Ia Grai Nam", "tập huấn", "ô " + ref, "1 ô sẽ thay đổi"} {
		if !strings.Contains(preview, w) {
			e.shot("preview")
			t.Fatalf("preview lacks %q: %.1500s", w, preview)
		}
	}
	newCell := get(e, chromedp.Text(chromedp.CSS(`#preview tbody td[data-label="Trong tệp"]`)))
	if strings.TrimSpace(newCell) != "7" {
		t.Errorf("preview new value %q", newCell)
	}
	if v := e.stored(unit, "2021Q4", "TAP_HUAN_KHKT_BUOI", ""); v != "" {
		t.Fatalf("the preview wrote %q", v)
	}
	e.shot("preview")
	e.andWait(chromedp.Click(chromedp.CSS(`#apply-form button[type="submit"]`)))
	if s := e.text(); !strings.Contains(s, "Đã ghi 1 ô") {
		e.shot("applied")
		t.Fatalf("after apply: %.1000s", s)
	}
	if v := e.stored(unit, "2021Q4", "TAP_HUAN_KHKT_BUOI", ""); v != "7" {
		t.Fatalf("stored %q after apply", v)
	}
	e.shot("applied")
	// The entry page shows it.
	e.navigate(fmt.Sprintf("/reports/%d/2021Q4", unit))
	if v := get(e, chromedp.Value(chromedp.CSS(`[name="v:TAP_HUAN_KHKT_BUOI"]`))); v != "7" {
		t.Errorf("entry page shows %q", v)
	}
}
