package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestEachRoleSeesWhatItMayAndNoMore logs in as each role of the demo and
// checks the menu and what opening an admin page does.
func TestEachRoleSeesWhatItMayAndNoMore(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		role      string
		menuHas   []string
		menuLacks []string
		canOpen   []string
		refused   []string
	}{
		{"admin", []string{"/admin/users", "/admin/audit", "/org"}, nil, []string{"/admin/users", "/admin/audit", "/org/areas/new"}, nil},
		{"secretariat", []string{"/org"}, []string{"/admin/users", "/admin/audit"}, []string{"/org/units/new"}, []string{"/admin/users", "/admin/audit", "/org/areas/new"}},
		{"officer", []string{"/org"}, []string{"/admin/users", "/admin/audit"}, []string{"/org"}, []string{"/admin/users", "/org/units/new", "/org/areas/new"}},
		{"leader", []string{"/org"}, []string{"/admin/users"}, []string{"/org"}, []string{"/admin/users", "/org/units/new"}},
		{"viewer", []string{"/org"}, []string{"/admin/users", "/admin/audit"}, []string{"/org/areas"}, []string{"/admin/audit", "/org/units/new"}},
	}
	for _, c := range cases {
		t.Run(c.role, func(t *testing.T) {
			e.t = t
			u := user(c.role)
			e.login(u.Username, u.Password)
			home := e.text()
			if !strings.Contains(home, u.FullName) {
				t.Errorf("home page does not greet %s", u.FullName)
			}
			menu := e.menu()
			for _, h := range c.menuHas {
				if !has(menu, h) {
					t.Errorf("menu %v lacks %s", menu, h)
				}
			}
			for _, h := range c.menuLacks {
				if has(menu, h) {
					t.Errorf("menu %v shows %s", menu, h)
				}
			}
			for _, p := range c.canOpen {
				e.navigate(p)
				if s := e.text(); strings.Contains(s, "không có quyền") || strings.Contains(s, "Không tìm thấy") {
					t.Errorf("%s cannot open %s: %.200s", c.role, p, s)
				}
			}
			for _, p := range c.refused {
				e.navigate(p)
				if s := e.text(); !strings.Contains(s, "Bạn không có quyền thực hiện thao tác này.") {
					t.Errorf("%s opened %s: %.200s", c.role, p, s)
				}
			}
			e.shot("home")
			e.navigate("/")
			e.logout()
		})
	}
	// The public sees the login page for anything behind a login.
	e.t = t
	e.navigate("/org")
	loc := get(e, chromedp.Location())
	if !strings.Contains(loc, "/login?next=%2Forg") {
		t.Errorf("the public was sent to %s", loc)
	}
}

// TestSwitchLanguage switches to English and back; the choice sticks.
func TestSwitchLanguage(t *testing.T) {
	e := newEnv(t)
	u := user("secretariat")
	e.login(u.Username, u.Password)
	e.andWait(chromedp.Click(chromedp.CSS(`a.lang`)))
	e.run(chromedp.WaitVisible(chromedp.CSS(`html[lang="en"]`)))
	if s := e.text(); !strings.Contains(s, "Log out") || !strings.Contains(s, "Bloc secretariat") {
		t.Errorf("not in English: %.300s", s)
	}
	e.navigate("/account")
	if s := e.text(); !strings.Contains(s, "Change password") {
		t.Errorf("the language did not stick: %.300s", s)
	}
	e.shot("english")
	e.andWait(chromedp.Click(chromedp.CSS(`a.lang`)))
	e.run(chromedp.WaitVisible(chromedp.CSS(`html[lang="vi"]`)))
	if s := e.text(); !strings.Contains(s, "Đổi mật khẩu") {
		t.Errorf("not back in Vietnamese: %.300s", s)
	}
}

// TestPhoneWidth checks that the shell fits a 360 px screen without
// horizontal scrolling.
func TestPhoneWidth(t *testing.T) {
	e := newEnv(t)
	u := user("officer")
	e.run(chromedp.EmulateViewport(360, 740))
	e.login(u.Username, u.Password)
	for _, p := range []string{"/", "/account", "/org"} {
		e.navigate(p)
		overflow := get(e, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
		if overflow {
			e.shot("overflow")
			t.Errorf("%s scrolls sideways at 360 px", p)
		}
	}
}
