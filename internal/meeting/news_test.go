package meeting_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"regexp"
	"strings"
	"testing"

	"giaoban/internal/meeting"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

// articleResults is the results sentence of the seed article, as the
// roll-up room drafts it.
const articleResults = "Trong quý III, Mặt trận và các tổ chức thành viên các cấp đã tập trung đẩy mạnh các hoạt động tuyên truyền, vận động nhân dân; " +
	"Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền 348 triệu đồng. " +
	"Tổ chức thăm hỏi, tặng quà, hỗ trợ kinh phí các chốt kiểm soát Covid-19 với số tiền hơn 14 triệu đồng; Bàn giao và đưa vào sử dụng 7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết."

func picture(t testing.TB, format string, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	var err error
	if format == "jpeg" {
		err = jpeg.Encode(&buf, img, nil)
	} else {
		err = png.Encode(&buf, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// heldWithDirectives is the seed meeting held with three of its directives.
func heldWithDirectives(t testing.TB, f *fixture) *meeting.Meeting {
	t.Helper()
	m := f.heldQ3(t)
	for _, d := range []string{
		"Rà soát, đẩy nhanh tiến độ thực hiện các nhiệm vụ theo kế hoạch năm 2021 đã đề ra",
		"Tăng cường công tác tuyên truyền, vận động giáo dục chính trị tư tưởng",
		"Thực hiện tốt phương châm “Hằng tuần có 04 ngày làm việc ở cơ quan, 01 ngày làm việc ở cơ sở”",
	} {
		directive(t, f, m, d, db.D(2021, 12, 15), f.mttq.ID, f.hnd.ID)
	}
	return m
}

func TestNewsDraftCarriesTheArticlesFacts(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		m := heldWithDirectives(t, f)
		var asked string
		f.s.Results = func(_ context.Context, blocID int64, period string) (string, error) {
			asked = period
			return articleResults, nil
		}
		n := must[*meeting.News](t)(f.s.Draft(f.secretariat, m.ID))
		if asked != "2021Q3" {
			t.Errorf("results asked for %q", asked)
		}
		for _, want := range []string{
			"<p>Chiều ngày 26/8, Khối Mặt trận và các đoàn thể huyện Ia Grai Nam đã tổ chức Hội nghị giao ban Quý III năm 2021 nhằm đánh giá kết quả hoạt động công tác Mặt trận và các tổ chức chính trị - xã hội Quý III và Chương trình công tác Quý IV năm 2021.",
			"Dự và chỉ đạo Hội nghị có đồng chí Kpă Ngun - Phó Bí thư Thường trực Huyện ủy. Cùng dự với đồng chí còn có lãnh đạo các ban Đảng Huyện ủy, UBND huyện.</p>",
			"số tiền 348 triệu đồng", "hơn 14 triệu đồng", "7 ngôi nhà Tình nghĩa, 2 ngôi nhà Đại đoàn kết",
			"<p>Phát biểu chỉ đạo Hội nghị, đồng chí Kpă Ngun - Phó Bí thư Thường trực Huyện ủy ghi nhận sự nỗ lực của tập thể và các cá nhân Khối Mặt trận và các đoàn thể huyện Ia Grai Nam. " +
				"Đồng thời, đồng chí yêu cầu trong thời gian tới Khối cần rà soát, đẩy nhanh tiến độ thực hiện các nhiệm vụ theo kế hoạch năm 2021 đã đề ra; tăng cường công tác tuyên truyền",
			"“Hằng tuần có 04 ngày làm việc ở cơ quan, 01 ngày làm việc ở cơ sở”.</p>",
		} {
			if !strings.Contains(n.Body, want) {
				t.Errorf("draft lacks %q\n%s", want, n.Body)
			}
		}
		if n.Title != "Hội nghị giao ban Quý III Khối Mặt trận và các đoàn thể huyện Ia Grai Nam" || n.Version != 0 {
			t.Errorf("title %q version %d", n.Title, n.Version)
		}

		// Without the roll-up, the conclusions give the results.
		f.s.Results = nil
		n = must[*meeting.News](t)(f.s.Draft(f.viewer, m.ID))
		if !strings.Contains(n.Body, "<p>Tiếp nhận ủng hộ phòng, chống dịch Covid-19 với số tiền 348 triệu đồng.</p>") {
			t.Errorf("draft without results source:\n%s", n.Body)
		}
		// A failing source falls back to the conclusions too.
		f.s.Results = func(context.Context, int64, string) (string, error) { return "", errors.New("rollup down") }
		n = must[*meeting.News](t)(f.s.Draft(f.viewer, m.ID))
		if !strings.Contains(n.Body, "348 triệu đồng") {
			t.Errorf("draft with a failing source:\n%s", n.Body)
		}

		// A morning meeting opens with "Sáng"; a planned one has no article.
		in := f.q3Input()
		in.StartsAt = at(2021, 8, 20, 7, 30)
		in.Period = "2021Q2"
		in.Title = ""
		am := must[*meeting.Meeting](t)(f.s.CreateMeeting(f.secretariat, in))
		_, err := f.s.Draft(f.secretariat, am.ID)
		wantCode(t, err, apperr.Conflict)
		am = must[*meeting.Meeting](t)(f.s.Hold(f.secretariat, am.ID, nil))
		n = must[*meeting.News](t)(f.s.Draft(f.secretariat, am.ID))
		if !strings.HasPrefix(n.Body, "<p>Sáng ngày 20/8, ") || !strings.Contains(n.Body, "Quý II và Chương trình công tác Quý III năm 2021") {
			t.Errorf("morning draft %s", n.Body)
		}
	})
}

func TestNewsVersionsAndExports(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		m := heldWithDirectives(t, f)
		jpg := picture(t, "jpeg", 64, 40)
		must[*meeting.Photo](t)(f.s.AddPhoto(f.secretariat, m.ID, "Quang cảnh Hội nghị", jpg))

		draft := must[*meeting.News](t)(f.s.News(f.secretariat, m.ID))
		in := meeting.NewsInput{Title: "Hội nghị giao ban Quý III Khối Mặt trận và các đoàn thể huyện", PublishedOn: db.D(2021, 8, 30),
			Body: draft.Body, Author: "Văn Chi", AuthorUnit: "Trung tâm VH - TT&TT huyện"}
		v1 := must[*meeting.News](t)(f.s.SaveNews(f.secretariat, m.ID, in))
		if v1.Version != 1 {
			t.Fatalf("first save is version %d", v1.Version)
		}
		// Two editors started from the draft: the second save is refused.
		in.Title = "Tiêu đề khác"
		_, err := f.s.SaveNews(f.secretariat, m.ID, in)
		wantCode(t, err, apperr.Conflict)
		in.BaseVersion, in.Title = 1, "Hội nghị giao ban Quý III Khối Mặt trận và các đoàn thể huyện"
		in.Body = "Đoạn mở đầu.\n\nĐoạn thứ hai có <b>chữ đậm</b>."
		v2 := must[*meeting.News](t)(f.s.SaveNews(f.secretariat, m.ID, in))
		if v2.Version != 2 || v2.Body != "<p>Đoạn mở đầu.</p><p>Đoạn thứ hai có <strong>chữ đậm</strong>.</p>" {
			t.Errorf("v2 %+v", v2)
		}
		_, err = f.s.SaveNews(f.officer, m.ID, in)
		wantCode(t, err, apperr.Forbidden)
		in.BaseVersion, in.Title, in.Body = 2, "", ""
		_, err = f.s.SaveNews(f.secretariat, m.ID, in)
		if got := fields(t, err); got["title"] != "err.required" || got["body"] != "err.required" {
			t.Errorf("empty save: %v", err)
		}
		if vs := must[[]meeting.News](t)(f.s.NewsVersions(f.viewer, m.ID)); len(vs) != 2 || vs[0].Version != 2 || vs[1].Title != v1.Title {
			t.Errorf("versions %+v", vs)
		}
		if got := must[*meeting.News](t)(f.s.News(f.viewer, m.ID)); got.Version != 2 {
			t.Errorf("latest is version %d", got.Version)
		}

		// HTML: standalone, the photo inline after the lead, the byline.
		var page bytes.Buffer
		if err := f.s.NewsHTML(f.viewer, &page, m.ID, 1); err != nil {
			t.Fatal(err)
		}
		h := page.String()
		for _, want := range []string{"<title>Hội nghị giao ban Quý III Khối Mặt trận và các đoàn thể huyện</title>", `<p class="date">30/08/2021</p>`,
			`<img src="data:image/jpeg;base64,`, "<figcaption>Quang cảnh Hội nghị</figcaption>", "Kpă Ngun - Phó Bí thư Thường trực Huyện ủy",
			`<p class="byline">Văn Chi - Trung tâm VH - TT&amp;TT huyện</p>`} {
			if !strings.Contains(h, want) {
				t.Errorf("HTML lacks %q", want)
			}
		}
		if strings.Index(h, "<figure>") < strings.Index(h, "Chiều ngày 26/8") || strings.Index(h, "<figure>") > strings.Index(h, "Phát biểu chỉ đạo") {
			t.Error("the photo is not after the lead")
		}
		style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(h)
		sum := sha256.Sum256([]byte(style[1]))
		if !strings.Contains(meeting.NewsCSP, base64.StdEncoding.EncodeToString(sum[:])) {
			t.Error("the CSP does not allow the page's style block")
		}

		// DOCX: a zip of well-formed parts, the text and the photo as PNG.
		var doc bytes.Buffer
		if err := f.s.NewsDOCX(f.viewer, &doc, m.ID, 1); err != nil {
			t.Fatal(err)
		}
		parts := unzip(t, doc.Bytes())
		for name, b := range parts {
			if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
				dec := xml.NewDecoder(bytes.NewReader(b))
				for {
					if _, err := dec.Token(); err == io.EOF {
						break
					} else if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
				}
			}
		}
		text := docxText(t, parts["word/document.xml"])
		for _, want := range []string{"Hội nghị giao ban Quý III Khối Mặt trận và các đoàn thể huyện", "30/08/2021", "Chiều ngày 26/8",
			"Kpă Ngun - Phó Bí thư Thường trực Huyện ủy", "348 triệu đồng", "Quang cảnh Hội nghị", "Văn Chi - Trung tâm VH - TT&TT huyện"} {
			if !strings.Contains(text, want) {
				t.Errorf("DOCX text lacks %q", want)
			}
		}
		img, ok := parts["word/media/image1.png"]
		if !ok {
			t.Fatal("DOCX has no PNG picture")
		}
		if _, err := png.Decode(bytes.NewReader(img)); err != nil {
			t.Errorf("DOCX picture: %v", err)
		}
	})
}

