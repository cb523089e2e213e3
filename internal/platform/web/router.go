// Package web is the HTTP shell every room plugs into: a router that knows
// each route's permission, one way to render pages and errors, the layout,
// static files, security headers, logging and metrics.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/i18n"
)

// HandlerFunc handles a request; a returned error is rendered by Fail.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route describes a registered route, for the permission table test and
// the OpenAPI check.
type Route struct {
	Method  string
	Pattern string // path pattern as given to ServeMux, without the method
	Perm    auth.Perm
	API     bool // under /api/
	Summary string
}

// Authenticator finds the principal of a request (session cookie or API
// token); nil for the public. The account room provides it.
type Authenticator interface {
	Authenticate(r *http.Request) (*auth.Principal, error)
}

// Router registers routes with their permission and serves them.
type Router struct {
	mux    *http.ServeMux
	routes []Route
	Auth   Authenticator
	Render *Renderer
	// Secure forces the Secure attribute on cookies (behind a TLS proxy).
	Secure bool
}

// NewRouter returns an empty router rendering with rd.
func NewRouter(rd *Renderer) *Router {
	return &Router{mux: http.NewServeMux(), Render: rd}
}

// Handle registers h for method and pattern, allowed to holders of perm.
func (rt *Router) Handle(method, pattern string, perm auth.Perm, h HandlerFunc) {
	rt.HandleDoc(method, pattern, perm, "", h)
}

// HandleDoc is Handle with a one-line summary for the API document.
func (rt *Router) HandleDoc(method, pattern string, perm auth.Perm, summary string, h HandlerFunc) {
	route := Route{Method: method, Pattern: pattern, Perm: perm, API: strings.HasPrefix(pattern, "/api/"), Summary: summary}
	rt.routes = append(rt.routes, route)
	rt.mux.Handle(method+" "+pattern, rt.wrap(route, h))
}

// NotFound serves every path no route matches with the error page (in the
// user's language, with the menu) instead of the bare mux message.
func (rt *Router) NotFound() {
	route := Route{Pattern: "/", Perm: auth.PermPublic}
	rt.mux.Handle("/", rt.wrap(route, func(w http.ResponseWriter, r *http.Request) error {
		return apperr.New(apperr.NotFound, "err.not_found")
	}))
}

// HandleRaw registers a plain http.Handler outside the permission system
// (static files, health, metrics). perm is recorded for the table test.
func (rt *Router) HandleRaw(method, pattern string, perm auth.Perm, h http.Handler) {
	rt.routes = append(rt.routes, Route{Method: method, Pattern: pattern, Perm: perm})
	rt.mux.Handle(method+" "+pattern, h)
}

// Routes lists the registered routes, sorted.
func (rt *Router) Routes() []Route {
	out := append([]Route(nil), rt.routes...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pattern != out[j].Pattern {
			return out[i].Pattern < out[j].Pattern
		}
		return out[i].Method < out[j].Method
	})
	return out
}

type ctxKeyRoute struct{}

// RoutePattern returns the pattern of the route serving r ("" if none).
func RoutePattern(r *http.Request) string {
	if rt, ok := r.Context().Value(ctxKeyRoute{}).(Route); ok {
		return rt.Pattern
	}
	return ""
}

// IsAPI tells whether r is served by an API route.
func IsAPI(r *http.Request) bool {
	if rt, ok := r.Context().Value(ctxKeyRoute{}).(Route); ok {
		return rt.API
	}
	return strings.HasPrefix(r.URL.Path, "/api/")
}

func (rt *Router) wrap(route Route, h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), ctxKeyRoute{}, route)
		r = r.WithContext(ctx)
		var p *auth.Principal
		if rt.Auth != nil {
			var err error
			p, err = rt.Auth.Authenticate(r)
			if err != nil {
				rt.Fail(w, r, err)
				return
			}
		}
		lang := chooseLang(r, p)
		ctx = auth.WithPrincipal(ctx, p)
		ctx = context.WithValue(ctx, ctxKeyLang{}, lang)
		actor := audit.Actor{IP: ClientIP(r)}
		if p != nil {
			actor.UserID, actor.Username = p.UserID, p.Username
		}
		ctx = audit.WithActor(ctx, actor)
		r = r.WithContext(ctx)

		if !p.Has(route.Perm) {
			if p == nil {
				if route.API || r.Method != http.MethodGet {
					rt.Fail(w, r, apperr.New(apperr.Unauthorized, "err.login_required"))
					return
				}
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			rt.Fail(w, r, apperr.New(apperr.Forbidden, "err.forbidden"))
			return
		}
		// Forms posted with a session must carry the session's CSRF token;
		// API calls with a bearer token carry no cookie and need none.
		if p != nil && !p.ViaToken && !isSafeMethod(r.Method) {
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				// The token sits in the multipart body: cap the body before
				// parsing it; rooms check their own, smaller, file limits.
				r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBytes)
			}
			if !checkCSRF(r, p.CSRF) {
				rt.Fail(w, r, apperr.New(apperr.Forbidden, "err.csrf"))
				return
			}
		}
		if err := h(w, r); err != nil {
			rt.Fail(w, r, err)
		}
	})
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// ServeHTTP serves the request through the middleware chain.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt.mux.ServeHTTP(w, r)
}

// Handler returns the router wrapped in the shared middleware: recovery,
// security headers, cross-origin protection, logging and metrics.
func (rt *Router) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	var h http.Handler = rt
	h = cop.Handler(h)
	h = securityHeaders(h)
	h = rt.observe(h)
	return h
}

// observe logs each request and feeds the duration histogram.
func (rt *Router) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		defer func() {
			if v := recover(); v != nil {
				slog.Error("panic", "path", r.URL.Path, "panic", v)
				if !sw.wrote {
					http.Error(sw, i18n.T(i18n.Default, "err.internal"), http.StatusInternalServerError)
				}
				sw.status = 500
			}
			d := time.Since(start)
			_, pattern := rt.mux.Handler(r)
			if pattern == "" {
				pattern = "unmatched"
			}
			observeRequest(pattern, r.Method, sw.status, d)
			slog.Info("http", "method", r.Method, "path", r.URL.Path, "route", pattern, "status", sw.status,
				"bytes", sw.bytes, "ms", float64(d.Microseconds())/1000)
		}()
		next.ServeHTTP(sw, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status = code
		w.wrote = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Content-Security-Policy: everything from our own origin, no inline
// scripts, no framing.
const csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// ClientIP is the remote address of r without the port. Proxies are not
// trusted: a deployment behind one sets the real address at the proxy.
func ClientIP(r *http.Request) string {
	addr := r.RemoteAddr
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		addr = addr[:i]
	}
	return strings.Trim(addr, "[]")
}
