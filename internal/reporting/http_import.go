package reporting

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
	"giaoban/internal/reporting/sheet"
)

// importRoutes registers the Excel round trip and the CSV exchange.
func (h *Handler) importRoutes(rt *web.Router) {
	rt.Handle("GET", "/reports/import", auth.PermReportEnter, h.importPage)
	rt.Handle("POST", "/reports/import", auth.PermReportEnter, h.importSubmit)
	rt.Handle("GET", "/reports/template.xlsx", auth.PermAuthenticated, h.blocTemplate)
	rt.Handle("GET", "/reports/{unit}/{period}/template.xlsx", auth.PermAuthenticated, h.unitTemplate)
	rt.Handle("GET", "/reports/export.csv", auth.PermAuthenticated, h.exportCSV)
	rt.HandleDoc("POST", "/api/v1/reports/import", auth.PermReportEnter,
		"Import values from a filled XLSX template or a CSV file (the body, or the multipart part 'file'), all or nothing; ?dry_run=1 returns the diff only, ?period= refuses files of another period", h.apiImport)
	web.AddNav(web.NavItem{Key: "reporting.nav.import", Href: "/reports/import", Perm: auth.PermReportEnter, Order: 23})
}

// previewChanges is how many changes the preview page lists (the counts
// cover all of them).
const previewChanges = 500

type importData struct {
	Mine    *org.Unit // officers and leaders: their unit
	Blocs   []org.Bloc
	Orgs    []org.Organisation
	Periods []PeriodOption
	Period  string // of the download forms
	// AskPeriod is the period the upload form asks to check ("" for the file's).
	AskPeriod string
	MaxMB     int
	InlineMB  int

	Result      *ImportResult
	PeriodLabel string // of the file
	Applied     bool
	Shown       []Change
	Hidden      int
	Problems    []importProblem
	Conflict    bool
	// Inline is the file, base64, carried by the apply form so that the
	// server keeps nothing between preview and apply; "" when the file is
	// larger than MaxInlineImport and must be chosen again.
	Inline   string
	FileName string
}

// importProblem is one problem of a file, with its place for people.
type importProblem struct {
	Place, Message string
}

func (h *Handler) newImportData(r *http.Request) (*importData, error) {
	ctx := r.Context()
	p := principalOf(r)
	d := &importData{MaxMB: sheet.MaxBytes >> 20, InlineMB: MaxInlineImport >> 20}
	var err error
	var latest string
	if d.Periods, latest, err = h.recentPeriods(ctx, web.Lang(r)); err != nil {
		return nil, err
	}
	d.Period = r.URL.Query().Get("period")
	d.AskPeriod = d.Period
	if d.Period == "" {
		d.Period = latest
	}
	if p.Role == auth.Officer || p.Role == auth.Leader {
		if d.Mine, err = h.Service.Org.Unit(ctx, p.UnitID); err != nil {
			return nil, err
		}
		return d, nil
	}
	if d.Blocs, err = h.visibleBlocs(ctx, p); err != nil {
		return nil, err
	}
	if d.Orgs, err = h.Service.Org.Organisations(ctx, true); err != nil {
		return nil, err
	}
	return d, nil
}

func (h *Handler) importPage(w http.ResponseWriter, r *http.Request) error {
	d, err := h.newImportData(r)
	if err != nil {
		return err
	}
	return h.Render.Render(w, r, "reporting/import.html", "reporting.import.title", d)
}

// uploadedFile reads the file of an upload form: the part "file", or the
// base64 field "data" the preview page carried.
func uploadedFile(r *http.Request) ([]byte, string, error) {
	if v := r.PostFormValue("data"); v != "" {
		data, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return nil, "", apperr.Field("file", "reporting.import.err.resubmit")
		}
		return data, r.PostFormValue("filename"), nil
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		return nil, "", apperr.Field("file", "reporting.import.err.no_file")
	}
	defer f.Close()
	if fh.Size > sheet.MaxBytes {
		return nil, "", apperr.Field("file", "reporting.import.err.too_large", sheet.MaxBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, sheet.MaxBytes+1))
	if err != nil {
		return nil, "", apperr.Wrap(err, apperr.Invalid, "reporting.import.err.no_file")
	}
	if len(data) > sheet.MaxBytes {
		return nil, "", apperr.Field("file", "reporting.import.err.too_large", sheet.MaxBytes>>20)
	}
	return data, fh.Filename, nil
}

