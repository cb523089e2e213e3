package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"giaoban/internal/app"
	"giaoban/internal/demo"
	"giaoban/internal/platform/db"
	"giaoban/internal/platform/db/dbtest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// chromiumPath finds the browser; in CI its absence is a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("GIAOBAN_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(p); err != nil {
		if os.Getenv("CI") == "true" || os.Getenv("CI") == "1" {
			t.Fatalf("Chromium not found at %s: install the Debian package chromium (scripts/test.sh does as root)", p)
		}
		t.Skipf("Chromium not found at %s (set GIAOBAN_CHROMIUM); skipping browser journey", p)
	}
	return p
}

// env is the demo served on a test server and a browser pointed at it.
type env struct {
	t   *testing.T
	db  *db.DB
	app *app.App
	url string
	ctx context.Context
}

func newEnv(t *testing.T) *env {
	t.Helper()
	chrome := chromiumPath(t)
	d := dbtest.Open(t, "sqlite")
	if _, err := demo.Seed(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	a := app.New(d, app.Config{})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &env{t: t, db: d, app: a, url: srv.URL, ctx: ctx}
}

func (e *env) run(actions ...chromedp.Action[chromedp.Void]) {
	e.t.Helper()
	if err := chromedp.Do(e.ctx, actions...); err != nil {
		e.shot("failure")
		e.t.Fatal(err)
	}
}

// get runs one action that returns a value.
func get[T any](e *env, a chromedp.Action[T]) T {
	e.t.Helper()
	v, err := chromedp.Run(e.ctx, a)
	if err != nil {
		e.shot("failure")
		e.t.Fatal(err)
	}
	return v
}

// shot saves a screenshot under GIAOBAN_SCREENSHOTS (if set), to look at.
func (e *env) shot(name string) {
	dir := os.Getenv("GIAOBAN_SCREENSHOTS")
	if dir == "" {
		return
	}
	if buf, err := chromedp.Run(e.ctx, chromedp.FullScreenshot(100)); err == nil {
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, strings.ReplaceAll(e.t.Name(), "/", "_")+"-"+name+".png"), buf, 0o644)
	}
}

// andWait runs an action that leaves the page (a submit, a click on a link
// or button) and waits until the next document has loaded: the old one is
// marked first, so its body is never mistaken for the new page's.
func (e *env) andWait(a chromedp.Action[chromedp.Void]) {
	e.t.Helper()
	get(e, chromedp.Evaluate[int](`window.__gbOld = 1`))
	e.run(a)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		done, err := chromedp.Run(e.ctx, chromedp.Evaluate[bool](`window.__gbOld === undefined && document.readyState === "complete"`))
		if err == nil && done {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.shot("navigation")
	e.t.Fatal("the page did not change")
}

// login logs in through the form and waits for the home page.
func (e *env) login(username, password string) {
	e.t.Helper()
	e.run(
		chromedp.Navigate(e.url+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), username),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
	)
	e.andWait(chromedp.Submit(chromedp.CSS(`#password`)))
	e.run(chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
}

func (e *env) logout() {
	e.t.Helper()
	e.andWait(chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	e.run(chromedp.WaitVisible(chromedp.CSS(`#username`)))
}

// text returns the visible text of the page's main element.
func (e *env) text() string {
	return get(e, chromedp.Text(chromedp.CSS(`body`)))
}

func (e *env) navigate(path string) {
	e.t.Helper()
	e.run(chromedp.Navigate(e.url+path), chromedp.WaitReady(chromedp.CSS(`body`)))
}

func (e *env) menu() []string {
	return get(e, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("nav.menu a")).map(a => a.getAttribute("href"))`))
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func user(role string) demo.DemoUser {
	for _, u := range demo.Users {
		if u.Role == role {
			return u
		}
	}
	panic("no demo user with role " + role)
}
