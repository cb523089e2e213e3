package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/account"
	"giaoban/internal/fund"
	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/reporting"
)

// The reporting part of the scenario: the bloc's period settings, the 2021
// plan, and the reports of every unit for Q3 2020, Q2 2021 and Q3 2021,
// entered, submitted and approved through the reporting service (so the
// audit log and the workflow history exist). The bloc totals of Q3 2021
// are the article's figures (ArticleTotals); the other counts are drawn
// from a seeded generator, so every run gives the same numbers.

// ArticleTotals are the bloc totals of Q3 2021 the article reports.
var ArticleTotals = map[string]int64{
	"QUY_COVID_TIEP_NHAN":     348_000_000, // "số tiền 348 triệu đồng"
	"QUY_COVID_CHI_HO_TRO":    14_250_000,  // "hơn 14 triệu đồng"
	"NHA_TINH_NGHIA_BAN_GIAO": 7,
	"NHA_DDK_BAN_GIAO":        2,
}

// BlocSettings are the bloc's reporting rules in the scenario: it met on
// 26/08/2021 for Q3, so it closes its figures a month early (Q3 window
// 21/05–20/08/2021) and wants reports three days after (23/08/2021).
var BlocSettings = period.Settings{Cutoff: period.CutoffRule{Day: 21, MonthsEarly: 1}, Deadline: period.DeadlineRule{DaysAfterCutoff: 3}}

// SeedPeriods are the periods the demo holds reports for.
var SeedPeriods = []string{"2020Q3", "2021Q2", "2021Q3"}

// Q3 2021 exceptions, so that completeness is interesting (unit keys
// "ORG@area name").
var (
	Q3Returned      = "HND@Xã Ia Chía"
	Q3ReturnComment = "Đề nghị bổ sung số hộ được hỗ trợ vốn, giống và số liệu tập huấn khoa học kỹ thuật quý III; kiểm tra lại số hội viên mới kết nạp."
	Q3Draft         = "DTN@Xã Ia O"
	Q3LateApproved  = []string{"MTTQ@Xã Ia Khai", "HLHPN@Xã Ia Sao"}
	Q3LatePending   = "HCCB@Xã Ia Bă"
)

// fixed are values set by hand, by period, unit key and cell key
// ("CODE" or "CODE.option"): the article's figures and the houses. The
// fund's figures (QUY_COVID_TIEP_NHAN, QUY_COVID_CHI_HO_TRO) are not typed:
// the reports derive them from the fund's ledger (FundFigures, fund_seed.go).
var fixed = map[string]map[string]map[string]int64{
	"2021Q3": {
		"MTTQ@" + DistrictName:   {"QUY_COVID_LUOT_THAM_HOI": 6, "NHA_TINH_NGHIA_KHOI_CONG": 2, "NHA_TINH_NGHIA_KHOI_CONG_LUY_KE": 2},
		"HND@" + DistrictName:    {"QUY_COVID_LUOT_THAM_HOI": 2},
		"HLHPN@" + DistrictName:  {"QUY_COVID_LUOT_THAM_HOI": 4},
		"DTN@" + DistrictName:    {"QUY_COVID_LUOT_THAM_HOI": 5},
		"HCCB@" + DistrictName:   {"QUY_COVID_LUOT_THAM_HOI": 2},
		"LDLD@" + DistrictName:   {"QUY_COVID_LUOT_THAM_HOI": 3},
		"MTTQ@Thị trấn Ia Blang": {"QUY_COVID_LUOT_THAM_HOI": 2},
	},
	"2021Q2": {
		"MTTQ@" + DistrictName: {"QUY_COVID_LUOT_THAM_HOI": 4},
	},
	"2020Q3": {
		"MTTQ@" + DistrictName: {"QUY_COVID_LUOT_THAM_HOI": 3},
	},
}

// Houses: Gratitude houses handed over in Q3 2021 (started in Q2), Great
// Solidarity houses likewise, and those of Q3 2020.
var (
	tinhNghia2021 = []string{"MTTQ@Xã Ia Dêr", "MTTQ@Xã Ia Krái", "MTTQ@Xã Ia Tô", "MTTQ@Xã Ia Hrung", "MTTQ@Xã Ia Sao",
		"HCCB@" + DistrictName, "HLHPN@" + DistrictName}
	daiDoanKet2021 = []string{"MTTQ@Xã Ia Tô", "MTTQ@Xã Ia Khai"}
	tinhNghia2020  = []string{"MTTQ@Xã Ia Bă", "MTTQ@Xã Ia Chía", "MTTQ@Xã Ia O", "HCCB@" + DistrictName}
	// The survey of child and consanguineous marriage with the Party
	// committee's Mass Mobilisation Board (Ban Dân vận), Q3 2021.
	survey2021 = []string{"MTTQ@" + DistrictName, "HLHPN@" + DistrictName, "MTTQ@Xã Ia Tô", "MTTQ@Xã Ia Hrung",
		"MTTQ@Xã Ia Sao", "MTTQ@Xã Ia Chía", "MTTQ@Xã Ia Khai", "MTTQ@Xã Ia O"}
)

