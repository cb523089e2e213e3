package rollup

import (
	"bytes"
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/platform/web"
	"giaoban/internal/reporting"
	"giaoban/internal/vn"
)

//go:embed templates/rollup/*.html
var templatesFS embed.FS

//go:embed locales/*.json
var localesFS embed.FS

func init() { i18n.Register(localesFS, "locales") }

// Handler serves the consolidated report, its exports, the dashboard and
// the admin pages of templates and document settings.
type Handler struct {
	Service *Service
	Render  *web.Renderer
}

// Routes registers the roll-up routes.
func (h *Handler) Routes(rt *web.Router) {
	h.Render.AddPages(templatesFS, "templates/rollup")
	rt.Handle("GET", "/consolidated", auth.PermAuthenticated, h.page)
	rt.Handle("POST", "/consolidated/draft", auth.PermMeetingManage, h.saveDraft)
	for _, f := range Formats {
		rt.Handle("GET", "/consolidated/export."+f, auth.PermAuthenticated, h.export(f))
	}
	rt.Handle("GET", "/consolidated/templates", auth.PermConfigure, h.templatesPage)
	rt.Handle("POST", "/consolidated/templates", auth.PermConfigure, h.templateSave)
	rt.Handle("GET", "/consolidated/settings", auth.PermMeetingManage, h.settingsPage)
	rt.Handle("POST", "/consolidated/settings", auth.PermMeetingManage, h.settingsSave)
	rt.Handle("GET", "/dashboard", auth.PermAuthenticated, h.dashboard)
	rt.Handle("GET", "/dashboard/chart/{name}", auth.PermAuthenticated, h.chart)
	rt.HandleDoc("GET", "/api/v1/consolidated", auth.PermAuthenticated,
		"Consolidated report of a bloc (or an area of it) for a period: figures by indicator and organisation, comparisons, plan, completeness, narratives, drafted text", h.api)
	rt.HandleDoc("GET", "/api/v1/consolidated/draft", auth.PermAuthenticated,
		"Results section of a consolidated report (?bloc, ?period, ?area, ?drafts=1): the secretariat's edited text or the drafted one, the drafted text, the version to save from", h.apiDraft)
	rt.HandleDoc("PUT", "/api/v1/consolidated/draft", auth.PermMeetingManage,
		"Save the secretariat's text of the results section (?bloc, ?period, ?area; body: html, number, date, version as read: an older version is a conflict)", h.apiDraftPut)
	web.AddNav(
		web.NavItem{Key: "rollup.nav.consolidated", Href: "/consolidated", Perm: auth.PermAuthenticated, Order: 30},
		web.NavItem{Key: "rollup.nav.dashboard", Href: "/dashboard", Perm: auth.PermAuthenticated, Order: 31},
	)
}

// query reads bloc, period, area and drafts from a request, choosing the
// first visible bloc and the latest quarter when they are missing.
func (h *Handler) query(r *http.Request, v url.Values) (ReportQuery, []org.Bloc, error) {
	ctx := r.Context()
	q := ReportQuery{Lang: web.Lang(r), Drafts: v.Get("drafts") == "1"}
	blocs, err := h.Service.VisibleBlocs(ctx, auth.FromContext(ctx))
	if err != nil {
		return q, nil, err
	}
	q.BlocID, _ = strconv.ParseInt(v.Get("bloc"), 10, 64)
	if q.BlocID == 0 {
		if len(blocs) == 0 {
			return q, blocs, apperr.New(apperr.NotFound, "rollup.err.no_bloc")
		}
		q.BlocID = blocs[0].ID
	}
	q.AreaID, _ = strconv.ParseInt(v.Get("area"), 10, 64)
	if code := v.Get("period"); code != "" {
		p, err := period.Parse(code)
		if err != nil {
			return q, blocs, apperr.Field("period", "rollup.err.period", code)
		}
		q.Period = p
	} else if q.Period, err = h.Service.LatestPeriod(ctx); err != nil {
		return q, blocs, err
	}
	return q, blocs, nil
}

// link builds a URL of the report with changed parameters.
func link(base string, q ReportQuery, areaID int64) string {
	v := url.Values{}
	v.Set("bloc", strconv.FormatInt(q.BlocID, 10))
	v.Set("period", q.Period.Code())
	if areaID != 0 {
		v.Set("area", strconv.FormatInt(areaID, 10))
	}
	if q.Drafts {
		v.Set("drafts", "1")
	}
	return base + "?" + v.Encode()
}

