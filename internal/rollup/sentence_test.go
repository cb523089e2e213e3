package rollup

import (
	"strings"
	"testing"

	"giaoban/internal/indicator"
	"giaoban/internal/period"
)

func TestRenderSentences(t *testing.T) {
	money := func(v int64) Figure { return Figure{V: v, Type: indicator.Money} }
	count := func(v int64) Figure { return Figure{V: v, Type: indicator.Integer} }
	covid := "Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền {money}"
	support := "Tổ chức thăm hỏi, tặng quà, hỗ trợ kinh phí các chốt kiểm soát Covid-19, bệnh nhân cách ly tại Trung tâm Y tế huyện và lực lượng truy vết với số tiền {money}"
	houses := "Bàn giao và đưa vào sử dụng {NHA_TINH_NGHIA_BAN_GIAO} ngôi nhà Tình nghĩa[, {NHA_DDK_BAN_GIAO} ngôi nhà Đại đoàn kết]"
	cases := []struct {
		name, tmpl, self string
		figs             map[string]Figure
		lang, want       string
		ok               bool
	}{
		{"article money", covid, "Q", map[string]Figure{"Q": money(348_000_000)}, "vi", "Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền 348 triệu đồng", true},
		{"more than", support, "Q", map[string]Figure{"Q": money(14_250_000)}, "vi", "Tổ chức thăm hỏi, tặng quà, hỗ trợ kinh phí các chốt kiểm soát Covid-19, bệnh nhân cách ly tại Trung tâm Y tế huyện và lực lượng truy vết với số tiền hơn 14 triệu đồng", true},
		{"billions", covid, "Q", map[string]Figure{"Q": money(1_200_000_000)}, "vi", "Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền 1,2 tỷ đồng", true},
		{"more than billions", covid, "Q", map[string]Figure{"Q": money(2_560_000_000)}, "vi", "Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền hơn 2,5 tỷ đồng", true},
		{"thousands", covid, "Q", map[string]Figure{"Q": money(850_000)}, "vi", "Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền 850 nghìn đồng", true},
		{"zero drops the sentence", covid, "Q", map[string]Figure{"Q": money(0)}, "vi", "", false},
		{"missing drops the sentence", covid, "Q", nil, "vi", "", false},
		{"houses both", houses, "NHA_TINH_NGHIA_BAN_GIAO", map[string]Figure{"NHA_TINH_NGHIA_BAN_GIAO": count(12), "NHA_DDK_BAN_GIAO": count(5)}, "vi",
			"Bàn giao và đưa vào sử dụng 12 ngôi nhà Tình nghĩa, 5 ngôi nhà Đại đoàn kết", true},
		{"houses without ĐĐK", houses, "NHA_TINH_NGHIA_BAN_GIAO", map[string]Figure{"NHA_TINH_NGHIA_BAN_GIAO": count(3), "NHA_DDK_BAN_GIAO": count(0)}, "vi",
			"Bàn giao và đưa vào sử dụng 3 ngôi nhà Tình nghĩa", true},
		{"houses without Tình nghĩa", houses, "NHA_TINH_NGHIA_BAN_GIAO", map[string]Figure{"NHA_DDK_BAN_GIAO": count(4)}, "vi", "", false},
		{"counts with dots", "Vận động {value} lượt hiến máu", "H", map[string]Figure{"H": count(12345)}, "vi", "Vận động 12.345 lượt hiến máu", true},
		{"money of another code", "Hỗ trợ {value} hộ[ với tổng giá trị {TIEN}]", "H", map[string]Figure{"H": count(40), "TIEN": money(95_500_000)}, "vi",
			"Hỗ trợ 40 hộ với tổng giá trị hơn 95 triệu đồng", true},
		{"english money", "Received {money}", "Q", map[string]Figure{"Q": money(1_250_000_000)}, "en", "Received more than 1.2 billion đồng", true},
		{"decimal", "Làm {value} km đường", "K", map[string]Figure{"K": {V: 125, Type: indicator.Decimal, Scale: 1}}, "vi", "Làm 12,5 km đường", true},
		{"english counts with commas", "{value} people attended", "H", map[string]Figure{"H": count(22524)}, "en", "22,524 people attended", true},
		{"english decimal", "{value} km of road", "K", map[string]Figure{"K": {V: 12345, Type: indicator.Decimal, Scale: 1}}, "en", "1,234.5 km of road", true},
		{"english millions", "Received {money}", "Q", map[string]Figure{"Q": money(14_250_000)}, "en", "Received more than 14 million đồng", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, ok := Render(c.tmpl, c.self, c.figs, c.lang)
			if got != c.want || ok != c.ok {
				t.Errorf("got %q (%v), want %q (%v)", got, ok, c.want, c.ok)
			}
		})
	}
}

// TestDraftClaimsQuotedIndicators: the combined houses sentence says the
// Great Solidarity houses, so they get no sentence of their own; when
// there are no Gratitude houses, theirs comes back.
func TestDraftClaimsQuotedIndicators(t *testing.T) {
	ddk := &indicator.Indicator{Code: "NHA_DDK_BAN_GIAO", ValueType: indicator.Integer, Section: "nha"}
	tn := &indicator.Indicator{Code: "NHA_TINH_NGHIA_BAN_GIAO", ValueType: indicator.Integer, Section: "nha"}
	tmpls := map[string]Template{
		"NHA_DDK_BAN_GIAO":        {VI: "Bàn giao và đưa vào sử dụng {value} ngôi nhà Đại đoàn kết"},
		"NHA_TINH_NGHIA_BAN_GIAO": {VI: "Bàn giao và đưa vào sử dụng {NHA_TINH_NGHIA_BAN_GIAO} ngôi nhà Tình nghĩa[, {NHA_DDK_BAN_GIAO} ngôi nhà Đại đoàn kết]"},
	}
	tab := func(tnv, ddkv int64) *Table {
		return &Table{Period: period.MustParse("2022Q2"), Sections: []Section{{Code: "nha", Rows: []Row{
			{Ind: ddk, Code: ddk.Code, Total: Cell{ddkv, ddkv != 0}}, {Ind: tn, Code: tn.Code, Total: Cell{tnv, tnv != 0}}}}}}
	}
	got := DraftHTML(tab(9, 3), tmpls, "vi")
	if !strings.Contains(got, "9 ngôi nhà Tình nghĩa, 3 ngôi nhà Đại đoàn kết") || strings.Count(got, "Đại đoàn kết") != 1 {
		t.Errorf("combined: %s", got)
	}
	if !strings.Contains(got, "Trong quý II năm 2022") {
		t.Errorf("lead: %s", got)
	}
	got = DraftHTML(tab(0, 3), tmpls, "vi")
	if !strings.Contains(got, "Bàn giao và đưa vào sử dụng 3 ngôi nhà Đại đoàn kết.") {
		t.Errorf("alone: %s", got)
	}
	if DraftHTML(tab(0, 0), tmpls, "vi") != "" {
		t.Error("nothing to say should draft nothing")
	}
}

func TestPeriodPhrase(t *testing.T) {
	for code, want := range map[string]string{"2021Q3": "Quý III năm 2021", "202108": "tháng 8 năm 2021", "2021S1": "6 tháng đầu năm 2021",
		"2021N9": "9 tháng đầu năm 2021", "2021": "năm 2021"} {
		if got := PeriodPhrase(period.MustParse(code), "vi"); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
	if got := Subject(period.MustParse("2021Q3"), "vi"); got != "Kết quả hoạt động công tác Mặt trận và các tổ chức chính trị - xã hội Quý III năm 2021" {
		t.Errorf("subject %q", got)
	}
}
