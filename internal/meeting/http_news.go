package meeting

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
	"giaoban/internal/reporting"
	"giaoban/internal/vn"
)

func (h *Handler) newsRoutes(rt *web.Router) {
	rt.Handle("GET", "/meetings/{id}/news", auth.PermMeetingManage, h.newsPage)
	rt.Handle("POST", "/meetings/{id}/news", auth.PermMeetingManage, h.newsSave)
	rt.Handle("GET", "/meetings/{id}/news.html", auth.PermAuthenticated, h.newsHTML)
	rt.Handle("GET", "/meetings/{id}/news.docx", auth.PermAuthenticated, h.newsDOCX)
}

// newsForm is the article as the editor shows it.
type newsForm struct {
	Title, PublishedOn, Body, Author, AuthorUnit string
	// Base is the latest saved version when the editor was opened.
	Base int64
	// Shown is the version in the form (0: a fresh draft).
	Shown int64
}

type newsData struct {
	M        *Meeting
	F        newsForm
	Versions []News
	Photos   []Photo
}

func (h *Handler) renderNews(w http.ResponseWriter, r *http.Request, m *Meeting, nf *newsForm, formErr error) error {
	s := h.Service
	ctx := r.Context()
	versions, err := s.NewsVersions(ctx, m.ID)
	if err != nil {
		return err
	}
	var latest int64
	if len(versions) > 0 {
		latest = versions[0].Version
	}
	if nf == nil {
		var n *News
		q := r.URL.Query()
		v, _ := strconv.ParseInt(q.Get("v"), 10, 64)
		switch {
		case q.Get("draft") != "":
			n, err = s.Draft(ctx, m.ID)
		case v > 0:
			n, err = s.NewsVersion(ctx, m.ID, v)
		default:
			n, err = s.News(ctx, m.ID)
		}
		if err != nil {
			return err
		}
		nf = &newsForm{Title: n.Title, Body: reporting.Editable(n.Body), Author: n.Author, AuthorUnit: n.AuthorUnit, Base: latest, Shown: n.Version}
		if n.PublishedOn.Valid() {
			nf.PublishedOn = vn.FormatDate(n.PublishedOn.Time)
		}
		if q.Get("draft") != "" && latest > 0 {
			// A fresh draft keeps the byline already chosen.
			if cur, err := s.NewsVersion(ctx, m.ID, latest); err == nil {
				nf.Author, nf.AuthorUnit = cur.Author, cur.AuthorUnit
			}
		}
	}
	photos, err := s.Photos(ctx, m.ID)
	if err != nil {
		return err
	}
	return h.page(w, r, "meeting/news.html", "meeting.news.title", "", newsData{M: m, F: *nf, Versions: versions, Photos: photos}, formErr)
}

func (h *Handler) newsPage(w http.ResponseWriter, r *http.Request) error {
	m, err := h.managedMeeting(r)
	if err != nil {
		return err
	}
	return h.renderNews(w, r, m, nil, nil)
}

func (h *Handler) newsSave(w http.ResponseWriter, r *http.Request) error {
	m, err := h.managedMeeting(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	f := &form{r: r}
	nf := newsForm{Title: f.text("title"), PublishedOn: f.text("published_on"), Body: r.PostFormValue("body"),
		Author: f.text("author"), AuthorUnit: f.text("author_unit")}
	if v := f.version("base_version"); v != nil {
		nf.Base = *v
	}
	in := NewsInput{Title: nf.Title, PublishedOn: f.date("published_on"), Body: nf.Body, Author: nf.Author, AuthorUnit: nf.AuthorUnit, BaseVersion: nf.Base}
	if len(f.fe) > 0 {
		return h.renderNews(w, r, m, &nf, f.fe.Err())
	}
	n, err := h.Service.SaveNews(r.Context(), m.ID, in)
	if err != nil {
		return h.renderNews(w, r, m, &nf, err)
	}
	return web.Redirect(w, r, meetingURL(m.ID)+"/news?v="+strconv.FormatInt(n.Version, 10), "meeting.news.saved")
}

// newsVersion reads ?v= (0: the latest).
func newsVersion(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.URL.Query().Get("v"), 10, 64)
	return max(v, 0)
}

func (h *Handler) newsHTML(w http.ResponseWriter, r *http.Request) error {
	m, err := h.meeting(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := h.Service.NewsHTML(r.Context(), &buf, m.ID, newsVersion(r)); err != nil {
		return err
	}
	w.Header().Set("Content-Security-Policy", NewsCSP)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if r.URL.Query().Get("download") != "" {
		w.Header().Set("Content-Disposition", attachment("tin-hoi-nghi-"+strconv.FormatInt(m.ID, 10)+".html"))
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func (h *Handler) newsDOCX(w http.ResponseWriter, r *http.Request) error {
	m, err := h.meeting(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := h.Service.NewsDOCX(r.Context(), &buf, m.ID, newsVersion(r)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", attachment("tin-hoi-nghi-"+strconv.FormatInt(m.ID, 10)+".docx"))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// attachment is a Content-Disposition header for a download named name
// (ASCII, with the UTF-8 form for browsers that read it).
func attachment(name string) string {
	return `attachment; filename="` + asciiName(name) + `"; filename*=UTF-8''` + url.PathEscape(name)
}

func asciiName(name string) string {
	b := []byte{}
	for _, r := range name {
		if r < 0x20 || r >= 0x7f || r == '"' || r == '\\' || r == '/' {
			b = append(b, '_')
			continue
		}
		b = append(b, byte(r))
	}
	return string(b)
}
