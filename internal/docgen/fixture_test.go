package docgen

import (
	"testing"
	"time"
)

// The Vietnamese letters: every vowel with every tone, and đ.
const (
	vietUpper = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
	vietLower = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)

// q3Report is the skeleton of the bloc's Q3 2021 report with the figures of
// the seed article. The district is fictional (the article does not name
// it); "Ia Grai" stands in for the place line.
func q3Report(t testing.TB) Document {
	chart, err := BarChart("Kết quả Quý III năm 2021 theo tổ chức",
		[]string{"Ủy ban MTTQ huyện", "Hội Nông dân", "Hội LHPN", "Huyện đoàn", "Hội CCB", "Liên đoàn Lao động"},
		[]Series{
			{Name: "Buổi tuyên truyền", Values: []float64{12, 9, 11, 8, 5, 4}},
			{Name: "Lượt người tham dự", Values: []float64{640, 410, 520, 380, 210, 190}},
		}, 1600, 800)
	if err != nil {
		t.Fatal(err)
	}
	money := func(v int64) Cell { return IntCell(v) }
	return Document{
		Header: Header{
			ParentBody:  "UBMTTQ VIỆT NAM TỈNH GIA LAI",
			IssuingBody: "BAN THƯỜNG TRỰC UBMTTQ HUYỆN IA GRAI",
		},
		Number:  "45/BC-MTTQ",
		Place:   "Ia Grai",
		Date:    time.Date(2021, 8, 26, 0, 0, 0, 0, time.UTC),
		Kind:    "Báo cáo",
		Subject: "Kết quả hoạt động công tác Mặt trận và các tổ chức chính trị - xã hội Quý III, chương trình công tác Quý IV năm 2021",
		Blocks: []Block{
			Heading{Level: 1, Text: "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ III NĂM 2021"},
			Text("Trong quý III, Mặt trận và các tổ chức thành viên các cấp đã tập trung đẩy mạnh các hoạt động tuyên truyền, vận động nhân dân tích cực hưởng ứng các phong trào thi đua yêu nước lập thành tích chào mừng các ngày lễ diễn ra trong quý."),
			Heading{Level: 2, Text: "1. Công tác an sinh xã hội, phòng, chống dịch Covid-19"},
			Paragraph{Runs: []Run{
				{Text: "Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền "},
				{Text: "348 triệu đồng", Bold: true},
				{Text: ". Tổ chức thăm hỏi, tặng quà, hỗ trợ kinh phí các chốt kiểm soát Covid-19 và các bệnh nhân cách ly tại Trung tâm Y tế huyện và lực lượng truy vết với số tiền "},
				{Text: "hơn 14 triệu đồng", Bold: true},
				{Text: "."},
			}},
			Text("Bàn giao và đưa vào sử dụng 7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết; đảm bảo an sinh xã hội."),
			Table{
				Caption: "Bảng 1. Kết quả vận động và hỗ trợ Quý III năm 2021",
				Columns: []Column{
					{Title: "TT", Width: 0.5, Align: AlignCenter},
					{Title: "Nội dung", Width: 4},
					{Title: "Đơn vị tính", Width: 1.2, Align: AlignCenter},
					{Title: "Kết quả", Width: 1.8, Numeric: true},
				},
				Rows: [][]Cell{
					{TextCell("1"), TextCell("Tiếp nhận ủng hộ phòng, chống dịch Covid-19"), TextCell("đồng"), money(348_000_000)},
					{TextCell("2"), TextCell("Hỗ trợ chốt kiểm soát, bệnh nhân cách ly, lực lượng truy vết"), TextCell("đồng"), money(14_250_000)},
					{TextCell("3"), TextCell("Nhà Tình nghĩa bàn giao"), TextCell("ngôi nhà"), IntCell(7)},
					{TextCell("4"), TextCell("Nhà Đại đoàn kết bàn giao"), TextCell("ngôi nhà"), IntCell(2)},
				},
			},
			Image{PNG: chart, WidthMM: 150, Caption: "Biểu đồ 1. Tuyên truyền, giáo dục pháp luật theo tổ chức"},
			Heading{Level: 2, Text: "2. Công tác tuyên truyền, vận động"},
			List{Items: []string{
				"Tuyên truyền, giáo dục pháp luật trong đoàn viên, hội viên và quần chúng nhân dân trên địa bàn huyện;",
				"Đẩy mạnh thực hiện Cuộc vận động “Làm thay đổi nếp nghĩ, cách làm của đồng bào dân tộc thiểu số, làm cho đồng bào dân tộc thiểu số vươn lên thoát nghèo bền vững”;",
				"Phối hợp với Ban Dân vận Huyện ủy khảo sát, đánh giá tình trạng tảo hôn, hôn nhân cận huyết thống.",
			}},
			Heading{Level: 1, Text: "II. CHƯƠNG TRÌNH CÔNG TÁC QUÝ IV NĂM 2021"},
			Text("Tập trung rà soát, đẩy nhanh tiến độ thực hiện các nhiệm vụ theo kế hoạch năm 2021 đã đề ra; thực hiện tốt phương châm “Hằng tuần có 04 ngày làm việc ở cơ quan, 01 ngày làm việc ở cơ sở”."),
		},
		Signature: Signature{OnBehalf: "TM. Ban Thường trực", Title: "Phó Chủ tịch", Name: "Nguyễn Thị Minh Hạnh"},
		Recipients: []string{
			"Ban Thường trực UBMTTQ tỉnh (b/c);",
			"Thường trực Huyện ủy (b/c);",
			"Các tổ chức thành viên;",
			"Lưu: VT.",
		},
	}
}

