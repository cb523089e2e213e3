package indicator

import (
	"slices"
	"strings"
	"testing"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
)

// articleFacts maps each fact of the seed article (Hội nghị giao ban Quý
// III/2021) and of the chair's directives to the indicators that carry it.
var articleFacts = []struct {
	fact  string
	codes []string
}{
	{"tuyên truyền, vận động nhân dân hưởng ứng các phong trào thi đua yêu nước", []string{"TUYEN_TRUYEN_BUOI", "TUYEN_TRUYEN_LUOT", "PHONG_TRAO_THI_DUA"}},
	{"lập thành tích chào mừng các ngày lễ", []string{"HOAT_DONG_CHAO_MUNG_NGAY_LE"}},
	{"tiếp nhận ủng hộ phòng, chống dịch Covid-19: 348 triệu đồng", []string{"QUY_COVID_TIEP_NHAN"}},
	{"thăm hỏi, tặng quà, hỗ trợ chốt kiểm soát, bệnh nhân cách ly, lực lượng truy vết: hơn 14 triệu đồng", []string{"QUY_COVID_CHI_HO_TRO", "QUY_COVID_LUOT_THAM_HOI"}},
	{"tuyên truyền, giáo dục pháp luật trong đoàn viên, hội viên và quần chúng nhân dân", []string{"TUYEN_TRUYEN_PHAP_LUAT_BUOI", "TUYEN_TRUYEN_PHAP_LUAT_LUOT"}},
	{"bàn giao và đưa vào sử dụng 7 nhà Tình nghĩa", []string{"NHA_TINH_NGHIA_BAN_GIAO", "NHA_TINH_NGHIA_KHOI_CONG", "NHA_TINH_NGHIA_BAN_GIAO_LUY_KE"}},
	{"bàn giao và đưa vào sử dụng 2 nhà Đại đoàn kết", []string{"NHA_DDK_BAN_GIAO", "NHA_DDK_KHOI_CONG", "NHA_DDK_BAN_GIAO_LUY_KE"}},
	{"đảm bảo an sinh xã hội", []string{"HO_NGHEO_DUOC_HO_TRO", "HO_TRO_AN_SINH_TIEN", "HO_KHO_KHAN_COVID_HO_TRO"}},
	{"Cuộc vận động đồng bào dân tộc thiểu số vươn lên thoát nghèo bền vững", []string{"CVD_DTTS_BUOI", "CVD_DTTS_LUOT", "CVD_DTTS_HO_DANG_KY", "HO_THOAT_NGHEO"}},
	{"nắm bắt và phản ánh nguyện vọng của nhân dân", []string{"Y_KIEN_NHAN_DAN_TIEP_NHAN", "Y_KIEN_NHAN_DAN_PHAN_ANH"}},
	{"phối hợp với Ban Dân vận khảo sát tảo hôn, hôn nhân cận huyết thống", []string{"KHAO_SAT_TAO_HON_CUOC", "KHAO_SAT_TAO_HON_HO", "KHAO_SAT_PHOI_HOP", "TAO_HON_TRUONG_HOP", "HON_NHAN_CAN_HUYET_TRUONG_HOP"}},
	{"tuyên truyền cán bộ, hội viên tham gia hiến máu tình nguyện", []string{"HIEN_MAU_LUOT", "HIEN_MAU_DON_VI"}},
	{"hoạt động từ thiện, nhân đạo", []string{"TU_THIEN_QUA_SUAT", "TU_THIEN_TIEN"}},
	{"đền ơn đáp nghĩa", []string{"DEN_ON_QUA_SUAT", "DEN_ON_QUA_TIEN"}},
	{"tham gia xây dựng nông thôn mới", []string{"NTM_TUYEN_TRUYEN_BUOI", "NTM_NGAY_CONG", "NTM_TIEU_CHI_DAT"}},
	{"mô hình phát triển kinh tế giúp nhau thoát nghèo", []string{"MO_HINH_KINH_TE", "HO_THOAT_NGHEO"}},
	{"phòng, chống dịch Covid-19 (\"5K + vắc xin\")", []string{"COVID_TUYEN_TRUYEN_BUOI", "COVID_TUYEN_TRUYEN_LUOT", "COVID_VAN_DONG_TIEM_VAC_XIN"}},
	{"phòng bệnh viêm da nổi cục trên trâu, bò", []string{"VIEM_DA_NOI_CUC_TUYEN_TRUYEN", "VIEM_DA_NOI_CUC_HO"}},
	{"phòng trừ sâu, bệnh trên cây trồng, vật nuôi", []string{"PHONG_TRU_SAU_BENH_BUOI"}},
	{"nắm bắt tư tưởng, dư luận, tâm trạng của đoàn viên, hội viên, nhân dân", []string{"DU_LUAN_NOI_BAT"}},
	{"đổi mới nội dung, phương thức hoạt động", []string{"MO_HINH_CACH_LAM_MOI"}},
	{"\"Hằng tuần có 04 ngày làm việc ở cơ quan, 01 ngày làm việc ở cơ sở\"", []string{"NGAY_CONG_TAC_CO_SO"}},
	{"kiểm tra, đôn đốc Hội, Đoàn cơ sở thực hiện đúng Điều lệ", []string{"KIEM_TRA_CO_SO_CUOC"}},
	{"phối hợp với các cơ quan, đơn vị, các xã, thị trấn", []string{"PHOI_HOP_CHUONG_TRINH"}},
	{"giám sát, phản biện xã hội (nhiệm vụ của Mặt trận)", []string{"GIAM_SAT_CUOC", "PHAN_BIEN_CUOC"}},
	{"xây dựng tổ chức: hội viên, kết nạp mới", []string{"HOI_VIEN_TONG_SO", "HOI_VIEN_KET_NAP"}},
}

