package org

import (
	"encoding/base64"
	"io"
	"net/http"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) importRoutes(rt *web.Router) {
	rt.Handle("GET", "/org/import", auth.PermUnitManage, h.importForm)
	rt.Handle("POST", "/org/import", auth.PermUnitManage, h.importSubmit)
}

// previewRows is how many rows the preview page lists (the counts cover
// all of them).
const previewRows = 500

type importData struct {
	Kind     string
	CanAreas bool
	Result   *ImportResult
	Shown    []RowResult
	Problems []string
	// Inline is the file, base64, carried by the apply form so that the
	// server keeps nothing between preview and apply; "" when the file is
	// too large and must be chosen again.
	Inline   string
	FileName string
	MaxMB    int
}

// Hidden is the number of rows the preview does not list.
func (d importData) Hidden() int {
	if d.Result == nil {
		return 0
	}
	return len(d.Result.Rows) - len(d.Shown)
}

func (h *Handler) newImportData(r *http.Request) importData {
	d := importData{Kind: r.FormValue("kind"), CanAreas: principal(r).Has(auth.PermOrgAdmin), MaxMB: MaxImportBytes >> 20}
	if d.Kind != ImportAreas && d.Kind != ImportUnits {
		d.Kind = ImportUnits
		if d.CanAreas {
			d.Kind = ImportAreas
		}
	}
	return d
}

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) error {
	return h.page(w, r, "org/import.html", "org.import.title", "", h.newImportData(r), nil)
}

// importFile reads the uploaded file, or the file the preview carried.
func importFile(r *http.Request) ([]byte, string, error) {
	if v := r.PostFormValue("data"); v != "" {
		data, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return nil, "", apperr.Field("file", "org.import.err.resubmit")
		}
		return data, r.PostFormValue("filename"), nil
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		return nil, "", apperr.Field("file", "org.import.err.no_file")
	}
	defer f.Close()
	if fh.Size > MaxImportBytes {
		return nil, "", apperr.New(apperr.TooLarge, "org.import.err.too_large", MaxImportBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxImportBytes+1))
	if err != nil {
		return nil, "", apperr.Wrap(err, apperr.Invalid, "org.import.err.no_file")
	}
	return data, fh.Filename, nil
}

func (h *Handler) importSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(32 << 20); err != nil && err != http.ErrNotMultipart {
		return apperr.Wrap(err, apperr.Invalid, "err.form_malformed")
	}
	p := principal(r)
	d := h.newImportData(r)
	if d.Kind == ImportAreas && !p.Has(auth.PermOrgAdmin) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	render := func(status int, err error) error {
		pg := h.Render.NewPage(w, r, "org.import.title", nil)
		if err != nil {
			if ie, ok := ImportProblems(err); ok {
				d.Problems = ie.Messages(pg.Lang)
				_, msg, _ := web.Localize(pg.Lang, err)
				pg.ErrorList = []string{msg}
			} else if code := apperr.CodeOf(err); code == apperr.Invalid || code == apperr.TooLarge {
				fe, list, _ := web.FormErrors(pg.Lang, err)
				if len(list) == 0 {
					_, msg, _ := web.Localize(pg.Lang, err)
					list = []string{msg}
				}
				pg.Errors, pg.ErrorList = fe, list
			} else {
				return err
			}
		}
		pg.Data = d
		return h.Render.HTML(w, status, "org/import.html", pg)
	}
	data, name, err := importFile(r)
	if err != nil {
		return render(http.StatusBadRequest, err)
	}
	d.FileName = name
	apply := r.PostFormValue("apply") == "1"
	if want := r.PostFormValue("digest"); apply && want != "" && want != Digest(data) {
		return render(http.StatusBadRequest, apperr.Field("file", "org.import.err.changed"))
	}
	var res *ImportResult
	if d.Kind == ImportAreas {
		res, err = h.Store.ImportAreas(r.Context(), data, !apply)
	} else {
		res, err = h.Store.ImportUnits(r.Context(), p, data, !apply)
	}
	d.Result = res
	if res != nil {
		d.Shown = res.Rows[:min(len(res.Rows), previewRows)]
	}
	if err != nil {
		return render(http.StatusUnprocessableEntity, err)
	}
	if !apply && len(data) <= MaxInlineBytes {
		d.Inline = base64.StdEncoding.EncodeToString(data)
	}
	return render(http.StatusOK, nil)
}

// Badge is the badge class of the row's action on the preview page.
func (r RowResult) Badge() string {
	switch r.Action {
	case ActionCreate:
		return "ok"
	case ActionUpdate:
		return "warn"
	}
	return ""
}
