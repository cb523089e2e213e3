package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"giaoban/internal/fund/vietqr"
)

// The fund the journey creates and the account it receives on.
const (
	jFundCode  = "COVID19-D4"
	jFundName  = "Quỹ phòng, chống dịch Covid-19 đợt 4 huyện Ia Grai Nam"
	jPrefix    = "UNG HO COVID"
	jBIN       = "970436" // Vietcombank
	jAccountNo = "0441000765432"
	jHolder    = "UY BAN MTTQ VIET NAM HUYEN IA GRAI NAM"
	jCashDonor = "Đặng Văn An"
	jAddress   = "Thôn 2, xã Ia Tô"
)

// fetched is a response read in the page, with the page's session.
type fetched struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	Body   string `json:"body"` // base64
}

// fetch gets a URL from inside the page (same origin, same cookies), as a
// click on a download link would.
func (e *env) fetch(url string) (status int, contentType string, body []byte) {
	e.t.Helper()
	f := get(e, chromedp.Evaluate[fetched](fmt.Sprintf(`(async () => {
		const r = await fetch(%q, {credentials: "same-origin"});
		const u = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
		return {status: r.status, type: r.headers.get("Content-Type") || "", body: btoa(s)};
	})()`, url), chromedp.EvalAwaitPromise))
	b, err := base64.StdEncoding.DecodeString(f.Body)
	if err != nil {
		e.t.Fatalf("fetch %s: %v", url, err)
	}
	return f.Status, f.Type, b
}

// attr returns an attribute of the first element matching a selector ("" if none).
func (e *env) attr(sel, name string) string {
	e.t.Helper()
	return get(e, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {getAttribute: () => ""}).getAttribute(%q) || ""`, sel, name)))
}

// fundEntries counts the entries of a fund in the database.
func (e *env) fundEntries(id int64, kind string) (n int) {
	e.t.Helper()
	if err := e.db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM fund_entries WHERE fund_id = $1 AND kind = $2", id, kind).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// pdfText extracts the text of a PDF with pdftotext, white space collapsed;
// ok is false when pdftotext is not installed.
func pdfText(t *testing.T, pdf []byte) (text string, ok bool) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext not installed: the PDF's text is not checked")
		return "", false
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " "), true
}

// crcCCITT is CRC-16/CCITT-FALSE, written here bit by bit so the test does
// not borrow the application's table.
func crcCCITT(data []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, b := range data {
		crc ^= uint16(b) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// wantPayload builds by hand the VietQR payload of an account with a note
// and no amount, field by field as DOMAIN.md describes it.
func wantPayload(bin, account, note string) string {
	tlv := func(id, v string) string { return fmt.Sprintf("%s%02d%s", id, len(v), v) }
	s := tlv("00", "01") + tlv("01", "11") +
		tlv("38", tlv("00", "A000000727")+tlv("01", tlv("00", bin)+tlv("01", account))+tlv("02", "QRIBFTTA")) +
		tlv("53", "704") + tlv("58", "VN") + tlv("62", tlv("08", note)) + "6304"
	return s + fmt.Sprintf("%04X", crcCCITT([]byte(s)))
}

// statementXLSX writes a bank statement as Vietcombank exports it: a title
// block, a header row, credits with donors' transfer notes, one bank fee
// (a debit) and a total line.
func statementXLSX(t *testing.T) string {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	const sh = "Sheet1"
	rows := [][]any{
		{"NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"},
		{"SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT"},
		{"Số tài khoản: " + jAccountNo, nil, nil, "Chủ tài khoản: " + jHolder},
		{"Từ ngày 01/08/2021 đến ngày 31/08/2021"},
		{},
		{"STT", "Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Nội dung chi tiết"},
		{1, "02/08/2021", "FT21214000123", nil, 5000000, 5000000, "UNG HO COVID NGUYEN VAN AN"},
		{2, "03/08/2021", "FT21215000456", nil, 2000000, 7000000, "MBVCB.1234567.TRAN THI BICH NGOC.UNG HO COVID"},
		{3, "05/08/2021", "FT21217000789", nil, 500000, 7500000, "IBFT UNG HO COVID - LE VAN HUNG - 0905123456"},
		{4, "09/08/2021", "FT21221000246", nil, 1500000, 9000000, "UNG HO COVID KSOR H BLUM"},
		{5, "10/08/2021", "FT21222000135", 11000, nil, 8989000, "PHI DICH VU SMS BANKING T07/2021"},
		{nil, "Tổng cộng", nil, 11000, 9000000},
	}
	for i, r := range rows {
		if err := x.SetSheetRow(sh, fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "saoke-vcb-082021.xlsx")
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// importCounts reads the counts of the import page's action cards, by label.
func (e *env) importCounts() map[string]int {
	e.t.Helper()
	raw := get(e, chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(document.querySelectorAll("ul.cards li a")).map(a =>
		[a.querySelector(".muted").textContent.trim(), a.querySelector("strong").textContent.trim()]))`))
	out := map[string]int{}
	for k, v := range raw {
		n, err := strconv.Atoi(strings.ReplaceAll(v, ".", ""))
		if err != nil {
			e.t.Fatalf("import card %q = %q", k, v)
		}
		out[k] = n
	}
	return out
}

