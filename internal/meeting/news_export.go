package meeting

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"giaoban/internal/docgen"
	"giaoban/internal/vn"
)

// newsCSS styles the standalone article; NewsCSP allows exactly it.
const newsCSS = `body{font-family:"Times New Roman","Liberation Serif",serif;font-size:13pt;line-height:1.5;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#111}` +
	`h1{font-size:1.45rem;line-height:1.3;margin:0 0 .25rem}.date{color:#555;text-indent:0;margin-top:0}` +
	`p{text-align:justify;text-indent:1.27cm;margin:.5rem 0}figure{margin:1rem 0;text-align:center}` +
	`figure img{max-width:100%;height:auto}figcaption{font-style:italic;font-size:.95em}` +
	`.byline{text-align:right;font-weight:bold;text-indent:0;margin-top:1rem}li{text-align:justify}` +
	`@media print{body{margin:0;max-width:none}figure{break-inside:avoid}}`

// NewsCSP is the Content-Security-Policy of the standalone article: no
// script, pictures inline, the one style block.
var NewsCSP = func() string {
	h := sha256.Sum256([]byte(newsCSS))
	return "default-src 'none'; img-src data:; style-src 'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

var newsPage = template.Must(template.New("news").Parse(`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<article>
<h1>{{.Title}}</h1>
{{if .Date}}<p class="date">{{.Date}}</p>{{end}}
{{.Lead}}
{{range .Photos}}<figure><img src="{{.Src}}" alt="{{.Alt}}" width="{{.W}}" height="{{.H}}">{{if .Caption}}<figcaption>{{.Caption}}</figcaption>{{end}}</figure>
{{end}}{{.Rest}}
{{if .Byline}}<p class="byline">{{.Byline}}</p>{{end}}
</article>
</body>
</html>
`))

type newsFigure struct {
	Src          template.URL
	Alt, Caption string
	W, H         int
}

// splitLead cuts sanitised HTML after its first paragraph: the photos go
// there, as in the published article.
func splitLead(body string) (string, string) {
	if i := strings.Index(body, "</p>"); i >= 0 {
		return body[:i+4], body[i+4:]
	}
	return body, ""
}

// article returns the version to export (0: the latest, or the draft) and
// the meeting's photos with their bytes.
func (s *Service) article(ctx context.Context, meetingID, version int64) (*News, []Photo, error) {
	var n *News
	var err error
	if version > 0 {
		n, err = s.NewsVersion(ctx, meetingID, version)
	} else {
		n, err = s.News(ctx, meetingID)
	}
	if err != nil {
		return nil, nil, err
	}
	photos, err := s.photos(ctx, meetingID, true)
	if err != nil {
		return nil, nil, err
	}
	return n, photos, nil
}

// NewsHTML writes the article as one standalone, printable HTML page with
// its photos inline.
func (s *Service) NewsHTML(ctx context.Context, w io.Writer, meetingID, version int64) error {
	n, photos, err := s.article(ctx, meetingID, version)
	if err != nil {
		return err
	}
	lead, rest := splitLead(n.Body)
	data := map[string]any{"Title": n.Title, "CSS": template.CSS(newsCSS), "Lead": template.HTML(lead), "Rest": template.HTML(rest),
		"Byline": n.Byline()}
	if n.PublishedOn.Valid() {
		data["Date"] = vn.FormatDate(n.PublishedOn.Time)
	}
	var figs []newsFigure
	for _, ph := range photos {
		alt := ph.Caption
		if alt == "" {
			alt = n.Title
		}
		figs = append(figs, newsFigure{Src: template.URL("data:" + ph.ContentType + ";base64," + base64.StdEncoding.EncodeToString(ph.Data)),
			Alt: alt, Caption: ph.Caption, W: ph.Width, H: ph.Height})
	}
	data["Photos"] = figs
	var buf bytes.Buffer
	if err := newsPage.Execute(&buf, data); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// NewsDocument builds the article as a document for docgen: the title,
// the date, the lead, the photos (PNG), the rest, the byline.
func (s *Service) NewsDocument(ctx context.Context, meetingID, version int64) (*docgen.Document, error) {
	n, photos, err := s.article(ctx, meetingID, version)
	if err != nil {
		return nil, err
	}
	d := &docgen.Document{Header: docgen.Header{Motto1: "-"}, Subject: n.Title, Lang: "vi"}
	if n.PublishedOn.Valid() {
		d.Blocks = append(d.Blocks, docgen.Paragraph{Runs: []docgen.Run{{Text: vn.FormatDate(n.PublishedOn.Time), Italic: true}}})
	}
	lead, rest := splitLead(n.Body)
	d.Blocks = append(d.Blocks, htmlBlocks(lead)...)
	for _, ph := range photos {
		b, err := ph.PNG()
		if err != nil {
			return nil, err
		}
		d.Blocks = append(d.Blocks, docgen.Image{PNG: b, WidthMM: 150, Caption: ph.Caption})
	}
	d.Blocks = append(d.Blocks, htmlBlocks(rest)...)
	if by := n.Byline(); by != "" {
		d.Blocks = append(d.Blocks, docgen.Paragraph{Runs: []docgen.Run{{Text: by, Bold: true}}})
	}
	return d, nil
}

// NewsDOCX writes the article as a Word document.
func (s *Service) NewsDOCX(ctx context.Context, w io.Writer, meetingID, version int64) error {
	d, err := s.NewsDocument(ctx, meetingID, version)
	if err != nil {
		return err
	}
	return docgen.WriteDOCX(w, *d)
}

// htmlBlocks turns sanitised HTML (p, br, strong, em, ul, ol, li) into
// document blocks.
func htmlBlocks(h string) []docgen.Block {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(h), body)
	if err != nil {
		return []docgen.Block{docgen.Text(h)}
	}
	var out []docgen.Block
	var loose []docgen.Run
	flush := func() {
		if len(loose) > 0 {
			out = append(out, docgen.Paragraph{Runs: loose})
			loose = nil
		}
	}
	for _, n := range nodes {
		switch {
		case n.Type == html.ElementNode && n.DataAtom == atom.P:
			flush()
			if runs := runsOf(n, false, false); len(runs) > 0 {
				out = append(out, docgen.Paragraph{Runs: runs})
			}
		case n.Type == html.ElementNode && (n.DataAtom == atom.Ul || n.DataAtom == atom.Ol):
			flush()
			var items []string
			for li := n.FirstChild; li != nil; li = li.NextSibling {
				var b strings.Builder
				for _, r := range runsOf(li, false, false) {
					b.WriteString(r.Text)
				}
				if t := strings.TrimSpace(b.String()); t != "" {
					items = append(items, t)
				}
			}
			if len(items) > 0 {
				out = append(out, docgen.List{Items: items})
			}
		default:
			loose = append(loose, runsOf(n, false, false)...)
		}
	}
	flush()
	return out
}

// runsOf collects the text of n as runs, bold and italic as marked.
func runsOf(n *html.Node, bold, italic bool) []docgen.Run {
	switch n.Type {
	case html.TextNode:
		if n.Data == "" {
			return nil
		}
		return []docgen.Run{{Text: n.Data, Bold: bold, Italic: italic}}
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Br:
			return []docgen.Run{{Text: "\n", Bold: bold, Italic: italic}}
		case atom.Strong, atom.B:
			bold = true
		case atom.Em, atom.I:
			italic = true
		}
	}
	var out []docgen.Run
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, runsOf(c, bold, italic)...)
	}
	return out
}
