package fund

import (
	"context"
	"net/http"
	"strconv"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) importRoutes(rt *web.Router) {
	m := auth.PermFundManage
	rt.Handle("GET", "/funds/{id}/import", m, h.importForm)
	rt.Handle("POST", "/funds/{id}/import", m, h.importUpload)
	rt.Handle("GET", "/funds/{id}/import/{imp}", m, h.importPage)
	rt.Handle("POST", "/funds/{id}/import/{imp}", m, h.importCommit)
	rt.Handle("POST", "/funds/{id}/profiles", m, h.profileSave)
}

type importFormData struct {
	Fund     *Fund
	Profiles []string
	Recent   []ImportSummary
	MaxMB    int
}

// recentImports lists a fund's latest imports.
func (h *Handler) recentImports(ctx context.Context, fundID int64) ([]ImportSummary, error) {
	rows, err := h.Store.DB.QueryContext(ctx, "SELECT id FROM fund_imports WHERE fund_id = $1 ORDER BY created_at DESC LIMIT 10", fundID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	var out []ImportSummary
	for _, id := range ids {
		if s, err := h.Store.ImportPreview(ctx, fundID, id); err == nil {
			out = append(out, *s)
		}
	}
	return out, nil
}

func (h *Handler) renderImportForm(w http.ResponseWriter, r *http.Request, f *Fund, formErr error) error {
	d := importFormData{Fund: f, MaxMB: MaxImportBytes >> 20}
	var err error
	if d.Profiles, err = h.Store.ProfileNames(r.Context()); err != nil {
		return err
	}
	if d.Recent, err = h.recentImports(r.Context(), f.ID); err != nil {
		return err
	}
	p := h.Render.NewPage(w, r, "fund.import.title", d)
	p.Title = p.T("fund.import.title") + " · " + f.Name
	status := http.StatusOK
	if formErr != nil {
		code := apperr.CodeOf(formErr)
		if code != apperr.Invalid && code != apperr.TooLarge {
			return formErr
		}
		fe, list, _ := web.FormErrors(p.Lang, formErr)
		if len(list) == 0 {
			_, msg, _ := web.Localize(p.Lang, formErr)
			list = []string{msg}
		}
		p.Errors, p.ErrorList = fe, list
		status = http.StatusBadRequest
	}
	return h.Render.HTML(w, status, "fund/import.html", p)
}

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	return h.renderImportForm(w, r, f, nil)
}

func (h *Handler) importUpload(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil && err != http.ErrNotMultipart {
		return h.renderImportForm(w, r, f, apperr.Field("file", "fund.import.err.no_file"))
	}
	file, fh, err := r.FormFile("file")
	if err != nil {
		return h.renderImportForm(w, r, f, apperr.Field("file", "fund.import.err.no_file"))
	}
	defer file.Close()
	if fh.Size > MaxImportBytes {
		return h.renderImportForm(w, r, f, apperr.Field("file", "fund.import.err.too_large", MaxImportBytes>>20))
	}
	prof, err := h.Store.Profile(r.Context(), r.FormValue("profile"))
	if err != nil {
		return h.renderImportForm(w, r, f, err)
	}
	sum, err := h.Store.PreviewImport(r.Context(), principal(r), f.ID, file, ImportOptions{Profile: prof, FileName: fh.Filename})
	if err != nil {
		return h.renderImportForm(w, r, f, err)
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10)+"/import/"+sum.ID, "")
}

type importPageData struct {
	Fund    *Fund
	Summary *ImportSummary
	Action  string
	Actions []string
	Lines   []ImportLine
	NextURL string
}

const importPageLines = 200

func (h *Handler) importPage(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	sum, err := h.Store.ImportPreview(r.Context(), f.ID, r.PathValue("imp"))
	if err != nil {
		return err
	}
	d := importPageData{Fund: f, Summary: sum, Actions: ImportActions, Action: r.URL.Query().Get("action")}
	if d.Action == "" {
		// Problems first.
		for _, a := range ImportActions {
			if sum.Counts[a] > 0 {
				d.Action = a
				break
			}
		}
	}
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	if d.Lines, err = h.Store.ImportLines(r.Context(), sum.ID, d.Action, after, importPageLines); err != nil {
		return err
	}
	for i := range d.Lines {
		d.Lines[i].Message = ReasonText(web.Lang(r), d.Lines[i].Reason, d.Lines[i].ReasonArg)
	}
	if len(d.Lines) == importPageLines {
		d.NextURL = r.URL.Path + "?action=" + d.Action + "&after=" + strconv.Itoa(d.Lines[len(d.Lines)-1].Line)
	}
	p := h.Render.NewPage(w, r, "fund.import.preview", d)
	p.Title = p.T("fund.import.preview") + " · " + f.Name
	return h.Render.HTML(w, http.StatusOK, "fund/import_preview.html", p)
}

func (h *Handler) importCommit(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	id := r.PathValue("imp")
	if _, err := h.Store.CommitImport(r.Context(), principal(r), f.ID, id); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return h.renderImportForm(w, r, f, apperr.Field("file", "fund.err.plain", web.T(r, conflictKey(err), conflictArgs(err)...)))
		}
		return err
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10)+"/import/"+id, "fund.import.committed")
}

func conflictKey(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Key
	}
	return "err.conflict"
}

func conflictArgs(err error) []any {
	if e, ok := apperr.As(err); ok {
		return e.Args
	}
	return nil
}

func (h *Handler) profileSave(w http.ResponseWriter, r *http.Request) error {
	f, err := h.managed(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	sum, err := h.Store.ImportPreview(r.Context(), f.ID, r.PostFormValue("import"))
	if err != nil {
		return err
	}
	prof := sum.Mapping
	prof.Name = r.PostFormValue("name")
	if _, err := h.Store.SaveProfile(r.Context(), principal(r), prof); err != nil {
		if apperr.Is(err, apperr.Invalid) {
			return h.renderImportForm(w, r, f, err)
		}
		return err
	}
	return web.Redirect(w, r, "/funds/"+strconv.FormatInt(f.ID, 10)+"/import/"+sum.ID, "fund.import.profile_saved")
}
