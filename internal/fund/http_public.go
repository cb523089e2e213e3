package fund

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"giaoban/internal/fund/translog"
	"giaoban/internal/fund/vietqr"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/platform/web"
	"giaoban/internal/vn"
)

func (h *Handler) publicRoutes(rt *web.Router) {
	rt.Handle("GET", "/quy", auth.PermPublic, h.limited(h.publicList))
	rt.Handle("GET", "/quy/{code}", auth.PermPublic, h.limited(h.publicFund))
	rt.Handle("GET", "/quy/{code}/thu", auth.PermPublic, h.limited(h.publicEntries(BookIn)))
	rt.Handle("GET", "/quy/{code}/chi", auth.PermPublic, h.limited(h.publicEntries(BookOut)))
	rt.Handle("GET", "/quy/{code}/kiem-tra", auth.PermPublic, h.limited(h.publicVerify))
	rt.Handle("GET", "/quy/{code}/qr.svg", auth.PermPublic, h.limited(h.publicQR))
	rt.HandleDoc("GET", "/api/v1/public/funds/{code}/checkpoint", auth.PermPublic, "The latest signed checkpoint of a fund's log, with the public key", h.limited(h.apiCheckpoint))
	rt.HandleDoc("GET", "/api/v1/public/funds/{code}/inclusion", auth.PermPublic, "Inclusion proof of entry ?seq=N in the log of ?size= (default: the latest checkpoint)", h.limited(h.apiInclusion))
	rt.HandleDoc("GET", "/api/v1/public/funds/{code}/consistency", auth.PermPublic, "Consistency proof between the log of ?from=N1 and of ?to=N2 entries", h.limited(h.apiConsistency))
	rt.HandleDoc("GET", "/api/v1/public/funds/{code}/statement.csv", auth.PermPublic, "The published statement (CSV) as of the latest checkpoint, or ?size=", h.limited(h.apiStatement))
}

type publicListData struct {
	Funds []Fund
}

func (h *Handler) publicList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("q")
	if len(q) > MaxQueryChars {
		q = q[:MaxQueryChars]
	}
	funds, err := h.Store.Funds(r.Context(), FundFilter{PublicOnly: true, Q: q})
	if err != nil {
		return err
	}
	return h.page(w, r, "fund/public_list.html", "fund.public.title", "", publicListData{Funds: funds}, nil)
}

type publicFundData struct {
	Fund       *Fund
	Sums       *Sums
	Periods    []PeriodSums
	Quarterly  bool
	Areas      []AreaSums
	Disclosure []Disclosure
	Checkpoint *Checkpoint
	PublicKey  string
	Accounts   []Account
	Note       string // the transfer note donors are asked to write
	Progress   int    // percentage of the target received
}