func init() {
	set := func(per, unit string, vals map[string]int64) {
		if fixed[per][unit] == nil {
			fixed[per][unit] = map[string]int64{}
		}
		for k, v := range vals {
			fixed[per][unit][k] = v
		}
	}
	for _, u := range tinhNghia2021 {
		set("2021Q2", u, map[string]int64{"NHA_TINH_NGHIA_KHOI_CONG": 1, "NHA_TINH_NGHIA_KHOI_CONG_LUY_KE": 1, "NHA_TINH_NGHIA_KINH_PHI": 60_000_000})
		set("2021Q3", u, map[string]int64{"NHA_TINH_NGHIA_BAN_GIAO": 1, "NHA_TINH_NGHIA_BAN_GIAO_LUY_KE": 1, "NHA_TINH_NGHIA_KHOI_CONG_LUY_KE": 1, "NHA_TINH_NGHIA_KINH_PHI": 20_000_000})
	}
	for _, u := range daiDoanKet2021 {
		set("2021Q2", u, map[string]int64{"NHA_DDK_KHOI_CONG": 1, "NHA_DDK_KHOI_CONG_LUY_KE": 1, "NHA_DDK_KINH_PHI": 40_000_000})
		set("2021Q3", u, map[string]int64{"NHA_DDK_BAN_GIAO": 1, "NHA_DDK_BAN_GIAO_LUY_KE": 1, "NHA_DDK_KHOI_CONG_LUY_KE": 1, "NHA_DDK_KINH_PHI": 10_000_000})
	}
	for _, u := range tinhNghia2020 {
		set("2020Q3", u, map[string]int64{"NHA_TINH_NGHIA_BAN_GIAO": 1, "NHA_TINH_NGHIA_BAN_GIAO_LUY_KE": 1, "NHA_TINH_NGHIA_KHOI_CONG_LUY_KE": 1, "NHA_TINH_NGHIA_KINH_PHI": 55_000_000})
	}
	for i, u := range survey2021 {
		set("2021Q3", u, map[string]int64{"KHAO_SAT_TAO_HON_CUOC": 1, "KHAO_SAT_TAO_HON_HO": int64(40 + 9*i),
			"TAO_HON_TRUONG_HOP.dtts": int64(1 + i%3), "TAO_HON_TRUONG_HOP.kinh": 0, "HON_NHAN_CAN_HUYET_TRUONG_HOP.dtts": int64(i % 2),
			"HON_NHAN_CAN_HUYET_TRUONG_HOP.kinh": 0})
	}
}