// TestFundJourney is the donation-fund journey: the district secretariat
// creates a fund and its bank account, prints the VietQR poster, imports a
// bank statement (preview, commit, and a second upload that adds nothing),
// records a cash receipt and prints it, is refused a disbursement larger
// than the balance and records a smaller one; then a member of the public,
// not logged in, finds the cash donation by typing the donor's name without
// diacritics and in another order, and verifies its inclusion proof against
// the signed checkpoint.
func TestFundJourney(t *testing.T) {
	start := time.Now()
	e := newEnv(t)
	sec := demoUser(t, "thuky")
	e.login(sec.Username, sec.Password)

	// The fund, created through the form.
	e.navigate("/funds")
	e.andWait(chromedp.Click(chromedp.CSS(`a[href="/funds/new"]`)))
	e.run(chromedp.WaitVisible(chromedp.CSS(`#code`)))
	e.typeInto("#code", jFundCode)
	e.typeInto("#name", jFundName)
	e.pick("#purpose", "Dịch bệnh")
	e.pick("#unit_id", "Ủy ban MTTQ Việt Nam huyện")
	e.typeInto("#note_prefix", jPrefix)
	e.typeInto("#start_date", "01/08/2021")
	e.typeInto("#end_date", "31/12/2021")
	e.typeInto("#legal_basis", "Nghị định 93/2021/NĐ-CP")
	e.typeInto("#target", "500.000.000")
	e.andWait(chromedp.Submit(chromedp.CSS(`#name`)))
	var fundID int64
	if err := e.db.QueryRowContext(context.Background(), "SELECT id FROM funds WHERE code = $1", jFundCode).Scan(&fundID); err != nil {
		e.shot("fund")
		t.Fatalf("the fund was not created: %v\n%.600s", err, e.text())
	}
	base := fmt.Sprintf("/funds/%d", fundID)
	if u := get(e, chromedp.Evaluate[string](`location.pathname`)); u != base {
		t.Fatalf("after creating the fund: %s", u)
	}
	if s := e.text(); !strings.Contains(s, jFundName) {
		t.Fatalf("fund page: %.400s", s)
	}

	// Its bank account.
	e.pick("#bin", "Vietcombank")
	e.typeInto("#account_no", jAccountNo)
	e.typeInto("#holder", jHolder)
	e.andWait(chromedp.Submit(chromedp.CSS(`#account_no`)))
	poster := fmt.Sprintf(`#accounts a[href^="%s/poster?account="]`, base)
	e.run(chromedp.WaitVisible(chromedp.CSS(poster)))

	// The VietQR poster: name, bank, account, and a QR code of the
	// payload built here by hand (CRC included).
	e.andWait(chromedp.Click(chromedp.CSS(poster)))
	e.run(chromedp.WaitVisible(chromedp.CSS(`img[src*="/qr.svg"]`)))
	page := e.text()
	for _, w := range []string{jFundName, "Vietcombank", jAccountNo, jHolder, jPrefix} {
		if !strings.Contains(page, w) {
			e.shot("poster")
			t.Fatalf("the poster lacks %q: %.800s", w, page)
		}
	}
	loaded := get(e, chromedp.Evaluate[bool](`(async () => { const i = document.querySelector('img[src*="/qr.svg"]'); await i.decode(); return i.naturalWidth > 0 })()`, chromedp.EvalAwaitPromise))
	if !loaded {
		t.Fatal("the poster's QR image does not load")
	}
	want := wantPayload(jBIN, jAccountNo, jPrefix)
	if !strings.Contains(want, "0113"+jAccountNo) || !strings.HasSuffix(want[:len(want)-4], "6304") {
		t.Fatalf("bad hand-built payload %s", want)
	}
	st, ct, svg := e.fetch(e.attr(`img[src*="/qr.svg"]`, "src"))
	wantSVG, err := vietqr.SVG(want)
	if err != nil {
		t.Fatal(err)
	}
	if st != 200 || !strings.HasPrefix(ct, "image/svg+xml") || !bytes.Equal(svg, wantSVG) {
		t.Fatalf("the poster's QR (HTTP %d, %s, %d bytes) is not the code of %s", st, ct, len(svg), want)
	}
	pngURL := e.attr(`a[href*="/qr.png"]`, "href")
	st, _, png := e.fetch(pngURL)
	if st != 200 || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("QR PNG: HTTP %d", st)
	}
	if zbar, err := exec.LookPath("zbarimg"); err == nil {
		path := filepath.Join(t.TempDir(), "qr.png")
		os.WriteFile(path, png, 0o600)
		out, err := exec.Command(zbar, "--raw", "-q", path).Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != want {
			t.Fatalf("zbarimg reads %q (%v), want %q", got, err, want)
		}
	} else if os.Getenv("CI") == "true" || os.Getenv("CI") == "1" {
		t.Fatal("zbarimg not found: install the Debian package zbar-tools (scripts/test.sh does as root)")
	} else {
		t.Log("zbarimg not installed: the PNG is not scanned")
	}
	// The printable poster (PDF).
	st, ct, pdf := e.fetch(e.attr(`a[href*="/poster.pdf"]`, "href"))
	if st != 200 || ct != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("poster PDF: HTTP %d %s %.8q", st, ct, pdf)
	}
	if text, ok := pdfText(t, pdf); ok {
		// The public address is printed whole: paper has no relative links.
		for _, w := range []string{"THƯ KÊU GỌI ỦNG HỘ", jFundName, "Vietcombank", jAccountNo, jPrefix, e.url + "/quy/"} {
			if !strings.Contains(text, w) {
				t.Errorf("the poster PDF lacks %q: %.600s", w, text)
			}
		}
	}
	e.shot("poster")

	// The bank statement: preview, then commit.
	e.andWait(chromedp.Click(chromedp.CSS(`a[href="` + base + `"]`)))
	e.andWait(chromedp.Click(chromedp.CSS(`a[href="` + base + `/import"]`)))
	file := statementXLSX(t)
	e.run(chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}))
	e.andWait(chromedp.Submit(chromedp.CSS(`#file`)))
	if s := e.text(); !strings.Contains(s, "Xem trước") || !strings.Contains(s, "saoke-vcb-082021.xlsx") {
		e.shot("preview")
		t.Fatalf("no preview: %.800s", s)
	}
	counts := e.importCounts()
	// The four credits become receipts; the bank fee (a debit matching no
	// disbursement) is listed for review; the total line is no transaction.
	if counts["Khoản thu mới"] != 4 || counts["Cần xem xét"] != 1 || counts["Bị từ chối"] != 0 || counts["Bỏ qua (đã có)"] != 0 {
		e.shot("preview")
		t.Fatalf("preview counts %v\n%.1500s", counts, e.text())
	}
	if e.fundEntries(fundID, "receipt") != 0 {
		t.Fatal("the preview wrote entries")
	}
	e.andWait(chromedp.Click(chromedp.CSS(`ul.cards a[href="?action=receipt"]`)))
	lines := get(e, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("table tbody tr")).map(tr => tr.textContent.replace(/\s+/g, " ").trim())`))
	for _, w := range []string{"FT21214000123 5.000.000 đ Nguyen Van An", "FT21215000456 2.000.000 đ Tran Thi Bich Ngoc", "FT21217000789 500.000 đ Le Van Hung", "FT21221000246 1.500.000 đ Ksor H Blum"} {
		found := false
		for _, l := range lines {
			found = found || strings.Contains(l, w)
		}
		if !found {
			e.shot("preview-lines")
			t.Errorf("the preview does not list %q: %q", w, lines)
		}
	}
	e.shot("preview")
	e.andWait(chromedp.Click(chromedp.CSS(`form[action$="/import/` + e.importID() + `"] button[type="submit"]`)))
	if s := e.text(); !strings.Contains(s, "Đã ghi sao kê vào sổ quỹ") {
		e.shot("commit")
		t.Fatalf("after commit: %.800s", s)
	}
	if n := e.fundEntries(fundID, "receipt"); n != 4 {
		t.Fatalf("%d receipts after the import, want 4", n)
	}

	// The same file again: every line is already there.
	e.andWait(chromedp.Click(chromedp.CSS(`nav a[href="` + base + `/import"]`)))
	e.run(chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}))
	e.andWait(chromedp.Submit(chromedp.CSS(`#file`)))
	if counts := e.importCounts(); counts["Khoản thu mới"] != 0 || counts["Bỏ qua (đã có)"] != 4 {
		e.shot("reimport")
		t.Fatalf("second upload counts %v", counts)
	}
	e.andWait(chromedp.Click(chromedp.CSS(`form[action$="/import/` + e.importID() + `"] button[type="submit"]`)))
	if n := e.fundEntries(fundID, "receipt"); n != 4 {
		t.Fatalf("%d receipts after importing the same file twice", n)
	}

	// A cash receipt, and its printed receipt.
	e.navigate(base)
	e.andWait(chromedp.Click(chromedp.CSS(`nav a[href="` + base + `/receipts/new"]`)))
	e.typeInto("#date", "20/08/2021")
	e.typeInto("#donor_name", jCashDonor)
	e.typeInto("#address", jAddress)
	e.typeInto("#amount", "500.000")
	e.pick("#channel", "Tiền mặt")
	e.typeInto("#transfer_note", "Ủng hộ phòng, chống dịch Covid-19")
	e.andWait(chromedp.Submit(chromedp.CSS(`#donor_name`)))
	if s := e.text(); !strings.Contains(s, "Đã ghi khoản thu") {
		e.shot("receipt")
		t.Fatalf("after the receipt: %.800s", s)
	}
	// The ledger opens on it, with its number and a button to print it;
	// the ledger's row of it has the same number.
	e.run(chromedp.WaitVisible(chromedp.CSS(`#saved-receipt a[href$="/pdf"]`)))
	notice := get(e, chromedp.Text(chromedp.CSS(`#saved-receipt`)))
	pdfLink := e.attr(`#saved-receipt a[href$="/pdf"]`, "href")
	// Gap-free per fund and year: the four imported receipts took 1–4.
	number := "PT-" + jFundCode + "-2021-000005"
	if !strings.Contains(notice, "Phiếu thu số "+number+": 500.000 đ của "+jCashDonor) || !strings.Contains(notice, "In phiếu thu") {
		e.shot("receipt")
		t.Fatalf("after saving the receipt: %q", notice)
	}
	inRow := get(e, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const tr = Array.from(document.querySelectorAll("table tbody tr")).find(tr => tr.textContent.includes(%q));
		return tr ? tr.querySelector('td[data-label="Số phiếu"]').textContent.trim() : "";
	})()`, jCashDonor)))
	if inRow != number {
		t.Fatalf("the ledger's row has number %q, want %q", inRow, number)
	}
	st, ct, pdf = e.fetch(pdfLink)
	if st != 200 || ct != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("receipt PDF %s: HTTP %d %s", pdfLink, st, ct)
	}
	if text, ok := pdfText(t, pdf); ok {
		for _, w := range []string{"PHIẾU THU", number, jCashDonor, "500.000", "Năm trăm nghìn đồng", "ngày 20 tháng 8 năm 2021"} {
			if !strings.Contains(text, w) {
				t.Errorf("the receipt PDF lacks %q: %.800s", w, text)
			}
		}
	}
	e.shot("receipt")

	// Disbursements: one larger than the balance is refused, nothing
	// typed is lost; a smaller one is recorded and the balance drops.
	const balance = 9_500_000 // 9.000.000 imported + 500.000 in cash
	e.andWait(chromedp.Click(chromedp.CSS(`nav a[href="` + base + `/disbursements/new"]`)))
	if s := e.text(); !strings.Contains(s, "Số dư hiện tại của quỹ: 9.500.000 đ") {
		e.shot("disbursement")
		t.Fatalf("the disbursement form does not show the balance: %.600s", s)
	}
	e.typeInto("#date", "25/08/2021")
	e.typeInto("#recipient", "Trung tâm Y tế huyện Ia Grai Nam")
	e.pick("#recipient_kind", "Cơ sở y tế")
	e.typeInto("#amount", "12.000.000")
	e.typeInto("#purpose", "Mua vật tư y tế cho khu cách ly tập trung")
	e.typeInto("#decision_no", "45/QĐ-MTTQ")
	e.typeInto("#approver", "Ban Thường trực Ủy ban MTTQ huyện")
	e.andWait(chromedp.Submit(chromedp.CSS(`#recipient`)))
	if s := e.text(); !strings.Contains(s, "Số dư của quỹ hiện là 9.500.000 đ, không đủ để chi 12.000.000 đ") {
		e.shot("refused")
		t.Fatalf("an overdraft was not refused clearly: %.1000s", s)
	}
	if v := get(e, chromedp.Value(chromedp.CSS(`#recipient`))); v != "Trung tâm Y tế huyện Ia Grai Nam" {
		t.Errorf("the recipient typed was lost: %q", v)
	}
	if n := e.fundEntries(fundID, "disbursement"); n != 0 {
		t.Fatalf("the refused disbursement was written (%d)", n)
	}
	e.shot("refused")
	e.typeInto("#amount", "3.000.000")
	e.andWait(chromedp.Submit(chromedp.CSS(`#recipient`)))
	if s := e.text(); !strings.Contains(s, "Đã ghi khoản chi") {
		e.shot("disbursed")
		t.Fatalf("after the disbursement: %.800s", s)
	}
	if n := e.fundEntries(fundID, "disbursement"); n != 1 {
		t.Fatalf("%d disbursements", n)
	}
	e.andWait(chromedp.Click(chromedp.CSS(`p.muted a[href="` + base + `"]`)))
	shown := get(e, chromedp.Text(chromedp.CSS(`ul.cards li a[href$="/kiem-tra"] strong`)))
	if want := "6.500.000 đ"; strings.TrimSpace(shown) != want {
		e.shot("balance")
		t.Fatalf("balance shown %q, want %q (%d − 3.000.000)", shown, want, balance)
	}
	e.shot("balance")
	e.logout()

	// A member of the public, not logged in, finds the cash donation by
	// the donor's name typed without diacritics, in another order.
	e.navigate("/quy")
	e.andWait(chromedp.Click(chromedp.CSS(`a[href="/quy/` + jFundCode + `"]`)))
	if s := e.text(); !strings.Contains(s, jFundName) || !strings.Contains(s, jAccountNo) {
		t.Fatalf("public fund page: %.600s", s)
	}
	e.andWait(chromedp.Click(chromedp.CSS(`nav a[href="/quy/` + jFundCode + `/thu"]`)))
	e.typeInto("#q", "an dang van")
	e.andWait(chromedp.Submit(chromedp.CSS(`#q`)))
	found := get(e, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("table tbody tr")).map(tr => tr.textContent.replace(/\s+/g, " ").trim())`))
	if len(found) != 1 || !strings.Contains(found[0], jCashDonor) || !strings.Contains(found[0], number) || !strings.Contains(found[0], "500.000 đ") {
		e.shot("search")
		t.Fatalf("search 'an dang van' found %q", found)
	}
	if s := e.text(); strings.Contains(s, jAddress) {
		t.Errorf("the public page shows the donor's address")
	}
	e.shot("search")

	// Its inclusion proof, verified by the page and again here.
	e.andWait(chromedp.Click(chromedp.CSS(`table tbody tr a[href*="/kiem-tra?seq="]`)))
	seq, _ := strconv.ParseInt(get(e, chromedp.Evaluate[string](`new URLSearchParams(location.search).get("seq")`)), 10, 64)
	if seq != 5 { // four imported receipts (the bank fee is left for review), then the cash receipt
		t.Fatalf("proof page of entry %d, want 5", seq)
	}
	verified := strings.TrimSpace(get(e, chromedp.Text(chromedp.CSS(`.badge.ok`))))
	if !strings.HasPrefix(verified, "Đã kiểm chứng: bút toán 5 nằm trong nhật ký 6 bút toán có chữ ký") {
		e.shot("proof")
		t.Fatalf("the proof page says %q", verified)
	}
	// The visitor's browser checks the proof itself, with the public key.
	e.run(chromedp.WaitVisible(chromedp.CSS(`#browser-check[data-state="ok"], #browser-check[data-state="fail"]`)))
	if s := get(e, chromedp.Text(chromedp.CSS(`#browser-check`))); !strings.HasPrefix(s, "Trình duyệt của bạn đã tự kiểm chứng: bút toán 5 cho ra đúng mã băm") {
		e.shot("proof")
		t.Fatalf("the browser's own check says %q", s)
	}
	e.shot("proof")
	e.verifyInclusion(seq)

	t.Logf("the journey took %s (aim: under 60 s)", time.Since(start).Round(time.Second))
}