// allBlocks is a document with every block type, every Vietnamese letter
// and a table long enough to continue on a second page.
func allBlocks(t testing.TB) Document {
	d := q3Report(t)
	rows := [][]Cell{{TextCell("(1)"), TextCell("(2)"), TextCell("(3)")}}
	for i := 1; i <= 45; i++ {
		rows = append(rows, []Cell{IntCell(int64(i)), TextCell("Xã Ia Dêr thôn " + string([]rune(vietLower)[:6])), IntCell(int64(i) * 1_250_000)})
	}
	rows = append(rows, []Cell{TextCell(""), TextCell("Tổng cộng"), IntCell(1_293_750_000)})
	line, err := LineChart("Số tiền tiếp nhận theo quý (đồng)", []string{"Quý I/2021", "Quý II/2021", "Quý III/2021", "Quý IV/2021"},
		[]Series{{Name: "Tiếp nhận", Values: []float64{52e6, 80e6, 348e6, 120e6}}, {Name: "Chi hỗ trợ", Values: []float64{10e6, 30e6, 14.25e6, 60e6}}}, 1200, 600)
	if err != nil {
		t.Fatal(err)
	}
	d.Blocks = append(d.Blocks,
		Heading{Level: 3, Text: "Chữ hoa: " + vietUpper},
		Paragraph{Runs: []Run{
			{Text: "Chữ thường: "}, {Text: vietLower, Italic: true},
			{Text: " — in đậm: "}, {Text: "Đại đoàn kết toàn dân tộc", Bold: true},
			{Text: " — đậm nghiêng: "}, {Text: "Ỷ Ỹ Ỵ ữ ự", Bold: true, Italic: true},
			{Text: " <&> \"ký tự\" đặc biệt."},
		}},
		PageBreak{},
		Table{
			Caption:    "Bảng 2. Tiếp nhận theo xã",
			Columns:    []Column{{Title: "STT", Width: 0.6, Align: AlignCenter}, {Title: "Đơn vị", Width: 3}, {Title: "Số tiền (đồng)", Width: 1.6, Money: true}},
			Rows:       rows,
			HeaderRows: 1,
			TotalRow:   true,
		},
		Image{PNG: line, Caption: "Biểu đồ 2. Tiếp nhận và chi hỗ trợ theo quý"},
	)
	return d
}

// fixtureTexts are strings every writer must carry through.
var fixtureTexts = []string{
	"UBMTTQ VIỆT NAM TỈNH GIA LAI",
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	"Độc lập - Tự do - Hạnh phúc",
	"Số: 45/BC-MTTQ",
	"Ia Grai, ngày 26 tháng 8 năm 2021",
	"BÁO CÁO",
	"Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền 348 triệu đồng",
	"hơn 14 triệu đồng",
	"Bàn giao và đưa vào sử dụng 7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết",
	"348.000.000",
	"14.250.000",
	"Bảng 1. Kết quả vận động và hỗ trợ Quý III năm 2021",
	"Biểu đồ 1. Tuyên truyền, giáo dục pháp luật theo tổ chức",
	"- Tuyên truyền, giáo dục pháp luật trong đoàn viên, hội viên",
	"TM. BAN THƯỜNG TRỰC",
	"PHÓ CHỦ TỊCH",
	"Nguyễn Thị Minh Hạnh",
	"Nơi nhận:",
	"- Lưu: VT.",
}

// allBlocksTexts are the extra strings of allBlocks.
var allBlocksTexts = []string{
	"Tổng cộng",
	"1.293.750.000",
	"Đại đoàn kết toàn dân tộc",
	"Ỷ Ỹ Ỵ ữ ự",
	"<&> \"ký tự\" đặc biệt.",
	"Bảng 2. Tiếp nhận theo xã",
	"Biểu đồ 2. Tiếp nhận và chi hỗ trợ theo quý",
}

// wrapped lists the long unbroken strings that may wrap inside a word.
var wrapped = map[string]bool{vietUpper: true, vietLower: true}
