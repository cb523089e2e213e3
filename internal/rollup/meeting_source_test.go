package rollup_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"giaoban/internal/account"
	"giaoban/internal/demo"
	"giaoban/internal/meeting"
	"giaoban/internal/org"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/rollup"
)

// secretariat is a context acting as the demo's bloc secretary.
func secretariat(t *testing.T, d *db.DB) context.Context {
	t.Helper()
	ctx := context.Background()
	u, err := (&account.Store{DB: d}).UserByUsername(ctx, "thuky")
	if err != nil {
		t.Fatal(err)
	}
	p := &auth.Principal{UserID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role}
	if u.AreaID != nil {
		p.AreaID = *u.AreaID
		if p.ScopePath, err = org.NewStore(d).AreaPath(ctx, p.AreaID); err != nil {
			t.Fatal(err)
		}
	}
	return audit.WithActor(auth.WithPrincipal(ctx, p), audit.Actor{UserID: u.ID, Username: u.Username})
}

// snapshotRow is a row of the snapshot's JSON.
type snapshotRow struct {
	Code  string `json:"indicator"`
	Total *int64 `json:"total"`
}

type snapshotJSON struct {
	Period          string `json:"period"`
	ApprovedOnly    bool   `json:"approved_only"`
	NarrativeHTML   string `json:"narrative_html"`
	NarrativeEdited bool   `json:"narrative_edited"`
	Table           struct {
		HasData  bool `json:"has_data"`
		Sections []struct {
			Rows []snapshotRow `json:"rows"`
		} `json:"sections"`
	} `json:"table"`
	Completeness struct {
		Units int `json:"units"`
	} `json:"completeness"`
}

func (s snapshotJSON) total(code string) int64 {
	for _, sec := range s.Table.Sections {
		for _, r := range sec.Rows {
			if r.Code == code && r.Total != nil {
				return *r.Total
			}
		}
	}
	return -1
}

func decodeSnapshot(t *testing.T, js string) snapshotJSON {
	t.Helper()
	var out snapshotJSON
	if err := json.Unmarshal([]byte(js), &out); err != nil {
		t.Fatalf("snapshot JSON: %v\n%.500s", err, js)
	}
	return out
}

