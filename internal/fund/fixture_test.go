package fund_test

import (
	"context"
	"testing"
	"time"

	"giaoban/internal/fund"
	"giaoban/internal/fund/translog"
	"giaoban/internal/org"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
)

func testCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	return audit.WithActor(ctx, audit.Actor{Username: "tester"})
}

func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// fixture is a province with a district and two communes, the Front's
// unit in each, and a fund of the district unit.
type fixture struct {
	d                  *db.DB
	s                  *fund.Store
	admin              *auth.Principal
	district, commune  *org.Area
	commune2           *org.Area
	districtUnit       *org.Unit
	communeUnit        *org.Unit
	communeSecretariat *auth.Principal
	fund               *fund.Fund
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	ctx := testCtx(t)
	os := org.NewStore(d)
	must[[]org.AreaLevel](t)(os.EnsureLevels(ctx))
	area := func(parent *org.Area, level, name string) *org.Area {
		in := org.AreaInput{LevelCode: level, Name: name}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		return must[*org.Area](t)(os.CreateArea(ctx, in))
	}
	f := &fixture{d: d, s: fund.NewStore(d), admin: &auth.Principal{UserID: 1, Username: "admin", Role: auth.Admin}}
	f.s.KeyFile = ""
	province := area(nil, org.LevelProvince, "Tỉnh Gia Lai")
	f.district = area(province, org.LevelDistrict, "Huyện Ia Grai Nam")
	f.commune = area(f.district, org.LevelCommune, "Xã Ia Tô")
	f.commune2 = area(f.district, org.LevelCommune, "Xã Ia Dêr")
	mttq := must[*org.Organisation](t)(os.CreateOrganisation(ctx, org.OrganisationInput{Code: "MTTQ", NameVI: "Mặt trận Tổ quốc Việt Nam", ShortName: "Ủy ban MTTQ"}))
	f.districtUnit = must[*org.Unit](t)(os.CreateUnit(ctx, org.UnitInput{OrganisationID: mttq.ID, AreaID: f.district.ID}))
	f.communeUnit = must[*org.Unit](t)(os.CreateUnit(ctx, org.UnitInput{OrganisationID: mttq.ID, AreaID: f.commune.ID}))
	f.communeSecretariat = &auth.Principal{UserID: 2, Username: "thuky.xa", Role: auth.Secretariat, AreaID: f.commune.ID, ScopePath: f.commune.Path}
	f.fund = must[*fund.Fund](t)(f.s.CreateFund(ctx, f.admin, fund.FundInput{Code: "COVID19", Name: "Quỹ phòng, chống dịch Covid-19 huyện Ia Grai Nam",
		Purpose: fund.PurposeEpidemic, UnitID: f.districtUnit.ID, Campaign: "COVID19", NotePrefix: "UH COVID19",
		StartDate: db.D(2021, 6, 1), EndDate: db.D(2021, 12, 31), LegalBasis: "Nghị định 93/2021/NĐ-CP", Target: 500_000_000}))
	return f
}

func (f *fixture) receipt(t testing.TB, name string, amount int64, day int, bankRef string) *fund.Entry {
	t.Helper()
	ch := "cash"
	if bankRef != "" {
		ch = "transfer"
	}
	return must[*fund.Entry](t)(f.s.RecordReceipt(testCtx(t), f.admin, f.fund.ID, fund.ReceiptInput{Date: db.D(2021, 7, day), DonorName: name,
		Amount: amount, Channel: ch, BankRef: bankRef, TransferNote: "UH COVID19 " + name}))
}

func verifyInclusion(inc *fund.Inclusion, tree translog.Tree) error { return inc.Check(tree) }