func TestInstallDefault(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx, s := testCtx(t), &Store{DB: d}
		orgs := addDemoOrgs(t, d)
		if empty, err := s.IsEmpty(ctx); err != nil || !empty {
			t.Fatalf("empty = %v, %v", empty, err)
		}
		c, err := DefaultCatalogue()
		if err != nil {
			t.Fatal(err)
		}
		created, err := s.InstallDefault(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := len(c.Sections) + len(c.Disaggregations) + len(c.Indicators) + len(c.Forms) + len(c.Rules)
		if created != want {
			t.Fatalf("created %d, want %d", created, want)
		}
		if n := len(c.Indicators); n < 70 || n > 100 {
			t.Errorf("%d indicators in the default catalogue", n)
		}
		if len(c.Rules) < 5 {
			t.Errorf("only %d default rules", len(c.Rules))
		}
		again, err := s.InstallDefault(ctx)
		if err != nil || again != 0 {
			t.Fatalf("second run created %d, %v", again, err)
		}

		inds, err := s.Indicators(ctx, false)
		if err != nil || len(inds) != len(c.Indicators) {
			t.Fatalf("%d indicators, %v", len(inds), err)
		}
		byCode := map[string]Indicator{}
		types := map[ValueType]int{}
		for _, ind := range inds {
			byCode[ind.Code] = ind
			types[ind.ValueType]++
		}
		for _, vt := range ValueTypes {
			if types[vt] == 0 {
				t.Errorf("no %s indicator in the default catalogue", vt)
			}
		}
		for _, f := range articleFacts {
			for _, code := range f.codes {
				if _, ok := byCode[code]; !ok {
					t.Errorf("article fact %q: no indicator %s", f.fact, code)
				}
			}
		}
		// The brief's specific choices.
		check := func(code string, ok bool, what string) {
			t.Helper()
			if !ok {
				t.Errorf("%s: %s (%+v)", code, what, byCode[code])
			}
		}
		check("QUY_COVID_TIEP_NHAN", byCode["QUY_COVID_TIEP_NHAN"].ValueType == Money && byCode["QUY_COVID_TIEP_NHAN"].AggUnits == Sum, "money, summed")
		check("QUY_COVID_CHI_HO_TRO", byCode["QUY_COVID_CHI_HO_TRO"].ValueType == Money, "money")
		check("HOI_VIEN_TONG_SO", byCode["HOI_VIEN_TONG_SO"].AggPeriods == Last && byCode["HOI_VIEN_TONG_SO"].Cumulative, "last value, cumulative")
		lp := byCode["TUYEN_TRUYEN_PHAP_LUAT_LUOT"].Disaggregation
		check("TUYEN_TRUYEN_PHAP_LUAT_LUOT", lp != nil && lp.Code == "gender" && len(lp.Options) == 2 && lp.Options[1].NameVI == "Nữ", "by gender")
		th := byCode["TAO_HON_TRUONG_HOP"].Disaggregation
		check("TAO_HON_TRUONG_HOP", th != nil && th.Code == "ethnicity" && th.Options[0].NameVI == "Dân tộc thiểu số", "by ethnicity")
		check("NTM_DUONG_GIAO_THONG_KM", byCode["NTM_DUONG_GIAO_THONG_KM"].ValueType == Decimal && byCode["NTM_DUONG_GIAO_THONG_KM"].Scale == 1, "decimal")
		check("NTM_TIEU_CHI_DAT", *byCode["NTM_TIEU_CHI_DAT"].Max == 19 && byCode["NTM_TIEU_CHI_DAT"].AggUnits == Average, "bounded, averaged")
		check("NHA_DDK_BAN_GIAO", slices.Equal(upper(byCode["NHA_DDK_BAN_GIAO"].Organisations), []string{"MTTQ"}), "the Front's")
		check("TINH_NGUYEN_GIO", slices.Equal(upper(byCode["TINH_NGUYEN_GIO"].Organisations), []string{"DTN"}), "the Youth Union's")

		secs, _ := s.Sections(ctx)
		if len(secs) != 11 || secs[0].Code != "tuyen_truyen" {
			t.Errorf("sections %+v", secs)
		}
		// Every value the catalogue's indicators show parses back.
		for _, ind := range inds {
			if ind.Min != nil {
				if _, _, err := ParseValue(ind, FormatInput(ind, ind.Min, nil)); err != nil {
					t.Errorf("%s: min does not parse: %v", ind.Code, err)
				}
			}
		}

		// Forms: an organisation's own quarterly form wins over the generic one.
		hnd, err := s.FormFor(ctx, orgs["HND"], period.Quarter)
		if err != nil || hnd.Code != "QUY_HND" {
			t.Fatalf("HND quarterly form: %+v %v", hnd, err)
		}
		if hnd.Indicator("MO_HINH_KINH_TE") == nil || hnd.Indicator("HO_SXKD_GIOI") == nil || hnd.Indicator("NHA_DDK_BAN_GIAO") != nil {
			t.Errorf("HND form indicators: %v", codesOf(hnd.Indicators))
		}
		if len(hnd.Narratives) != 4 || hnd.Narratives[0].Code != NarrativeResults || hnd.Narratives[3].NameVI != "Kiến nghị, đề xuất" {
			t.Errorf("narratives %+v", hnd.Narratives)
		}
		dtn, _ := s.FormFor(ctx, orgs["DTN"], period.Quarter)
		if dtn == nil || dtn.Indicator("TINH_NGUYEN_GIO") == nil {
			t.Errorf("DTN form lacks youth volunteer hours")
		}
		mttq, _ := s.FormFor(ctx, orgs["MTTQ"], period.Quarter)
		if mttq == nil || mttq.Indicator("NHA_DDK_BAN_GIAO") == nil || mttq.Indicator("HOI_VIEN_TONG_SO") != nil || mttq.Indicator("QUY_COVID_TIEP_NHAN") == nil {
			t.Errorf("MTTQ form: %v", codesOf(mttq.Indicators))
		}
		// Indicators follow the catalogue's section order.
		if first := mttq.Indicators[0].Code; first != "TUYEN_TRUYEN_BUOI" {
			t.Errorf("MTTQ form starts with %s", first)
		}
		monthly, err := s.FormFor(ctx, orgs["HND"], period.Month)
		if err != nil || monthly.Code != "THANG_CHUNG" || monthly.OrganisationID != nil {
			t.Fatalf("monthly form: %+v %v", monthly, err)
		}
		other := addOrg(t, d, "HNCT", 80)
		generic, err := s.FormFor(ctx, other, period.Quarter)
		if err != nil || generic.Code != "QUY_CHUNG" || generic.Indicator("MO_HINH_KINH_TE") != nil || generic.Indicator("HOI_VIEN_TONG_SO") != nil {
			t.Fatalf("generic quarterly form for another organisation: %+v %v", generic, err)
		}
		if _, err := s.FormFor(ctx, orgs["HND"], period.Year); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("yearly form: %v", err)
		}
		if _, err := s.FormFor(ctx, 999999, period.Quarter); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown organisation: %v", err)
		}

		// The rules are consistent with the article's quarter.
		rules, _ := s.Rules(ctx)
		q3 := map[string]int64{
			"QUY_COVID_TIEP_NHAN": 348_000_000, "QUY_COVID_CHI_HO_TRO": 14_350_000,
			"NHA_TINH_NGHIA_BAN_GIAO": 7, "NHA_TINH_NGHIA_BAN_GIAO_LUY_KE": 9, "NHA_TINH_NGHIA_KHOI_CONG": 3, "NHA_TINH_NGHIA_KHOI_CONG_LUY_KE": 10,
			"NHA_DDK_BAN_GIAO": 2, "NHA_DDK_BAN_GIAO_LUY_KE": 4, "NHA_DDK_KHOI_CONG": 1, "NHA_DDK_KHOI_CONG_LUY_KE": 5,
		}
		if vs := Check(mttq, q3, rules); len(vs) != 0 {
			t.Errorf("the article's quarter breaks rules: %+v", vs)
		}
		q3["QUY_COVID_CHI_HO_TRO"] = 400_000_000
		vs := Check(mttq, q3, rules)
		if len(vs) != 1 || vs[0].Severity != Warning || !strings.Contains(vs[0].Message, "400.000.000 đ") {
			t.Errorf("spending more than received: %+v", vs)
		}
	})
}