// generated are drawn per quarter for a commune unit ([lo, hi]); district
// units report about three times as much. Cells not listed and not fixed
// stay empty.
var generated = map[string][2]int64{
	"TUYEN_TRUYEN_BUOI": {3, 12}, "TUYEN_TRUYEN_LUOT": {120, 600}, "TUYEN_TRUYEN_PHAP_LUAT_BUOI": {1, 5},
	"TUYEN_TRUYEN_PHAP_LUAT_LUOT": {40, 250}, "TIN_BAI_TUYEN_TRUYEN": {1, 6}, "PHONG_TRAO_THI_DUA": {1, 3},
	"HOAT_DONG_CHAO_MUNG_NGAY_LE": {1, 4}, "Y_KIEN_NHAN_DAN_TIEP_NHAN": {3, 15}, "HO_NGHEO_DUOC_HO_TRO": {2, 10},
	"HO_TRO_AN_SINH_TIEN": {2_000_000, 15_000_000}, "HO_KHO_KHAN_COVID_HO_TRO": {1, 8}, "HO_THOAT_NGHEO": {0, 4},
	"VON_VAY_UY_THAC_DU_NO": {1_500_000_000, 6_000_000_000}, "CD_DOAN_VIEN_HO_TRO": {5, 20},
	"QUY_VI_NGUOI_NGHEO_TIEP_NHAN": {3_000_000, 20_000_000}, "QUY_HOI_SO_DU": {5_000_000, 40_000_000},
	"HIEN_MAU_LUOT": {3, 20}, "TU_THIEN_QUA_SUAT": {10, 60}, "TU_THIEN_TIEN": {3_000_000, 25_000_000},
	"DEN_ON_QUA_SUAT": {5, 30}, "DEN_ON_QUA_TIEN": {2_000_000, 15_000_000}, "MVNAH_PHUNG_DUONG": {0, 2},
	"CVD_DTTS_BUOI": {1, 6}, "CVD_DTTS_LUOT": {50, 300}, "CVD_DTTS_HO_DANG_KY": {2, 12}, "CVD_DTTS_HO_DUOC_GIUP": {2, 10},
	"TAO_HON_TUYEN_TRUYEN_BUOI": {1, 4}, "NTM_TUYEN_TRUYEN_BUOI": {1, 5}, "NTM_NGAY_CONG": {50, 400},
	"NTM_DONG_GOP_TIEN": {5_000_000, 60_000_000}, "KDC_VAN_HOA": {1, 3}, "MO_HINH_KINH_TE": {1, 4}, "HO_SXKD_GIOI": {10, 60},
	"TAP_HUAN_KHKT_BUOI": {1, 4}, "TAP_HUAN_KHKT_LUOT": {40, 200}, "HO_DAT_5K3S": {50, 300},
	"COVID_TUYEN_TRUYEN_BUOI": {3, 15}, "COVID_TUYEN_TRUYEN_LUOT": {200, 1500}, "COVID_TINH_NGUYEN_LUOT": {10, 60},
	"COVID_VAN_DONG_TIEM_VAC_XIN": {50, 400}, "VIEM_DA_NOI_CUC_TUYEN_TRUYEN": {1, 5}, "VIEM_DA_NOI_CUC_HO": {20, 150},
	"PHONG_TRU_SAU_BENH_BUOI": {1, 4}, "GIAM_SAT_CUOC": {1, 3}, "GIAM_SAT_KIEN_NGHI": {1, 6}, "PHAN_BIEN_CUOC": {0, 1},
	"TTND_GSDTCD_CUOC": {1, 2}, "HOI_VIEN_TONG_SO": {150, 900}, "HOI_VIEN_KET_NAP": {3, 25}, "CHI_HOI_TONG_SO": {5, 15},
	"KIEM_TRA_CO_SO_CUOC": {1, 4}, "NGAY_CONG_TAC_CO_SO": {10, 13}, "PHOI_HOP_CHUONG_TRINH": {0, 2},
	"TINH_NGUYEN_LUOT": {20, 150}, "TINH_NGUYEN_GIO": {100, 800}, "CONG_TRINH_THANH_NIEN": {0, 2},
}

// stocks do not grow with the district's size as flows do, and change
// slowly from one period to the next.
var stocks = map[string]bool{"VON_VAY_UY_THAC_DU_NO": true, "QUY_HOI_SO_DU": true, "HOI_VIEN_TONG_SO": true,
	"CHI_HOI_TONG_SO": true, "MVNAH_PHUNG_DUONG": true, "HO_SXKD_GIOI": true, "HO_DAT_5K3S": true, "KDC_VAN_HOA": true}

// seasonal scales flows by period: Covid-19 and lumpy skin disease peaked
// in 2021; 27/7 (war invalids' day) falls in the third quarter.
func seasonal(code, per string) float64 {
	switch {
	case strings.HasPrefix(code, "COVID_") || code == "HO_KHO_KHAN_COVID_HO_TRO":
		return map[string]float64{"2020Q3": 0.45, "2021Q2": 0.7, "2021Q3": 1}[per]
	case strings.HasPrefix(code, "VIEM_DA_NOI_CUC"):
		return map[string]float64{"2020Q3": 0, "2021Q2": 0.6, "2021Q3": 1}[per]
	case strings.HasPrefix(code, "DEN_ON") && per == "2021Q2":
		return 0.4
	}
	return map[string]float64{"2020Q3": 0.9, "2021Q2": 0.85, "2021Q3": 1}[per]
}

// seedUnit is a unit of the bloc in the scenario.
type seedUnit struct {
	key      string // "ORG@area name"
	org      string
	district bool
	unit     *org.Unit
	form     *indicator.Form
	rng      *rand.Rand
	base     map[string]int64 // per-unit level of each generated cell
}

// actors of the scenario.
type seedActors struct {
	secretariat, hndOfficer, hndLeader, iaToOfficer context.Context
}

