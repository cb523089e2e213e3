package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"giaoban/internal/fund"
	"giaoban/internal/fund/translog"
	"giaoban/internal/org"
	"giaoban/internal/platform/db"
	"giaoban/internal/vn"
)

// The district's Covid-19 fund: the article's "348.000.000 đ received
// from organisations and individuals" in Q3 2021 and "more than
// 14.000.000 đ" of visits and support to the checkpoints, the isolated
// patients at the district medical centre and the contact-tracing force;
// and, smaller, what it received and paid out in Q2 2021 and Q3 2020 (the
// comparisons of the Q3 2021 report). The donors and the account number
// are fictional; the Q3 2021 totals are the article's. The reports do not
// type these figures: they are derived from the fund's ledger (see
// reporting.DerivedSource), unit by unit, over each period's cut-off window.
const (
	FundCode       = "COVID19"
	FundName       = "Quỹ phòng, chống dịch Covid-19 huyện " + DistrictShort
	FundReceived   = 348_000_000     // Q3 2021
	FundPaidOut    = 14_250_000      // Q3 2021
	FundAccountNo  = "0461000999888" // fictional
	FundAccountBIN = "970436"        // Vietcombank
	FundNotePrefix = "UH COVID19"
	// FundClerk is the demo account that records the fund's entries: the
	// district secretariat (the receipts' "người lập phiếu").
	FundClerk       = "thuky"
	fundSeed        = 20210826
	fundReceiptsMax = 250 // per unit and period
)

// FundFigures are what each unit ("ORG@area name") received into the fund
// and paid out of it, by period: the figures its report shows for
// QUY_COVID_TIEP_NHAN and QUY_COVID_CHI_HO_TRO, derived from the ledger.
// Receipts are dated within the period's days below (inside the bloc's
// cut-off window, BlocSettings); disbursements are listed in
// FundDisbursements.
var FundFigures = map[string]map[string]struct{ Received, PaidOut int64 }{
	"2021Q3": {
		"MTTQ@" + DistrictName:   {207_000_000, 6_500_000},
		"HND@" + DistrictName:    {5_000_000, 1_000_000},
		"HLHPN@" + DistrictName:  {12_000_000, 2_000_000},
		"DTN@" + DistrictName:    {7_000_000, 1_500_000},
		"HCCB@" + DistrictName:   {3_000_000, 1_000_000},
		"LDLD@" + DistrictName:   {15_500_000, 1_250_000},
		"MTTQ@Thị trấn Ia Blang": {18_000_000, 1_000_000},
		"MTTQ@Xã Ia Dêr":         {9_500_000, 0},
		"MTTQ@Xã Ia Krái":        {8_000_000, 0},
		"MTTQ@Xã Ia Tô":          {12_000_000, 0},
		"MTTQ@Xã Ia Hrung":       {7_500_000, 0},
		"MTTQ@Xã Ia Sao":         {9_000_000, 0},
		"MTTQ@Xã Ia Bă":          {8_500_000, 0},
		"MTTQ@Xã Ia Chía":        {7_000_000, 0},
		"MTTQ@Xã Ia Khai":        {10_000_000, 0},
		"MTTQ@Xã Ia O":           {9_000_000, 0},
	},
	"2021Q2": {
		"MTTQ@" + DistrictName: {86_000_000, 9_500_000},
		"LDLD@" + DistrictName: {6_000_000, 0},
	},
	"2020Q3": {
		"MTTQ@" + DistrictName: {45_000_000, 6_000_000},
	},
}

// fundDays are the days receipts of a period are dated on (first, last):
// Q3 2021 from 01/07 to 20/08/2021, before the review meeting of 26/08;
// the earlier periods within the bloc's windows of the time.
var fundDays = map[string][2]db.Date{
	"2021Q3": {db.D(2021, 7, 1), db.D(2021, 8, 20)},
	"2021Q2": {db.D(2021, 3, 1), db.D(2021, 5, 15)},
	"2020Q3": {db.D(2020, 6, 1), db.D(2020, 8, 14)},
}

// fundPeriods are the periods of FundFigures in the order their entries
// are generated (Q3 2021 first: its receipts stay the same whatever the
// others are).
var fundPeriods = []string{"2021Q3", "2021Q2", "2020Q3"}