// The demo's Q3 2021 meeting holds the consolidated report frozen the day
// before it, with the article's figures; a later snapshot is a new version
// and leaves the first as it was; the news draft quotes the drafted results
// and, once the secretariat edited them, the edited text.
func TestMeetingFreezesTheConsolidatedReport(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		if _, err := demo.Seed(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		sec := secretariat(t, d)
		rollups := rollup.New(d)
		svc := meeting.New(d)
		svc.Snapshot, svc.Results = rollups.MeetingSnapshot, rollups.MeetingResults
		var q3 *meeting.Meeting
		list, err := svc.Meetings(sec, meeting.MeetingFilter{Year: 2021})
		if err != nil {
			t.Fatal(err)
		}
		for i := range list {
			if list[i].Title == demo.MeetingQ3Title {
				q3 = &list[i]
			}
		}
		if q3 == nil {
			t.Fatalf("no Q3 meeting among %d", len(list))
		}

		// The demo froze the report once, before the meeting.
		snaps, err := svc.Snapshots(sec, q3.ID)
		if err != nil || len(snaps) != 1 || snaps[0].Version != 1 || snaps[0].Period != "2021Q3" {
			t.Fatalf("demo snapshots: %v %+v", err, snaps)
		}
		v1, err := svc.SnapshotVersion(sec, q3.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(v1.Title, "Quý III năm 2021") || !strings.Contains(v1.Title, "Khối") {
			t.Errorf("title %q", v1.Title)
		}
		for _, want := range []string{"348.000.000", "14.250.000", "348 triệu đồng", "hơn 14 triệu đồng",
			"7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết", "Toàn khối", "Cùng kỳ năm trước", "Kế hoạch năm", "% KH",
			"Tình hình gửi báo cáo: 56 đơn vị", "Đã duyệt: 53", "Phần kết quả do hệ thống dự thảo từ số liệu."} {
			if !strings.Contains(v1.HTML, want) {
				t.Errorf("snapshot HTML lacks %q", want)
			}
		}
		for _, banned := range []string{"<script", "style=", "href=", "<form"} {
			if strings.Contains(v1.HTML, banned) {
				t.Errorf("snapshot HTML holds %q: it must stand alone", banned)
			}
		}
		js := decodeSnapshot(t, v1.JSON)
		if js.Period != "2021Q3" || !js.ApprovedOnly || js.NarrativeEdited || !js.Table.HasData || js.Completeness.Units != 56 {
			t.Errorf("snapshot JSON %+v", js)
		}
		for code, want := range map[string]int64{"QUY_COVID_TIEP_NHAN": 348_000_000, "QUY_COVID_CHI_HO_TRO": 14_250_000,
			"NHA_TINH_NGHIA_BAN_GIAO": 7, "NHA_DDK_BAN_GIAO": 2} {
			if got := js.total(code); got != want {
				t.Errorf("snapshot %s = %d, want %d", code, got, want)
			}
		}

		// The news draft's results are the drafted narrative, which says
		// more than the meeting's conclusions ("8 cuộc khảo sát").
		drafted := []string{"Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền 348 triệu đồng",
			"Bàn giao và đưa vào sử dụng 7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết", "Tổ chức 8 cuộc khảo sát, đánh giá tình trạng tảo hôn"}
		news, err := svc.Draft(sec, q3.ID)
		if err != nil {
			t.Fatal(err)
		}
		saved, err := svc.NewsVersion(sec, q3.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range drafted {
			if !strings.Contains(news.Body, want) || !strings.Contains(saved.Body, want) {
				t.Errorf("news draft (fresh or saved by the demo) lacks the drafted %q", want)
			}
		}
		if strings.Contains(news.Body, "Trong quý III, Mặt trận và các tổ chức thành viên các cấp đã tập trung đẩy mạnh") {
			t.Error("the news draft quotes the conclusions, not the drafted narrative")
		}

		// The secretariat edits the results; a new snapshot is version 2
		// with the edited text, version 1 is unchanged.
		edited := "Tiếp nhận ủng hộ phòng, chống dịch Covid-19 số tiền 348 triệu đồng (bản Ban Thường trực đã sửa)."
		if _, err := rollups.SaveDraft(sec, q3.BlocID, "2021Q3", blocArea(t, d, q3.BlocID), rollup.DraftInput{HTML: edited}); err != nil {
			t.Fatal(err)
		}
		v2, err := svc.TakeSnapshot(sec, q3.ID)
		if err != nil || v2.Version != 2 {
			t.Fatalf("second snapshot: %v %+v", err, v2)
		}
		got2, err := svc.SnapshotVersion(sec, q3.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got2.HTML, "bản Ban Thường trực đã sửa") || !strings.Contains(got2.HTML, "Phần kết quả do Ban Thường trực chỉnh sửa (phiên bản 1).") ||
			!decodeSnapshot(t, got2.JSON).NarrativeEdited {
			t.Errorf("version 2 lacks the edited narrative")
		}
		again, err := svc.SnapshotVersion(sec, q3.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if again.HTML != v1.HTML || again.JSON != v1.JSON || again.Title != v1.Title || !again.TakenAt.Equal(v1.TakenAt) {
			t.Error("version 1 changed when version 2 was taken")
		}
		if strings.Contains(again.HTML, "bản Ban Thường trực đã sửa") {
			t.Error("version 1 shows the later edit")
		}
		// The news draft now quotes the edited text.
		if news, err := svc.Draft(sec, q3.ID); err != nil || !strings.Contains(news.Body, "bản Ban Thường trực đã sửa") || strings.Contains(news.Body, drafted[2]) {
			t.Errorf("news draft after the edit: %v\n%s", err, news.Body)
		}
	})
}

// A meeting's hooks refuse a bad period, and what is outside the caller's
// scope, like the report itself.
func TestMeetingSourcesRefuse(t *testing.T) {
	d := dbtest.Open(t, "sqlite")
	if _, err := demo.Seed(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	rollups := rollup.New(d)
	var blocID int64
	if err := d.QueryRowContext(context.Background(), "SELECT id FROM blocs").Scan(&blocID); err != nil {
		t.Fatal(err)
	}
	sec := secretariat(t, d)
	if _, _, _, err := rollups.MeetingSnapshot(sec, blocID, "2021Q9"); err == nil {
		t.Error("snapshot of 2021Q9: no error")
	}
	if _, err := rollups.MeetingResults(sec, blocID, "quý ba"); err == nil {
		t.Error("results of a bad period: no error")
	}
	if _, _, _, err := rollups.MeetingSnapshot(context.Background(), blocID, "2021Q3"); err == nil {
		t.Error("snapshot without a principal: no error")
	}
	// A period without figures is frozen as it is, saying so.
	_, html, _, err := rollups.MeetingSnapshot(sec, blocID, "2019Q1")
	if err != nil || !strings.Contains(html, "Chưa có số liệu của kỳ này.") {
		t.Errorf("empty period: %v", err)
	}
	if res, err := rollups.MeetingResults(sec, blocID, "2019Q1"); err != nil || res != "" {
		t.Errorf("results of an empty period: %v %q", err, res)
	}
}

func blocArea(t *testing.T, d *db.DB, blocID int64) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), "SELECT area_id FROM blocs WHERE id = $1", blocID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