func (s *seeder) reports(ctx context.Context) error {
	if _, err := (&indicator.Store{DB: s.d}).InstallDefault(ctx); err != nil {
		return fmt.Errorf("demo: indicator catalogue: %w", err)
	}
	svc := reporting.New(s.d)
	// The fund's figures come from its ledger (seeded before), as in the
	// application (app.ConnectFunds): they are filled when each report is
	// submitted and frozen when it is approved.
	svc.Derived = fund.NewStore(s.d)
	clock := time.Date(2020, 8, 1, 8, 0, 0, 0, reporting.Vietnam)
	svc.Now = func() time.Time { return clock }
	act, err := s.actors(ctx, svc)
	if err != nil {
		return err
	}
	bloc, err := svc.Org.BlocByArea(ctx, s.areas[DistrictName])
	if err != nil {
		return fmt.Errorf("demo: bloc: %w", err)
	}
	if err := svc.SetBlocSettings(act.secretariat, bloc.ID, BlocSettings); err != nil {
		return fmt.Errorf("demo: bloc settings: %w", err)
	}
	units, err := s.seedUnits(ctx, svc)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2021, 826))
	for _, per := range SeedPeriods {
		p := period.MustParse(per)
		deadline := BlocSettings.DeadlineOf(p)
		for i, u := range units {
			who := act.secretariat
			switch u.key {
			case "HND@" + DistrictName:
				who = act.hndOfficer
			case "MTTQ@Xã Ia Tô":
				who = act.iaToOfficer
			}
			// Entered in the week before the deadline, submitted a day or
			// two later (late ones after the deadline), approved the next day.
			entered := vnAt(deadline.AddDate(0, 0, -7+i%5), 8+rng.IntN(9), rng.IntN(60))
			clock = entered
			cells := s.cells(u, per)
			if per == "2021Q3" && u.key == Q3Draft {
				cells = cells[:min(len(cells), 12)]
			}
			if _, err := svc.Apply(who, reporting.Batch{Period: per, Cells: cells}); err != nil {
				return fmt.Errorf("demo: values of %s for %s: %w", u.unit.Name, per, err)
			}
			if per == "2021Q3" && u.org == "MTTQ" && u.district {
				if _, err := svc.SaveNarratives(who, u.unit.ID, per, districtNarratives()); err != nil {
					return fmt.Errorf("demo: narratives: %w", err)
				}
			} else if per == "2021Q3" && u.key != Q3Draft {
				if _, err := svc.SaveNarratives(who, u.unit.ID, per, unitNarratives(u.unit.Name)); err != nil {
					return fmt.Errorf("demo: narratives: %w", err)
				}
			}
			if per == "2021Q3" && u.key == Q3Draft {
				continue
			}
			clock = vnAt(entered.AddDate(0, 0, 1+rng.IntN(2)), 8+rng.IntN(9), rng.IntN(60))
			if dl := vnAt(deadline, 16, 30); clock.After(dl) {
				clock = dl
			}
			late := per == "2021Q3" && (u.key == Q3LatePending || contains(Q3LateApproved, u.key))
			if late {
				clock = vnAt(deadline.AddDate(0, 0, 1+i%2), 9+rng.IntN(7), rng.IntN(60))
			}
			if _, err := svc.Submit(who, u.unit.ID, per); err != nil {
				return fmt.Errorf("demo: submit %s for %s: %w", u.unit.Name, per, err)
			}
			approver := act.secretariat
			if u.key == "HND@"+DistrictName {
				approver = act.hndLeader
			}
			clock = vnAt(clock.AddDate(0, 0, 1), 8+rng.IntN(8), rng.IntN(60))
			switch {
			case per == "2021Q3" && u.key == Q3LatePending:
				continue
			case per == "2021Q3" && u.key == Q3Returned:
				if _, err := svc.ReturnReport(approver, u.unit.ID, per, Q3ReturnComment); err != nil {
					return fmt.Errorf("demo: return: %w", err)
				}
				continue
			}
			if _, err := svc.Approve(approver, u.unit.ID, per); err != nil {
				return fmt.Errorf("demo: approve %s for %s: %w", u.unit.Name, per, err)
			}
		}
	}
	clock = time.Date(2021, 1, 15, 9, 0, 0, 0, reporting.Vietnam)
	if _, err := svc.SetTargets(act.secretariat, 2021, s.plan(units)); err != nil {
		return fmt.Errorf("demo: plan 2021: %w", err)
	}
	return nil
}