// FundDisbursements are the fund's payments (Q3 2021: total FundPaidOut),
// each made by a unit of the bloc ("ORG@area name"): the units' report
// figures for QUY_COVID_CHI_HO_TRO (FundFigures).
var FundDisbursements = []struct {
	Date      db.Date
	Unit      string
	Recipient string
	Kind      string
	Area      string // area name; "" = the district
	Amount    int64
	Purpose   string
	Decision  string
	InKind    string
}{
	{db.D(2021, 8, 5), "MTTQ@" + DistrictName, "Chốt kiểm soát dịch Covid-19 Km 18, Quốc lộ 19", "checkpoint", "Xã Ia Dêr", 3_000_000, "Thăm hỏi, tặng quà lực lượng trực chốt kiểm soát dịch", "21/QĐ-MTTQ", "Mì tôm, nước uống, khẩu trang, nước sát khuẩn"},
	{db.D(2021, 8, 6), "MTTQ@Thị trấn Ia Blang", "Chốt kiểm soát dịch Covid-19 thị trấn Ia Blang", "checkpoint", "Thị trấn Ia Blang", 1_000_000, "Thăm hỏi, tặng quà lực lượng trực chốt kiểm soát dịch", "08/QĐ-MTTQ", ""},
	{db.D(2021, 8, 9), "HND@" + DistrictName, "Chốt kiểm soát dịch Covid-19 xã Ia Tô", "checkpoint", "Xã Ia Tô", 1_000_000, "Thăm hỏi, tặng quà lực lượng trực chốt kiểm soát dịch", "21/QĐ-MTTQ", ""},
	{db.D(2021, 8, 10), "MTTQ@" + DistrictName, "Trung tâm Y tế huyện " + DistrictShort, "hospital", "", 2_000_000, "Hỗ trợ bệnh nhân cách ly, điều trị Covid-19 tại Trung tâm Y tế huyện", "24/QĐ-MTTQ", ""},
	{db.D(2021, 8, 11), "HLHPN@" + DistrictName, "Bệnh nhân cách ly tại Trung tâm Y tế huyện " + DistrictShort, "hospital", "", 2_000_000, "Tặng quà bệnh nhân cách ly (sữa, khăn, đồ dùng cá nhân)", "24/QĐ-MTTQ", ""},
	{db.D(2021, 8, 12), "MTTQ@" + DistrictName, "Tổ truy vết Covid-19 huyện (Trung tâm Y tế huyện " + DistrictShort + ")", "force", "", 1_500_000, "Hỗ trợ lực lượng truy vết, lấy mẫu xét nghiệm", "25/QĐ-MTTQ", ""},
	{db.D(2021, 8, 13), "DTN@" + DistrictName, "Lực lượng truy vết xã Ia Krái", "force", "Xã Ia Krái", 1_500_000, "Hỗ trợ lực lượng truy vết", "25/QĐ-MTTQ", ""},
	{db.D(2021, 8, 16), "HCCB@" + DistrictName, "Chốt kiểm soát dịch Covid-19 xã Ia Hrung", "checkpoint", "Xã Ia Hrung", 1_000_000, "Thăm hỏi, tặng quà lực lượng trực chốt kiểm soát dịch", "27/QĐ-MTTQ", ""},
	{db.D(2021, 8, 18), "LDLD@" + DistrictName, "Lực lượng y tế tuyến đầu, Trung tâm Y tế huyện " + DistrictShort, "force", "", 1_250_000, "Thăm hỏi, động viên lực lượng tuyến đầu chống dịch", "27/QĐ-MTTQ", ""},
	// Q2 2021 (window 21/02–20/05/2021).
	{db.D(2021, 4, 20), "MTTQ@" + DistrictName, "Khu cách ly tập trung huyện " + DistrictShort, "checkpoint", "", 4_000_000, "Hỗ trợ khu cách ly tập trung (nhu yếu phẩm)", "12/QĐ-MTTQ", ""},
	{db.D(2021, 5, 10), "MTTQ@" + DistrictName, "Trung tâm Y tế huyện " + DistrictShort, "hospital", "", 5_500_000, "Hỗ trợ lực lượng y tế lấy mẫu xét nghiệm", "15/QĐ-MTTQ", ""},
	// Q3 2020 (window 21/05–20/08/2020).
	{db.D(2020, 8, 3), "MTTQ@" + DistrictName, "Chốt kiểm soát dịch Covid-19 Quốc lộ 19", "checkpoint", "Xã Ia Dêr", 2_500_000, "Thăm hỏi lực lượng trực chốt kiểm soát dịch", "09/QĐ-MTTQ", ""},
	{db.D(2020, 8, 12), "MTTQ@" + DistrictName, "Khu cách ly tập trung huyện " + DistrictShort, "checkpoint", "", 3_500_000, "Hỗ trợ người cách ly tập trung", "11/QĐ-MTTQ", ""},
}

