package meeting_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"giaoban/internal/meeting"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// snapshotStub returns the consolidated report as it stands: its figure
// grows with every call, as values are entered.
func snapshotStub(total *int) meeting.SnapshotSource {
	return func(_ context.Context, blocID int64, period string) (string, string, []byte, error) {
		*total += 100
		return "Báo cáo tổng hợp " + period, fmt.Sprintf("<table><tr><td>Tổng</td><td>%d</td></tr></table>", *total),
			[]byte(fmt.Sprintf(`{"bloc":%d,"total":%d}`, blocID, *total)), nil
	}
}

func TestSnapshotsAreFrozen(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		m := must[*meeting.Meeting](t)(f.s.CreateMeeting(f.secretariat, f.q3Input()))
		if f.s.CanSnapshot() {
			t.Fatal("no source, yet CanSnapshot")
		}
		_, err := f.s.TakeSnapshot(f.secretariat, m.ID)
		wantCode(t, err, apperr.Conflict)

		total := 0
		f.s.Snapshot = snapshotStub(&total)
		_, err = f.s.TakeSnapshot(f.officer, m.ID)
		wantCode(t, err, apperr.Forbidden)
		v1 := must[*meeting.Snapshot](t)(f.s.TakeSnapshot(f.secretariat, m.ID))
		if v1.Version != 1 || v1.Title != "Báo cáo tổng hợp 2021Q3" || v1.TakenByName == "" {
			t.Fatalf("first snapshot %+v", v1)
		}
		// The database refuses any change to a frozen snapshot.
		for _, stmt := range []string{
			"UPDATE meeting_snapshots SET content_html = 'sửa' WHERE meeting_id = $1",
			"UPDATE meeting_snapshots SET version = 7 WHERE meeting_id = $1",
			"DELETE FROM meeting_snapshots WHERE meeting_id = $1",
		} {
			_, err := d.ExecContext(f.secretariat, stmt, m.ID)
			if err == nil || !strings.Contains(err.Error(), "frozen") {
				t.Errorf("%s: %v, want the database to refuse it", stmt, err)
			}
		}
		if d.Dialect == db.Postgres {
			if _, err := d.ExecContext(f.secretariat, "TRUNCATE meeting_snapshots"); err == nil {
				t.Error("TRUNCATE meeting_snapshots: no error")
			}
		}
		// Taking another makes version 2; version 1 is as it was.
		v2 := must[*meeting.Snapshot](t)(f.s.TakeSnapshot(f.secretariat, m.ID))
		if v2.Version != 2 {
			t.Fatalf("second snapshot is version %d", v2.Version)
		}
		got1 := must[*meeting.Snapshot](t)(f.s.SnapshotVersion(f.viewer, m.ID, 1))
		got2 := must[*meeting.Snapshot](t)(f.s.SnapshotVersion(f.viewer, m.ID, 2))
		if !strings.Contains(got1.HTML, ">100<") || !strings.Contains(got2.HTML, ">200<") || !strings.Contains(got1.JSON, `"total":100`) {
			t.Errorf("contents: v1 %q %q, v2 %q", got1.HTML, got1.JSON, got2.HTML)
		}
		list := must[[]meeting.Snapshot](t)(f.s.Snapshots(f.officer, m.ID))
		if len(list) != 2 || list[0].Version != 2 || list[0].HTML != "" {
			t.Errorf("list %+v", list)
		}
		_, err = f.s.SnapshotVersion(f.viewer, m.ID, 3)
		wantCode(t, err, apperr.NotFound)
		// A snapshot source that fails leaves nothing behind.
		f.s.Snapshot = func(context.Context, int64, string) (string, string, []byte, error) {
			return "", "", nil, apperr.New(apperr.Unavailable, "err.unavailable")
		}
		_, err = f.s.TakeSnapshot(f.secretariat, m.ID)
		wantCode(t, err, apperr.Unavailable)
		if list := must[[]meeting.Snapshot](t)(f.s.Snapshots(f.officer, m.ID)); len(list) != 2 {
			t.Errorf("after a failed snapshot: %d versions", len(list))
		}
	})
}