// importSubmit previews an upload (a diff against what is stored) or, with
// apply=1 and the digest of the previewed file, applies it.
func (h *Handler) importSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(8 << 20); err != nil && err != http.ErrNotMultipart {
		return apperr.Wrap(err, apperr.Invalid, "err.form_malformed")
	}
	d, err := h.newImportData(r)
	if err != nil {
		return err
	}
	d.AskPeriod = strings.TrimSpace(r.PostFormValue("period"))
	if d.AskPeriod != "" {
		d.Period = d.AskPeriod
	}
	lang := web.Lang(r)
	render := func(status int, err error) error {
		pg := h.Render.NewPage(w, r, "reporting.import.title", d)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.Invalid && e.Code != apperr.Conflict {
				return err
			}
			d.Conflict = e.Code == apperr.Conflict
			_, msg, fields := web.Localize(lang, err)
			pg.ErrorList = []string{msg}
			for _, f := range fields {
				if f.Field == "file" || f.Field == "period" {
					pg.Errors[f.Field] = f.Message
				}
				d.Problems = append(d.Problems, importProblem{Place: ImportPlace(f.Field), Message: f.Message})
			}
		}
		return h.Render.HTML(w, status, "reporting/import.html", pg)
	}
	data, name, err := uploadedFile(r)
	if err != nil {
		return render(http.StatusBadRequest, err)
	}
	d.FileName = name
	apply := r.PostFormValue("apply") == "1"
	if apply && r.PostFormValue("digest") != Digest(data) {
		return render(http.StatusBadRequest, apperr.Field("file", "reporting.import.err.changed"))
	}
	res, err := h.Service.Import(r.Context(), ImportRequest{Data: data, Period: d.AskPeriod, DryRun: !apply})
	if err != nil {
		return render(http.StatusUnprocessableEntity, err)
	}
	d.Result, d.Applied = res, apply
	if per, err := period.Parse(res.Period); err == nil {
		d.PeriodLabel = per.Label(lang)
	}
	d.Shown = res.Changes[:min(len(res.Changes), previewChanges)]
	d.Hidden = len(res.Changes) - len(d.Shown)
	if !apply && len(data) <= MaxInlineImport {
		d.Inline = base64.StdEncoding.EncodeToString(data)
	}
	return render(http.StatusOK, nil)
}

// apiImport imports a file sent as the body (or as the multipart part
// "file"): the diff on ?dry_run=1, the changes written otherwise.
func (h *Handler) apiImport(w http.ResponseWriter, r *http.Request) error {
	var data []byte
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		if r.MultipartForm == nil {
			r.Body = http.MaxBytesReader(w, r.Body, sheet.MaxBytes+1<<20)
		}
		var err error
		if data, _, err = uploadedFile(r); err != nil {
			return err
		}
	} else {
		var err error
		data, err = io.ReadAll(io.LimitReader(r.Body, sheet.MaxBytes+1))
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, "reporting.import.err.no_file")
		}
		if len(data) > sheet.MaxBytes {
			return apperr.New(apperr.TooLarge, "reporting.import.err.too_large", sheet.MaxBytes>>20)
		}
		if len(data) == 0 {
			return apperr.Field("file", "reporting.import.err.no_file")
		}
	}
	q := r.URL.Query()
	dry := q.Get("dry_run")
	res, err := h.Service.Import(r.Context(), ImportRequest{Data: data, Period: q.Get("period"), DryRun: dry != "" && dry != "0" && dry != "false"})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, res)
}

