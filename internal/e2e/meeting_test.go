package e2e

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"giaoban/internal/demo"
)

// The figures and names of the journey, from the demo scenario.
const (
	q3CovidRow   = "Tiền ủng hộ phòng, chống dịch Covid-19 tiếp nhận từ các tổ chức, cá nhân"
	q3CovidTotal = "348.000.000 đ"
	drillCommune = "Xã Ia Bă"
	unitHND      = "Hội Nông dân huyện Ia Grai Nam"
	unitYouth    = "Huyện đoàn Ia Grai Nam"
)

// consolidatedTotals reads the consolidated table: each indicator's bloc
// total, by the indicator's name (the row header's first text; a note may
// follow it).
func (e *env) consolidatedTotals() map[string]string {
	e.t.Helper()
	return get(e, chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(document.querySelectorAll("table tbody tr"))
		.filter(tr => tr.querySelector("th[scope=row]") && tr.querySelector("td strong"))
		.map(tr => [tr.querySelector("th[scope=row]").firstChild.textContent.trim(), tr.querySelector("td strong").textContent.trim()]))`))
}

// moneyValue reads "348.000.000 đ" as 348000000 (-1 when it is not a number).
func moneyValue(s string) int64 {
	n, err := strconv.ParseInt(strings.NewReplacer(".", "", " ", "", "đ", "").Replace(s), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// flashText returns the page's status message ("" when none).
func (e *env) flashText() string {
	return get(e, chromedp.Evaluate[string](`(document.querySelector("p.flash") || {textContent: ""}).textContent.trim()`))
}

// clickByText clicks the element matching css whose text is exactly text,
// and waits for the page it leads to.
func (e *env) clickByText(css, text string) {
	e.t.Helper()
	sel := fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).find(el => el.textContent.trim() === %q)`, css, text)
	if !get(e, chromedp.Evaluate[bool](sel+` !== undefined`)) {
		e.shot("click")
		e.t.Fatalf("no %s with the text %q", css, text)
	}
	e.andWait(chromedp.Click(chromedp.JSPath(sel)))
}

// tickChoice checks the box of a labelled choice (owner unit, attendee).
func (e *env) tickChoice(name, label string) {
	e.t.Helper()
	sel := fmt.Sprintf(`Array.from(document.querySelectorAll('label.choice')).filter(l => l.textContent.trim() === %q)
		.map(l => l.querySelector('input[name=%q]')).find(i => i)`, label, name)
	if !get(e, chromedp.Evaluate[bool](sel+` !== undefined`)) {
		e.shot("tick")
		e.t.Fatalf("no %s box labelled %q", name, label)
	}
	// Boxes below the bloc's level sit in a closed <details>: open it.
	get(e, chromedp.Evaluate[bool](`(d => (d && (d.open = true), true))((`+sel+`).closest("details"))`))
	e.run(chromedp.Click(chromedp.JSPath(sel)))
	if !get(e, chromedp.Evaluate[bool](`(`+sel+`).checked`)) {
		e.t.Fatalf("the %s box %q did not check", name, label)
	}
}

// listedTask is a row of a task table, read as shown.
type listedTask struct {
	Title    string            `json:"title"`
	Cells    map[string]string `json:"cells"`
	Overdue  bool              `json:"overdue"`
	Position int               `json:"position"`
}

