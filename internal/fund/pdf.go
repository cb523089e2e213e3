package fund

import (
	"cmp"
	"io"
	"strconv"
	"strings"

	"giaoban/internal/docgen"
	"giaoban/internal/fund/translog"
	"giaoban/internal/fund/vietqr"
	"giaoban/internal/vn"
)

// place is the place name of a document's date line: the area's name
// without its level ("Huyện Ia Grai Nam" → "Ia Grai Nam").
func place(area string) string {
	for _, p := range []string{"Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Quận ", "Thị trấn ", "Xã ", "Phường "} {
		if s, ok := strings.CutPrefix(area, p); ok {
			return s
		}
	}
	return area
}

func channelText(e *Entry) string {
	switch e.Channel {
	case translog.ChannelCash:
		return "Tiền mặt"
	case translog.ChannelTransfer:
		s := "Chuyển khoản"
		if e.BankRef != "" && !strings.HasPrefix(e.BankRef, "AUTO-") {
			s += " (số tham chiếu " + e.BankRef + ")"
		}
		return s
	case translog.ChannelInKind:
		return "Hiện vật: " + e.InKind
	}
	return ""
}

// WriteReceiptPDF writes the receipt (phiếu thu) of a receipt entry: the
// managing unit, the receipt number and date, the donor (the real name
// even for a donor published as anonymous: the receipt is theirs), the
// amount in figures and in words, and the signature lines. It uses the
// administrative layout of package docgen (Liberation Serif embedded).
// site is the address of the public pages ("https://giaoban.example.vn"),
// printed so a reader can find the entry; "" prints the path alone.
func WriteReceiptPDF(w io.Writer, f *Fund, e *Entry, site string) error {
	name := e.DonorName
	if name == "" {
		name = e.Party
	}
	reason := "Ủng hộ " + f.Name
	runs := func(label, value string, bold bool) docgen.Paragraph {
		return docgen.Paragraph{Runs: []docgen.Run{{Text: label}, {Text: value, Bold: bold}}}
	}
	words := vn.MoneyWordsChan(e.Amount)
	blocks := []docgen.Block{
		runs("Họ và tên người nộp: ", name, true),
	}
	if e.Address != "" {
		blocks = append(blocks, runs("Địa chỉ: ", e.Address, false))
	}
	blocks = append(blocks,
		runs("Lý do nộp: ", reason, false),
		runs("Hình thức: ", channelText(e), false),
		runs("Số tiền: ", vn.FormatMoney(e.Amount), true),
		docgen.Paragraph{Runs: []docgen.Run{{Text: "Viết bằng chữ: "}, {Text: words + ".", Italic: true}}},
	)
	if e.Anonymous {
		blocks = append(blocks, docgen.Text("Người nộp đề nghị không công khai tên: trong bảng kê công khai ghi \"Ẩn danh\"."))
	}
	if e.TransferNote != "" && e.Channel == translog.ChannelTransfer {
		blocks = append(blocks, runs("Nội dung chuyển khoản: ", e.TransferNote, false))
	}
	blocks = append(blocks,
		docgen.Text("Bút toán số "+vn.FormatInt(e.Seq)+" trong sổ quỹ công khai; tra cứu và kiểm chứng tại trang "+site+"/quy/"+f.Code+"/kiem-tra?seq="+strconv.FormatInt(e.Seq, 10)+"."),
		docgen.Table{
			Columns: []docgen.Column{{Title: "NGƯỜI NỘP TIỀN", Align: docgen.AlignCenter}, {Title: "NGƯỜI LẬP PHIẾU", Align: docgen.AlignCenter},
				{Title: "THỦ QUỸ", Align: docgen.AlignCenter}, {Title: "THỦ TRƯỞNG ĐƠN VỊ", Align: docgen.AlignCenter}},
			Rows: [][]docgen.Cell{
				{docgen.TextCell("(Ký, ghi rõ họ tên)"), docgen.TextCell("(Ký, ghi rõ họ tên)"), docgen.TextCell("(Ký, ghi rõ họ tên)"), docgen.TextCell("(Ký, họ tên, đóng dấu)")},
				{docgen.TextCell("\n\n\n"), docgen.TextCell("\n\n\n"), docgen.TextCell("\n\n\n"), docgen.TextCell("\n\n\n")},
				{docgen.TextCell(name), docgen.TextCell(cmp.Or(e.CreatedByName, e.CreatedBy)), docgen.TextCell(""), docgen.TextCell("")},
			},
		},
	)
	d := docgen.Document{
		Header:  docgen.Header{ParentBody: "Mặt trận Tổ quốc Việt Nam", IssuingBody: f.UnitName, Motto1: "-"},
		Number:  e.Ref,
		Place:   place(f.AreaName),
		Date:    e.Date.Time,
		Kind:    "PHIẾU THU",
		Subject: "(Biên nhận tiền, hàng ủng hộ " + f.Name + ")",
		Blocks:  blocks,
	}
	return docgen.WritePDF(w, d)
}

// writePosterPDF writes the donation poster: the fund, the account and
// the VietQR code with the fund's transfer note.
func writePosterPDF(w io.Writer, t *qrTarget, site string) error {
	png, err := vietqr.PNG(t.Payload, 1024)
	if err != nil {
		return err
	}
	a := t.Account
	blocks := []docgen.Block{
		docgen.Image{PNG: png, WidthMM: 90, Caption: "Quét mã VietQR bằng ứng dụng ngân hàng để chuyển khoản"},
		docgen.Paragraph{Runs: []docgen.Run{{Text: "Ngân hàng: "}, {Text: a.BankName, Bold: true}}},
		docgen.Paragraph{Runs: []docgen.Run{{Text: "Số tài khoản: "}, {Text: a.AccountNo, Bold: true}}},
		docgen.Paragraph{Runs: []docgen.Run{{Text: "Chủ tài khoản: "}, {Text: a.Holder, Bold: true}}},
		docgen.Paragraph{Runs: []docgen.Run{{Text: "Nội dung chuyển khoản: "}, {Text: t.Note + " <Họ tên người ủng hộ>", Bold: true}}},
	}
	if t.Amount > 0 {
		blocks = append(blocks, docgen.Paragraph{Runs: []docgen.Run{{Text: "Số tiền: "}, {Text: vn.FormatMoney(t.Amount), Bold: true}}})
	}
	blocks = append(blocks, docgen.Text("Mọi khoản ủng hộ được công khai, tra cứu và kiểm chứng tại trang "+site+"/quy/"+t.Fund.Code+"."))
	d := docgen.Document{
		Header:  docgen.Header{ParentBody: "Mặt trận Tổ quốc Việt Nam", IssuingBody: t.Fund.UnitName, Motto1: "-"},
		Kind:    "THƯ KÊU GỌI ỦNG HỘ",
		Subject: t.Fund.Name,
		Blocks:  blocks,
	}
	return docgen.WritePDF(w, d)
}