func (h *Handler) publicFund(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := h.publicFundCached(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	return h.cached(w, r, f, func(w http.ResponseWriter) error { return h.renderPublicFund(w, r, f) })
}

func (h *Handler) renderPublicFund(w http.ResponseWriter, r *http.Request, f *Fund) error {
	ctx := r.Context()
	var err error
	d := publicFundData{Fund: f, Quarterly: r.URL.Query().Get("by") == "quarter"}
	if d.Sums, err = h.Store.AllSums(ctx, f); err != nil {
		return err
	}
	if d.Periods, err = h.Store.ByPeriod(ctx, f.ID, d.Quarterly); err != nil {
		return err
	}
	if d.Areas, err = h.Store.ByArea(ctx, f.ID); err != nil {
		return err
	}
	if d.Disclosure, err = h.Store.DisclosureStatus(ctx, f); err != nil {
		return err
	}
	if c, err := h.Store.LatestCheckpoint(ctx, f.ID); err == nil {
		d.Checkpoint = c
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if d.PublicKey, err = h.Store.PublicKey(ctx); err != nil {
		return err
	}
	if d.Accounts, err = h.Store.Accounts(ctx, f.ID); err != nil {
		return err
	}
	d.Note = transferNote(f)
	if f.Target > 0 {
		d.Progress = int(min(100, (d.Sums.Received+d.Sums.InKind)*100/f.Target))
	}
	return h.page(w, r, "fund/public_fund.html", "", f.Name, d, nil)
}

// transferNote is what donors are asked to write: the fund's prefix and
// their name.
func transferNote(f *Fund) string {
	if f.NotePrefix == "" {
		return vietqr.NormalizeNote(f.Code) + " HO TEN"
	}
	return f.NotePrefix + " HO TEN"
}

type publicEntriesData struct {
	Fund     *Fund
	Book     string
	Lead     string        // the totals of the book, in a sentence
	Form     entryForm     // the search form's values, as typed
	Bad      []string      // the filters that could not be read (badFilters)
	Rows     template.HTML // the table's rows (entryRows), "" when none
	NextURL  string
	CSVURL   string
	XLSXURL  string
	Filtered bool
}

// entryForm holds the search form's values as typed (the query's).
type entryForm struct {
	Q, Amount, Min, Max, From, To, Ref string
}

// entrySlots are the kinds of the page's stencil slots: the values of
// publicEntriesData.slots, in order.
var entrySlots = []web.SlotKind{
	web.SlotText,                                                                                     // Lead
	web.SlotText, web.SlotText, web.SlotText, web.SlotText, web.SlotText, web.SlotText, web.SlotText, // Form
	web.SlotText,             // Bad, joined
	web.SlotURL, web.SlotURL, // CSVURL, XLSXURL
	web.SlotHTML, // Rows
	web.SlotURL,  // NextURL
}

// slots are the page's values that change from one request to the next
// (the stencil's slots, see web.Stencil).
func (d *publicEntriesData) slots() []string {
	f := &d.Form
	return []string{d.Lead, f.Q, f.Amount, f.Min, f.Max, f.From, f.To, f.Ref, strings.Join(d.Bad, ", "), d.CSVURL, d.XLSXURL, string(d.Rows), d.NextURL}
}

// stencilKey tells apart what the page shows other than its slots: the
// fund, the book and the sections shown or not.
func (d *publicEntriesData) stencilKey() string {
	flags := []byte("----")
	if d.Filtered {
		flags[0] = 'f'
	}
	if len(d.Bad) > 0 {
		flags[1] = 'b'
	}
	if d.Rows != "" {
		flags[2] = 'r'
	}
	if d.NextURL != "" {
		flags[3] = 'n'
	}
	return d.Book + "\x00" + d.Fund.Code + "\x00" + d.Fund.Name + "\x00" + string(flags)
}

// withSlots returns d with v in place of its slots' values; the sections
// the template shows or not (Bad, Rows, NextURL) stay empty when empty.
func (d *publicEntriesData) withSlots(v []string) *publicEntriesData {
	c := *d
	c.Lead = v[0]
	c.Form = entryForm{Q: v[1], Amount: v[2], Min: v[3], Max: v[4], From: v[5], To: v[6], Ref: v[7]}
	if len(d.Bad) > 0 {
		c.Bad = []string{v[8]}
	}
	c.CSVURL, c.XLSXURL = v[9], v[10]
	if d.Rows != "" {
		c.Rows = template.HTML(v[11])
	}
	if d.NextURL != "" {
		c.NextURL = v[12]
	}
	return &c
}

func (h *Handler) publicEntries(book string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		f, err := h.publicFundCached(ctx, r.PathValue("code"))
		if err != nil {
			return err
		}
		v := r.URL.Query()
		q, bad := ParseQuery(v)
		q.Book = book
		switch v.Get("format") {
		case "csv":
			return h.downloadCSV(w, r, f, q)
		case "xlsx":
			return h.downloadXLSX(w, r, f, q)
		}
		return h.cached(w, r, f, func(w http.ResponseWriter) error { return h.renderPublicEntries(w, r, f, book, q, bad) })
	}
}

// renderPublicEntries renders the public receipts or disbursements page.
// It is the page a rush hits with distinct queries: it is rendered by the
// page's stencil (web.Stencil), made once by its template per fund, book,
// language and sections shown.
func (h *Handler) renderPublicEntries(w http.ResponseWriter, r *http.Request, f *Fund, book string, q Query, bad []string) error {
	ctx := r.Context()
	res, err := h.Store.SearchFund(ctx, f, q)
	if err != nil {
		return err
	}
	sums, err := h.Store.AllSums(ctx, f)
	if err != nil {
		return err
	}
	d := &publicEntriesData{Fund: f, Book: book, Filtered: q.Filtered()}
	base := r.URL.Path + "?"
	v := q.Values()
	v.Set("format", "csv")
	d.CSVURL = base + v.Encode()
	v.Set("format", "xlsx")
	d.XLSXURL = base + v.Encode()
	if res.Next != nil {
		v.Del("format")
		v.Set("after", res.Next.String())
		d.NextURL = base + v.Encode()
	}
	key := "fund.public.receipts"
	if book == BookOut {
		key = "fund.public.disbursements"
	}
	p := h.Render.NewPage(w, r, key, d)
	p.Title = p.T(key) + " · " + f.Name
	if book == BookOut {
		d.Lead = p.T("fund.public.out_lead", vn.FormatMoney(sums.PaidOut), vn.FormatInt(sums.Disbursements))
	} else {
		d.Lead = p.T("fund.public.in_lead", vn.FormatMoney(sums.Received), vn.FormatInt(sums.Receipts))
	}
	qv := p.Query
	d.Form = entryForm{Q: qv.Get("q"), Amount: qv.Get("amount"), Min: qv.Get("min"), Max: qv.Get("max"), From: qv.Get("from"), To: qv.Get("to"), Ref: qv.Get("ref")}
	d.Bad = badFilters(p, qv, bad)
	d.Rows = entryRows(p, f, book, res.Entries)
	const name = "fund/public_entries.html"
	if st := h.Render.Stencil(d.stencilKey(), name, p, entrySlots, func(v []string) any { return d.withSlots(v) }); st != nil {
		return st.HTML(w, http.StatusOK, p, d.slots())
	}
	return h.Render.HTML(w, http.StatusOK, name, p)
}

// filterLabels are the locale keys of the search form's labels, by
// parameter.
var filterLabels = map[string]string{
	"amount": "fund.field.amount_exact",
	"min":    "fund.field.amount_min",
	"max":    "fund.field.amount_max",
	"from":   "fund.field.from",
	"to":     "fund.field.to",
	"after":  "fund.public.page_position",
}

// badFilters describes the filters that could not be read as the form
// names them, each with what was typed: Từ ngày “31/02/2021”.
func badFilters(p *web.Page, v url.Values, bad []string) []string {
	var out []string
	for _, k := range bad {
		label := k
		if key, ok := filterLabels[k]; ok {
			label = p.T(key)
		}
		typed := strings.TrimSpace(strings.ToValidUTF8(v.Get(k), ""))
		if utf8.RuneCountInString(typed) > 40 {
			typed = truncate(typed, 40) + "…"
		}
		out = append(out, label+" “"+typed+"”")
	}
	return out
}

// entryRows writes the rows of a public list's table. A page has up to
// 200 of them, and the page is the one a rush hits: written here, they
// cost a tenth of what the template's per-cell calls do. Every text is
// HTML-escaped (as html.EscapeString does); the labels repeat for the
// narrow (stacked) layout.
func entryRows(p *web.Page, f *Fund, book string, es []Entry) template.HTML {
	if len(es) == 0 {
		return ""
	}
	l := rowLabelsFor(p.Lang, book, f.Code)
	var b strings.Builder
	b.Grow(len(es) * 600)
	var num [24]byte
	for i := range es {
		e := &es[i]
		seq := strconv.AppendInt(num[:0], e.Seq, 10)
		b.WriteString(l.seq)
		b.Write(seq)
		b.WriteString(l.verify)
		b.Write(seq)
		b.WriteString(l.date)
		if e.Date.Valid() {
			b.Write(e.Date.Time.AppendFormat(num[:0], "02/01/2006")) // vn.FormatDate
		}
		b.WriteString(l.no)
		writeEscaped(&b, e.Ref)
		b.WriteString(l.party)
		writeEscaped(&b, e.Party)
		if e.ReversedBy != 0 {
			b.WriteString(` <span class="badge bad">`)
			writeEscaped(&b, p.T("fund.entry.reversed_by", e.ReversedBy))
			b.WriteString(`</span>`)
		}
		b.WriteString(l.amount)
		b.WriteString(vn.FormatMoney(e.Magnitude()))
		b.WriteString(l.channel)
		b.WriteString(l.channels[e.Channel])
		if e.BankRef != "" {
			b.WriteString(`<br><span class="muted">`)
			writeEscaped(&b, e.BankRef)
			b.WriteString(`</span>`)
		}
		b.WriteString(l.note)
		writeEscaped(&b, e.Note)
		b.WriteString("</td>\n</tr>")
	}
	return template.HTML(b.String())
}

// rowLabels are the pieces of HTML between a row's values: the cells'
// labels (escaped) in a language, for a book of a fund.
type rowLabels struct {
	seq, verify, date, no, party, amount, channel, note string
	channels                                            map[string]string
}

// rowLabelCache keeps the rows' labels by language, book and fund code
// (the codes of public funds: a few).
var rowLabelCache sync.Map

func rowLabelsFor(lang, book, code string) *rowLabels {
	key := lang + "|" + book + "|" + code
	if l, ok := rowLabelCache.Load(key); ok {
		return l.(*rowLabels)
	}
	esc := html.EscapeString
	t := func(key string) string { return esc(i18n.T(lang, key)) }
	party := t("fund.field.donor")
	if book == BookOut {
		party = t("fund.field.recipient")
	}
	l := &rowLabels{
		seq:      `<tr><td data-label="` + t("fund.field.seq") + `"><a href="/quy/` + esc(url.PathEscape(code)) + `/kiem-tra?seq=`,
		verify:   `" title="` + t("fund.verify.this") + `">`,
		date:     "</a></td>\n<td data-label=\"" + t("fund.field.date") + `">`,
		no:       "</td>\n<td data-label=\"" + t("fund.field.number") + `">`,
		party:    "</td>\n<td data-label=\"" + party + `">`,
		amount:   "</td>\n<td class=\"num\" data-label=\"" + t("fund.field.amount") + `">`,
		channel:  "</td>\n<td data-label=\"" + t("fund.field.channel") + `">`,
		note:     "</td>\n<td data-label=\"" + t("fund.field.note") + `">`,
		channels: map[string]string{"cash": t("fund.channel.cash"), "transfer": t("fund.channel.transfer"), "inkind": t("fund.channel.inkind")},
	}
	rowLabelCache.Store(key, l)
	return l
}

// writeEscaped writes s HTML-escaped as html.EscapeString escapes it.
func writeEscaped(b *strings.Builder, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '"':
			r = "&#34;"
		default:
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(r)
		written = i + 1
	}
	b.WriteString(s[written:])
}

