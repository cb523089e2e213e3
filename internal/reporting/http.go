package reporting

import (
	"embed"
	"net/http"
	"strconv"

	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/platform/web"
)

//go:embed templates/reporting/*.html
var templatesFS embed.FS

//go:embed locales/*.json
var localesFS embed.FS

func init() { i18n.Register(localesFS, "locales") }

// Handler serves the reporting pages and API.
type Handler struct {
	Service *Service
	Render  *web.Renderer
}

// Routes registers the reporting routes.
func (h *Handler) Routes(rt *web.Router) {
	h.Render.AddPages(templatesFS, "templates/reporting", "partials.html")

	rt.Handle("GET", "/reports", auth.PermAuthenticated, h.listPage)
	rt.Handle("GET", "/reports/completeness", auth.PermAuthenticated, h.completenessPage)
	rt.Handle("POST", "/reports/completeness/settings", auth.PermUnitManage, h.settingsForm)
	rt.Handle("GET", "/reports/{unit}/{period}", auth.PermAuthenticated, h.entryPage)
	rt.Handle("POST", "/reports/{unit}/{period}", auth.PermReportEnter, h.entrySave)
	rt.Handle("POST", "/reports/{unit}/{period}/submit", auth.PermReportEnter, h.actionForm(Submit))
	rt.Handle("POST", "/reports/{unit}/{period}/approve", auth.PermReportApprove, h.actionForm(Approve))
	rt.Handle("POST", "/reports/{unit}/{period}/return", auth.PermReportApprove, h.actionForm(Return))
	rt.Handle("POST", "/reports/{unit}/{period}/reopen", auth.PermReportApprove, h.actionForm(Reopen))
	h.importRoutes(rt)
	rt.Handle("GET", "/plans", auth.PermAuthenticated, h.plansRedirect)
	rt.Handle("GET", "/plans/{year}", auth.PermAuthenticated, h.planPage)
	rt.Handle("POST", "/plans/{year}", auth.PermUnitManage, h.planSave)

	rt.HandleDoc("GET", "/api/v1/reports", auth.PermAuthenticated, "List reports (filters: unit, period, status)", h.apiReports)
	rt.HandleDoc("GET", "/api/v1/reports/{unit}/{period}", auth.PermAuthenticated, "A unit's report for a period: values with versions, narratives, status, comparisons", h.apiReport)
	rt.HandleDoc("PUT", "/api/v1/reports/{unit}/{period}/values", auth.PermReportEnter, "Save values of a report, all or nothing, with lost-update check", h.apiValues)
	rt.HandleDoc("PUT", "/api/v1/reports/{unit}/{period}/narratives", auth.PermReportEnter, "Save narrative sections of a report (sanitised HTML)", h.apiNarratives)
	rt.HandleDoc("POST", "/api/v1/reports/{unit}/{period}/submit", auth.PermReportEnter, "Submit a report for approval", h.apiAction(Submit))
	rt.HandleDoc("POST", "/api/v1/reports/{unit}/{period}/approve", auth.PermReportApprove, "Approve a submitted report", h.apiAction(Approve))
	rt.HandleDoc("POST", "/api/v1/reports/{unit}/{period}/return", auth.PermReportApprove, "Return a submitted report with a comment", h.apiAction(Return))
	rt.HandleDoc("POST", "/api/v1/reports/{unit}/{period}/reopen", auth.PermReportApprove, "Reopen an approved report, with a reason", h.apiAction(Reopen))
	rt.HandleDoc("GET", "/api/v1/completeness", auth.PermAuthenticated, "Completeness and timeliness of a bloc for a period", h.apiCompleteness)
	rt.HandleDoc("GET", "/api/v1/period-settings", auth.PermAuthenticated, "A bloc's cut-off and deadline settings", h.apiSettings)
	rt.HandleDoc("PUT", "/api/v1/period-settings", auth.PermUnitManage, "Change a bloc's cut-off and deadline settings", h.apiSettingsPut)
	rt.HandleDoc("GET", "/api/v1/plans/{year}/targets", auth.PermAuthenticated, "Targets of a year's plan", h.apiTargets)
	rt.HandleDoc("PUT", "/api/v1/plans/{year}/targets", auth.PermUnitManage, "Set targets of a year's plan, all or nothing", h.apiTargetsPut)

	web.AddNav(
		web.NavItem{Key: "reporting.nav.reports", Href: "/reports", Perm: auth.PermAuthenticated, Order: 20},
		web.NavItem{Key: "reporting.nav.completeness", Href: "/reports/completeness", Perm: auth.PermAuthenticated, Order: 21},
		web.NavItem{Key: "reporting.nav.plans", Href: "/plans", Perm: auth.PermAuthenticated, Order: 22},
	)
}

// target reads the {unit} and {period} of a report route.
func target(r *http.Request) (int64, string, error) {
	id, err := web.PathID(r, "unit")
	if err != nil {
		return 0, "", err
	}
	p, err := period.Parse(r.PathValue("period"))
	if err != nil {
		return 0, "", apperr.New(apperr.NotFound, "err.not_found")
	}
	return id, p.Code(), nil
}

// reportURL is the page of a report.
func reportURL(unitID int64, periodCode string) string {
	return "/reports/" + strconv.FormatInt(unitID, 10) + "/" + periodCode
}

// queryID reads a numeric query parameter (0 when absent or bad).
func queryID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	return max(id, 0)
}
