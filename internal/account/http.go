package account

import (
	"context"
	"embed"
	"net/http"
	"strconv"
	"strings"
	"time"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/i18n"
	"giaoban/internal/platform/web"
	"giaoban/internal/vn"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed locales/*.json
var localesFS embed.FS

func init() { i18n.Register(localesFS, "locales") }

// SessionCookie names the session cookie.
const SessionCookie = "giaoban_session"

// Handler serves the account pages and API.
type Handler struct {
	Store  *Store
	Render *web.Renderer
	// SecureCookies sets Secure on the session cookie even over plain HTTP
	// (when a TLS proxy sits in front).
	SecureCookies bool
}

// Authenticate implements web.Authenticator: a bearer token for the API,
// the session cookie otherwise.
func (h *Handler) Authenticate(r *http.Request) (*auth.Principal, error) {
	if a := r.Header.Get("Authorization"); a != "" {
		tok, ok := strings.CutPrefix(a, "Bearer ")
		if !ok {
			return nil, apperr.New(apperr.Unauthorized, "account.err.bad_token")
		}
		p, err := h.Store.PrincipalByToken(r.Context(), strings.TrimSpace(tok))
		if err != nil {
			return nil, err
		}
		if p == nil {
			return nil, apperr.New(apperr.Unauthorized, "account.err.bad_token")
		}
		return p, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	return h.Store.PrincipalBySession(r.Context(), c.Value)
}

// Routes registers the account routes.
func (h *Handler) Routes(rt *web.Router) {
	h.Render.AddPages(templatesFS, "templates")
	rt.Handle("GET", "/login", auth.PermPublic, h.loginForm)
	rt.Handle("POST", "/login", auth.PermPublic, h.login)
	rt.Handle("POST", "/logout", auth.PermAuthenticated, h.logout)
	rt.Handle("GET", "/account", auth.PermAuthenticated, h.accountPage)
	rt.Handle("POST", "/account/password", auth.PermAuthenticated, h.changePassword)
	rt.Handle("POST", "/account/tokens", auth.PermAuthenticated, h.createTokenForm)
	rt.Handle("POST", "/account/tokens/{id}/revoke", auth.PermAuthenticated, h.revokeTokenForm)
	rt.Handle("GET", "/admin/users", auth.PermUserAdmin, h.usersPage)
	rt.Handle("GET", "/admin/users/new", auth.PermUserAdmin, h.userNew)
	rt.Handle("POST", "/admin/users", auth.PermUserAdmin, h.userCreate)
	rt.Handle("GET", "/admin/users/{id}", auth.PermUserAdmin, h.userEdit)
	rt.Handle("POST", "/admin/users/{id}", auth.PermUserAdmin, h.userUpdate)
	rt.Handle("GET", "/admin/audit", auth.PermAuditRead, h.auditPage)

	rt.HandleDoc("GET", "/api/v1/me", auth.PermAuthenticated, "The current user", h.apiMe)
	rt.HandleDoc("GET", "/api/v1/users", auth.PermUserAdmin, "List user accounts", h.apiUsers)
	rt.HandleDoc("POST", "/api/v1/users", auth.PermUserAdmin, "Create a user account", h.apiUserCreate)
	rt.HandleDoc("GET", "/api/v1/users/{id}", auth.PermUserAdmin, "Get a user account", h.apiUser)
	rt.HandleDoc("PATCH", "/api/v1/users/{id}", auth.PermUserAdmin, "Change a user account", h.apiUserUpdate)
	rt.HandleDoc("GET", "/api/v1/tokens", auth.PermAuthenticated, "List my API tokens", h.apiTokens)
	rt.HandleDoc("POST", "/api/v1/tokens", auth.PermAuthenticated, "Create an API token for me", h.apiTokenCreate)
	rt.HandleDoc("DELETE", "/api/v1/tokens/{id}", auth.PermAuthenticated, "Revoke one of my API tokens", h.apiTokenRevoke)
	rt.HandleDoc("GET", "/api/v1/audit", auth.PermAuditRead, "Read the audit log", h.apiAudit)

	web.AddNav(
		web.NavItem{Key: "account.nav.users", Href: "/admin/users", Perm: auth.PermUserAdmin, Order: 90},
		web.NavItem{Key: "account.nav.audit", Href: "/admin/audit", Perm: auth.PermAuditRead, Order: 95},
	)
}

// safeNext keeps redirects after login on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) error {
	if auth.FromContext(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	p := h.Render.NewPage(w, r, "account.login.title", map[string]string{"Next": safeNext(r.URL.Query().Get("next"))})
	return h.Render.HTML(w, http.StatusOK, "login.html", p)
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	next := safeNext(r.PostFormValue("next"))
	token, u, err := h.Store.Login(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"), web.ClientIP(r), r.UserAgent())
	if err != nil {
		code := apperr.CodeOf(err)
		if code != apperr.Invalid && code != apperr.TooMany {
			return err
		}
		p := h.Render.NewPage(w, r, "account.login.title", map[string]string{"Next": next})
		_, msg, _ := web.Localize(p.Lang, err)
		if fe, _, ok := web.FormErrors(p.Lang, err); ok {
			msg = fe["password"]
		}
		p.ErrorList = []string{msg}
		p.Form = r.PostForm
		p.Form.Del("password")
		status := http.StatusBadRequest
		if code == apperr.TooMany {
			status = http.StatusTooManyRequests
		}
		return h.Render.HTML(w, status, "login.html", p)
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: h.SecureCookies || r.TLS != nil, Expires: time.Now().Add(SessionTTL)})
	if _, err := r.Cookie("giaoban_lang"); err != nil && u.Locale != "" {
		web.SetLang(w, r, u.Locale)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) error {
	p := auth.FromContext(r.Context())
	if err := h.Store.Logout(r.Context(), p.SessionID); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.SecureCookies || r.TLS != nil})
	return web.Redirect(w, r, "/login", "account.logged_out")
}

type accountData struct {
	User     *User
	Tokens   []Token
	NewToken string
}

func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderAccount(w, r, http.StatusOK, nil, "")
}

func (h *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, formErr error, newToken string) error {
	me := auth.FromContext(r.Context())
	u, err := h.Store.UserByID(r.Context(), me.UserID)
	if err != nil {
		return err
	}
	toks, err := h.Store.Tokens(r.Context(), me.UserID)
	if err != nil {
		return err
	}
	p := h.Render.NewPage(w, r, "account.title", accountData{User: u, Tokens: toks, NewToken: newToken})
	if formErr != nil {
		fe, list, ok := web.FormErrors(p.Lang, formErr)
		if !ok {
			return formErr
		}
		p.Errors, p.ErrorList = fe, list
	}
	return h.Render.HTML(w, status, "account.html", p)
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	me := auth.FromContext(r.Context())
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		return h.renderAccount(w, r, http.StatusBadRequest, apperr.Field("password2", "account.err.password_mismatch"), "")
	}
	if err := h.Store.ChangePassword(r.Context(), me.UserID, r.PostFormValue("current"), r.PostFormValue("password"), me.SessionID); err != nil {
		return h.renderAccount(w, r, http.StatusBadRequest, err, "")
	}
	return web.Redirect(w, r, "/account", "account.password_changed")
}

func (h *Handler) createTokenForm(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	me := auth.FromContext(r.Context())
	days, _ := strconv.Atoi(r.PostFormValue("days"))
	secret, _, err := h.Store.CreateToken(r.Context(), me.UserID, r.PostFormValue("name"), time.Duration(days)*24*time.Hour)
	if err != nil {
		return h.renderAccount(w, r, http.StatusBadRequest, err, "")
	}
	return h.renderAccount(w, r, http.StatusOK, nil, secret)
}

func (h *Handler) revokeTokenForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.Store.RevokeToken(r.Context(), auth.FromContext(r.Context()).UserID, id); err != nil {
		return err
	}
	return web.Redirect(w, r, "/account", "account.token_revoked")
}

// Option is one choice in a select.
type Option struct {
	ID   int64
	Name string
}

func (h *Handler) options(ctx context.Context, query string) ([]Option, error) {
	rows, err := h.Store.DB.QueryContext(ctx, query)
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

type userFormData struct {
	User  *User
	Roles []auth.Role
	Units []Option
	Areas []Option
}

func (h *Handler) usersPage(w http.ResponseWriter, r *http.Request) error {
	users, err := h.Store.Users(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	return h.Render.Render(w, r, "users.html", "account.users.title", users)
}

func (h *Handler) renderUserForm(w http.ResponseWriter, r *http.Request, status int, u *User, formErr error) error {
	units, err := h.options(r.Context(), "SELECT u.id, u.name FROM units u JOIN areas a ON a.id = u.area_id ORDER BY a.path, u.name")
	if err != nil {
		return err
	}
	areas, err := h.options(r.Context(), "SELECT id, name FROM areas ORDER BY path")
	if err != nil {
		return err
	}
	titleKey := "account.users.new"
	if u != nil {
		titleKey = "account.users.edit"
	}
	p := h.Render.NewPage(w, r, titleKey, userFormData{User: u, Roles: auth.Roles, Units: units, Areas: areas})
	if formErr != nil {
		fe, list, ok := web.FormErrors(p.Lang, formErr)
		if !ok {
			return formErr
		}
		p.Errors, p.ErrorList, p.Form = fe, list, r.PostForm
	}
	return h.Render.HTML(w, status, "user_form.html", p)
}

func (h *Handler) userNew(w http.ResponseWriter, r *http.Request) error {
	return h.renderUserForm(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) userEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := h.Store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	return h.renderUserForm(w, r, http.StatusOK, u, nil)
}

func formID(r *http.Request, name string) *int64 {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		bad := int64(-1)
		return &bad
	}
	return &id
}

func userInputFromForm(r *http.Request) UserInput {
	active := r.PostFormValue("active") != ""
	return UserInput{
		Username: r.PostFormValue("username"),
		FullName: r.PostFormValue("full_name"),
		Email:    r.PostFormValue("email"),
		Role:     auth.Role(r.PostFormValue("role")),
		UnitID:   formID(r, "unit_id"),
		AreaID:   formID(r, "area_id"),
		Locale:   r.PostFormValue("locale"),
		Active:   &active,
		Password: r.PostFormValue("password"),
	}
}

func (h *Handler) userCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	u, err := h.Store.CreateUser(r.Context(), userInputFromForm(r))
	if err != nil {
		return h.renderUserForm(w, r, http.StatusBadRequest, nil, err)
	}
	return web.Redirect(w, r, "/admin/users?q="+u.Username, "form.saved")
}

func (h *Handler) userUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	old, err := h.Store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	if _, err := h.Store.UpdateUser(r.Context(), id, userInputFromForm(r)); err != nil {
		return h.renderUserForm(w, r, http.StatusBadRequest, old, err)
	}
	return web.Redirect(w, r, "/admin/users", "form.saved")
}

func parseAuditFilter(r *http.Request) (audit.Filter, error) {
	q := r.URL.Query()
	f := audit.Filter{Username: q.Get("user"), Action: q.Get("action"), Entity: q.Get("entity"), EntityID: q.Get("entity_id")}
	var fe apperr.Fields
	if s := q.Get("from"); s != "" {
		t, err := vn.ParseDate(s)
		if err != nil {
			fe.Add("from", "err.bad_date", s)
		}
		f.From = t.Add(-7 * time.Hour) // dates are Vietnam days
	}
	if s := q.Get("to"); s != "" {
		t, err := vn.ParseDate(s)
		if err != nil {
			fe.Add("to", "err.bad_date", s)
		}
		f.To = t.Add(17 * time.Hour)
	}
	if s := q.Get("before"); s != "" {
		f.BeforeID, _ = strconv.ParseInt(s, 10, 64)
	}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	return f, fe.Err()
}

type auditData struct {
	Entries  []auditRow
	Entities []auditEntity
	NextID   int64
}

// auditRow is an audit entry with its action and entity named for people
// ("Duyệt", "Báo cáo"); a code without a name in the catalogue is shown as
// it is stored.
type auditRow struct {
	audit.Entry
	ActionLabel, EntityLabel string
}

type auditEntity struct{ Code, Label string }

func auditLabel(lang, kind, code string) string {
	if key := "account.audit." + kind + "." + code; i18n.Has(lang, key) {
		return i18n.T(lang, key)
	}
	return code
}

func (h *Handler) auditPage(w http.ResponseWriter, r *http.Request) error {
	f, ferr := parseAuditFilter(r)
	if f.Limit == 0 {
		f.Limit = 50
	}
	var d auditData
	lang := web.Lang(r)
	if ferr == nil {
		entries, err := audit.List(r.Context(), h.Store.DB, f)
		if err != nil {
			return err
		}
		for _, e := range entries {
			d.Entries = append(d.Entries, auditRow{Entry: e,
				ActionLabel: auditLabel(lang, "actions", e.Action), EntityLabel: auditLabel(lang, "entities", e.Entity)})
		}
		if len(entries) == f.Limit {
			d.NextID = entries[len(entries)-1].ID
		}
	}
	entities, err := audit.Entities(r.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	for _, e := range entities {
		d.Entities = append(d.Entities, auditEntity{Code: e, Label: auditLabel(lang, "entities", e)})
	}
	p := h.Render.NewPage(w, r, "account.audit.title", d)
	if ferr != nil {
		p.Errors, p.ErrorList, _ = web.FormErrors(p.Lang, ferr)
	}
	return h.Render.HTML(w, http.StatusOK, "audit.html", p)
}

// API

func (h *Handler) apiMe(w http.ResponseWriter, r *http.Request) error {
	u, err := h.Store.UserByID(r.Context(), auth.FromContext(r.Context()).UserID)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, u)
}

func (h *Handler) apiUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := h.Store.Users(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	if users == nil {
		users = []User{}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": users})
}

func (h *Handler) apiUser(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := h.Store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, u)
}

func (h *Handler) apiUserCreate(w http.ResponseWriter, r *http.Request) error {
	var in UserInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := h.Store.CreateUser(r.Context(), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, u)
}

func (h *Handler) apiUserUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	old, err := h.Store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	// PATCH: start from the stored account, apply what the body gives.
	in := UserInput{Username: old.Username, FullName: old.FullName, Email: old.Email, Role: old.Role, UnitID: old.UnitID, AreaID: old.AreaID, Locale: old.Locale, Active: &old.Active}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := h.Store.UpdateUser(r.Context(), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, u)
}

func (h *Handler) apiTokens(w http.ResponseWriter, r *http.Request) error {
	toks, err := h.Store.Tokens(r.Context(), auth.FromContext(r.Context()).UserID)
	if err != nil {
		return err
	}
	if toks == nil {
		toks = []Token{}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": toks})
}

func (h *Handler) apiTokenCreate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name string `json:"name"`
		Days int    `json:"days"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Days < 0 {
		return apperr.Field("days", "account.err.days")
	}
	secret, t, err := h.Store.CreateToken(r.Context(), auth.FromContext(r.Context()).UserID, in.Name, time.Duration(in.Days)*24*time.Hour)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, map[string]any{"token": secret, "info": t})
}

func (h *Handler) apiTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.Store.RevokeToken(r.Context(), auth.FromContext(r.Context()).UserID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) apiAudit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseAuditFilter(r)
	if err != nil {
		return err
	}
	entries, err := audit.List(r.Context(), h.Store.DB, f)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []audit.Entry{}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": entries})
}
