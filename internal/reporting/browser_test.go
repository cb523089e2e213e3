package reporting

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db/dbtest"
	"giaoban/internal/platform/web"
)

// cookieAuth reads the fixture user from a cookie, for the browser.
type cookieAuth struct{ f *fixture }

func (a cookieAuth) Authenticate(r *http.Request) (*auth.Principal, error) {
	c, err := r.Cookie("u")
	if err != nil || a.f.users[c.Value] == nil {
		return nil, nil
	}
	p := auth.FromContext(a.f.as(c.Value))
	p.CSRF = "tok-" + c.Value
	return p, nil
}

// TestEntryScriptSavesOnBlurSurvivesADroppedConnectionAndShowsConflicts
// drives the entry page in Chromium: a cell is saved when the cursor leaves
// it; while the connection is down the change waits on the device (also
// across a reload) and is sent when it is back; a value changed meanwhile
// by someone else shows the conflict message, and saving again, having
// seen it, goes through.
func TestEntryScriptSavesOnBlurSurvivesADroppedConnectionAndShowsConflicts(t *testing.T) {
	chrome := os.Getenv("GIAOBAN_CHROMIUM")
	if chrome == "" {
		chrome = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(chrome); err != nil {
		t.Skipf("Chromium not found at %s", chrome)
	}
	d := dbtest.Open(t, dbtest.SQLite)
	f := newFixture(t, d)
	f.s.Now = nil
	rd := web.NewRenderer()
	rt := web.NewRouter(rd)
	rt.Auth = cookieAuth{f}
	static := http.StripPrefix("/static/", http.FileServerFS(web.Static()))
	rt.HandleRaw("GET", "/static/", auth.PermPublic, static)
	rt.HandleRaw("GET", "/login-as/{user}", auth.PermPublic, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "u", Value: r.PathValue("user"), Path: "/"})
		w.Write([]byte("ok"))
	}))
	(&Handler{Service: f.s, Render: rd}).Routes(rt)
	var down atomic.Bool // the API's connection is dropped
	h := rt.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() && strings.HasPrefix(r.URL.Path, "/api/") {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.Flag("headless", true), chromedp.Flag("disable-gpu", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelT()
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	u := f.hndDistrict.ID
	page := fmt.Sprintf("%s/reports/%d/2021Q3", srv.URL, u)
	cellSel := func(key string) chromedp.CSS { return chromedp.CSS(`[name="v:` + key + `"]`) }
	// typeIn replaces a cell's text and leaves the cell.
	typeIn := func(key, text string) {
		t.Helper()
		eval(fmt.Sprintf(`document.querySelector('[name="v:%s"]').value = ""`, key))
		run(chromedp.SendKeys(cellSel(key), text))
		eval(fmt.Sprintf(`document.querySelector('[name="v:%s"]').blur(), ""`, key))
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for i := 0; i < 100; i++ {
			if ok() {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("timed out waiting for %s; status: %q", what, eval(`document.querySelector("[data-entry-status]").textContent`))
	}
	storedNum := func(key string) int64 { return num(f.stored(u, "2021Q3")[key]) }

	run(chromedp.Navigate(srv.URL+"/login-as/canbo"), chromedp.Navigate(page), chromedp.WaitVisible(cellSel("NHA_KC")))

	// 1. Saved when the cursor leaves the cell.
	typeIn("NHA_KC", "5")
	waitFor("NHA_KC = 5", func() bool { return storedNum("NHA_KC") == 5 })
	waitFor("the hidden version", func() bool { return eval(`document.querySelector('[name="ver:NHA_KC"]').value`) == "1" })

	// 2. The connection drops: the change waits on the device, also across
	// a reload, and is sent when the connection is back.
	down.Store(true)
	typeIn("NHA_BG", "4")
	waitFor("the change kept on the device", func() bool {
		return strings.Contains(eval(`localStorage.getItem("giaoban:`+fmt.Sprint(u)+`:2021Q3") || ""`), `"value":"4"`)
	})
	if storedNum("NHA_BG") != -1 {
		t.Fatal("saved while down")
	}
	run(chromedp.Navigate(page), chromedp.WaitVisible(cellSel("NHA_BG")))
	waitFor("the kept change restored after a reload", func() bool {
		v, _ := chromedp.Run(ctx, chromedp.Value(cellSel("NHA_BG")))
		return v == "4"
	})
	down.Store(false)
	eval(`window.dispatchEvent(new Event("online")), ""`)
	waitFor("NHA_BG = 4 once back online", func() bool { return storedNum("NHA_BG") == 4 })

	// 3. Someone else changes NHA_KC; this page still has version 1.
	if _, err := f.s.SaveValues(f.as("canbo2"), u, "2021Q3", []ValueInput{val("NHA_KC", "7", 1)}); err != nil {
		t.Fatal(err)
	}
	typeIn("NHA_KC", "9")
	waitFor("the conflict message", func() bool {
		return strings.Contains(eval(`(document.querySelector('[data-error-for="NHA_KC"]') || {}).textContent || ""`), "Trần Thị B sửa thành 7")
	})
	if storedNum("NHA_KC") != 7 {
		t.Fatal("the other person's value was overwritten")
	}
	waitFor("the version refreshed", func() bool { return eval(`document.querySelector('[name="ver:NHA_KC"]').value`) == "2" })
	// Having seen both values, the user keeps 9 and leaves the cell again.
	eval(`document.querySelector('[name="v:NHA_KC"]').focus(), ""`)
	eval(`document.querySelector('[name="v:NHA_KC"]').blur(), ""`)
	waitFor("NHA_KC = 9", func() bool { return storedNum("NHA_KC") == 9 })

	// 4. Enter moves to the next cell; the plain Save button still works.
	eval(`window.samePage = "yes", document.querySelector('[name="v:NHA_BG"]').value = ""`)
	run(chromedp.SendKeys(cellSel("NHA_BG"), "3\r"))
	active := func() string {
		return eval(`(document.activeElement && document.activeElement.getAttribute("name")) || ""`)
	}
	waitFor("Enter to move to the next cell", func() bool { return active() == "v:HOI_VIEN" })
	if eval(`window.samePage || "reloaded"`) != "yes" {
		t.Error("Enter posted the form")
	}
	waitFor("NHA_BG = 3", func() bool { return storedNum("NHA_BG") == 3 })
	waitFor("nothing left on the device", func() bool {
		return eval(`String(Object.keys(JSON.parse(localStorage.getItem("giaoban:`+fmt.Sprint(u)+`:2021Q3") || "{}")).length)`) == "0"
	})
}