// shown sets the query's area to the one the report shows, so that the
// page's links (exports, charts, the other page) name it: without an area
// a principal below the bloc's area is shown the area of their scope.
func shown(q ReportQuery, rep *Report) ReportQuery {
	if q.AreaID == 0 && rep.Area.ID != rep.Bloc.AreaID {
		q.AreaID = rep.Area.ID
	}
	return q
}

// PeriodOption is a period offered in the selector.
type PeriodOption struct {
	Code, Label string
}

func periodOptions(cur period.Period, lang string) []PeriodOption {
	var out []PeriodOption
	p := cur.Next()
	for i := 0; i < 10 && p.Valid(); i, p = i+1, p.Prev() {
		out = append(out, PeriodOption{Code: p.Code(), Label: p.Label(lang)})
	}
	for _, y := range []int{cur.Year, cur.Year - 1} {
		for _, q := range []period.Period{period.NewHalf(y, 1), period.NewNineMonths(y), period.NewYear(y)} {
			out = append(out, PeriodOption{Code: q.Code(), Label: q.Label(lang)})
		}
	}
	return out
}

type pageData struct {
	Q        ReportQuery
	Blocs    []org.Bloc
	Periods  []PeriodOption
	Report   *Report
	Self     string
	Exports  map[string]string
	Draft    string // what the editor shows
	Version  int64
	CanEdit  bool
	Charts   []chartLink
	Children []childLink
	UpLink   string
	Settings string
	Other    string // the dashboard from the report, the report from the dashboard
}

type chartLink struct{ Key, URL string }
type childLink struct {
	Name, URL string
	Closed    bool
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) error {
	return h.render(w, r, http.StatusOK, r.URL.Query(), nil)
}

// noBloc shows, instead of a report, that there is no bloc yet (a fresh
// install) or none the principal may see, with the way to create one for
// those allowed to. It answers false when a bloc is there or asked for.
func (h *Handler) noBloc(w http.ResponseWriter, r *http.Request, titleKey string, blocs []org.Bloc) (bool, error) {
	if len(blocs) > 0 || r.URL.Query().Get("bloc") != "" {
		return false, nil
	}
	all, err := h.Service.Org.Blocs(r.Context())
	if err != nil {
		return true, err
	}
	p := auth.FromContext(r.Context())
	d := map[string]any{"TitleKey": titleKey, "Hidden": len(all) > 0, "CanCreate": p.Has(auth.PermOrgAdmin)}
	return true, h.Render.Render(w, r, "rollup/nobloc.html", titleKey, d)
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, v url.Values, formErr error) error {
	q, blocs, err := h.query(r, v)
	if apperr.Is(err, apperr.NotFound) && r.Method == http.MethodGet {
		if done, err := h.noBloc(w, r, "rollup.title", blocs); done {
			return err
		}
	}
	if err != nil {
		return err
	}
	rep, err := h.Service.Report(r.Context(), q)
	if err != nil {
		return err
	}
	q = shown(q, rep)
	p := auth.FromContext(r.Context())
	d := pageData{Q: q, Blocs: blocs, Periods: periodOptions(q.Period, q.Lang), Report: rep, Self: link("/consolidated", q, q.AreaID),
		Exports: map[string]string{}, CanEdit: canEditDraft(p, rep.Bloc),
		Settings: "/consolidated/settings?bloc=" + strconv.FormatInt(rep.Bloc.ID, 10),
		Other:    link("/dashboard", q, q.AreaID)}
	for _, f := range Formats {
		d.Exports[f] = link("/consolidated/export."+f, q, q.AreaID)
	}
	for _, c := range rep.Children {
		d.Children = append(d.Children, childLink{Name: c.Name, URL: link("/consolidated", q, c.ID), Closed: c.Closed})
	}
	if rep.Up != nil {
		up := rep.Up.ID
		if up == rep.Bloc.AreaID {
			up = 0
		}
		d.UpLink = link("/consolidated", q, up)
	}
	d.Draft = reporting.Editable(reporting.Sanitize(rep.NarrativeHTML()))
	if rep.Draft != nil {
		d.Version = rep.Draft.Version
	}
	page := h.Render.NewPage(w, r, "rollup.title", d)
	page.Title = rep.Bloc.Name + " · " + q.Period.Label(q.Lang)
	if formErr != nil {
		fe, list, ok := web.FormErrors(page.Lang, formErr)
		if !ok {
			return formErr
		}
		page.Errors, page.ErrorList, page.Form = fe, list, r.PostForm
	}
	return h.Render.HTML(w, status, "rollup/consolidated.html", page)
}

