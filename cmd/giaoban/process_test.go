package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"giaoban/internal/platform/db/dbtest"
)

var addrField = regexp.MustCompile(`\baddr=(\S+)`)

// buildBinary compiles giaoban once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "giaoban")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

type server struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

// startServer runs `giaoban args…` and waits until it logs its address.
func startServer(t *testing.T, bin string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, `msg="giaoban serving"`) {
				if m := addrField.FindStringSubmatch(line); m != nil {
					addr <- m[1]
				}
			}
		}
	}()
	go func() { s.done <- cmd.Wait() }()
	select {
	case a := <-addr:
		s.url = "http://" + a
	case err := <-s.done:
		t.Fatalf("server exited: %v", err)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("server did not start")
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return s
}

// stop sends SIGTERM and expects a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("server exit after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("server did not stop on SIGTERM")
	}
}

func TestTwoServersShareOnePostgreSQL(t *testing.T) {
	dsn := dbtest.NewPostgresDSN(t)
	if dsn == "" {
		t.Skip("no PostgreSQL (set GIAOBAN_TEST_POSTGRES)")
	}
	bin := buildBinary(t)
	// Seed the demo, then run two servers on the same database.
	if out, err := exec.Command(bin, "demo", "--db", dsn, "--seed-only").CombinedOutput(); err != nil {
		t.Fatalf("demo seed: %v\n%s", err, out)
	}
	a := startServer(t, bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	b := startServer(t, bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0")

	// Log in on A; the session works on B.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(a.url+"/login", url.Values{"username": {"quantri"}, "password": {"quantri-2021"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login on A: %v %v", err, resp)
	}
	resp.Body.Close()
	ua, _ := url.Parse(a.url)
	ub, _ := url.Parse(b.url)
	jar.SetCookies(ub, jar.Cookies(ua))
	resp, err = c.Get(b.url + "/account")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("session from A on B: %v %v", err, resp.StatusCode)
	}
	resp.Body.Close()

	// A user created through A's API is seen by B at once.
	tok, err := exec.Command(bin, "token", "create", "--db", dsn, "--username", "quantri", "--name", "test").Output()
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", a.url+"/api/v1/users", strings.NewReader(`{"username":"xem.tinh","full_name":"Người xem tỉnh","role":"viewer","password":"12345678"}`))
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create on A: %v %v", err, resp.StatusCode)
	}
	var created struct{ ID int64 }
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	req, _ = http.NewRequest("GET", fmt.Sprintf("%s/api/v1/users/%d", b.url, created.ID), nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("read on B: %v %v", err, resp.StatusCode)
	}
	resp.Body.Close()

	// Failed logins count across servers: the lock set through A holds on B.
	c = &http.Client{CheckRedirect: c.CheckRedirect}
	for i := 0; i < 5; i++ {
		r, _ := c.PostForm(a.url+"/login", url.Values{"username": {"thuky"}, "password": {"wrong"}})
		r.Body.Close()
	}
	r, _ := c.PostForm(b.url+"/login", url.Values{"username": {"thuky"}, "password": {"thuky-2021"}})
	r.Body.Close()
	if r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("rate limit not shared: B answered %d", r.StatusCode)
	}
	a.stop(t)
	b.stop(t)
}

func TestBackupWhileServing(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	if out, err := exec.Command(bin, "demo", "--db", path, "--seed-only").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := startServer(t, bin, "serve", "--db", path, "--addr", "127.0.0.1:0")
	// Keep the server writing (failed logins are rows) while the backup runs.
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ctx.Err() == nil {
			r, err := http.PostForm(s.url+"/login", url.Values{"username": {fmt.Sprint(time.Now().UnixNano())}, "password": {"x"}})
			if err == nil {
				r.Body.Close()
			}
		}
	}()
	out, err := exec.Command(bin, "backup", "--db", path, filepath.Join(dir, "copy.db")).CombinedOutput()
	cancel()
	if err != nil {
		t.Fatalf("backup while serving: %v\n%s", err, out)
	}
	check, err := exec.Command(bin, "migrate", "--db", filepath.Join(dir, "copy.db")).CombinedOutput()
	if err != nil || !strings.Contains(string(check), "up to date") {
		t.Errorf("the copy is not a complete database: %v %s", err, check)
	}
	resp, err := http.Get(s.url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz: %v", err)
	}
	s.stop(t)
}
