package fund_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"giaoban/internal/fund"
	"giaoban/internal/platform/db"
)

// TestReceiptPDF writes the receipt of a tricky amount and, when pdftotext
// is installed, reads the amount in words back from the PDF.
func TestReceiptPDF(t *testing.T) {
	f := &fund.Fund{Code: "COVID19", Name: "Quỹ phòng, chống dịch Covid-19 huyện Ia Grai Nam", UnitName: "Ủy ban MTTQ Việt Nam huyện Ia Grai Nam", AreaName: "Huyện Ia Grai Nam"}
	for _, c := range []struct {
		amount int64
		words  string
	}{
		{348_000_000, "Ba trăm bốn mươi tám triệu đồng chẵn"},
		{1_005_000, "Một triệu không trăm linh năm nghìn đồng chẵn"},
		{21_515, "Hai mươi mốt nghìn năm trăm mười lăm đồng"},
		{2_000_000_024, "Hai tỷ không trăm hai mươi tư đồng"},
	} {
		e := &fund.Entry{Seq: 7, Kind: "receipt", Date: db.D(2021, 8, 26), Amount: c.amount, Ref: "PT-COVID19-2021-000007", Channel: "cash",
			Party: "Ẩn danh", DonorName: "Nguyễn Thị Hoà", Anonymous: true, Address: "Thôn 3, xã Ia Tô", CreatedBy: "thuky"}
		var buf bytes.Buffer
		if err := fund.WriteReceiptPDF(&buf, f, e, "https://giaoban.example.vn"); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
			t.Fatal("not a PDF")
		}
		bin, err := exec.LookPath("pdftotext")
		if err != nil {
			continue
		}
		path := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(path, buf.Bytes(), 0o600)
		out, err := exec.Command(bin, "-layout", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{c.words, "PHIẾU THU", "PT-COVID19-2021-000007", "Nguyễn Thị Hoà", "ngày 26 tháng 8 năm 2021", "https://giaoban.example.vn/quy/COVID19/kiem-tra?seq=7"} {
			if !strings.Contains(text, want) {
				t.Errorf("%d: the PDF text lacks %q:\n%s", c.amount, want, text)
			}
		}
		if os.Getenv("FUND_KEEP_PDF") != "" {
			os.WriteFile(os.Getenv("FUND_KEEP_PDF"), buf.Bytes(), 0o644)
		}
	}
}