// vnAt is the time h:m in Vietnam on the calendar date of d.
func vnAt(d time.Time, h, m int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, reporting.Vietnam)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// actors builds the principals the scenario acts as.
func (s *seeder) actors(ctx context.Context, svc *reporting.Service) (seedActors, error) {
	acc := &account.Store{DB: s.d}
	as := func(username string) (context.Context, error) {
		u, err := acc.UserByUsername(ctx, username)
		if err != nil {
			return nil, fmt.Errorf("demo: user %s: %w", username, err)
		}
		p := &auth.Principal{UserID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role}
		if u.UnitID != nil {
			p.UnitID = *u.UnitID
			if p.ScopePath, err = svc.Org.UnitAreaPath(ctx, p.UnitID); err != nil {
				return nil, err
			}
		}
		if u.AreaID != nil {
			p.AreaID = *u.AreaID
			if p.ScopePath, err = svc.Org.AreaPath(ctx, p.AreaID); err != nil {
				return nil, err
			}
		}
		c := reporting.WithFormCache(auth.WithPrincipal(ctx, p))
		return audit.WithActor(c, audit.Actor{UserID: u.ID, Username: u.Username}), nil
	}
	var a seedActors
	var err error
	for _, x := range []struct {
		dst  *context.Context
		name string
	}{{&a.secretariat, "thuky"}, {&a.hndOfficer, "canbo.hnd"}, {&a.hndLeader, "lanhdao.hnd"}, {&a.iaToOfficer, "canbo.mttq.iato"}} {
		if *x.dst, err = as(x.name); err != nil {
			return a, err
		}
	}
	return a, nil
}

