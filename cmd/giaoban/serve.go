package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"time"

	"giaoban/internal/app"
	"giaoban/internal/platform/db"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve [--db DB] [--addr ADDR]", stderr)
	dsn := dbFlag(fs, "giaoban.db")
	addr := addrFlag(fs, ":8080")
	secure := fs.Bool("secure-cookies", envOr("GIAOBAN_SECURE_COOKIES", "") != "", "mark cookies Secure (behind a TLS proxy; env GIAOBAN_SECURE_COOKIES)")
	logFormat := fs.String("log-format", envOr("GIAOBAN_LOG_FORMAT", "text"), "log format: text or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	setupLogging(*logFormat, stderr)
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	return serve(ctx, d, *addr, app.Config{SecureCookies: *secure}, nil)
}

// serve runs the HTTP server until SIGINT/SIGTERM, then drains requests.
// ready, when given, is called with the bound address once listening.
func serve(ctx context.Context, d *db.DB, addr string, cfg app.Config, ready func(addr string)) error {
	a := app.New(d, cfg)
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads of large workbooks on slow links
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("địa chỉ %s đang được chương trình khác dùng; chọn cổng khác, ví dụ --addr localhost:8090 / address %s is already in use; choose another port, e.g. --addr localhost:8090: %w", addr, addr, err)
		}
		return fmt.Errorf("không mở được địa chỉ %s / cannot listen on %s: %w", addr, addr, err)
	}
	ctx, stop := signalContext(ctx)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	slog.Info("giaoban serving", "addr", ln.Addr().String(), "db", d.Redacted, "dialect", d.Dialect, "version", app.Version)
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down: finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	slog.Info("stopped")
	return nil
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "migrate [--db DB]", stderr)
	dsn := dbFlag(fs, "giaoban.db")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return fmt.Errorf("cannot open the database: %w", err)
	}
	defer d.Close()
	applied, err := d.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("cannot migrate the database: %w", err)
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "database is up to date")
	}
	for _, v := range applied {
		fmt.Fprintln(stdout, "applied", v)
	}
	return nil
}
