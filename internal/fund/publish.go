package fund

import (
	"bufio"
	"context"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"giaoban/internal/fund/translog"
	"giaoban/internal/vn"
)

// Static export of a fund's public statement (`giaoban fund publish`):
// plain files that any web server or CDN serves as they are, so a famous
// fund's statement survives a national rush without our servers, and that
// anyone can verify without trusting whoever serves them.
//
//	index.html              the fund, its totals, how to verify
//	page-000001.html …      the statement, PageSize entries a page
//	statement.csv           the whole statement (translog.StatementHeader)
//	checkpoint.txt          the signed checkpoint of the statement's size
//	checkpoints/N.txt       earlier signed checkpoints (consistency checks)
//	key.txt                 the public key that signs the checkpoints
//	tile/8/L/…              the log's hashes as tlog tiles of height 8, the
//	                        layout of the Go checksum database: the compact
//	                        form of every entry's inclusion proof (and of
//	                        consistency proofs), computed by any tlog client
//	                        (tlog.TileHashReader + tlog.ProveRecord), or by
//	                        `giaoban fund verify --tiles DIR --seq N`
//	README.txt              how to verify, in Vietnamese and English

// TileHeight is the height of published tiles.
const TileHeight = 8

// PublishOptions tune Publish.
type PublishOptions struct {
	PageSize int // entries per HTML page; 1000 by default
	// MaxCheckpoints bounds the earlier checkpoints written (newest
	// first); 1000 by default.
	MaxCheckpoints int
}

// PublishResult says what Publish wrote.
type PublishResult struct {
	Size  int64
	Pages int
	Tiles int
	Files int
	Bytes int64
}

type publishWriter struct {
	dir string
	res *PublishResult
}