// listedTasks reads the rows of the task tables inside scope, by column label.
func (e *env) listedTasks(scope string) map[string]listedTask {
	e.t.Helper()
	rows := get(e, chromedp.Evaluate[[]listedTask](fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).map((tr, i) => ({
		title: (tr.querySelector('a[href^="/tasks/"]') || {textContent: ""}).textContent.trim(),
		cells: Object.fromEntries(Array.from(tr.cells).map(td => [td.dataset.label || "", td.innerText.replace(/\s+/g, " ").trim()])),
		overdue: tr.classList.contains("overdue"),
		position: i}))`, scope+" table.tasks tbody tr")))
	out := map[string]listedTask{}
	for _, r := range rows {
		if r.Title != "" {
			out[r.Title] = r
		}
	}
	return out
}

// exportFile is an export link's answer, read with the page's session.
type exportFile struct {
	Status      int    `json:"status"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	Body        string `json:"body"` // base64
}

// downloadLink fetches the href of the link matching css as the browser would
// (same origin, the session cookie) and returns the bytes.
func (e *env) downloadLink(css string) ([]byte, exportFile) {
	e.t.Helper()
	f := get(e, chromedp.Evaluate[exportFile](fmt.Sprintf(`(async () => {
		const a = document.querySelector(%q);
		if (!a) return {status: 0, type: "", disposition: "", body: ""};
		const r = await fetch(a.href, {credentials: "same-origin"});
		const u = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
		return {status: r.status, type: r.headers.get("Content-Type") || "", disposition: r.headers.get("Content-Disposition") || "", body: btoa(s)};
	})()`, css), chromedp.EvalAwaitPromise))
	if f.Status != 200 {
		e.shot("download")
		e.t.Fatalf("%s: HTTP %d", css, f.Status)
	}
	b, err := base64.StdEncoding.DecodeString(f.Body)
	if err != nil {
		e.t.Fatalf("%s: %v", css, err)
	}
	return b, f
}

var docxTag = regexp.MustCompile(`<[^>]+>`)

// docxBodyText returns the text of a DOCX body, a line per paragraph.
func docxBodyText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the DOCX is not a zip: %v", err)
	}
	for _, f := range z.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(x), "</w:p>", "\n")
		return html.UnescapeString(docxTag.ReplaceAllString(s, ""))
	}
	t.Fatal("the DOCX has no word/document.xml")
	return ""
}