// layoutOf reads the layout parameter: "columns" (the default for many
// units) or "sheets".
func layoutOf(r *http.Request) (sheet.Layout, error) {
	switch v := r.URL.Query().Get("layout"); v {
	case "", "columns", string(sheet.UnitsAsColumns):
		return sheet.UnitsAsColumns, nil
	case "sheets", string(sheet.SheetPerUnit):
		return sheet.SheetPerUnit, nil
	default:
		return "", apperr.Field("layout", "reporting.import.err.layout", v)
	}
}

// unitTemplate downloads the template of one unit for a period.
func (h *Handler) unitTemplate(w http.ResponseWriter, r *http.Request) error {
	unitID, code, err := target(r)
	if err != nil {
		return err
	}
	return h.sendTemplate(w, r, TemplateRequest{Period: code, UnitIDs: []int64{unitID}, Layout: sheet.SheetPerUnit, Lang: web.Lang(r)},
		fmt.Sprintf("mau-so-lieu-%d-%s.xlsx", unitID, code))
}

// blocTemplate downloads the template of one unit (?unit=) or of the units
// of a bloc the user may enter values for (?bloc=, optionally &org=) for a
// period, units as columns (layout=columns) or one sheet per unit
// (layout=sheets).
func (h *Handler) blocTemplate(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	per, err := parsePeriod("period", q.Get("period"))
	if err != nil {
		return err
	}
	if id := queryID(r, "unit"); id != 0 {
		return h.sendTemplate(w, r, TemplateRequest{Period: per.Code(), UnitIDs: []int64{id}, Layout: sheet.SheetPerUnit, Lang: web.Lang(r)},
			fmt.Sprintf("mau-so-lieu-%d-%s.xlsx", id, per.Code()))
	}
	blocID := queryID(r, "bloc")
	if blocID == 0 {
		return apperr.Field("bloc", "reporting.import.err.bloc_or_unit")
	}
	layout, err := layoutOf(r)
	if err != nil {
		return err
	}
	units, err := h.Service.BlocUnits(r.Context(), blocID, queryID(r, "org"), true)
	if err != nil {
		return err
	}
	ids := make([]int64, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	return h.sendTemplate(w, r, TemplateRequest{Period: per.Code(), UnitIDs: ids, Layout: layout, Lang: web.Lang(r)},
		fmt.Sprintf("mau-so-lieu-khoi-%d-%s.xlsx", blocID, per.Code()))
}

func (h *Handler) sendTemplate(w http.ResponseWriter, r *http.Request, req TemplateRequest, filename string) error {
	spec, err := h.Service.TemplateSpec(r.Context(), req)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.WriteTemplate(&buf, *spec); err != nil {
		var fe *sheet.FileError
		if errors.As(err, &fe) {
			return apperr.Field("bloc", "reporting.import.err.file", fe.Msg)
		}
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// exportCSV sends the stored values of a period as CSV for machines: of
// one unit (?unit=) or of the units of a bloc the user may see (?bloc=,
// optionally &org=).
func (h *Handler) exportCSV(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	per, err := parsePeriod("period", q.Get("period"))
	if err != nil {
		return err
	}
	var ids []int64
	name := ""
	if id := queryID(r, "unit"); id != 0 {
		ids, name = []int64{id}, fmt.Sprintf("so-lieu-%d-%s.csv", id, per.Code())
	} else {
		blocID := queryID(r, "bloc")
		if blocID == 0 {
			return apperr.Field("bloc", "reporting.import.err.bloc_or_unit")
		}
		units, err := h.Service.BlocUnits(r.Context(), blocID, queryID(r, "org"), false)
		if err != nil {
			return err
		}
		for _, u := range units {
			ids = append(ids, u.ID)
		}
		name = fmt.Sprintf("so-lieu-khoi-%d-%s.csv", blocID, per.Code())
	}
	cells, err := h.Service.ExportCells(r.Context(), per.Code(), ids...)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.WriteCSV(&buf, cells); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// Kind is how the preview shows a change: "new", "changed" or "cleared".
func (c Change) Kind() string {
	switch {
	case c.OldVersion == 0 || c.Old == "":
		return "new"
	case c.New == "":
		return "cleared"
	}
	return "changed"
}

// PlaceText is the change's cell for people.
func (c Change) PlaceText() string { return ImportPlace(c.Place) }
