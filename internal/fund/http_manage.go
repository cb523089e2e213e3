package fund

import (
	"context"
	"net/http"
	"strconv"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) manageRoutes(rt *web.Router) {
	m := auth.PermFundManage
	rt.Handle("GET", "/funds", m, h.fundList)
	rt.Handle("GET", "/funds/new", m, h.fundNew)
	rt.Handle("POST", "/funds", m, h.fundCreate)
	rt.Handle("GET", "/funds/{id}", m, h.fundPage)
	rt.Handle("POST", "/funds/{id}", m, h.fundUpdate)
	rt.Handle("POST", "/funds/{id}/accounts", m, h.accountAdd)
	rt.Handle("POST", "/funds/{id}/accounts/{account}/delete", m, h.accountDelete)
	rt.Handle("GET", "/funds/{id}/entries", m, h.entriesPage)
	rt.Handle("GET", "/funds/{id}/receipts/new", m, h.receiptNew)
	rt.Handle("POST", "/funds/{id}/receipts", m, h.receiptCreate)
	rt.Handle("GET", "/funds/{id}/receipts/{seq}/pdf", m, h.receiptPDF)
	rt.Handle("GET", "/funds/{id}/disbursements/new", m, h.disbursementNew)
	rt.Handle("POST", "/funds/{id}/disbursements", m, h.disbursementCreate)
	rt.Handle("GET", "/funds/{id}/transfers/new", m, h.transferNew)
	rt.Handle("POST", "/funds/{id}/transfers", m, h.transferCreate)
	rt.Handle("GET", "/funds/{id}/reverse/{seq}", m, h.reverseForm)
	rt.Handle("POST", "/funds/{id}/reverse/{seq}", m, h.reverseCreate)
	rt.Handle("GET", "/funds/{id}/qr.png", m, h.qrPNG)
	rt.Handle("GET", "/funds/{id}/qr.svg", m, h.qrSVG)
	rt.Handle("GET", "/funds/{id}/poster", m, h.poster)
	rt.Handle("GET", "/funds/{id}/poster.pdf", m, h.posterPDF)
}

// Option is one choice of a select.
type Option struct {
	ID   int64
	Name string
}

func (h *Handler) options(ctx context.Context, query string, args ...any) ([]Option, error) {
	rows, err := h.Store.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Option
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.ID, &o.Name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// unitOptions lists the units the user may make a fund's managing unit.
func (h *Handler) unitOptions(r *http.Request) ([]Option, error) {
	p := principal(r)
	q := "SELECT u.id, u.name FROM units u JOIN areas a ON a.id = u.area_id"
	var args []any
	if p.Role != auth.Admin {
		q += " WHERE a.path LIKE $1"
		args = append(args, p.ScopePath+"%")
	}
	return h.options(r.Context(), q+" ORDER BY a.path, u.name", args...)
}

// areaOptions lists the areas under the fund's area (where its money goes).
func (h *Handler) areaOptions(r *http.Request, f *Fund) ([]Option, error) {
	return h.options(r.Context(), "SELECT id, name FROM areas WHERE path LIKE $1 ORDER BY path", f.AreaPath+"%")
}

type fundListData struct {
	Funds []Fund
}

func (h *Handler) fundList(w http.ResponseWriter, r *http.Request) error {
	funds, err := h.Store.FundsFor(r.Context(), principal(r), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	return h.page(w, r, "fund/list.html", "fund.list.title", "", fundListData{Funds: funds}, nil)
}

type fundFormData struct {
	Fund     *Fund
	Units    []Option
	Purposes []string
}

func (h *Handler) renderFundForm(w http.ResponseWriter, r *http.Request, f *Fund, formErr error) error {
	units, err := h.unitOptions(r)
	if err != nil {
		return err
	}
	return h.page(w, r, "fund/form.html", "fund.form.new", "", fundFormData{Fund: f, Units: units, Purposes: Purposes}, formErr)
}

func (h *Handler) fundNew(w http.ResponseWriter, r *http.Request) error {
	return h.renderFundForm(w, r, nil, nil)
}

func fundInputFromForm(r *http.Request) (FundInput, *formFields) {
	ff := &formFields{r: r}
	public := ff.check("public")
	in := FundInput{Code: ff.text("code"), Name: ff.text("name"), Purpose: ff.text("purpose"), Description: ff.text("description"),
		UnitID: ff.int("unit_id"), Campaign: ff.text("campaign"), NotePrefix: ff.text("note_prefix"), StartDate: ff.date("start_date"),
		EndDate: ff.date("end_date"), LegalBasis: ff.text("legal_basis"), Target: ff.money("target"), DiscloseDays: int(ff.int("disclose_days")),
		Public: &public}
	return in, ff
}

func (h *Handler) fundCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, ff := fundInputFromForm(r)
	f, err := h.Store.CreateFund(r.Context(), principal(r), in)
	if err = ff.merge(err); err != nil {
		return h.renderFundForm(w, r, nil, err)
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10), "form.saved")
}

