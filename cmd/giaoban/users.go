package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"giaoban/internal/account"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func cliContext(ctx context.Context) context.Context {
	return audit.WithActor(ctx, audit.Actor{Username: "cli"})
}

func cmdUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd") {
		fmt.Fprint(stderr, "Usage:\n  giaoban user add --username U --name \"Full Name\" --role ROLE [--unit ID] [--area ID] [--password P]\n  giaoban user passwd --username U [--password P]\n")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return usageError{"user: say add or passwd"}
	}
	sub := args[0]
	fs := newFlags("user "+sub, "user "+sub+" [options]", stderr)
	dsn := dbFlag(fs, "giaoban.db")
	username := fs.String("username", "", "user name (required)")
	password := fs.String("password", "", "password (default: a random one, printed)")
	var name, role *string
	var unitID, areaID *int64
	if sub == "add" {
		name = fs.String("name", "", "full name (required)")
		role = fs.String("role", "", "role: admin, secretariat, officer, leader, viewer (required)")
		unitID = fs.Int64("unit", 0, "unit id (officer, leader)")
		areaID = fs.Int64("area", 0, "area id (secretariat, viewer)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *username == "" {
		return usageError{"--username is required"}
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx = cliContext(ctx)
	st := &account.Store{DB: d}
	pw := *password
	generated := pw == ""
	if generated {
		pw = auth.NewToken("")[:16]
	}
	if sub == "add" {
		in := account.UserInput{Username: *username, FullName: *name, Role: auth.Role(*role), Password: pw}
		if *unitID != 0 {
			in.UnitID = unitID
		}
		if *areaID != 0 {
			in.AreaID = areaID
		}
		u, err := st.CreateUser(ctx, in)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "created user %s (id %d, role %s)\n", u.Username, u.ID, u.Role)
	} else {
		u, err := st.UserByUsername(ctx, *username)
		if err != nil {
			return cliError(err)
		}
		if err := st.SetPassword(ctx, u.ID, pw); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "password changed for %s; their sessions were closed\n", u.Username)
	}
	if generated {
		fmt.Fprintf(stdout, "password: %s\n", pw)
	}
	return nil
}

func cmdToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, "Usage:\n  giaoban token create --username U --name NAME [--days N]\n")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return usageError{"token: say create"}
	}
	fs := newFlags("token create", "token create --username U --name NAME [--days N]", stderr)
	dsn := dbFlag(fs, "giaoban.db")
	username := fs.String("username", "", "the token acts as this user (required)")
	name := fs.String("name", "", "what the token is for (required)")
	days := fs.Int("days", 0, "expires after N days (0: never)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *username == "" || *name == "" {
		return usageError{"--username and --name are required"}
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx = cliContext(ctx)
	st := &account.Store{DB: d}
	u, err := st.UserByUsername(ctx, *username)
	if err != nil {
		return cliError(err)
	}
	secret, _, err := st.CreateToken(ctx, u.ID, *name, time.Duration(*days)*24*time.Hour)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

// cliError renders an application error in Vietnamese with its fields.
func cliError(err error) error {
	code, msg, fields := web.Localize("vi", err)
	if code == "internal" {
		return err
	}
	for _, f := range fields {
		msg += fmt.Sprintf("\n  %s: %s", f.Field, f.Message)
	}
	return fmt.Errorf("%s", msg)
}