type publicVerifyData struct {
	Fund       *Fund
	Checkpoint *Checkpoint
	PublicKey  string
	Seq        int64
	Inclusion  *Inclusion
	EntryDate  string // the entry's date as pages show dates (dd/mm/yyyy)
	Verified   bool
	Problem    string
}

func (h *Handler) publicVerify(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := h.Store.PublicFund(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	d := publicVerifyData{Fund: f}
	if d.PublicKey, err = h.Store.PublicKey(ctx); err != nil {
		return err
	}
	if c, err := h.Store.LatestCheckpoint(ctx, f.ID); err == nil {
		d.Checkpoint = c
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if s := r.URL.Query().Get("seq"); s != "" && d.Checkpoint != nil {
		seq, err := strconv.ParseInt(s, 10, 64)
		if err != nil || seq < 1 || seq > d.Checkpoint.Size {
			d.Problem = web.T(r, "fund.verify.bad_seq", d.Checkpoint.Size)
		} else {
			d.Seq = seq
			inc, err := h.Store.ProveInclusion(ctx, f.ID, seq, d.Checkpoint.Size)
			if err != nil {
				return err
			}
			d.Inclusion = inc
			if t, err := time.Parse("2006-01-02", inc.Entry.Date); err == nil {
				d.EntryDate = vn.FormatDate(t)
			}
			tree, err := translog.VerifyCheckpoint(inc.Checkpoint, d.PublicKey)
			if err == nil {
				err = inc.Check(tree)
			}
			if err != nil {
				d.Problem = err.Error()
			} else {
				d.Verified = true
			}
		}
	}
	p := h.Render.NewPage(w, r, "fund.verify.title", d)
	p.Title = p.T("fund.verify.title") + " · " + f.Name
	return h.Render.HTML(w, http.StatusOK, "fund/public_verify.html", p)
}

func (h *Handler) publicQR(w http.ResponseWriter, r *http.Request) error {
	f, err := h.Store.PublicFund(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return h.serveQR(w, r, f, "svg")
}