func unzip(t testing.TB, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("DOCX does not unzip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// docxText is the text of document.xml, paragraphs on their own lines.
func docxText(t testing.TB, b []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var sb strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inText = x.Name.Local == "t"
		case xml.EndElement:
			inText = false
			if x.Name.Local == "p" {
				sb.WriteString("\n")
			}
		case xml.CharData:
			if inText {
				sb.Write(x)
			}
		}
	}
	return sb.String()
}

func TestPhotosAreCheckedByContent(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		m := must[*meeting.Meeting](t)(f.s.CreateMeeting(f.secretariat, f.q3Input()))
		pngPic := picture(t, "png", 30, 20)
		p1 := must[*meeting.Photo](t)(f.s.AddPhoto(f.secretariat, m.ID, "", pngPic))
		if p1.ContentType != "image/png" || p1.Width != 30 || p1.Height != 20 {
			t.Errorf("png %+v", p1)
		}
		p2 := must[*meeting.Photo](t)(f.s.AddPhoto(f.secretariat, m.ID, "Ảnh", picture(t, "jpeg", 2000, 10)))
		got := must[*meeting.Photo](t)(f.s.Photo(f.officer, m.ID, p2.ID))
		conv, err := got.PNG()
		if err != nil {
			t.Fatal(err)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(conv))
		if err != nil || format != "png" || cfg.Width != 1600 {
			t.Errorf("converted %v %s %+v", err, format, cfg)
		}
		for name, data := range map[string][]byte{
			"text named .jpg": []byte("không phải ảnh"),
			"GIF":             []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
			"truncated PNG":   pngPic[:40],
		} {
			_, err := f.s.AddPhoto(f.secretariat, m.ID, "", data)
			if got := fields(t, err); got["photo"] != "meeting.err.photo_type" {
				t.Errorf("%s: %v", name, err)
			}
		}
		big := append(bytes.Clone(pngPic), make([]byte, meeting.MaxPhotoBytes)...)
		_, err = f.s.AddPhoto(f.secretariat, m.ID, "", big)
		if got := fields(t, err); got["photo"] != "meeting.err.photo_size" {
			t.Errorf("over 5 MB: %v", err)
		}
		_, err = f.s.AddPhoto(f.officer, m.ID, "", pngPic)
		wantCode(t, err, apperr.Forbidden)
		if list := must[[]meeting.Photo](t)(f.s.Photos(f.viewer, m.ID)); len(list) != 2 || list[0].Data != nil {
			t.Errorf("photos %+v", list)
		}
		if err := f.s.DeletePhoto(f.secretariat, m.ID, p1.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Photo(f.viewer, m.ID, p1.ID)
		wantCode(t, err, apperr.NotFound)
	})
}