func (p *publishWriter) create(name string, fn func(w io.Writer) error) error {
	path := filepath.Join(p.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	cw := &countWriter{w: bw}
	if err := fn(cw); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	p.res.Files++
	p.res.Bytes += cw.n
	return f.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// Publish writes the static export of a fund's statement as of its latest
// checkpoint into dir (created if needed; files already there are
// replaced).
func (s *Store) Publish(ctx context.Context, fundID int64, dir string, opt PublishOptions) (*PublishResult, error) {
	if opt.PageSize <= 0 {
		opt.PageSize = 1000
	}
	if opt.MaxCheckpoints <= 0 {
		opt.MaxCheckpoints = 1000
	}
	f, err := s.Fund(ctx, fundID)
	if err != nil {
		return nil, err
	}
	cp, err := s.LatestCheckpoint(ctx, fundID)
	if err != nil {
		return nil, err
	}
	vkey, err := s.PublicKey(ctx)
	if err != nil {
		return nil, err
	}
	sums, err := s.FundSums(ctx, fundID, 0, zeroDate, zeroDate)
	if err != nil {
		return nil, err
	}
	accounts, err := s.Accounts(ctx, fundID)
	if err != nil {
		return nil, err
	}
	res := &PublishResult{Size: cp.Size}
	pw := &publishWriter{dir: dir, res: res}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	text := func(name, s string) error {
		return pw.create(name, func(w io.Writer) error { _, err := io.WriteString(w, s); return err })
	}
	if err := text("checkpoint.txt", cp.Note); err != nil {
		return nil, err
	}
	if err := text("key.txt", vkey+"\n"); err != nil {
		return nil, err
	}
	cps, err := s.Checkpoints(ctx, fundID, opt.MaxCheckpoints)
	if err != nil {
		return nil, err
	}
	for _, c := range cps {
		if err := text("checkpoints/"+strconv.FormatInt(c.Size, 10)+".txt", c.Note); err != nil {
			return nil, err
		}
	}
	if err := pw.create("statement.csv", func(w io.Writer) error {
		_, err := s.WriteStatement(ctx, w, fundID, cp.Size)
		return err
	}); err != nil {
		return nil, err
	}
	// HTML pages, from the statement's entries.
	pages := int((cp.Size + int64(opt.PageSize) - 1) / int64(opt.PageSize))
	res.Pages = pages
	var page []publishRow
	pageNo := 0
	flush := func() error {
		pageNo++
		data := publishPage{Fund: f, Page: pageNo, Pages: pages, Rows: page, Size: cp.Size}
		err := pw.create(pageName(pageNo), func(w io.Writer) error { return publishTemplates.ExecuteTemplate(w, "page", data) })
		page = page[:0]
		return err
	}
	err = s.eachPublished(ctx, s.DB, fundID, cp.Size, func(e translog.Entry, h tlog.Hash) error {
		page = append(page, publishRow{Entry: e, Hash: fmt.Sprintf("%x", h[:])})
		if len(page) == opt.PageSize {
			return flush()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(page) > 0 {
		if err := flush(); err != nil {
			return nil, err
		}
	}
	// Tiles.
	l, err := s.readLog(ctx, fundID)
	if err != nil {
		return nil, err
	}
	l.size = cp.Size
	for _, t := range tlog.NewTiles(TileHeight, 0, cp.Size) {
		data, err := tlog.ReadTileData(t, l)
		if err != nil {
			return nil, fmt.Errorf("fund: tile %s: %w", t.Path(), err)
		}
		if err := pw.create(t.Path(), func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return nil, err
		}
		res.Tiles++
	}
	idx := publishIndex{Fund: f, Sums: sums, Checkpoint: cp, PublicKey: vkey, Pages: pages, Accounts: accounts, Now: now()}
	for i := 1; i <= pages; i++ {
		idx.PageLinks = append(idx.PageLinks, pageName(i))
	}
	if err := pw.create("index.html", func(w io.Writer) error { return publishTemplates.ExecuteTemplate(w, "index", idx) }); err != nil {
		return nil, err
	}
	if err := pw.create("README.txt", func(w io.Writer) error { return publishTemplates.ExecuteTemplate(w, "readme", idx) }); err != nil {
		return nil, err
	}
	return res, nil
}

func pageName(n int) string { return fmt.Sprintf("page-%06d.html", n) }

type publishRow struct {
	Entry translog.Entry
	Hash  string
}

type publishPage struct {
	Fund        *Fund
	Page, Pages int
	Size        int64
	Rows        []publishRow
}

func (p publishPage) Prev() string {
	if p.Page > 1 {
		return pageName(p.Page - 1)
	}
	return ""
}

func (p publishPage) Next() string {
	if p.Page < p.Pages {
		return pageName(p.Page + 1)
	}
	return ""
}

type publishIndex struct {
	Fund       *Fund
	Sums       *Sums
	Checkpoint *Checkpoint
	PublicKey  string
	Pages      int
	PageLinks  []string
	Accounts   []Account
	Now        time.Time
}

var publishFuncs = template.FuncMap{
	"money": vn.FormatMoney,
	"num":   vn.FormatInt,
	"date": func(iso string) string {
		if t, err := time.Parse("2006-01-02", iso); err == nil {
			return vn.FormatDate(t)
		}
		return iso
	},
	"kind": func(k string) string {
		return map[string]string{translog.KindReceipt: "Thu", translog.KindDisbursement: "Chi", translog.KindReversal: "Đảo", translog.KindTransfer: "Chuyển quỹ"}[k]
	},
	"upper": strings.ToUpper,
	"add1":  func(i int) int { return i + 1 },
}

var publishTemplates = template.Must(template.New("publish").Funcs(publishFuncs).Parse(`
{{define "head"}}<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.}}</title>
<style>body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;margin:1rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d5dae0;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#eef0f3}td.num{text-align:right;white-space:nowrap}code,pre{font-size:.85rem;word-break:break-all;white-space:pre-wrap}
.muted{color:#5b6470}nav a{margin-right:1rem}</style></head><body>{{end}}

{{define "page"}}{{template "head" (printf "%s — trang %d/%d" .Fund.Name .Page .Pages)}}
<p class="muted"><a href="index.html">{{.Fund.Name}}</a> · bảng kê {{num .Size}} bút toán · trang {{.Page}}/{{.Pages}}</p>
<nav>{{with .Prev}}<a href="{{.}}">← Trang trước</a>{{end}}{{with .Next}}<a href="{{.}}">Trang sau →</a>{{end}}</nav>
<table><thead><tr><th>STT</th><th>Ngày</th><th>Loại</th><th>Số phiếu</th><th>Người ủng hộ / người nhận</th><th>Số tiền (đ)</th><th>Hình thức</th><th>Số tham chiếu</th><th>Nội dung</th><th>Mã băm bản ghi</th></tr></thead>
<tbody>{{range .Rows}}<tr id="e{{.Entry.Seq}}"><td>{{.Entry.Seq}}</td><td>{{date .Entry.Date}}</td><td>{{kind .Entry.Kind}}{{if .Entry.Reverses}} {{.Entry.Reverses}}{{end}}</td><td>{{.Entry.Ref}}</td><td>{{.Entry.Party}}</td><td class="num">{{money .Entry.Amount}}</td><td>{{.Entry.Channel}}</td><td>{{.Entry.BankRef}}</td><td>{{.Entry.Note}}</td><td><code>{{.Hash}}</code></td></tr>
{{end}}</tbody></table>
<nav>{{with .Prev}}<a href="{{.}}">← Trang trước</a>{{end}}{{with .Next}}<a href="{{.}}">Trang sau →</a>{{end}}</nav>
</body></html>
{{end}}

{{define "index"}}{{template "head" .Fund.Name}}
<h1>{{.Fund.Name}}</h1>
<p>{{.Fund.UnitName}}{{if .Fund.StartDate.Valid}} · {{.Fund.StartDate.Format "02/01/2006"}}{{if .Fund.EndDate.Valid}} – {{.Fund.EndDate.Format "02/01/2006"}}{{end}}{{end}}</p>
<table><tbody>
<tr><th>Tiền tiếp nhận</th><td class="num">{{money .Sums.Received}}</td><td>{{num .Sums.Receipts}} khoản thu</td></tr>
{{if .Sums.InKind}}<tr><th>Hiện vật (quy ra tiền)</th><td class="num">{{money .Sums.InKind}}</td><td></td></tr>{{end}}
<tr><th>Đã chi hỗ trợ</th><td class="num">{{money .Sums.PaidOut}}</td><td>{{num .Sums.Disbursements}} khoản chi</td></tr>
{{if or .Sums.TransfersIn .Sums.TransfersOut}}<tr><th>Chuyển quỹ (đến / đi)</th><td class="num">{{money .Sums.TransfersIn}} / {{money .Sums.TransfersOut}}</td><td></td></tr>{{end}}
<tr><th>Số dư</th><td class="num">{{money .Sums.Net}}</td><td>{{num .Checkpoint.Size}} bút toán</td></tr>
</tbody></table>
{{range .Accounts}}<p>Tài khoản: {{.BankName}} {{.AccountNo}} — {{.Holder}}</p>{{end}}
<h2>Bảng kê</h2>
<p><a href="statement.csv">statement.csv</a> (toàn bộ, có mã băm từng dòng) · {{.Pages}} trang HTML:</p>
<p>{{range $i, $p := .PageLinks}}<a href="{{$p}}">{{add1 $i}}</a> {{end}}</p>
<h2>Kiểm chứng</h2>
<p>Điểm kiểm tra có chữ ký (<a href="checkpoint.txt">checkpoint.txt</a>), ký lúc {{.Checkpoint.CreatedAt.Format "02/01/2006 15:04 UTC"}}:</p>
<pre>{{.Checkpoint.Note}}</pre>
<p>Khóa công khai (<a href="key.txt">key.txt</a>): <code>{{.PublicKey}}</code></p>
<p>Cách kiểm chứng: xem <a href="README.txt">README.txt</a>.</p>
<p class="muted">Xuất bản bởi giaoban lúc {{.Now.Format "02/01/2006 15:04 UTC"}}.</p>
</body></html>
{{end}}

{{define "readme"}}{{.Fund.Name}}
{{.Fund.UnitName}}

CÔNG KHAI THU, CHI — BẢNG KÊ CÓ THỂ KIỂM CHỨNG
=============================================

Thư mục này là bảng kê thu, chi của quỹ tại thời điểm điểm kiểm tra có
chữ ký: {{num .Checkpoint.Size}} bút toán. Mọi tệp là tệp tĩnh; bất kỳ máy chủ
web nào cũng phục vụ được, và ai cũng tự kiểm chứng được mà không cần tin
máy chủ đó.

Các tệp
  index.html, page-NNNNNN.html  bảng kê để đọc, {{.Pages}} trang
  statement.csv                 bảng kê đầy đủ: mỗi dòng một bút toán và mã băm
  checkpoint.txt                điểm kiểm tra có chữ ký: số bút toán và mã băm gốc
  checkpoints/N.txt             các điểm kiểm tra trước đó
  key.txt                       khóa công khai kiểm tra chữ ký
  tile/8/…                      các mã băm của cây Merkle (dạng "tile" của tlog)

Kiểm chứng bằng lệnh giaoban
  giaoban fund verify --statement statement.csv --checkpoint checkpoint.txt --key key.txt
  → cho biết bảng kê có đúng là nhật ký đã ký không; nếu không, chỉ ra dòng
    (số thứ tự) bị sửa, và phát hiện dòng bị bớt, thêm hoặc đổi chỗ.
  giaoban fund verify --checkpoint checkpoint.txt --key key.txt --tiles . --seq 123
  → kiểm chứng bút toán số 123 nằm trong nhật ký đã ký (bằng chứng bao hàm).

Kiểm chứng không cần giaoban
  1. Chữ ký: checkpoint.txt là một "signed note" (golang.org/x/mod/sumdb/note),
     chữ ký Ed25519 bằng khóa trong key.txt.
  2. Mã băm bản ghi của mỗi dòng statement.csv là SHA-256 của một byte 0
     theo sau các dòng (mỗi dòng kết thúc bằng ký tự xuống dòng \n):
       giaoban-fund-entry/1
       seq=…  kind=…  date=…  amount=…  ref=…  bank_ref=…  channel=…  party=…  note=…  reverses=…
     (mỗi trường một dòng "tên=giá trị", theo đúng thứ tự các cột).
     So với cột record_hash: khác nhau nghĩa là dòng đó đã bị sửa.
  3. Cây Merkle theo RFC 6962 (như Certificate Transparency và cơ sở dữ liệu
     checksum của Go) dựng từ các mã băm bản ghi theo thứ tự seq phải cho
     đúng mã băm gốc trong checkpoint.txt.
  4. Bằng chứng bao hàm của bút toán bất kỳ và bằng chứng nhất quán giữa hai
     điểm kiểm tra tính được từ các tile (tlog.TileHashReader,
     tlog.ProveRecord, tlog.ProveTree).

Khóa công khai: {{.PublicKey}}

---------------------------------------------------------------------------
PUBLIC STATEMENT — VERIFIABLE (English)

This folder is the fund's statement as of a signed checkpoint of
{{.Checkpoint.Size}} entries. Verify it with
  giaoban fund verify --statement statement.csv --checkpoint checkpoint.txt --key key.txt
which names any row that was changed and detects rows removed, added or
reordered; verify one entry's inclusion from the tiles with
  giaoban fund verify --checkpoint checkpoint.txt --key key.txt --tiles . --seq N
Without giaoban: checkpoint.txt is a golang.org/x/mod/sumdb/note signed
note (Ed25519, key.txt); a row's record hash is SHA-256 of a zero byte and
the lines "name=value\n" of its fields in column order after the line
"giaoban-fund-entry/1"; the RFC 6962 Merkle tree of the record hashes in
order gives the root in checkpoint.txt; tile/ holds the tree's hashes in
the tile layout of the Go checksum database (tlog).
{{end}}
`))

// DirTiles reads published tiles (tile/8/L/…) from a directory, for
// tlog.TileHashReader.
type DirTiles struct{ Dir string }

// Height implements tlog.TileReader.
func (d DirTiles) Height() int { return TileHeight }

// ReadTiles implements tlog.TileReader.
func (d DirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		b, err := os.ReadFile(filepath.Join(d.Dir, filepath.FromSlash(t.Path())))
		if err != nil {
			return nil, fmt.Errorf("tile %s: %w", t.Path(), err)
		}
		out[i] = b
	}
	return out, nil
}

// SaveTiles implements tlog.TileReader (nothing to save).
func (d DirTiles) SaveTiles([]tlog.Tile, [][]byte) {}

// ProveFromTiles returns the record hash of entry seq of the tree (from a
// verified checkpoint), read from published tiles that are themselves
// checked against the tree, and checks its inclusion proof.
func ProveFromTiles(tree translog.Tree, tr tlog.TileReader, seq int64) (tlog.Hash, tlog.RecordProof, error) {
	if seq < 1 || seq > tree.N {
		return tlog.Hash{}, nil, fmt.Errorf("%w: bản ghi %d không nằm trong cây %d bản ghi", translog.ErrProof, seq, tree.N)
	}
	hr := tlog.TileHashReader(tlog.Tree{N: tree.N, Hash: tree.Hash}, tr)
	hs, err := hr.ReadHashes([]int64{tlog.StoredHashIndex(0, seq-1)})
	if err != nil {
		return tlog.Hash{}, nil, fmt.Errorf("%w: %v", translog.ErrProof, err)
	}
	p, err := tlog.ProveRecord(tree.N, seq-1, hr)
	if err != nil {
		return tlog.Hash{}, nil, fmt.Errorf("%w: %v", translog.ErrProof, err)
	}
	if err := translog.VerifyInclusionHash(p, tree, seq-1, hs[0]); err != nil {
		return tlog.Hash{}, nil, err
	}
	return hs[0], p, nil
}
