package main

import (
	"context"
	"fmt"
	"io"

	"giaoban/internal/app"
	"giaoban/internal/demo"
)

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", "demo [--db FILE] [--addr ADDR]", stderr)
	dsn := dbFlag(fs, "giaoban-demo.db")
	addr := addrFlag(fs, "localhost:8080")
	logFormat := fs.String("log-format", envOr("GIAOBAN_LOG_FORMAT", "text"), "log format: text or json")
	seedOnly := fs.Bool("seed-only", false, "create the demo data and exit without serving")
	if err := fs.Parse(args); err != nil {
		return err
	}
	setupLogging(*logFormat, stderr)
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	created, err := demo.Seed(cliContext(ctx), d)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if created {
		fmt.Fprintf(stdout, "Đã tạo dữ liệu minh họa trong %s / demo data created in %s\n", d.Redacted, d.Redacted)
	} else {
		fmt.Fprintf(stdout, "Dùng lại dữ liệu minh họa có sẵn trong %s / reusing the demo data in %s\n", d.Redacted, d.Redacted)
	}
	if *seedOnly {
		printAccounts(stdout, "")
		return nil
	}
	return serve(ctx, d, *addr, app.Config{}, func(bound string) {
		printAccounts(stdout, "http://"+displayAddr(*addr, bound))
	})
}

func printAccounts(w io.Writer, url string) {
	if url != "" {
		fmt.Fprintf(w, "\nMở / open: %s\n", url)
	}
	fmt.Fprintf(w, "\nTài khoản minh họa / demo accounts:\n")
	fmt.Fprintf(w, "  %-22s %-24s %s\n", "vai trò / role", "tên đăng nhập / user", "mật khẩu / password")
	for _, u := range demo.Users {
		fmt.Fprintf(w, "  %-22s %-24s %s\n", u.Role, u.Username, u.Password)
	}
	fmt.Fprintln(w, "\nDừng: Ctrl+C / stop with Ctrl+C")
}

// displayAddr prefers the host the user asked for ("localhost") over the
// bound IP, and the bound port when they asked for port 0.
func displayAddr(asked, bound string) string {
	host, port := splitHostPort(asked)
	_, bport := splitHostPort(bound)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	if port == "0" || port == "" {
		port = bport
	}
	return host + ":" + port
}

func splitHostPort(addr string) (string, string) {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return trimBrackets(addr[:i]), addr[i+1:]
		}
	}
	return addr, ""
}

func trimBrackets(s string) string {
	if len(s) > 1 && s[0] == '[' && s[len(s)-1] == ']' {
		return s[1 : len(s)-1]
	}
	return s
}