// importID is the id of the import whose page is open.
func (e *env) importID() string {
	e.t.Helper()
	p := get(e, chromedp.Evaluate[string](`location.pathname`))
	return p[strings.LastIndexByte(p, '/')+1:]
}

// inclusion is the JSON of the public inclusion endpoint.
type inclusion struct {
	Seq   int64 `json:"seq"`
	Size  int64 `json:"size"`
	Entry struct {
		Seq      int64
		Kind     string
		Date     string
		Amount   int64
		Ref      string
		BankRef  string
		Channel  string
		Party    string
		Note     string
		Reverses int64
	} `json:"entry"`
	RecordHash string   `json:"record_hash"`
	Proof      []string `json:"proof"`
	Checkpoint string   `json:"checkpoint"`
}

// verifyInclusion checks, with golang.org/x/mod/sumdb alone, the proof the
// open proof page links to: the checkpoint is signed by the public key the
// fund publishes, the entry's published fields give the record hash, and
// the proof leads from it to the signed root. A changed amount must fail.
func (e *env) verifyInclusion(seq int64) {
	t := e.t
	t.Helper()
	jsonURL := e.attr(`a[href*="/inclusion?seq="]`, "href")
	st, _, body := e.fetch(jsonURL)
	var inc inclusion
	if st != 200 || json.Unmarshal(body, &inc) != nil {
		t.Fatalf("inclusion %s: HTTP %d %.300s", jsonURL, st, body)
	}
	st, _, body = e.fetch("/api/v1/public/funds/" + jFundCode + "/checkpoint")
	var cp struct {
		Size       int64  `json:"size"`
		Checkpoint string `json:"checkpoint"`
		PublicKey  string `json:"public_key"`
	}
	if st != 200 || json.Unmarshal(body, &cp) != nil {
		t.Fatalf("checkpoint: HTTP %d %.300s", st, body)
	}
	if shown := get(e, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("pre")).map(p => p.textContent.trim())`)); !has(shown, cp.PublicKey) {
		t.Errorf("the proof page does not show the published key %q", cp.PublicKey)
	}
	if inc.Seq != seq || inc.Entry.Seq != seq || inc.Size != cp.Size || inc.Checkpoint != cp.Checkpoint {
		t.Fatalf("inclusion of %d in %d, latest checkpoint %d", inc.Seq, inc.Size, cp.Size)
	}
	if inc.Entry.Party != jCashDonor || inc.Entry.Amount != 500_000 || inc.Entry.Kind != "receipt" || inc.Entry.Channel != "cash" {
		t.Fatalf("the proven entry is %+v", inc.Entry)
	}
	v, err := note.NewVerifier(cp.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open([]byte(inc.Checkpoint), note.VerifierList(v))
	if err != nil {
		t.Fatalf("the checkpoint's signature: %v", err)
	}
	tree := strings.Split(n.Text, "\n")
	if len(tree) != 4 || tree[0] != "giaoban fund "+jFundCode || tree[1] != strconv.FormatInt(inc.Size, 10) {
		t.Fatalf("checkpoint text %q", n.Text)
	}
	root, err := tlog.ParseHash(tree[2])
	if err != nil {
		t.Fatal(err)
	}
	var proof tlog.RecordProof
	for _, s := range inc.Proof {
		h, err := tlog.ParseHash(s)
		if err != nil {
			t.Fatal(err)
		}
		proof = append(proof, h)
	}
	if pre := get(e, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("pre")).map(p => p.textContent.trim())`)); !has(pre, strings.Join(inc.Proof, "\n")) {
		t.Errorf("the page's proof is not the JSON's: %q", pre)
	}
	recordHash := func(x int64) tlog.Hash {
		en := inc.Entry
		canon := fmt.Sprintf("giaoban-fund-entry/1\nseq=%d\nkind=%s\ndate=%s\namount=%d\nref=%s\nbank_ref=%s\nchannel=%s\nparty=%s\nnote=%s\nreverses=%d\n",
			en.Seq, en.Kind, en.Date, x, en.Ref, en.BankRef, en.Channel, en.Party, en.Note, en.Reverses)
		return tlog.Hash(sha256.Sum256(append([]byte{0}, canon...)))
	}
	h := recordHash(inc.Entry.Amount)
	if h.String() != inc.RecordHash {
		t.Fatalf("the entry's fields hash to %s, the log has %s", h, inc.RecordHash)
	}
	if err := tlog.CheckRecord(proof, inc.Size, root, seq-1, h); err != nil {
		t.Fatalf("the inclusion proof does not verify: %v", err)
	}
	forged := recordHash(5_000_000)
	if err := tlog.CheckRecord(proof, inc.Size, root, seq-1, forged); err == nil {
		t.Fatal("the proof also verifies a changed amount")
	}

	// The page's own check, in the browser, refuses what was altered: an
	// amount, an amount with its hash recomputed, a checkpoint of another
	// size, and the right checkpoint under another key of the same name.
	_, otherKey, err := note.GenerateKey(nil, v.Name())
	if err != nil {
		t.Fatal(err)
	}
	got := get(e, chromedp.Evaluate[map[string]string](fmt.Sprintf(`(async () => {
		const el = document.getElementById("browser-check");
		const inc = await (await fetch(el.dataset.inclusion)).json();
		const check = async (key, alter) => {
			const x = structuredClone(inc);
			alter(x);
			try { await giaobanVerifyInclusion(x, key); return "ok" } catch (e) { return e.message }
		};
		const key = el.dataset.key;
		return {
			asIs: await check(key, x => {}),
			amount: await check(key, x => { x.entry.Amount = 5000000 }),
			rehashed: await check(key, x => { x.entry.Amount = 5000000; x.record_hash = %q }),
			size: await check(key, x => { x.size += 1; x.checkpoint = x.checkpoint.replace("\n" + inc.size + "\n", "\n" + x.size + "\n") }),
			otherKey: await check(%q, x => {}),
			every: (await Promise.all(Array.from({length: inc.size}, async (_, i) => {
				const x = await (await fetch(el.dataset.inclusion.replace(/seq=\d+/, "seq=" + (i + 1)))).json();
				try { await giaobanVerifyInclusion(x, key); return "ok" } catch (e) { return (i + 1) + ":" + e.message }
			}))).join(" "),
		};
	})()`, forged.String(), otherKey), chromedp.EvalAwaitPromise))
	want := map[string]string{"asIs": "ok", "amount": "hash", "rehashed": "proof", "size": "signature", "otherKey": "signature"}
	want["every"] = strings.TrimSpace(strings.Repeat("ok ", int(inc.Size)))
	for k, w := range want {
		if got[k] != w {
			t.Errorf("in-browser check of %s: %q, want %q", k, got[k], w)
		}
	}
}