type fundPageData struct {
	Fund       *Fund
	Sums       *Sums
	Accounts   []Account
	Recent     []Entry
	Checkpoint *Checkpoint
	Units      []Option
	Purposes   []string
	Banks      []struct{ BIN, Name string }
	Profiles   []string
}

func (h *Handler) renderFundPage(w http.ResponseWriter, r *http.Request, f *Fund, formErr error) error {
	ctx := r.Context()
	d := fundPageData{Fund: f, Purposes: Purposes, Banks: Banks}
	var err error
	if d.Sums, err = h.Store.FundSums(ctx, f.ID, 0, zeroDate, zeroDate); err != nil {
		return err
	}
	if d.Accounts, err = h.Store.Accounts(ctx, f.ID); err != nil {
		return err
	}
	if d.Recent, err = h.Store.Entries(ctx, f.ID, 0, 10); err != nil {
		return err
	}
	if c, err := h.Store.LatestCheckpoint(ctx, f.ID); err == nil {
		d.Checkpoint = c
	}
	if d.Units, err = h.unitOptions(r); err != nil {
		return err
	}
	return h.page(w, r, "fund/fund.html", "", f.Name, d, formErr)
}

func (h *Handler) fundPage(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	return h.renderFundPage(w, r, f, nil)
}

func (h *Handler) fundUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, ff := fundInputFromForm(r)
	_, err = h.Store.UpdateFund(r.Context(), principal(r), f.ID, in)
	if err = ff.merge(err); err != nil {
		return h.renderFundPage(w, r, f, err)
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10), "form.saved")
}

func (h *Handler) accountAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	ff := &formFields{r: r}
	in := AccountInput{BankName: ff.text("bank_name"), BIN: ff.text("bin"), AccountNo: ff.text("account_no"), Holder: ff.text("holder"), Branch: ff.text("branch")}
	if _, err := h.Store.AddAccount(r.Context(), principal(r), f.ID, in); err != nil {
		return h.renderFundPage(w, r, f, err)
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10)+"#accounts", "form.saved")
}

func (h *Handler) accountDelete(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	id, err := web.PathID(r, "account")
	if err != nil {
		return err
	}
	if err := h.Store.DeleteAccount(r.Context(), principal(r), f.ID, id); err != nil {
		return err
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10)+"#accounts", "form.deleted")
}

type entriesData struct {
	Fund    *Fund
	Entries []Entry
	Next    int64
	Saved   *Entry // the receipt just recorded (?saved=seq), to print
}

func (h *Handler) entriesPage(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	const limit = 100
	list, err := h.Store.Entries(r.Context(), f.ID, before, limit)
	if err != nil {
		return err
	}
	d := entriesData{Fund: f, Entries: list}
	if saved, _ := strconv.ParseInt(r.URL.Query().Get("saved"), 10, 64); saved > 0 {
		for i := range list {
			if list[i].Seq == saved && list[i].Kind == "receipt" {
				d.Saved = &list[i]
			}
		}
	}
	if len(list) == limit && list[len(list)-1].Seq > 1 {
		d.Next = list[len(list)-1].Seq
	}
	p := h.Render.NewPage(w, r, "fund.entries.title", d)
	p.Title = p.T("fund.entries.title") + " · " + f.Name
	return h.Render.HTML(w, http.StatusOK, "fund/entries.html", p)
}

type entryFormData struct {
	Fund           *Fund
	Units          []Option
	Areas          []Option
	Funds          []Option
	RecipientKinds []string
	Today          string
	Entry          *Entry  // the entry being reversed
	One            []Entry // the same, as a list
}

func (h *Handler) entryForm(w http.ResponseWriter, r *http.Request, f *Fund, name, titleKey string, formErr error, e *Entry) error {
	d := entryFormData{Fund: f, RecipientKinds: RecipientKinds, Today: today().Format("02/01/2006"), Entry: e}
	if e != nil {
		d.One = []Entry{*e}
	}
	var err error
	switch name {
	case "fund/receipt_form.html":
		d.Units, err = h.options(r.Context(), "SELECT u.id, u.name FROM units u JOIN areas a ON a.id = u.area_id WHERE a.path LIKE $1 ORDER BY a.path, u.name", f.AreaPath+"%")
	case "fund/disbursement_form.html":
		d.Areas, err = h.areaOptions(r, f)
	case "fund/transfer_form.html":
		d.Funds, err = h.options(r.Context(), "SELECT id, name FROM funds WHERE id <> $1 ORDER BY name", f.ID)
	}
	if err != nil {
		return err
	}
	p := h.Render.NewPage(w, r, titleKey, d)
	p.Title = p.T(titleKey) + " · " + f.Name
	status := http.StatusOK
	if formErr != nil {
		fe, list, ok := web.FormErrors(p.Lang, formErr)
		if !ok {
			return formErr
		}
		p.Errors, p.ErrorList, p.Form = fe, list, r.PostForm
		status = http.StatusBadRequest
	}
	return h.Render.HTML(w, status, name, p)
}

