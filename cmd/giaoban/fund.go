package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/tlog"

	"giaoban/internal/app"
	"giaoban/internal/fund"
	"giaoban/internal/fund/translog"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/db"
	"giaoban/internal/reporting"
	"giaoban/internal/vn"
)

const fundUsage = `Usage:
  giaoban fund import --fund CODE [--profile NAME] [--dry-run] [--strict] [--db DB] FILE
      import a bank statement (CSV or XLSX) into a fund, streaming; prints every
      line skipped, rejected or left for review with its reason, then the counts
  giaoban fund publish --fund CODE [--page-size N] [--db DB] DIR
      write the fund's public statement as static files (HTML pages, statement.csv,
      checkpoint.txt, key.txt, tlog tiles, README.txt) for any web server or CDN
  giaoban fund verify --statement FILE.csv --checkpoint FILE --key KEY
      check a downloaded statement against a signed checkpoint and the public key
      (KEY is the key itself or a file holding it); names the entry that differs
  giaoban fund verify --checkpoint FILE --key KEY --tiles DIR --seq N [--statement FILE.csv]
      check that entry N is in the signed log, from published tiles
  giaoban fund checkpoint --fund CODE [--key] [--verify] [--db DB]
      print the fund's latest signed checkpoint (--key: the public key instead;
      --verify: also check the whole ledger in the database against it)

Run "giaoban fund SUBCOMMAND --help" for the options.
`

// cmdFund runs the `giaoban fund …` subcommands.
func cmdFund(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(stderr, fundUsage)
		if len(args) == 0 {
			return usageError{"fund: say import, publish, verify or checkpoint"}
		}
		return nil
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "import":
		return fundImport(ctx, rest, stdout, stderr)
	case "publish":
		return fundPublish(ctx, rest, stdout, stderr)
	case "verify":
		return fundVerify(ctx, rest, stdout, stderr)
	case "checkpoint":
		return fundCheckpoint(ctx, rest, stdout, stderr)
	}
	fmt.Fprint(stderr, fundUsage)
	return usageError{fmt.Sprintf("fund: unknown subcommand %q", sub)}
}

// cliPrincipal is who the command line acts as: the operator of the
// server, with every permission.
var cliPrincipal = &auth.Principal{Role: auth.Admin, Username: "cli"}

func openFund(ctx context.Context, dsn, code string) (*db.DB, *fund.Store, *fund.Fund, error) {
	if code == "" {
		return nil, nil, nil, usageError{"--fund CODE is required"}
	}
	d, err := openDB(ctx, dsn)
	if err != nil {
		return nil, nil, nil, err
	}
	st := fund.NewStore(d)
	// Entries written from the command line update the reports' derived
	// figures as entries made on the web do.
	app.ConnectFunds(st, reporting.New(d))
	f, err := st.FundByCode(ctx, code)
	if err != nil {
		d.Close()
		return nil, nil, nil, fmt.Errorf("no fund with the code %q in %s", code, d.Redacted)
	}
	return d, st, f, nil
}

func fundImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("fund import", "fund import --fund CODE [--profile NAME] [--dry-run] [--strict] [--db DB] FILE", stderr)
	dsn := dbFlag(fs, "giaoban.db")
	code := fs.String("fund", "", "fund code (required)")
	profile := fs.String("profile", "", "statement profile: a saved one, or Vietcombank, BIDV, VietinBank, Agribank, Techcombank, MB (default: found by the headers)")
	dry := fs.Bool("dry-run", false, "read and classify everything, write nothing")
	strict := fs.Bool("strict", false, "write nothing if any line is rejected")
	verbose := fs.Bool("v", false, "also print every receipt created")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"fund import: give the statement FILE"}
	}
	file, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer file.Close()
	d, st, f, err := openFund(ctx, *dsn, *code)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx = cliContext(ctx)
	prof, err := st.Profile(ctx, *profile)
	if err != nil {
		return cliError(err)
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	start := time.Now()
	var n int64
	opt := fund.ImportOptions{Profile: prof, DryRun: *dry, Strict: *strict, FileName: fs.Arg(0), OnLine: func(l fund.ImportLine) {
		n++
		if n%100000 == 0 {
			fmt.Fprintf(stderr, "… %s dòng (%s)\n", vn.FormatInt(n), time.Since(start).Round(time.Second))
		}
		if l.Action == fund.ActionReceipt && !*verbose {
			return
		}
		desc := l.Donor
		if desc == "" {
			desc = l.Description
		}
		fmt.Fprintf(out, "dòng %d\t%s\t%s\t%s\t%s", l.Line, actionWord[l.Action], l.BankRef, vn.FormatMoney(l.Amount), desc)
		if l.Message != "" {
			fmt.Fprintf(out, "\t%s", l.Message)
		}
		fmt.Fprintln(out)
	}}
	sum, err := st.ImportStatement(ctx, cliPrincipal, f.ID, bufio.NewReaderSize(file, 1<<20), opt)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(out, "\n%s: %s dòng trong %s (tiêu đề ở dòng %d, %s %s)\n", f.Code, vn.FormatInt(sum.Lines), time.Since(start).Round(time.Millisecond),
		sum.HeaderLine, sum.Kind, sum.Encoding)
	for _, a := range []string{fund.ActionReceipt, fund.ActionMatch, fund.ActionReview, fund.ActionSkip, fund.ActionReject} {
		label := actionWord[a] + ":"
		fmt.Fprintf(out, "  %s%s %s\n", label, strings.Repeat(" ", max(0, 18-utf8.RuneCountInString(label))), vn.FormatInt(sum.Counts[a]))
	}
	fmt.Fprintf(out, "  tổng tiền các khoản thu mới: %s\n", vn.FormatMoney(sum.Received))
	if *dry {
		fmt.Fprintln(out, "Chạy thử (--dry-run): không ghi gì vào sổ quỹ.")
	} else if cp, err := st.LatestCheckpoint(ctx, f.ID); err == nil {
		fmt.Fprintf(out, "Đã ghi. Điểm kiểm tra mới: %s bút toán, gốc %s\n", vn.FormatInt(cp.Size), cp.Root)
	}
	return nil
}

