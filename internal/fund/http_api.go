package fund

import (
	"net/http"
	"strconv"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) apiRoutes(rt *web.Router) {
	m := auth.PermFundManage
	rt.HandleDoc("GET", "/api/v1/funds", m, "List the funds I manage", h.apiFunds)
	rt.HandleDoc("POST", "/api/v1/funds", m, "Create a fund", h.apiFundCreate)
	rt.HandleDoc("GET", "/api/v1/funds/{id}", m, "Get a fund with its totals and bank accounts", h.apiFund)
	rt.HandleDoc("PATCH", "/api/v1/funds/{id}", m, "Change a fund", h.apiFundUpdate)
	rt.HandleDoc("GET", "/api/v1/funds/{id}/receipts", m, "List a fund's receipts (filters as on the public page: q, amount, min, max, from, to, ref, after)", h.apiEntries(BookIn))
	rt.HandleDoc("POST", "/api/v1/funds/{id}/receipts", m, "Record a receipt", h.apiReceiptCreate)
	rt.HandleDoc("GET", "/api/v1/funds/{id}/disbursements", m, "List a fund's disbursements", h.apiEntries(BookOut))
	rt.HandleDoc("POST", "/api/v1/funds/{id}/disbursements", m, "Record a disbursement (refused over the balance)", h.apiDisbursementCreate)
	rt.HandleDoc("POST", "/api/v1/funds/{id}/reversals", m, "Reverse an entry (a reversing entry; the original stays)", h.apiReversalCreate)
	rt.HandleDoc("POST", "/api/v1/funds/{id}/transfers", m, "Transfer to another fund (recorded in both)", h.apiTransferCreate)
	rt.HandleDoc("POST", "/api/v1/funds/{id}/import", m, "Import a bank statement (the body is the CSV or XLSX file; ?profile=NAME, ?dry_run=1)", h.apiImport)
}

func (h *Handler) apiFunds(w http.ResponseWriter, r *http.Request) error {
	funds, err := h.Store.FundsFor(r.Context(), principal(r), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	if funds == nil {
		funds = []Fund{}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": funds})
}

func (h *Handler) apiFundCreate(w http.ResponseWriter, r *http.Request) error {
	var in FundInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	f, err := h.Store.CreateFund(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, f)
}

type apiFundView struct {
	*Fund
	Sums     *Sums     `json:"sums"`
	Accounts []Account `json:"accounts"`
}

func (h *Handler) fundView(r *http.Request, f *Fund) (*apiFundView, error) {
	v := &apiFundView{Fund: f}
	var err error
	if v.Sums, err = h.Store.FundSums(r.Context(), f.ID, 0, zeroDate, zeroDate); err != nil {
		return nil, err
	}
	if v.Accounts, err = h.Store.Accounts(r.Context(), f.ID); err != nil {
		return nil, err
	}
	if v.Accounts == nil {
		v.Accounts = []Account{}
	}
	return v, nil
}

func (h *Handler) apiFund(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	v, err := h.fundView(r, f)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, v)
}

func (h *Handler) apiFundUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	in := InputOf(f) // PATCH: what the body gives, on top of what is stored
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	f, err = h.Store.UpdateFund(r.Context(), principal(r), f.ID, in)
	if err != nil {
		return err
	}
	v, err := h.fundView(r, f)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, v)
}

func (h *Handler) apiEntries(book string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := h.managed(r)
		if err != nil {
			return err
		}
		q, bad := ParseQuery(r.URL.Query())
		if len(bad) > 0 {
			return apperr.Field(bad[0], "fund.err.filter", bad[0])
		}
		q.Book = book
		if n, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil {
			q.Limit = n
		}
		res, err := h.Store.Search(r.Context(), f.ID, q)
		if err != nil {
			return err
		}
		items := make([]*Entry, 0, len(res.Entries))
		for _, e := range res.Entries {
			full, err := h.Store.Entry(r.Context(), f.ID, e.Seq)
			if err != nil {
				return err
			}
			items = append(items, full)
		}
		out := map[string]any{"items": items}
		if res.Next != nil {
			out["next"] = res.Next.String()
		}
		return web.JSON(w, http.StatusOK, out)
	}
}

func (h *Handler) apiReceiptCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	var in ReceiptInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	e, err := h.Store.RecordReceipt(r.Context(), principal(r), f.ID, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, e)
}

func (h *Handler) apiDisbursementCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	var in DisbursementInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	e, err := h.Store.RecordDisbursement(r.Context(), principal(r), f.ID, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, e)
}

func (h *Handler) apiReversalCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	var in ReversalInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if !in.Date.Valid() {
		in.Date = today()
	}
	e, err := h.Store.Reverse(r.Context(), principal(r), f.ID, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, e)
}

func (h *Handler) apiTransferCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	var in TransferInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	e, err := h.Store.Transfer(r.Context(), principal(r), f.ID, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, e)
}

// maxAPILines bounds the lines an import answer lists (the counts cover
// all of them).
const maxAPILines = 1000

func (h *Handler) apiImport(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	prof, err := h.Store.Profile(r.Context(), r.URL.Query().Get("profile"))
	if err != nil {
		return err
	}
	dry := r.URL.Query().Get("dry_run")
	opt := ImportOptions{Profile: prof, DryRun: dry == "1" || dry == "true", FileName: r.URL.Query().Get("file_name")}
	lines := []ImportLine{}
	opt.OnLine = func(l ImportLine) {
		if l.Action != ActionReceipt && l.Action != ActionMatch && len(lines) < maxAPILines {
			l.Message = ReasonText(web.Lang(r), l.Reason, l.ReasonArg)
			lines = append(lines, l)
		}
	}
	body := http.MaxBytesReader(w, r.Body, MaxImportBytes)
	sum, err := h.Store.ImportStatement(r.Context(), principal(r), f.ID, body, opt)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !opt.DryRun {
		status = http.StatusCreated
	}
	return web.JSON(w, status, map[string]any{"summary": sum, "lines": lines})
}