func (h *Handler) receiptNew(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	return h.entryForm(w, r, f, "fund/receipt_form.html", "fund.receipt.new", nil, nil)
}

func (h *Handler) receiptCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	ff := &formFields{r: r}
	in := ReceiptInput{Date: ff.date("date"), DonorName: ff.text("donor_name"), DonorKind: ff.text("donor_kind"), Address: ff.text("address"),
		Phone: ff.text("phone"), Anonymous: ff.check("anonymous"), Amount: ff.money("amount"), Channel: ff.text("channel"),
		InKind: ff.text("in_kind"), BankRef: ff.text("bank_ref"), TransferNote: ff.text("transfer_note"), UnitID: ff.int("unit_id")}
	var e *Entry
	if len(ff.fe) == 0 {
		e, err = h.Store.RecordReceipt(r.Context(), principal(r), f.ID, in)
	} else {
		err = in.validate()
	}
	if err = ff.merge(err); err != nil {
		return h.entryForm(w, r, f, "fund/receipt_form.html", "fund.receipt.new", err, nil)
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10)+"/entries?saved="+strconv.FormatInt(e.Seq, 10), "fund.receipt.saved")
}

func (h *Handler) disbursementNew(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	return h.entryForm(w, r, f, "fund/disbursement_form.html", "fund.disbursement.new", nil, nil)
}

func (h *Handler) disbursementCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	ff := &formFields{r: r}
	in := DisbursementInput{Date: ff.date("date"), Recipient: ff.text("recipient"), RecipientKind: ff.text("recipient_kind"), AreaID: ff.int("area_id"),
		Amount: ff.money("amount"), Channel: ff.text("channel"), InKind: ff.text("in_kind"), Purpose: ff.text("purpose"),
		DecisionNo: ff.text("decision_no"), Approver: ff.text("approver"), BankRef: ff.text("bank_ref")}
	if len(ff.fe) == 0 {
		_, err = h.Store.RecordDisbursement(r.Context(), principal(r), f.ID, in)
	} else {
		err = in.validate()
	}
	if err = ff.merge(err); err != nil {
		return h.entryForm(w, r, f, "fund/disbursement_form.html", "fund.disbursement.new", err, nil)
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10)+"/entries", "fund.disbursement.saved")
}

func (h *Handler) transferNew(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	return h.entryForm(w, r, f, "fund/transfer_form.html", "fund.transfer.new", nil, nil)
}

func (h *Handler) transferCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	ff := &formFields{r: r}
	in := TransferInput{ToFundID: ff.int("to_fund_id"), Date: ff.date("date"), Amount: ff.money("amount"), Purpose: ff.text("purpose"),
		DecisionNo: ff.text("decision_no"), BankRef: ff.text("bank_ref")}
	if len(ff.fe) == 0 {
		_, err = h.Store.Transfer(r.Context(), principal(r), f.ID, in)
	} else {
		err = apperr.New(apperr.Invalid, "err.invalid_input")
	}
	if err = ff.merge(err); err != nil {
		return h.entryForm(w, r, f, "fund/transfer_form.html", "fund.transfer.new", err, nil)
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10)+"/entries", "fund.transfer.saved")
}

func (h *Handler) reverseEntry(r *http.Request) (*Fund, *Entry, error) {
	f, err := h.managed(r)
	if err != nil {
		return nil, nil, err
	}
	seq, err := seqParam(r, "seq")
	if err != nil {
		return nil, nil, err
	}
	e, err := h.Store.Entry(r.Context(), f.ID, seq)
	if err != nil {
		return nil, nil, err
	}
	return f, e, nil
}

func (h *Handler) reverseForm(w http.ResponseWriter, r *http.Request) error {
	f, e, err := h.reverseEntry(r)
	if err != nil {
		return err
	}
	return h.entryForm(w, r, f, "fund/reverse.html", "fund.reverse.title", nil, e)
}

func (h *Handler) reverseCreate(w http.ResponseWriter, r *http.Request) error {
	f, e, err := h.reverseEntry(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	ff := &formFields{r: r}
	in := ReversalInput{Seq: e.Seq, Date: ff.date("date"), Reason: ff.text("reason")}
	if len(ff.fe) == 0 {
		_, err = h.Store.Reverse(r.Context(), principal(r), f.ID, in)
	} else {
		err = apperr.New(apperr.Invalid, "err.invalid_input")
	}
	if err = ff.merge(err); err != nil {
		return h.entryForm(w, r, f, "fund/reverse.html", "fund.reverse.title", err, e)
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10)+"/entries", "fund.reverse.saved")
}