func (h *Handler) saveDraft(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	q, _, err := h.query(r, r.PostForm)
	if err != nil {
		return err
	}
	b, a, err := h.Service.place(r.Context(), q)
	if err != nil {
		return err
	}
	if !canEditDraft(auth.FromContext(r.Context()), b) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	in := DraftInput{HTML: r.PostFormValue("html"), Number: r.PostFormValue("number")}
	in.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	// The date is typed dd/mm/yyyy like every date of the application
	// (ISO is accepted too).
	if s := strings.TrimSpace(r.PostFormValue("date")); s != "" {
		t, err := vn.ParseDate(s)
		if err != nil {
			return h.render(w, r, http.StatusBadRequest, r.PostForm, apperr.Field("date", "err.invalid_input"))
		}
		in.Date = db.Date{Time: t}
	}
	if _, err := h.Service.SaveDraft(r.Context(), b.ID, q.Period.Code(), a.ID, in); err != nil {
		status := http.StatusBadRequest
		if apperr.Is(err, apperr.Conflict) {
			status = http.StatusConflict
		}
		return h.render(w, r, status, r.PostForm, err)
	}
	return web.Redirect(w, r, link("/consolidated", q, q.AreaID), "rollup.draft.saved")
}

func (h *Handler) export(format string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, _, err := h.query(r, r.URL.Query())
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := h.Service.Export(r.Context(), q, format, &buf); err != nil {
			return err
		}
		name := "bao-cao-tong-hop-" + q.Period.Code() + "." + format
		w.Header().Set("Content-Type", ContentType(format))
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		w.Header().Set("Cache-Control", "no-store")
		_, err = w.Write(buf.Bytes())
		return err
	}
}

func (h *Handler) api(w http.ResponseWriter, r *http.Request) error {
	q, _, err := h.query(r, r.URL.Query())
	if err != nil {
		return err
	}
	rep, err := h.Service.Report(r.Context(), q)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, rep)
}

func (h *Handler) apiDraft(w http.ResponseWriter, r *http.Request) error {
	q, _, err := h.query(r, r.URL.Query())
	if err != nil {
		return err
	}
	v, err := h.Service.DraftView(r.Context(), q)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, v)
}

// apiDraftPut saves the results section; the answer is the section as
// apiDraft gives it, with the new version.
func (h *Handler) apiDraftPut(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	if v.Get("bloc") == "" || v.Get("period") == "" {
		var fe apperr.Fields
		for _, k := range []string{"bloc", "period"} {
			if v.Get(k) == "" {
				fe.Add(k, "err.required")
			}
		}
		return fe.Err()
	}
	q, _, err := h.query(r, v)
	if err != nil {
		return err
	}
	var in DraftInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if _, err := h.Service.SaveDraftOf(r.Context(), q, in); err != nil {
		return err
	}
	view, err := h.Service.DraftView(r.Context(), q)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, view)
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) error {
	q, blocs, err := h.query(r, r.URL.Query())
	if apperr.Is(err, apperr.NotFound) {
		if done, err := h.noBloc(w, r, "rollup.dashboard.title", blocs); done {
			return err
		}
	}
	if err != nil {
		return err
	}
	rep, err := h.Service.Report(r.Context(), q)
	if err != nil {
		return err
	}
	q = shown(q, rep)
	d := pageData{Q: q, Blocs: blocs, Periods: periodOptions(q.Period, q.Lang), Report: rep, Self: link("/dashboard", q, q.AreaID),
		Other: link("/consolidated", q, q.AreaID)}
	ind := r.URL.Query().Get("ind")
	for _, name := range ChartNames {
		u := link("/dashboard/chart/"+name+".png", q, q.AreaID)
		if ind != "" {
			u += "&ind=" + url.QueryEscape(ind)
		}
		d.Charts = append(d.Charts, chartLink{Key: "rollup.chart." + name, URL: u})
	}
	return h.Render.Render(w, r, "rollup/dashboard.html", "rollup.dashboard.title", d)
}

