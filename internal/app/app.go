// Package app wires the rooms into one HTTP server: it opens nothing itself
// (cmd does), it only connects the store, the renderer, the router and each
// room's routes.
package app

import (
	"context"
	"io/fs"
	"net/http"
	"time"

	"giaoban/internal/account"
	"giaoban/internal/fund"
	"giaoban/internal/indicator"
	"giaoban/internal/meeting"
	"giaoban/internal/org"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/web"
	"giaoban/internal/reporting"
	"giaoban/internal/rollup"
)

// Version is set at build time (-ldflags "-X giaoban/internal/app.Version=…").
var Version = "dev"

// Config is what the server needs besides the database.
type Config struct {
	// SecureCookies marks cookies Secure even when the server itself speaks
	// plain HTTP (a TLS proxy in front).
	SecureCookies bool
}

// App is the assembled server.
type App struct {
	DB       *db.DB
	Router   *web.Router
	Render   *web.Renderer
	Accounts *account.Store
	Org      *org.Store
}

// New assembles the application on an open, migrated database.
func New(d *db.DB, cfg Config) *App {
	rd := web.NewRenderer()
	rd.Version = Version
	var notice string
	if d.QueryRowContext(context.Background(), "SELECT value FROM settings WHERE key = 'demo.notice'").Scan(&notice) == nil && notice == "1" {
		rd.NoticeKey = "app.demo_notice"
	}
	rt := web.NewRouter(rd)
	rt.Secure = cfg.SecureCookies
	a := &App{DB: d, Router: rt, Render: rd, Accounts: &account.Store{DB: d}, Org: &org.Store{DB: d}}

	acc := &account.Handler{Store: a.Accounts, Render: rd, SecureCookies: cfg.SecureCookies}
	rt.Auth = acc
	a.shellRoutes()
	acc.Routes(rt)
	(&org.Handler{Store: a.Org, Render: rd}).Routes(rt)
	(&indicator.Handler{Store: &indicator.Store{DB: d}, Render: rd}).Routes(rt)
	reports := reporting.New(d)
	(&reporting.Handler{Service: reports, Render: rd}).Routes(rt)
	rollups := rollup.New(d)
	(&rollup.Handler{Service: rollups, Render: rd}).Routes(rt)
	meetings := meeting.New(d)
	// A meeting freezes the consolidated report and drafts its news from
	// the report's results section (the roll-up room's, through the
	// meeting room's hooks).
	meetings.Snapshot, meetings.Results = rollups.MeetingSnapshot, rollups.MeetingResults
	(&meeting.Handler{Service: meetings, Render: rd}).Routes(rt)
	funds := fund.NewStore(d)
	ConnectFunds(funds, reports, rollups.Rep)
	(&fund.Handler{Store: funds, Render: rd}).Routes(rt)
	// The API document is built last, from every route registered above.
	rt.HandleDoc("GET", "/api/v1/openapi.json", auth.PermPublic, "This API document", a.openAPI)
	return a
}

// ConnectFunds makes the funds feed the reports (issue 5, item 8): the
// reporting services compute the fund-derived indicators from the ledgers,
// and every ledger commit refreshes the reports of the units and periods it
// touched (through the first service), so the consolidated report follows
// at once.
func ConnectFunds(funds *fund.Store, reports ...*reporting.Service) {
	for _, r := range reports {
		r.Derived = funds
	}
	if len(reports) > 0 {
		funds.AfterCommit(reports[0].FundHook)
	}
}

// Handler is the complete HTTP handler with middleware.
func (a *App) Handler() http.Handler { return a.Router.Handler() }

func (a *App) shellRoutes() {
	rt := a.Router
	rt.Handle("GET", "/{$}", auth.PermPublic, a.home)
	rt.NotFound()
	rt.Handle("GET", "/lang/{lang}", auth.PermPublic, a.switchLang)
	rt.HandleRaw("GET", "/healthz", auth.PermPublic, http.HandlerFunc(a.healthz))
	rt.HandleRaw("GET", "/metrics", auth.PermPublic, web.MetricsHandler())
	static := http.StripPrefix("/static/", http.FileServerFS(web.Static()))
	rt.HandleRaw("GET", "/static/", auth.PermPublic, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		static.ServeHTTP(w, r)
	}))
	web.AddNav(web.NavItem{Key: "nav.home", Href: "/", Perm: auth.PermPublic, Order: 0},
		web.NavItem{Key: "nav.account", Href: "/account", Perm: auth.PermAuthenticated, Order: 99})
}

type homeData struct{ Scope string }

func (a *App) home(w http.ResponseWriter, r *http.Request) error {
	var d homeData
	if p := auth.FromContext(r.Context()); p != nil {
		u, err := a.Accounts.UserByID(r.Context(), p.UserID)
		if err != nil {
			return err
		}
		d.Scope = u.UnitName + u.AreaName
	}
	return a.Render.Render(w, r, "home.html", "", d)
}

func (a *App) switchLang(w http.ResponseWriter, r *http.Request) error {
	web.SetLang(w, r, r.PathValue("lang"))
	next := r.URL.Query().Get("next")
	if next == "" || next[0] != '/' || len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := a.DB.Ping(ctx); err != nil {
		web.JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "db": string(a.DB.Dialect)})
		return
	}
	web.JSON(w, http.StatusOK, map[string]string{"status": "ok", "db": string(a.DB.Dialect), "version": Version})
}

// StaticFS exposes the static files (for tests of page weight).
func StaticFS() fs.FS { return web.Static() }