// collapseSpace collapses white space, so that text wrapped into lines compares.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestMeetingJourney is the review meeting from end to end. The
// secretariat opens the consolidated Q3 2021 report of the district bloc,
// drills into a commune (whose figures are the commune's own) and back,
// adds a paragraph to the drafted narrative (kept after a reload), exports
// the DOCX and the PDF (both carrying the edited text), creates a thematic
// meeting on the quarter, freezes the consolidated report into it (the
// snapshot shows the bloc's 348.000.000 đ and the edited narrative),
// marks it held and records two directives as
// tasks (one refused first for want of an owner, nothing typed lost), and
// sees them on the task board with their owners and deadlines. The
// Farmers' Union officer finds the union's directive under "my unit's
// tasks" (and not the other unit's) and reports 60 % progress. The agenda
// of the next meeting (the Q4 meeting planned for 22/12/2021) then reviews
// the new meeting's directives: the union's at 60 %, the other overdue.
func TestMeetingJourney(t *testing.T) {
	e := newEnv(t)
	sec, officer := demoUser(t, "thuky"), demoUser(t, "canbo.hnd")

	// The consolidated report of Q3 2021.
	e.login(sec.Username, sec.Password)
	e.andWait(chromedp.Click(chromedp.CSS(`nav.menu a[href="/consolidated"]`)))
	e.pick("#period", "Quý III/2021")
	e.andWait(chromedp.Click(chromedp.CSS(`form.toolbar[action="/consolidated"] button[type="submit"]`)))
	if s := e.text(); !strings.Contains(s, "Quý III năm 2021") || !strings.Contains(s, "Khối Mặt trận và các đoàn thể huyện Ia Grai Nam") {
		e.shot("report")
		t.Fatalf("not the bloc's Q3 report: %.600s", s)
	}
	district := e.consolidatedTotals()
	if district[q3CovidRow] != q3CovidTotal {
		e.shot("report")
		t.Fatalf("district Covid-19 donations %q, want %q (%d rows)", district[q3CovidRow], q3CovidTotal, len(district))
	}

	// Drill into a commune: its own, smaller figures.
	e.run(chromedp.Click(chromedp.CSS(`nav details summary`)))
	e.clickByText(`nav details a`, drillCommune)
	if h := get(e, chromedp.Text(chromedp.CSS(`h1`))); !strings.HasSuffix(strings.TrimSpace(h), "· "+drillCommune) {
		e.shot("commune")
		t.Fatalf("commune page heading %q", h)
	}
	local := e.consolidatedTotals()
	if c, d := moneyValue(local[q3CovidRow]), moneyValue(district[q3CovidRow]); c <= 0 || c >= d {
		e.shot("commune")
		t.Errorf("%s Covid-19 donations %q beside the district's %q", drillCommune, local[q3CovidRow], district[q3CovidRow])
	}
	differ := 0
	for name, v := range local {
		if district[name] != v {
			differ++
		}
	}
	if differ*2 < len(local) {
		t.Errorf("only %d of the commune's %d totals differ from the district's", differ, len(local))
	}
	e.shot("commune")
	// And back up to the district.
	e.clickByText(`nav a.button`, "Về "+demo.DistrictName)
	if back := e.consolidatedTotals(); back[q3CovidRow] != q3CovidTotal || len(back) != len(district) {
		e.shot("up")
		t.Fatalf("back at the district: %q, %d rows", back[q3CovidRow], len(back))
	}

	// The secretariat adds a paragraph to the drafted narrative, numbers
	// the report and saves.
	const added = "Ban Thường trực ghi nhận sự phối hợp chặt chẽ của các đoàn thể trong vận động ủng hộ phòng, chống dịch Covid-19 quý III."
	drafted := get(e, chromedp.Value(chromedp.CSS(`#html`)))
	if !strings.Contains(drafted, "348 triệu đồng") {
		t.Errorf("the drafted narrative lacks the donations: %.300s", drafted)
	}
	get(e, chromedp.Evaluate[bool](`(t => (t.focus(), t.setSelectionRange(t.value.length, t.value.length), true))(document.querySelector("#html"))`))
	e.run(chromedp.SendKeys(chromedp.CSS(`#html`), "\n\n"+added))
	e.typeInto(`#number`, "27/BC-MTTQ")
	e.andWait(chromedp.Click(chromedp.CSS(`form[action="/consolidated/draft"] button[type="submit"]`)))
	if f := e.flashText(); f != "Đã lưu bản dự thảo." {
		e.shot("draft")
		t.Fatalf("after saving the draft: flash %q\n%.800s", f, e.text())
	}
	e.andWait(chromedp.Reload())
	kept := get(e, chromedp.Value(chromedp.CSS(`#html`)))
	if !strings.Contains(kept, added) || !strings.Contains(kept, "348 triệu đồng") {
		e.shot("draft")
		t.Fatalf("the edited narrative after a reload: %q", kept)
	}
	if n := get(e, chromedp.Value(chromedp.CSS(`#number`))); n != "27/BC-MTTQ" {
		t.Errorf("the number after a reload: %q", n)
	}

	// The exports carry the edited text.
	docx, f := e.downloadLink(`a.button[href^="/consolidated/export.docx"]`)
	if !strings.Contains(f.Disposition, "attachment") || !strings.Contains(f.Disposition, ".docx") || !bytes.HasPrefix(docx, []byte("PK")) {
		t.Fatalf("DOCX answer: %s, %s, %d bytes", f.Type, f.Disposition, len(docx))
	}
	text := docxBodyText(t, docx)
	for _, w := range []string{added, "348 triệu đồng", "Số: 27/BC-MTTQ", "Quý III năm 2021"} {
		if !strings.Contains(text, w) {
			t.Errorf("the DOCX lacks %q", w)
		}
	}
	pdf, f := e.downloadLink(`a.button[href^="/consolidated/export.pdf"]`)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !strings.Contains(f.Type, "pdf") {
		t.Fatalf("PDF answer: %s, %d bytes, starts %q", f.Type, len(pdf), pdf[:min(len(pdf), 8)])
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		file := filepath.Join(t.TempDir(), "bao-cao.pdf")
		if err := os.WriteFile(file, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		for _, w := range []string{added, "348 triệu đồng"} {
			if !strings.Contains(collapseSpace(string(out)), collapseSpace(w)) {
				t.Errorf("the PDF text lacks %q", w)
			}
		}
	} else {
		t.Log("pdftotext not installed: the PDF's text is not checked")
	}

	// A meeting on the quarter, created through the form.
	const (
		title = "Hội nghị chuyên đề đánh giá công tác vận động ủng hộ phòng, chống dịch Covid-19 Quý III năm 2021"
		dir1  = "Hội Nông dân huyện hướng dẫn hội viên tiêm phòng viêm da nổi cục cho đàn bò trước ngày 31/12/2021"
		dir2  = "Huyện đoàn tổ chức đội thanh niên tình nguyện hỗ trợ các chốt kiểm soát Covid-19"
	)
	e.andWait(chromedp.Click(chromedp.CSS(`nav.menu a[href="/meetings"]`)))
	e.andWait(chromedp.Click(chromedp.CSS(`a.button[href="/meetings/new"]`)))
	e.pick("#kind", "Chuyên đề")
	e.typeInto("#period", "2021Q3")
	e.typeInto("#title", title)
	e.typeInto("#date", "15/09/2021")
	e.typeInto("#time", "14:00")
	e.typeInto("#place", demo.MeetingPlace)
	e.typeInto("#chair_name", demo.MeetingChair)
	e.typeInto("#chair_title", demo.MeetingChairAs)
	e.pick("#chair_body", "Huyện ủy")
	e.tickChoice("att_body", "Ban Dân vận Huyện ủy")
	e.tickChoice("att_unit", unitHND)
	e.tickChoice("att_unit", unitYouth)
	e.typeInto("#agenda", "Đánh giá kết quả vận động ủng hộ phòng, chống dịch Covid-19 quý III\nÝ kiến của các đơn vị\nKết luận của đồng chí chủ trì")
	e.andWait(chromedp.Click(chromedp.CSS(`form[action="/meetings"] button[type="submit"]`)))
	loc := get(e, chromedp.Location())
	if m := regexp.MustCompile(`/meetings/\d+$`).FindString(loc); m == "" {
		e.shot("meeting")
		t.Fatalf("after creating the meeting: %s\n%.1000s", loc, e.text())
	}
	page := e.text()
	for _, w := range []string{title, "Dự kiến", "Chuyên đề", "Quý III/2021", "15/09/2021", demo.MeetingChair, "Ban Dân vận Huyện ủy", unitHND, unitYouth,
		"Ý kiến của các đơn vị", "Ý kiến chỉ đạo được ghi sau khi hội nghị đã diễn ra."} {
		if !strings.Contains(page, w) {
			e.shot("meeting")
			t.Fatalf("the new meeting's page lacks %q: %.1500s", w, page)
		}
	}

	// The consolidated report frozen into the meeting: the bloc's Q3
	// figures and the narrative as the secretariat edited it.
	meetingURL := loc
	e.andWait(chromedp.Click(chromedp.CSS(`form[action$="/snapshots"] button[type="submit"]`)))
	if loc := get(e, chromedp.Location()); !strings.HasPrefix(loc, meetingURL+"/snapshots/1") {
		e.shot("snapshot")
		t.Fatalf("after freezing the report: %s\n%.1000s", loc, e.text())
	}
	frozen := get(e, chromedp.Text(chromedp.CSS(`.snapshot`)))
	if !strings.Contains(frozen, "348.000.000") && !strings.Contains(frozen, "348 triệu") {
		e.shot("snapshot")
		t.Errorf("the snapshot lacks the bloc's Q3 donations (348.000.000): %.1500s", frozen)
	}
	if !strings.Contains(collapseSpace(frozen), collapseSpace(added)) {
		t.Errorf("the snapshot lacks the edited narrative: %.1500s", frozen)
	}
	if s := e.text(); !strings.Contains(s, "Bản chốt số 1") {
		t.Errorf("the snapshot page does not say it is frozen: %.600s", s)
	}
	e.shot("snapshot")
	e.andWait(chromedp.Click(chromedp.CSS(`p.muted a[href="` + strings.TrimPrefix(meetingURL, e.url) + `"]`)))
	if s := get(e, chromedp.Text(chromedp.CSS(`#snapshots`))); !strings.Contains(s, "Bản 1") {
		e.shot("snapshots")
		t.Errorf("the meeting does not list its snapshot: %.400s", s)
	}

	// Held, then the directives.
	e.confirmAll()
	e.andWait(chromedp.Click(chromedp.CSS(`form[action$="/hold"] button`)))
	if s := get(e, chromedp.Text(chromedp.CSS(`h1 + p .badge`))); s != "Đã tổ chức" {
		e.shot("hold")
		t.Fatalf("after marking it held: %q\n%.800s", s, e.text())
	}
	// Without an owner the directive is refused, and what was typed stays.
	e.typeInto("#d_title", dir1)
	e.typeInto("#d_deadline", "31/12/2021")
	e.andWait(chromedp.Click(chromedp.CSS(`form[action$="/directives"] button[type="submit"]`)))
	if s := e.text(); !strings.Contains(s, "chưa có đơn vị thực hiện") {
		e.shot("directive-error")
		t.Fatalf("a directive without owner was not refused: %.1500s", s)
	}
	if v := get(e, chromedp.Value(chromedp.CSS(`#d_title`))); v != dir1 {
		t.Errorf("the directive typed was lost: %q", v)
	}
	if v := get(e, chromedp.Value(chromedp.CSS(`#d_deadline`))); v != "31/12/2021" {
		t.Errorf("the deadline typed was lost: %q", v)
	}
	e.tickChoice("owner_ids", unitHND)
	e.andWait(chromedp.Click(chromedp.CSS(`form[action$="/directives"] button[type="submit"]`)))
	if f := e.flashText(); !strings.Contains(f, "Đã ghi ý kiến chỉ đạo") {
		e.shot("directive")
		t.Fatalf("after the first directive: flash %q\n%.1500s", f, e.text())
	}
	e.typeInto("#d_title", dir2)
	e.tickChoice("owner_ids", unitYouth)
	e.typeInto("#d_deadline", "30/11/2021")
	e.andWait(chromedp.Click(chromedp.CSS(`form[action$="/directives"] button[type="submit"]`)))
	shown := e.listedTasks("#directives")
	if len(shown) != 2 || shown[dir1].Cells["#"] != "1" || shown[dir2].Cells["#"] != "2" {
		e.shot("directives")
		t.Fatalf("the meeting's directives: %+v", shown)
	}
	e.shot("meeting")

	// The task board, filtered to the meeting.
	e.andWait(chromedp.Click(chromedp.CSS(`nav.menu a[href="/tasks"]`)))
	e.pick("#meeting", title)
	e.andWait(chromedp.Click(chromedp.CSS(`form.toolbar button[type="submit"]`)))
	board := e.listedTasks("")
	if len(board) != 2 {
		e.shot("board")
		t.Fatalf("the board shows %d tasks of the meeting: %+v", len(board), board)
	}
	for _, c := range []struct {
		title, owner, deadline string
		overdue                bool
	}{{dir1, unitHND, "31/12/2021", false}, {dir2, unitYouth, "30/11/2021", true}} {
		r := board[c.title]
		if r.Cells["Đơn vị thực hiện"] != c.owner || r.Cells["Thời hạn"] != c.deadline || r.Cells["Tiến độ"] != "0 %" ||
			!strings.HasPrefix(r.Cells["Tình trạng"], "Chưa thực hiện") || r.Cells["Nguồn"] != title {
			e.shot("board")
			t.Errorf("board row of %q: %+v", c.title, r)
		}
		// Today is long past the deadlines of 2021.
		if !r.Overdue || !strings.Contains(r.Cells["Tình trạng"], "Quá hạn") {
			t.Errorf("board row of %q is not marked overdue: %+v", c.title, r)
		}
	}
	e.shot("board")
	e.logout()

	// The union's officer reports progress under "my unit's tasks".
	e.login(officer.Username, officer.Password)
	e.andWait(chromedp.Click(chromedp.CSS(`nav.menu a[href="/tasks/mine"]`)))
	cardOf := func(title string) string {
		return get(e, chromedp.Evaluate[string](fmt.Sprintf(`(Array.from(document.querySelectorAll("section.task-card"))
			.find(s => s.querySelector("h2").textContent.trim() === %q) || {id: ""}).id`, title)))
	}
	card := cardOf(dir1)
	if card == "" {
		e.shot("mine")
		t.Fatalf("the union's directive is not under my unit's tasks: %.2000s", e.text())
	}
	if other := cardOf(dir2); other != "" {
		t.Errorf("another unit's directive is under the union's tasks (%s)", other)
	}
	id := strings.TrimPrefix(card, "task-")
	const note = "Đã tập huấn cho 120 hội viên; tiêm phòng được 60% đàn bò."
	e.pick("#status-"+id, "Đang thực hiện")
	e.typeInto("#progress-"+id, "60")
	e.typeInto("#note-"+id, note)
	e.andWait(chromedp.Click(chromedp.CSS(`#` + card + ` form.quick-update button[type="submit"]`)))
	if f := e.flashText(); f != "Đã cập nhật tiến độ." {
		e.shot("update")
		t.Fatalf("after the update: flash %q\n%.1500s", f, e.text())
	}
	after := get(e, chromedp.Text(chromedp.CSS(`#`+card)))
	if !strings.Contains(after, "60 %") || !strings.Contains(after, "Đang thực hiện") {
		e.shot("update")
		t.Fatalf("the card after the update: %.600s", after)
	}
	if v := get(e, chromedp.Value(chromedp.CSS(`#progress-`+id))); v != "60" {
		t.Errorf("the progress field after the update: %q", v)
	}
	// The task's history names the officer's note.
	e.andWait(chromedp.Click(chromedp.CSS(`#` + card + ` h2 a`)))
	if s := get(e, chromedp.Text(chromedp.CSS(`#history`))); !strings.Contains(s, note) || !strings.Contains(s, "60 %") {
		e.shot("task")
		t.Errorf("the task's history: %.600s", s)
	}
	e.shot("task")
	e.logout()

	// The next meeting's agenda reviews the directives.
	e.login(sec.Username, sec.Password)
	e.andWait(chromedp.Click(chromedp.CSS(`nav.menu a[href="/meetings"]`)))
	e.clickByText(`table a[href^="/meetings/"]`, demo.MeetingQ4Title)
	e.andWait(chromedp.Click(chromedp.CSS(`a.button[href$="/agenda"]`)))
	items := get(e, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("article.agenda > ol > li")).map(li => li.textContent.trim())`))
	if !has(items, "Kiểm điểm việc thực hiện ý kiến chỉ đạo của "+title) {
		e.shot("agenda")
		t.Fatalf("the Q4 agenda does not review the new meeting: %q", items)
	}
	if s := get(e, chromedp.Text(chromedp.CSS(`#followup`))); !strings.Contains(s, "đã hoàn thành 0/2 ý kiến chỉ đạo") || !strings.Contains(s, "22/12/2021") {
		e.shot("agenda")
		t.Errorf("the follow-up summary: %.600s", s)
	}
	follow := e.listedTasks("#followup")
	r1, r2 := follow[dir1], follow[dir2]
	if r1.Cells["Tiến độ"] != "60 %" || !strings.HasPrefix(r1.Cells["Tình trạng"], "Đang thực hiện") || r1.Cells["Đơn vị thực hiện"] != unitHND || r1.Overdue {
		e.shot("agenda")
		t.Errorf("the union's directive on the Q4 agenda: %+v", r1)
	}
	// Judged on the meeting's day (22/12/2021), 30/11 has passed.
	if r2.Title == "" || !r2.Overdue || r2.Cells["Tiến độ"] != "0 %" {
		t.Errorf("the youth union's directive on the Q4 agenda: %+v", r2)
	}
	// The Q3 meeting's open directives come first, the new meeting's after.
	if r1.Position <= 0 || r2.Position <= r1.Position {
		t.Errorf("follow-up order: %d, %d of %d", r1.Position, r2.Position, len(follow))
	}
	e.shot("agenda")
}