var (
	kinhFamilies = []string{"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương"}
	kinhMen      = []string{"An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam", "Phúc", "Quang", "Sơn", "Thắng", "Tuấn", "Việt", "Vinh", "Toàn", "Tư", "Lộc"}
	kinhWomen    = []string{"Hà", "Hằng", "Hoà", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Vân", "Xuân", "Yến", "Dung", "Hạnh", "Thu"}
	kinhMiddleM  = []string{"Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Ngọc", "Xuân"}
	kinhMiddleW  = []string{"Thị", "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Hồng"}
	jraiFamilies = []string{"Ksor", "Siu", "Rơ Châm", "Rơ Mah", "Kpă", "Nay", "Puih", "Rah Lan", "Kpuih", "Rmah"}
	jraiMen      = []string{"Thơm", "Ngơn", "Blui", "Djiu", "Hyơk", "Kơk", "Phơ", "Tih", "Blong", "Hlinh", "Dú", "Yuh"}
	jraiWomen    = []string{"H'Blông", "H'Nia", "H'Lim", "H'Ly", "H'Nhi", "H'Rim", "H'Prông", "H'Jen", "H'Mơi"}
	bahnarGiven  = []string{"Hyuk", "Blưk", "Phun", "Nhan", "Bơr", "Hlinh"}
	fundOrgs     = []string{
		"Công ty TNHH Xây dựng Tân Phát", "Công ty Cổ phần Cà phê " + DistrictShort, "Công ty TNHH MTV Cao su Ia Blang",
		"Doanh nghiệp tư nhân Hoàng Long", "Hợp tác xã Nông nghiệp Ia Dêr", "Hợp tác xã Dịch vụ Nông nghiệp Ia Tô",
		"Trường THPT " + DistrictShort, "Trường THCS Ia Tô", "Trường Tiểu học Ia Krái", "Trường Mầm non Hoa Sen",
		"Ngân hàng Nông nghiệp và PTNT chi nhánh huyện " + DistrictShort, "Bưu điện huyện " + DistrictShort,
		"Điện lực " + DistrictShort, "Công an huyện " + DistrictShort, "Ban Chỉ huy Quân sự huyện " + DistrictShort,
		"Cán bộ, công chức Văn phòng HĐND và UBND huyện", "Cán bộ, viên chức Phòng Giáo dục và Đào tạo huyện",
		"Hội Nông dân huyện " + DistrictShort, "Hội Liên hiệp Phụ nữ huyện " + DistrictShort, "Huyện đoàn " + DistrictShort,
		"Hội Cựu chiến binh huyện " + DistrictShort, "Liên đoàn Lao động huyện " + DistrictShort,
		"Chùa Phước Lâm", "Giáo xứ Ia Blang", "Hội Doanh nhân trẻ huyện", "Cửa hàng Vật liệu xây dựng Thành Đạt",
		"Nhà thuốc Minh Châu", "Công ty TNHH Thương mại Ia Grai Xanh", "Quỹ tín dụng nhân dân Ia Blang", "Ban Dân vận Huyện ủy",
	}
)

func personName(r *rand.Rand) (string, bool) {
	woman := r.IntN(2) == 0
	switch k := r.IntN(10); {
	case k < 6:
		fam := kinhFamilies[r.IntN(len(kinhFamilies))]
		if woman {
			return fam + " " + kinhMiddleW[r.IntN(len(kinhMiddleW))] + " " + kinhWomen[r.IntN(len(kinhWomen))], true
		}
		return fam + " " + kinhMiddleM[r.IntN(len(kinhMiddleM))] + " " + kinhMen[r.IntN(len(kinhMen))], true
	case k < 9:
		fam := jraiFamilies[r.IntN(len(jraiFamilies))]
		if woman {
			return fam + " " + jraiWomen[r.IntN(len(jraiWomen))], true
		}
		return fam + " " + jraiMen[r.IntN(len(jraiMen))], true
	default:
		mid := "Văn"
		if woman {
			mid = "Thị"
		}
		return "Đinh " + mid + " " + bahnarGiven[r.IntN(len(bahnarGiven))], true
	}
}

// fundReceipts generates the receipts, deterministically: for each period
// and unit of FundFigures with a figure received, donations of
// organisations and individuals, by transfer and in cash, a few anonymous,
// dated within fundDays, totalling exactly that unit's figure. It returns
// them by period and unit key, and the keys of each period in order.
func fundReceipts() (map[string]map[string][]fund.ReceiptInput, map[string][]string) {
	r := rand.New(rand.NewPCG(fundSeed, 2021))
	out := map[string]map[string][]fund.ReceiptInput{}
	keysOf := map[string][]string{}
	ref := 0
	for _, per := range fundPeriods {
		var keys []string
		for k, v := range FundFigures[per] {
			if v.Received > 0 {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		keysOf[per] = keys
		out[per] = map[string][]fund.ReceiptInput{}
		first, last := fundDays[per][0], fundDays[per][1]
		span := int(last.Sub(first.Time).Hours()/24) + 1
		for _, unit := range keys {
			out[per][unit] = unitReceipts(r, &ref, FundFigures[per][unit].Received, first, span)
		}
	}
	return out, keysOf
}

// unitReceipts draws one unit's receipts of a period totalling target.
func unitReceipts(r *rand.Rand, ref *int, target int64, first db.Date, span int) []fund.ReceiptInput {
	var out []fund.ReceiptInput
	var total int64
	add := func(in fund.ReceiptInput) {
		in.Date = db.NewDate(first.AddDate(0, 0, r.IntN(span)))
		if in.Channel == translog.ChannelTransfer {
			*ref++
			in.BankRef = fmt.Sprintf("FT%02d%03d%06d", in.Date.Year()%100, in.Date.YearDay(), 100000+*ref*7)
			name := in.DonorName
			if in.Anonymous {
				name = "KHONG GHI TEN"
			}
			in.TransferNote = strings.ToUpper(vn.Fold(name)) + " " + FundNotePrefix
			if r.IntN(3) == 0 {
				in.TransferNote = "MBVCB." + fmt.Sprint(1000000+r.IntN(8999999)) + "." + strings.ToUpper(vn.Fold(name)) + " chuyen tien ung ho phong chong dich covid"
			}
		}
		out = append(out, in)
		total += in.Amount
	}
	for len(out) < fundReceiptsMax {
		var in fund.ReceiptInput
		if r.IntN(10) == 0 {
			in.DonorName = fundOrgs[r.IntN(len(fundOrgs))]
			in.DonorKind = fund.DonorOrganisation
			in.Amount = int64(2+r.IntN(19)) * 500_000 // 1 – 10 triệu
			if r.IntN(5) == 0 {
				in.Amount = int64(2+r.IntN(4)) * 5_000_000 // 10 – 25 triệu
			}
		} else {
			in.DonorName, _ = personName(r)
			in.DonorKind = fund.DonorIndividual
			in.Amount = int64(1+r.IntN(10)) * 50_000 // 50.000 – 500.000
			if r.IntN(8) == 0 {
				in.Amount = int64(1+r.IntN(3)) * 1_000_000
			}
			in.Anonymous = r.IntN(20) == 0
		}
		if total+in.Amount > target-200_000 {
			break
		}
		in.Channel = translog.ChannelTransfer
		if r.IntN(3) == 0 {
			in.Channel = translog.ChannelCash
		}
		add(in)
	}
	// The last donation makes the unit's figure.
	last := fund.ReceiptInput{DonorKind: fund.DonorIndividual, Amount: target - total, Channel: translog.ChannelCash}
	last.DonorName, _ = personName(r)
	if last.Amount > 5_000_000 {
		last.DonorName, last.DonorKind = fundOrgs[r.IntN(len(fundOrgs))], fund.DonorOrganisation
	}
	add(last)
	return out
}

func (s *seeder) funds(ctx context.Context) error {
	os := &org.Store{DB: s.d}
	mttq, err := os.OrganisationByCode(ctx, "MTTQ")
	if err != nil {
		return fmt.Errorf("demo: fund: %w", err)
	}
	var districtID int64
	if err := s.d.QueryRowContext(ctx, "SELECT id FROM areas WHERE name = $1", DistrictName).Scan(&districtID); err != nil {
		return fmt.Errorf("demo: fund: district: %w", err)
	}
	unit, err := os.UnitAt(ctx, mttq.ID, districtID)
	if err != nil {
		return fmt.Errorf("demo: fund: district Front unit: %w", err)
	}
	// The district secretariat keeps the fund, as in a real office: the
	// entries and receipts name its account.
	ctx, p, err := s.actAs(ctx, FundClerk)
	if err != nil {
		return fmt.Errorf("demo: fund: %w", err)
	}
	st := fund.NewStore(s.d)
	ict := time.FixedZone("ICT", 7*3600)
	clock := time.Date(2020, 5, 25, 9, 0, 0, 0, ict)
	st.Clock = func() time.Time { return clock }
	f, err := st.CreateFund(ctx, p, fund.FundInput{Code: FundCode, Name: FundName, Purpose: fund.PurposeEpidemic, UnitID: unit.ID,
		Campaign: FundCode, NotePrefix: FundNotePrefix, StartDate: db.D(2020, 6, 1), EndDate: db.D(2021, 12, 31),
		Description: "Tiếp nhận tiền, hàng của các tổ chức, cá nhân ủng hộ công tác phòng, chống dịch Covid-19 trên địa bàn huyện (dữ liệu minh họa, hư cấu).",
		LegalBasis:  "Nghị định số 64/2008/NĐ-CP của Chính phủ (từ 27/10/2021: Nghị định số 93/2021/NĐ-CP) và hướng dẫn của Ủy ban Trung ương MTTQ Việt Nam",
		Target:      500_000_000})
	if err != nil {
		return fmt.Errorf("demo: fund: %w", err)
	}
	if _, err := st.AddAccount(ctx, p, f.ID, fund.AccountInput{BankName: "Vietcombank", BIN: FundAccountBIN, AccountNo: FundAccountNo,
		Holder: "UY BAN MTTQ VIET NAM HUYEN " + strings.ToUpper(vn.Fold(DistrictShort)), Branch: "Chi nhánh Gia Lai"}); err != nil {
		return fmt.Errorf("demo: fund account: %w", err)
	}
	// Replay the periods day by day: each day's receipts and payments are
	// recorded (and signed) at the end of that day.
	unitOf := func(key string) (int64, error) {
		id, ok := s.units[key]
		if !ok {
			return 0, fmt.Errorf("demo: fund: no unit %s", key)
		}
		return id, nil
	}
	byDay := map[string][]fund.ReceiptInput{}
	receipts, keysOf := fundReceipts()
	for _, per := range fundPeriods {
		for _, key := range keysOf[per] {
			id, err := unitOf(key)
			if err != nil {
				return err
			}
			for _, in := range receipts[per][key] {
				in.UnitID = id
				byDay[in.Date.ISO()] = append(byDay[in.Date.ISO()], in)
			}
		}
	}
	areas := map[string]int64{"": districtID}
	for _, d := range FundDisbursements {
		if d.Area != "" {
			var id int64
			if err := s.d.QueryRowContext(ctx, "SELECT id FROM areas WHERE name = $1", d.Area).Scan(&id); err != nil {
				return fmt.Errorf("demo: fund: area %s: %w", d.Area, err)
			}
			areas[d.Area] = id
		}
	}
	for day := fundDays["2020Q3"][0]; !day.After(db.D(2021, 8, 31).Time); day = db.NewDate(day.AddDate(0, 0, 1)) {
		clock = time.Date(day.Year(), day.Month(), day.Day(), 17, 30, 0, 0, ict)
		if ins := byDay[day.ISO()]; len(ins) > 0 {
			if _, err := st.RecordReceipts(ctx, p, f.ID, ins); err != nil {
				return fmt.Errorf("demo: fund receipts of %s: %w", day.ISO(), err)
			}
		}
		for _, d := range FundDisbursements {
			if d.Date.ISO() != day.ISO() {
				continue
			}
			unit, err := unitOf(d.Unit)
			if err != nil {
				return err
			}
			ch := translog.ChannelCash
			if d.InKind != "" {
				ch = translog.ChannelInKind
			}
			if _, err := st.RecordDisbursement(ctx, p, f.ID, fund.DisbursementInput{Date: d.Date, Recipient: d.Recipient, RecipientKind: d.Kind,
				AreaID: areas[d.Area], Amount: d.Amount, Channel: ch, InKind: d.InKind, Purpose: d.Purpose, DecisionNo: d.Decision,
				Approver: "Ban Thường trực Ủy ban MTTQ huyện", UnitID: unit}); err != nil {
				return fmt.Errorf("demo: fund disbursement %s: %w", d.Recipient, err)
			}
		}
	}
	return nil
}
