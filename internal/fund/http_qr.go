package fund

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"giaoban/internal/fund/vietqr"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/vn"
)

// qrTarget is what a QR code and a poster show: the account, the note and
// an optional amount.
type qrTarget struct {
	Fund    *Fund
	Account *Account
	Note    string
	Amount  int64
	Payload string
	Query   string // "?account=…&amount=…" for the image links
}

// qrFor picks the fund's account (?account=ID, else the first) and reads
// ?amount=; the note is the fund's transfer-note prefix.
func (h *Handler) qrFor(r *http.Request, f *Fund) (*qrTarget, error) {
	accts, err := h.Store.Accounts(r.Context(), f.ID)
	if err != nil {
		return nil, err
	}
	if len(accts) == 0 {
		return nil, apperr.New(apperr.NotFound, "fund.err.no_account")
	}
	t := &qrTarget{Fund: f, Account: &accts[0], Note: f.NotePrefix}
	v := url.Values{}
	if s := r.URL.Query().Get("account"); s != "" {
		id, _ := strconv.ParseInt(s, 10, 64)
		found := false
		for i := range accts {
			if accts[i].ID == id {
				t.Account, found = &accts[i], true
			}
		}
		if !found {
			return nil, apperr.New(apperr.NotFound, "err.not_found")
		}
		v.Set("account", s)
	}
	if s := r.URL.Query().Get("amount"); s != "" {
		a, err := vn.ParseMoney(truncate(s, 40))
		if err != nil || a < 0 || a > vietqr.MaxAmount {
			return nil, apperr.Field("amount", "fund.err.money", truncate(s, 40))
		}
		t.Amount = a
		if a > 0 {
			v.Set("amount", strconv.FormatInt(a, 10))
		}
	}
	if len(v) > 0 {
		t.Query = "?" + v.Encode()
	}
	t.Payload, err = vietqr.Encode(vietqr.Payload{BIN: t.Account.BIN, Account: t.Account.AccountNo, Amount: t.Amount, Note: t.Note})
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "fund.err.qr", err.Error())
	}
	// The independent check before anything is printed.
	if back, err := vietqr.Decode(t.Payload); err != nil || back.Account != t.Account.AccountNo || back.BIN != t.Account.BIN || back.Amount != t.Amount {
		return nil, apperr.New(apperr.Internal, "err.internal")
	}
	return t, nil
}

func (h *Handler) serveQR(w http.ResponseWriter, r *http.Request, f *Fund, format string) error {
	t, err := h.qrFor(r, f)
	if err != nil {
		return err
	}
	var b []byte
	if format == "png" {
		size := 512
		if s := r.URL.Query().Get("size"); s != "" {
			if n, err := strconv.Atoi(s); err == nil && n >= 128 && n <= 2048 {
				size = n
			}
		}
		b, err = vietqr.PNG(t.Payload, size)
		w.Header().Set("Content-Type", "image/png")
	} else {
		b, err = vietqr.SVG(t.Payload)
		w.Header().Set("Content-Type", "image/svg+xml")
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = w.Write(b)
	return err
}

func (h *Handler) qrPNG(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	return h.serveQR(w, r, f, "png")
}

func (h *Handler) qrSVG(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	return h.serveQR(w, r, f, "svg")
}

func (h *Handler) poster(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	t, err := h.qrFor(r, f)
	if err != nil {
		return err
	}
	p := h.Render.NewPage(w, r, "fund.poster.title", t)
	p.Title = f.Name
	return h.Render.HTML(w, http.StatusOK, "fund/poster.html", p)
}

func (h *Handler) posterPDF(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	t, err := h.qrFor(r, f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := writePosterPDF(&buf, t, siteURL(r)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+f.Code+`-poster.pdf"`)
	_, err = w.Write(buf.Bytes())
	return err
}

func (h *Handler) receiptPDF(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	seq, err := seqParam(r, "seq")
	if err != nil {
		return err
	}
	e, err := h.Store.Entry(r.Context(), f.ID, seq)
	if err != nil {
		return err
	}
	if e.Kind != "receipt" {
		return apperr.New(apperr.NotFound, "fund.err.not_receipt")
	}
	var buf bytes.Buffer
	if err := WriteReceiptPDF(&buf, f, e, siteURL(r)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+e.Ref+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// siteURL is the address people reach this server at, as the request
// names it (behind a TLS proxy, X-Forwarded-Proto tells the scheme): the
// printed poster and receipt carry it, since paper has no relative links.
func siteURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	host := r.Host
	if host == "" || strings.ContainsAny(host, " /\\\"<>") {
		return ""
	}
	return scheme + "://" + host
}