func TestInstallDefaultWithoutOrganisations(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx, s := testCtx(t), &Store{DB: d}
		first, err := s.InstallDefault(ctx)
		if err != nil {
			t.Fatal(err)
		}
		inds, _ := s.Indicators(ctx, true)
		for _, ind := range inds {
			if len(ind.Organisations) > 0 {
				t.Fatalf("%s installed with organisations %v", ind.Code, ind.Organisations)
			}
		}
		if _, err := s.IndicatorByCode(ctx, "NHA_DDK_BAN_GIAO"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("an indicator of a missing organisation was installed as everyone's: %v", err)
		}
		forms, _ := s.Forms(ctx)
		if len(forms) != 2 {
			t.Fatalf("%d forms without organisations, want the 2 generic ones", len(forms))
		}
		// Once the organisations exist, a second run adds the rest.
		addDemoOrgs(t, d)
		second, err := s.InstallDefault(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := DefaultCatalogue()
		if first+second != len(c.Sections)+len(c.Disaggregations)+len(c.Indicators)+len(c.Forms)+len(c.Rules) {
			t.Fatalf("installed %d + %d", first, second)
		}
	})
}

func TestInstallDefaultKeepsAnExistingActiveForm(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		ctx, s := testCtx(t), &Store{DB: d}
		mustSection(t, s, "tuyen_truyen", "Tuyên truyền, vận động")
		mustIndicator(t, s, IndicatorInput{Code: "TUYEN_TRUYEN_BUOI", NameVI: "Buổi tuyên truyền (của chúng tôi)", Section: "tuyen_truyen"})
		mine, err := s.CreateForm(ctx, FormInput{Code: "CUA_TOI", NameVI: "Mẫu quý của tỉnh", PeriodType: period.Quarter, Indicators: []string{"TUYEN_TRUYEN_BUOI"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.InstallDefault(ctx); err != nil {
			t.Fatal(err)
		}
		ind, _ := s.IndicatorByCode(ctx, "TUYEN_TRUYEN_BUOI")
		if ind.NameVI != "Buổi tuyên truyền (của chúng tôi)" {
			t.Errorf("install changed an existing indicator: %q", ind.NameVI)
		}
		def, err := s.FormByCode(ctx, "QUY_CHUNG")
		if err != nil || def.Active {
			t.Fatalf("default quarterly form: %+v %v", def, err)
		}
		got, err := s.FormByID(ctx, mine.ID)
		if err != nil || !got.Active {
			t.Fatalf("the existing form was deactivated: %+v %v", got, err)
		}
	})
}

func upper(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToUpper(s)
	}
	return out
}

func codesOf(inds []Indicator) []string {
	var out []string
	for _, ind := range inds {
		out = append(out, ind.Code)
	}
	return out
}

func TestNoFormMessage(t *testing.T) {
	err := apperr.New(apperr.NotFound, "indicator.err.no_form", "Hội Nông dân", "quý", "quarter")
	if _, msg, _ := web.Localize("vi", err); msg != "Chưa có biểu mẫu báo cáo quý nào đang dùng cho Hội Nông dân." {
		t.Errorf("vi: %q", msg)
	}
	if _, msg, _ := web.Localize("en", err); msg != "No active quarter report form for Hội Nông dân." {
		t.Errorf("en: %q", msg)
	}
}