// seedUnits lists the bloc's units in a fixed order: the district units,
// then each commune's branches.
func (s *seeder) seedUnits(ctx context.Context, svc *reporting.Service) ([]*seedUnit, error) {
	ctx = reporting.WithFormCache(ctx)
	var out []*seedUnit
	add := func(orgCode, area string, district bool) error {
		id, ok := s.units[orgCode+"@"+area]
		if !ok {
			return nil
		}
		u, err := svc.Org.Unit(ctx, id)
		if err != nil {
			return err
		}
		f, err := svc.FormFor(ctx, u, period.MustParse("2021Q3"))
		if err != nil {
			return fmt.Errorf("demo: form of %s: %w", u.Name, err)
		}
		seed := uint64(len(out) + 1)
		out = append(out, &seedUnit{key: orgCode + "@" + area, org: orgCode, district: district, unit: u, form: f,
			rng: rand.New(rand.NewPCG(seed, 2021)), base: map[string]int64{}})
		return nil
	}
	for _, o := range Organisations {
		if err := add(o.Code, DistrictName, true); err != nil {
			return nil, err
		}
	}
	for _, c := range Communes {
		for _, o := range Organisations {
			if err := add(o.Code, c.Name, false); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// cells builds the values of one unit for one period, in form order.
func (s *seeder) cells(u *seedUnit, per string) []reporting.CellValue {
	var out []reporting.CellValue
	fix := fixed[per][u.key]
	put := func(code, option, raw string) {
		out = append(out, reporting.CellValue{UnitID: u.unit.ID, IndicatorCode: code, Option: option, Raw: raw,
			Place: u.unit.Name + " / " + code})
	}
	// Totals drawn for this period, to keep related cells consistent.
	drawn := map[string]int64{}
	for _, ind := range u.form.Indicators {
		code := ind.Code
		if ind.DerivedFrom != "" {
			continue // computed, never typed
		}
		keys := []string{""}
		if ind.Disaggregation != nil {
			keys = nil
			for _, o := range ind.Disaggregation.Options {
				keys = append(keys, o.Code)
			}
		}
		if hasFixed(fix, code) {
			for _, opt := range keys {
				k := code
				if opt != "" {
					k += "." + opt
				}
				if v, ok := fix[k]; ok {
					put(code, opt, strconv.FormatInt(v, 10))
				}
			}
			continue
		}
		switch ind.ValueType {
		case indicator.YesNo:
			switch code {
			case "QUY_CONG_KHAI", "GIAO_BAN_DINH_KY":
				put(code, "", "có")
			case "NTM_XA_DAT_CHUAN":
				if !u.district {
					put(code, "", map[bool]string{true: "có", false: "không"}[u.rng.IntN(3) == 0])
				}
			}
			continue
		case indicator.Text:
			if code == "KHAO_SAT_PHOI_HOP" && per == "2021Q3" && contains(survey2021, u.key) {
				put(code, "", "Ban Dân vận Huyện ủy "+DistrictShort)
			}
			if code == "MO_HINH_CACH_LAM_MOI" && u.district && per == "2021Q3" {
				put(code, "", "Tuyên truyền qua nhóm Zalo thôn, làng và loa phát thanh lưu động trong thời gian giãn cách")
			}
			continue
		case indicator.Decimal:
			switch code {
			case "NTM_DUONG_GIAO_THONG_KM":
				if !u.district {
					put(code, "", fmt.Sprintf("%d,%d", u.rng.IntN(3), u.rng.IntN(10)))
				}
			case "TY_LE_CHI_HOI_VUNG_MANH":
				put(code, "", fmt.Sprintf("%d,%d", 60+u.rng.IntN(30), u.rng.IntN(10)))
			}
			continue
		}
		if code == "NTM_TIEU_CHI_DAT" {
			if !u.district {
				put(code, "", strconv.Itoa(12+int(u.base0(code, 0, 6))+map[string]int{"2020Q3": 0, "2021Q2": 1, "2021Q3": 1}[per]))
			}
			continue
		}
		rng, ok := generated[code]
		if !ok {
			continue
		}
		total := u.draw(code, per, rng)
		// Related cells stay consistent with the rules between indicators.
		switch code {
		case "Y_KIEN_NHAN_DAN_TIEP_NHAN", "GIAM_SAT_KIEN_NGHI", "QUY_VI_NGUOI_NGHEO_TIEP_NHAN":
			drawn[code] = total
		case "TUYEN_TRUYEN_PHAP_LUAT_BUOI", "HIEN_MAU_LUOT":
			drawn[code] = total
		case "HOI_VIEN_KET_NAP":
			total = min(total, max(drawn["HOI_VIEN_TONG_SO"]/10, 1))
		case "HOI_VIEN_TONG_SO":
			drawn[code] = total
		}
		if len(keys) > 1 {
			first := total * int64(35+u.rng.IntN(30)) / 100
			put(code, keys[0], strconv.FormatInt(first, 10))
			put(code, keys[1], strconv.FormatInt(total-first, 10))
		} else {
			put(code, "", strconv.FormatInt(total, 10))
		}
		// Cells that follow from the one just drawn.
		switch code {
		case "Y_KIEN_NHAN_DAN_TIEP_NHAN":
			drawn["Y_KIEN_NHAN_DAN_PHAN_ANH"] = total * int64(50+u.rng.IntN(40)) / 100
			drawn["Y_KIEN_NHAN_DAN_DA_GIAI_QUYET"] = drawn["Y_KIEN_NHAN_DAN_PHAN_ANH"] * int64(40+u.rng.IntN(50)) / 100
		case "GIAM_SAT_KIEN_NGHI":
			drawn["GIAM_SAT_KIEN_NGHI_DA_GIAI_QUYET"] = total * int64(30+u.rng.IntN(60)) / 100
		case "QUY_VI_NGUOI_NGHEO_TIEP_NHAN":
			drawn["QUY_VI_NGUOI_NGHEO_CHI"] = total * int64(40+u.rng.IntN(50)) / 100 / 1000 * 1000
		case "HIEN_MAU_LUOT":
			drawn["HIEN_MAU_DON_VI"] = total + int64(u.rng.IntN(4))
		}
	}
	// The dependent cells, where the form has them.
	for _, code := range []string{"Y_KIEN_NHAN_DAN_PHAN_ANH", "Y_KIEN_NHAN_DAN_DA_GIAI_QUYET", "GIAM_SAT_KIEN_NGHI_DA_GIAI_QUYET",
		"QUY_VI_NGUOI_NGHEO_CHI", "HIEN_MAU_DON_VI"} {
		if v, ok := drawn[code]; ok && u.form.Indicator(code) != nil {
			put(code, "", strconv.FormatInt(v, 10))
		}
	}
	return out
}

func hasFixed(fix map[string]int64, code string) bool {
	for k := range fix {
		if k == code || strings.HasPrefix(k, code+".") {
			return true
		}
	}
	return false
}

// base0 is a unit's stable level of a cell in [lo, hi].
func (u *seedUnit) base0(code string, lo, hi int64) int64 {
	if v, ok := u.base[code]; ok {
		return v
	}
	v := lo + u.rng.Int64N(hi-lo+1)
	u.base[code] = v
	return v
}

// draw is the value of a generated cell of the unit for a period.
func (u *seedUnit) draw(code, per string, r [2]int64) int64 {
	lo, hi := r[0], r[1]
	scale := 1.0
	if u.district && !stocks[code] {
		scale = 3
	}
	if u.district && stocks[code] && !strings.HasPrefix(code, "HOI_VIEN") && code != "VON_VAY_UY_THAC_DU_NO" {
		scale = 1.5
	}
	if stocks[code] {
		b := float64(u.base0(code, lo, hi)) * scale
		growth := map[string]float64{"2020Q3": 0.94, "2021Q2": 0.99, "2021Q3": 1}[per]
		return round(b * growth)
	}
	b := float64(u.base0(code, lo, hi))
	noise := 0.8 + 0.4*u.rng.Float64()
	return round(b * scale * seasonal(code, per) * noise)
}

// round keeps large amounts in hundreds of thousands of đồng, counts whole.
func round(v float64) int64 {
	n := int64(v + 0.5)
	if n >= 1_000_000 {
		return n / 100_000 * 100_000
	}
	return n
}

// plan is the 2021 plan: targets of each unit for the main yearly
// activities (what three ordinary quarters give: the first quarter of 2021
// was quiet and is not in the demo, so the plan is behind in Q3) and of
// the bloc as a whole.
func (s *seeder) plan(units []*seedUnit) []reporting.TargetInput {
	codes := []string{"TUYEN_TRUYEN_BUOI", "TUYEN_TRUYEN_PHAP_LUAT_BUOI", "HIEN_MAU_LUOT", "MO_HINH_KINH_TE", "CVD_DTTS_HO_DANG_KY",
		"KIEM_TRA_CO_SO_CUOC", "NGAY_CONG_TAC_CO_SO", "HOI_VIEN_KET_NAP", "COVID_TUYEN_TRUYEN_BUOI", "GIAM_SAT_CUOC", "TU_THIEN_QUA_SUAT"}
	var out []reporting.TargetInput
	bloc := map[string]int64{}
	for _, u := range units {
		id := u.unit.ID
		for _, c := range codes {
			if u.form.Indicator(c) == nil {
				continue
			}
			r, ok := generated[c]
			if !ok {
				continue
			}
			scale := int64(1)
			if u.district {
				scale = 3
			}
			t := u.base0(c, r[0], r[1]) * scale * 3
			if c == "NGAY_CONG_TAC_CO_SO" {
				t = 52 * scale // one day a week at the grassroots
			}
			out = append(out, reporting.TargetInput{Indicator: c, UnitID: &id, Value: reporting.RawValue(strconv.FormatInt(t, 10))})
			bloc[c] += t
		}
		houses := map[string]int64{}
		if contains(tinhNghia2021, u.key) {
			houses["NHA_TINH_NGHIA_BAN_GIAO"] = 1
		}
		if contains(daiDoanKet2021, u.key) {
			houses["NHA_DDK_BAN_GIAO"] = 1
		}
		if u.key == "MTTQ@"+DistrictName {
			houses["NHA_TINH_NGHIA_BAN_GIAO"] = 2
			houses["NHA_DDK_BAN_GIAO"] = 2
		}
		for _, c := range []string{"NHA_TINH_NGHIA_BAN_GIAO", "NHA_DDK_BAN_GIAO"} {
			if v := houses[c]; v > 0 && u.form.Indicator(c) != nil {
				out = append(out, reporting.TargetInput{Indicator: c, UnitID: &id, Value: reporting.RawValue(strconv.FormatInt(v, 10))})
			}
		}
	}
	area := s.areas[DistrictName]
	bloc["NHA_TINH_NGHIA_BAN_GIAO"], bloc["NHA_DDK_BAN_GIAO"] = 10, 5
	bloc["QUY_VI_NGUOI_NGHEO_TIEP_NHAN"] = 300_000_000
	for _, c := range append(codes, "NHA_TINH_NGHIA_BAN_GIAO", "NHA_DDK_BAN_GIAO", "QUY_VI_NGUOI_NGHEO_TIEP_NHAN") {
		if v, ok := bloc[c]; ok {
			out = append(out, reporting.TargetInput{Indicator: c, AreaID: &area, Value: reporting.RawValue(strconv.FormatInt(v, 10))})
		}
	}
	return out
}

// districtNarratives are the written sections of the district Front
// committee's Q3 2021 report, in the article's words.
func districtNarratives() []reporting.NarrativeInput {
	return []reporting.NarrativeInput{
		{Section: indicator.NarrativeResults, HTML: "Trong quý III, Mặt trận và các tổ chức thành viên các cấp đã tập trung đẩy mạnh các hoạt động tuyên truyền, vận động nhân dân tích cực hưởng ứng các phong trào thi đua yêu nước lập thành tích chào mừng các ngày lễ diễn ra trong quý.\n\n" +
			"Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền 348 triệu đồng. Tổ chức thăm hỏi, tặng quà, hỗ trợ kinh phí các chốt kiểm soát Covid-19 và các bệnh nhân cách ly tại Trung tâm Y tế huyện và lực lượng truy vết với số tiền hơn 14 triệu đồng.\n\n" +
			"Tuyên truyền, giáo dục pháp luật trong đoàn viên, hội viên và quần chúng nhân dân trên địa bàn huyện. Bàn giao và đưa vào sử dụng 7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết; đảm bảo an sinh xã hội. Đẩy mạnh thực hiện Cuộc vận động \"Làm thay đổi nếp nghĩ, cách làm của đồng bào dân tộc thiểu số, làm cho đồng bào dân tộc thiểu số vươn lên thoát nghèo bền vững\".\n\n" +
			"Nắm bắt và phản ánh những nguyện vọng của nhân dân trên địa bàn. Phối hợp với Ban Dân vận Huyện ủy tổ chức khảo sát, đánh giá tình trạng tảo hôn, hôn nhân cận huyết thống; tuyên truyền cán bộ, hội viên tham gia hiến máu tình nguyện; tích cực thực hiện các hoạt động từ thiện, nhân đạo, đền ơn đáp nghĩa.\n\n" +
			"Tuyên truyền vận động đoàn viên, hội viên và quần chúng nhân dân tham gia xây dựng nông thôn mới, xây dựng các mô hình phát triển kinh tế giúp nhau thoát nghèo, phòng, chống dịch bệnh trên người và động vật, nhất là dịch Covid-19, viêm da nổi cục ở trâu, bò."},
		{Section: indicator.NarrativeLimits, HTML: "Một số Hội, Đoàn cơ sở gửi báo cáo chậm so với thời gian quy định; số liệu của một số đơn vị còn phải bổ sung, chỉnh sửa.\n\nDo ảnh hưởng của dịch Covid-19, một số hoạt động tập trung đông người phải tạm dừng hoặc chuyển sang hình thức trực tuyến."},
		{Section: indicator.NarrativeNextTasks, HTML: "Rà soát, đẩy nhanh tiến độ thực hiện các nhiệm vụ theo kế hoạch năm 2021 đã đề ra. Triển khai thực hiện có hiệu quả các cuộc vận động, phong trào thi đua yêu nước, bám sát nhiệm vụ phát triển kinh tế - xã hội.\n\n" +
			"Tăng cường công tác tuyên truyền, vận động giáo dục chính trị tư tưởng; nắm bắt tư tưởng, dư luận, tâm trạng của đoàn viên, hội viên, nhân dân. Tuyên truyền thực hiện tốt các biện pháp phòng, chống dịch theo nguyên tắc \"5K + vắc xin\" và phòng bệnh viêm da nổi cục trên đàn bò; phòng trừ sâu, bệnh trên cây trồng, vật nuôi; tham gia xây dựng nông thôn mới.\n\n" +
			"Thực hiện tốt phương châm \"Hằng tuần có 04 ngày làm việc ở cơ quan, 01 ngày làm việc ở cơ sở\"; thường xuyên kiểm tra, đôn đốc Hội, Đoàn cơ sở thực hiện đúng Điều lệ; tăng cường phối hợp với các cơ quan, đơn vị, các xã, thị trấn."},
		{Section: indicator.NarrativeProposals, HTML: "Đề nghị UBND huyện tiếp tục hỗ trợ kinh phí xây dựng nhà Đại đoàn kết cho hộ nghèo và hỗ trợ các chốt kiểm soát dịch Covid-19 trong quý IV."},
	}
}

// unitNarratives is a short results section for the other units.
func unitNarratives(name string) []reporting.NarrativeInput {
	return []reporting.NarrativeInput{
		{Section: indicator.NarrativeResults, HTML: name + " đã triển khai các hoạt động theo chương trình công tác quý III năm 2021; tuyên truyền, vận động hội viên, đoàn viên và nhân dân thực hiện các biện pháp phòng, chống dịch Covid-19, phòng bệnh viêm da nổi cục trên trâu, bò; tham gia xây dựng nông thôn mới."},
		{Section: indicator.NarrativeNextTasks, HTML: "Thực hiện chương trình công tác quý IV năm 2021 và các nhiệm vụ theo kết luận của Hội nghị giao ban Khối quý III."},
	}
}