var actionWord = map[string]string{
	fund.ActionReceipt: "tạo khoản thu",
	fund.ActionMatch:   "khớp khoản chi",
	fund.ActionReview:  "cần xem xét",
	fund.ActionSkip:    "bỏ qua (đã có)",
	fund.ActionReject:  "TỪ CHỐI",
}

func fundPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("fund publish", "fund publish --fund CODE [--page-size N] [--db DB] DIR", stderr)
	dsn := dbFlag(fs, "giaoban.db")
	code := fs.String("fund", "", "fund code (required)")
	pageSize := fs.Int("page-size", 1000, "entries per HTML page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"fund publish: give the output DIR"}
	}
	d, st, f, err := openFund(ctx, *dsn, *code)
	if err != nil {
		return err
	}
	defer d.Close()
	start := time.Now()
	res, err := st.Publish(ctx, f.ID, fs.Arg(0), fund.PublishOptions{PageSize: *pageSize})
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "%s: %s bút toán → %s (%d trang HTML, %d tile, %d tệp, %s MB) trong %s\n", f.Code, vn.FormatInt(res.Size), fs.Arg(0),
		res.Pages, res.Tiles, res.Files, vn.FormatDecimal(res.Bytes*10/(1<<20), 1), time.Since(start).Round(time.Millisecond))
	return nil
}

// readKey reads a public key given as itself or as a file holding it.
func readKey(s string) (string, error) {
	if s == "" {
		return "", usageError{"--key is required"}
	}
	if b, err := os.ReadFile(s); err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	return strings.TrimSpace(s), nil
}

func fundVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("fund verify", "fund verify --statement FILE.csv --checkpoint FILE --key KEY [--tiles DIR --seq N] [--db DB --fund CODE]", stderr)
	dsn := fs.String("db", "", "optional: a database holding the fund, to locate rows removed, added or reordered with consistency proofs")
	code := fs.String("fund", "", "the fund's code in --db")
	statement := fs.String("statement", "", "the statement CSV to check")
	checkpoint := fs.String("checkpoint", "", "the signed checkpoint file (required)")
	keyArg := fs.String("key", "", "the public key, or a file holding it (required)")
	tiles := fs.String("tiles", "", "a folder of published tiles (giaoban fund publish), for --seq")
	seq := fs.Int64("seq", 0, "check that this entry is in the log, from --tiles")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *checkpoint == "" || (*statement == "" && *seq == 0) {
		fs.Usage()
		return usageError{"fund verify: give --checkpoint, --key and --statement (or --tiles and --seq)"}
	}
	vkey, err := readKey(*keyArg)
	if err != nil {
		return err
	}
	cpText, err := readCheckpoint(*checkpoint)
	if err != nil {
		return err
	}
	tree, err := translog.VerifyCheckpoint(cpText, vkey)
	if err != nil {
		if errors.Is(err, translog.ErrCheckpoint) {
			return err
		}
		return fmt.Errorf("%w: %w", translog.ErrCheckpoint, err)
	}
	fmt.Fprintf(stdout, "Điểm kiểm tra hợp lệ: quỹ %s, %s bút toán, gốc %s\n", tree.FundID, vn.FormatInt(tree.N), tree.Hash)
	if *seq > 0 {
		if *tiles == "" {
			return usageError{"--seq needs --tiles DIR"}
		}
		h, proof, err := fund.ProveFromTiles(tree, fund.DirTiles{Dir: *tiles}, *seq)
		if err != nil {
			return fmt.Errorf("bút toán %d: %w", *seq, err)
		}
		fmt.Fprintf(stdout, "Bút toán %d nằm trong nhật ký đã ký: mã băm bản ghi %x, bằng chứng %d mã băm.\n", *seq, h[:], len(proof))
		if *statement != "" {
			if err := checkRow(*statement, *seq, h, stdout); err != nil {
				return err
			}
		}
		if *statement == "" {
			return nil
		}
	}
	file, err := os.Open(*statement)
	if err != nil {
		return err
	}
	defer file.Close()
	opt := translog.Options{}
	if *dsn != "" {
		d, st, f, err := openFund(ctx, *dsn, *code)
		if err != nil {
			return err
		}
		defer d.Close()
		opt.Consistency = st.ConsistencyFunc(ctx, f.ID)
	}
	res, err := translog.VerifyStatementWith(bufio.NewReaderSize(file, 1<<20), cpText, vkey, opt)
	if err != nil && !errors.Is(err, translog.ErrMismatch) {
		return err
	}
	if err == nil {
		fmt.Fprintf(stdout, "KHỚP: bảng kê %s dòng đúng là nhật ký đã ký. Tiền vào %s, tiền ra %s.\n",
			vn.FormatInt(res.Rows), vn.FormatMoney(res.Received), vn.FormatMoney(-res.PaidOut))
		return nil
	}
	fmt.Fprintf(stdout, "KHÔNG KHỚP: bảng kê %s dòng, điểm kiểm tra %s bút toán.\n", vn.FormatInt(res.Rows), vn.FormatInt(res.Tree.N))
	for _, p := range res.Problems {
		fmt.Fprintln(stdout, "  "+p.String())
	}
	if res.More > 0 {
		fmt.Fprintf(stdout, "  … và %s vấn đề khác\n", vn.FormatInt(res.More))
	}
	if res.Divergence >= 0 {
		fmt.Fprintf(stdout, "  %s bút toán đầu tiên khớp với nhật ký đã ký.\n", vn.FormatInt(res.Divergence))
	}
	return errors.New("bảng kê không khớp với điểm kiểm tra")
}

// readCheckpoint reads a signed checkpoint saved as the note itself (the
// text the public pages link to) or as the JSON of the public checkpoint
// endpoint, whose "checkpoint" field holds the note: people save whichever
// their browser gave them.
func readCheckpoint(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
		var v struct {
			Checkpoint string `json:"checkpoint"`
		}
		if err := json.Unmarshal(t, &v); err != nil || v.Checkpoint == "" {
			return "", fmt.Errorf("%w: %s là JSON nhưng không có trường \"checkpoint\"", translog.ErrCheckpoint, path)
		}
		return v.Checkpoint, nil
	}
	return string(b), nil
}

// checkRow compares row seq of a statement with the record hash proven
// from the tiles.
func checkRow(path string, seq int64, h tlog.Hash, stdout io.Writer) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	for row, err := range translog.ReadStatement(bufio.NewReader(file)) {
		if err != nil {
			var re *translog.RowError
			if errors.As(err, &re) {
				continue
			}
			return err
		}
		if row.Entry.Seq != seq {
			continue
		}
		if row.Entry.Hash() != h {
			return fmt.Errorf("dòng %d (STT %d) của bảng kê không khớp với bút toán đã ký", row.Line, seq)
		}
		fmt.Fprintf(stdout, "Dòng %d của bảng kê đúng là bút toán %d: %s, %s, %s.\n", row.Line, seq, row.Entry.Date, row.Entry.Party, vn.FormatMoney(row.Entry.Amount))
		return nil
	}
	return fmt.Errorf("bảng kê không có bút toán số %s", strconv.FormatInt(seq, 10))
}

func fundCheckpoint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("fund checkpoint", "fund checkpoint --fund CODE [--key] [--verify] [--db DB]", stderr)
	dsn := dbFlag(fs, "giaoban.db")
	code := fs.String("fund", "", "fund code (required)")
	key := fs.Bool("key", false, "print the public key instead of the checkpoint")
	verify := fs.Bool("verify", false, "also verify the whole ledger in the database against the checkpoint")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, st, f, err := openFund(ctx, *dsn, *code)
	if err != nil {
		return err
	}
	defer d.Close()
	if *key {
		vkey, err := st.PublicKey(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, vkey)
		return nil
	}
	cp, err := st.LatestCheckpoint(ctx, f.ID)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprint(stdout, cp.Note)
	if *verify {
		res, err := st.VerifyLog(ctx, f.ID)
		if err != nil {
			for _, p := range res.Problems {
				fmt.Fprintln(stderr, "  "+p.String())
			}
			return fmt.Errorf("sổ quỹ trong cơ sở dữ liệu không khớp với điểm kiểm tra: %w", err)
		}
		fmt.Fprintf(stderr, "Sổ quỹ khớp với điểm kiểm tra: %s bút toán.\n", vn.FormatInt(res.Rows))
	}
	return nil
}