func (h *Handler) chart(w http.ResponseWriter, r *http.Request) error {
	name, ok := strings.CutSuffix(r.PathValue("name"), ".png")
	if !ok {
		return apperr.New(apperr.NotFound, "err.not_found")
	}
	q, _, err := h.query(r, r.URL.Query())
	if err != nil {
		return err
	}
	png, err := h.Service.Chart(r.Context(), ChartQuery{ReportQuery: q, Name: name, Indicator: r.URL.Query().Get("ind")}, nil)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(png)
	return err
}

type templatesData struct {
	Rows []templateRow
}

type templateRow struct {
	Code, Name string
	T          Template
}

func (h *Handler) templatesPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderTemplates(w, r, http.StatusOK, nil)
}

func (h *Handler) renderTemplates(w http.ResponseWriter, r *http.Request, status int, formErr error) error {
	ctx := r.Context()
	tmpls, err := h.Service.Templates(ctx)
	if err != nil {
		return err
	}
	inds, err := h.Service.Ind.Indicators(ctx, false)
	if err != nil {
		return err
	}
	var d templatesData
	for i := range inds {
		if !aggregable(&inds[i]) {
			continue
		}
		d.Rows = append(d.Rows, templateRow{Code: inds[i].Code, Name: inds[i].Name(web.Lang(r)), T: tmpls[inds[i].Code]})
	}
	page := h.Render.NewPage(w, r, "rollup.templates.title", d)
	if formErr != nil {
		fe, list, ok := web.FormErrors(page.Lang, formErr)
		if !ok {
			return formErr
		}
		page.Errors, page.ErrorList, page.Form = fe, list, r.PostForm
	}
	return h.Render.HTML(w, status, "rollup/templates.html", page)
}

func (h *Handler) templateSave(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in := TemplateInput{Code: r.PostFormValue("indicator"), VI: r.PostFormValue("template_vi"), EN: r.PostFormValue("template_en")}
	in.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := h.Service.SaveTemplate(r.Context(), in); err != nil {
		return h.renderTemplates(w, r, http.StatusBadRequest, err)
	}
	return web.Redirect(w, r, "/consolidated/templates#t-"+in.Code, "rollup.templates.saved")
}

func (h *Handler) settingsPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderSettings(w, r, http.StatusOK, nil)
}

func (h *Handler) settingsBloc(r *http.Request, v url.Values) (*org.Bloc, error) {
	id, _ := strconv.ParseInt(v.Get("bloc"), 10, 64)
	b, err := h.Service.Org.Bloc(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !auth.FromContext(r.Context()).CanManageArea(b.AreaPath) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return b, nil
}

func (h *Handler) renderSettings(w http.ResponseWriter, r *http.Request, status int, formErr error) error {
	v := r.URL.Query()
	if r.Method == http.MethodPost {
		v = r.PostForm
	}
	b, err := h.settingsBloc(r, v)
	if err != nil {
		return err
	}
	set, err := h.Service.DocSettingsOf(r.Context(), b.ID)
	if err != nil {
		return err
	}
	page := h.Render.NewPage(w, r, "rollup.settings.title", map[string]any{"Bloc": b, "S": set})
	if formErr != nil {
		fe, list, ok := web.FormErrors(page.Lang, formErr)
		if !ok {
			return formErr
		}
		page.Errors, page.ErrorList, page.Form = fe, list, r.PostForm
	}
	return h.Render.HTML(w, status, "rollup/settings.html", page)
}

func (h *Handler) settingsSave(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	b, err := h.settingsBloc(r, r.PostForm)
	if err != nil {
		return err
	}
	f := r.PostFormValue
	in := DocSettings{BlocID: b.ID, ParentBody: f("parent_body"), IssuingBody: f("issuing_body"), Symbol: f("symbol"), Place: f("place"),
		OnBehalf: f("on_behalf"), SignerTitle: f("signer_title"), SignerName: f("signer_name"), Recipients: f("recipients")}
	in.Version, _ = strconv.ParseInt(f("version"), 10, 64)
	if err := h.Service.SaveDocSettings(r.Context(), in); err != nil {
		return h.renderSettings(w, r, http.StatusBadRequest, err)
	}
	return web.Redirect(w, r, "/consolidated/settings?bloc="+strconv.FormatInt(b.ID, 10), "rollup.settings.saved")
}
