package reporting

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"giaoban/internal/indicator"
	"giaoban/internal/org"
	"giaoban/internal/period"
	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/reporting/sheet"
)

// The Excel round trip and the CSV exchange, on top of the sheet package
// (which reads and writes files and knows nothing of the database) and of
// Diff and Apply (which check and write values): templates prefilled with
// what is stored, uploads read, checked, previewed as a diff and applied
// all or nothing.

// MaxInlineImport is the largest file the preview page carries to the
// apply step in a hidden field; a larger one is chosen again and must have
// the same SHA-256 digest.
const MaxInlineImport = 5 << 20

// Import file formats.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// TemplateRequest says which template to write.
type TemplateRequest struct {
	Period  string
	UnitIDs []int64
	Layout  sheet.Layout // "" is sheet.SheetPerUnit
	Lang    string
}

// TemplateSpec builds the template of units for a period: the rows of the
// units' forms (as the entry page lays them out; the union when the units
// report on different forms) prefilled with the stored values and their
// versions. Every unit must be one the principal may see.
func (s *Service) TemplateSpec(ctx context.Context, req TemplateRequest) (*sheet.Spec, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	per, err := parsePeriod("period", req.Period)
	if err != nil {
		return nil, err
	}
	if len(req.UnitIDs) == 0 {
		return nil, apperr.New(apperr.NotFound, "reporting.import.err.no_units")
	}
	ctx = WithFormCache(ctx)
	stored, err := s.Values(ctx, per.Code(), req.UnitIDs...)
	if err != nil {
		return nil, err
	}
	sections, err := s.Ind.Sections(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.unitsByID(ctx, unitCells(req.UnitIDs))
	if err != nil {
		return nil, err
	}
	spec := &sheet.Spec{Period: per.Code(), Lang: req.Lang, Layout: req.Layout}
	if req.Lang == "en" {
		spec.PeriodLabel = per.LabelEN()
	}
	inds := map[string]*indicator.Indicator{}
	seenForm := map[int64]bool{}
	seenRow := map[string]bool{}
	var formName string
	for _, id := range req.UnitIDs {
		u := units[id]
		if u == nil || !p.CanSeeUnit(u.ID, u.AreaPath) {
			return nil, apperr.New(apperr.NotFound, "reporting.err.no_unit", id)
		}
		f, err := s.FormFor(ctx, u, per)
		if err != nil {
			return nil, err
		}
		// The form of an organisation: one form may be shared, its
		// indicators differ by organisation.
		if !seenForm[u.OrganisationID] {
			seenForm[u.OrganisationID] = true
			formName = f.NameVI
			if req.Lang == "en" && f.NameEN != "" {
				formName = f.NameEN
			}
			for i := range f.Indicators {
				inds[f.Indicators[i].Code] = &f.Indicators[i]
			}
			for _, r := range sheet.FormRows(*f, sections, req.Lang) {
				if k := sheet.Key(r.IndicatorCode, r.Option); !seenRow[k] {
					seenRow[k] = true
					spec.Rows = append(spec.Rows, r)
				}
			}
		}
		us := sheet.UnitSpec{ID: u.ID, Name: u.Name, Values: map[string]sheet.Prefill{}}
		for _, v := range stored[id] {
			k := sheet.Key(v.IndicatorCode, v.Option)
			ind := inds[v.IndicatorCode]
			if !seenRow[k] || ind == nil {
				continue
			}
			us.Values[k] = sheet.Prefill{Raw: rawOf(ind, v.Num, v.Text), Version: v.Version}
		}
		spec.Units = append(spec.Units, us)
	}
	if len(seenForm) > 1 {
		// Rows of several organisations: group them by section again.
		order := map[string]int{}
		for i, sec := range sections {
			order[sec.Name(req.Lang)] = i
		}
		slices.SortStableFunc(spec.Rows, func(a, b sheet.RowSpec) int {
			return sectionRank(order, a.Section) - sectionRank(order, b.Section)
		})
	} else if formName != "" {
		spec.Title = strings.ToUpper(formName)
	}
	return spec, nil
}

func sectionRank(order map[string]int, name string) int {
	if i, ok := order[name]; ok {
		return i
	}
	return len(order)
}

func unitCells(ids []int64) []cellIn {
	cells := make([]cellIn, len(ids))
	for i, id := range ids {
		cells[i] = cellIn{unitID: id}
	}
	return cells
}

// rawOf is a stored value in the canonical form of sheet.Normalize.
func rawOf(ind *indicator.Indicator, num *int64, text *string) string {
	switch {
	case text != nil:
		return *text
	case num != nil:
		return sheet.FormatRaw(ind.ValueType, ind.Scale, *num)
	}
	return ""
}

// BlocUnits lists the active units of a bloc's area subtree (of one
// organisation when organisationID is not 0) that the principal may act
// for (act) or see (!act), in tree order.
func (s *Service) BlocUnits(ctx context.Context, blocID, organisationID int64, act bool) ([]org.Unit, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.Org.Bloc(ctx, blocID)
	if err != nil {
		return nil, err
	}
	if !canSeeArea(p, b.AreaPath) {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	all, err := s.Org.UnitsInSubtree(ctx, b.AreaID)
	if err != nil {
		return nil, err
	}
	var out []org.Unit
	for _, u := range all {
		if !u.Active || organisationID != 0 && u.OrganisationID != organisationID {
			continue
		}
		if act && p.CanActForUnit(u.ID, u.AreaPath) || !act && p.CanSeeUnit(u.ID, u.AreaPath) {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.NotFound, "reporting.import.err.no_units")
	}
	return out, nil
}

// ExportCells returns the stored values of units for a period as CSV cells
// (canonical values, with their versions so that a file sent back is
// checked for lost updates), by unit and cell key.
func (s *Service) ExportCells(ctx context.Context, periodCode string, unitIDs ...int64) ([]sheet.Cell, error) {
	per, err := parsePeriod("period", periodCode)
	if err != nil {
		return nil, err
	}
	stored, err := s.Values(ctx, per.Code(), unitIDs...)
	if err != nil {
		return nil, err
	}
	all, err := s.Ind.Indicators(ctx, true)
	if err != nil {
		return nil, err
	}
	inds := make(map[string]*indicator.Indicator, len(all))
	for i := range all {
		inds[all[i].Code] = &all[i]
	}
	ids := slices.Clone(unitIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var out []sheet.Cell
	for _, id := range ids {
		for _, v := range stored[id] {
			ind := inds[v.IndicatorCode]
			if ind == nil || v.Empty() {
				continue
			}
			ver := v.Version
			out = append(out, sheet.Cell{UnitID: id, Period: per.Code(), IndicatorCode: v.IndicatorCode, Option: v.Option,
				Raw: rawOf(ind, v.Num, v.Text), Version: &ver})
		}
	}
	return out, nil
}

// ImportRequest is a file of values to check and apply.
type ImportRequest struct {
	Data []byte
	// Period is the period being entered; "" takes the file's. A template
	// or CSV lines of another period are refused.
	Period string
	// DryRun checks and computes the changes without writing (Diff).
	DryRun bool
}

// ImportResult is what an import did, or would do on a dry run.
type ImportResult struct {
	Format string `json:"format"` // "xlsx" or "csv"
	Period string `json:"period"`
	// Digest is the SHA-256 of the file, hex: the preview and the apply
	// step must see the same file.
	Digest  string `json:"digest"`
	DryRun  bool   `json:"dry_run"`
	Cells   int    `json:"cells"`   // values read from the file
	Created int    `json:"created"` // values stored where there were none
	Updated int    `json:"updated"` // stored values changed
	Cleared int    `json:"cleared"` // stored values deleted (cells emptied)
	ApplyResult
}

// Digest is the SHA-256 of data, hex.
func Digest(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// DetectFormat tells an XLSX file (a zip; an old .xls or anything binary
// is read as XLSX too, to be refused with the reason) from CSV text.
func DetectFormat(data []byte) string {
	if bytes.HasPrefix(data, []byte("PK")) {
		return FormatXLSX
	}
	text := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	head := text[:min(len(text), 4096)]
	// A cut in the middle of a character is still text.
	for i := 0; i < 3 && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	if len(head) > 0 && utf8.Valid(head) && !bytes.ContainsRune(head, 0) {
		return FormatCSV
	}
	return FormatXLSX
}

// Import reads a filled template or a CSV file of values, checks it and
// applies it all or nothing (Diff on a dry run). Problems in the file are
// an Invalid error whose fields name the sheet and cell ("Sheet!D12") or
// the line ("dòng 7"); a file refused as a whole has the field "file".
// Values of submitted or approved reports that equal the stored ones are
// left out (a template of the whole bloc may be sent back unchanged); a
// changed one is refused by Apply, naming the unit.
func (s *Service) Import(ctx context.Context, req ImportRequest) (*ImportResult, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !CanTake(p.Role, Save) {
		return nil, apperr.New(apperr.Forbidden, "reporting.err.role.save")
	}
	res := &ImportResult{Format: DetectFormat(req.Data), Digest: Digest(req.Data), DryRun: req.DryRun}
	res.Changes = []Change{}
	if len(req.Data) > sheet.MaxBytes {
		return nil, fileError(fmt.Sprintf("Tệp quá lớn; chỉ nhận tệp đến %d MB", sheet.MaxBytes>>20))
	}
	expect := sheet.Expect{}
	if req.Period != "" {
		per, err := parsePeriod("period", req.Period)
		if err != nil {
			return nil, err
		}
		expect.Period = per.Code()
	}
	if expect.UnitIDs, expect.AllUnits, err = s.actableUnitIDs(ctx, p); err != nil {
		return nil, err
	}
	var cells []sheet.Cell
	var problems []sheet.CellError
	if res.Format == FormatXLSX {
		cells, problems, err = sheet.ReadTemplate(bytes.NewReader(req.Data), int64(len(req.Data)), expect)
	} else {
		cells, problems, err = sheet.ReadCSV(bytes.NewReader(req.Data), expect)
	}
	var fe *sheet.FileError
	if errors.As(err, &fe) {
		return nil, fileError(fe.Msg)
	}
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, cellErrors(problems)
	}
	res.Cells = len(cells)
	res.Period = expect.Period
	if res.Period == "" && len(cells) > 0 {
		res.Period = cells[0].Period
	}
	if len(cells) == 0 {
		return res, nil
	}
	per, err := parsePeriod("period", res.Period)
	if err != nil {
		return nil, err
	}
	b := Batch{Period: per.Code(), Cells: make([]CellValue, len(cells))}
	for i, c := range cells {
		b.Cells[i] = CellValue{UnitID: c.UnitID, Period: c.Period, IndicatorCode: c.IndicatorCode, Option: c.Option,
			Raw: c.Raw, Version: c.Version, Place: c.Place}
	}
	ctx = WithFormCache(ctx)
	skipped := 0
	if b.Cells, skipped, err = s.dropLockedUnchanged(ctx, per, b.Cells); err != nil {
		return nil, err
	}
	var ar *ApplyResult
	if len(b.Cells) == 0 {
		ar = &ApplyResult{Changes: []Change{}}
	} else if req.DryRun {
		ar, err = s.Diff(ctx, b)
	} else {
		ar, err = s.Apply(ctx, b)
	}
	if err != nil {
		return nil, err
	}
	res.ApplyResult = *ar
	res.Unchanged += skipped
	for _, c := range res.Changes {
		switch {
		case c.OldVersion == 0 || c.Old == "":
			res.Created++
		case c.New == "":
			res.Cleared++
		default:
			res.Updated++
		}
	}
	return res, nil
}

// actableUnitIDs lists the units the principal may enter values for; all
// is true for admins (every unit).
func (s *Service) actableUnitIDs(ctx context.Context, p *auth.Principal) (ids []int64, all bool, err error) {
	switch p.Role {
	case auth.Admin:
		return nil, true, nil
	case auth.Officer, auth.Leader:
		return []int64{p.UnitID}, false, nil
	}
	units, err := s.Org.Units(ctx, org.UnitFilter{})
	if err != nil {
		return nil, false, err
	}
	for _, u := range units {
		if p.CanActForUnit(u.ID, u.AreaPath) {
			ids = append(ids, u.ID)
		}
	}
	return ids, false, nil
}

// dropLockedUnchanged leaves out the cells of submitted or approved reports
// whose value is the stored one, and counts them.
func (s *Service) dropLockedUnchanged(ctx context.Context, per period.Period, cells []CellValue) ([]CellValue, int, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT unit_id FROM reports WHERE period = $1 AND status IN ('submitted', 'approved')", per.Code())
	if err != nil {
		return nil, 0, fmt.Errorf("reporting: locked reports: %w", err)
	}
	locked := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, 0, err
		}
		locked[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, c := range cells {
		if locked[c.UnitID] && !seen[c.UnitID] {
			seen[c.UnitID] = true
			ids = append(ids, c.UnitID)
		}
	}
	if len(ids) == 0 {
		return cells, 0, nil
	}
	stored, err := loadValues(ctx, s.DB, ids, []string{per.Code()})
	if err != nil {
		return nil, 0, err
	}
	inds := map[string]*indicator.Indicator{}
	kept, skipped := cells[:0:0], 0
	for _, c := range cells {
		if !locked[c.UnitID] || c.Period != "" && c.Period != per.Code() {
			kept = append(kept, c)
			continue
		}
		code := indicator.NormalizeCode(c.IndicatorCode)
		ind, ok := inds[code]
		if !ok {
			ind, _ = s.Ind.IndicatorByCode(ctx, code)
			inds[code] = ind
		}
		if ind != nil {
			if num, text, err := indicator.ParseValue(*ind, c.Raw); err == nil {
				old, had := stored[c.UnitID][per.Code()][cellKey(ind.Code, strings.ToLower(strings.TrimSpace(c.Option)))]
				if had && sameValue(old.Num, old.Text, num, text) || !had && num == nil && (text == nil || *text == "") {
					skipped++
					continue
				}
			}
		}
		kept = append(kept, c)
	}
	return kept, skipped, nil
}

// fileError refuses a whole file; msg is the sheet package's Vietnamese
// message.
func fileError(msg string) error {
	return &apperr.Error{Code: apperr.Invalid, Key: "reporting.import.err.file", Args: []any{msg},
		Fields: []apperr.FieldError{{Field: "file", Key: "reporting.import.err.file", Args: []any{msg}}}}
}

// cellErrors turns the problems of a file into an Invalid error whose
// fields are named "Sheet!D12", "Sheet!12" (a row), "Sheet!" (the whole
// sheet) or "dòng 7".
func cellErrors(list []sheet.CellError) error {
	var fe apperr.Fields
	for _, e := range list {
		fe.Add(ImportField(e), "reporting.import.err.cell", e.Message)
	}
	key, n := "reporting.import.err.cells", len(list)
	if last := list[n-1]; last.Sheet == "" && last.Cell == "" && last.Line == 0 && strings.HasPrefix(last.Message, "…") {
		key, n = "reporting.import.err.cells_many", n-1
	}
	return &apperr.Error{Code: apperr.Invalid, Key: key, Args: []any{n}, Fields: fe}
}

// ImportField names the place of a problem as an error field.
func ImportField(e sheet.CellError) string {
	switch {
	case e.Line > 0:
		return "dòng " + strconv.Itoa(e.Line)
	case e.Sheet != "" && e.Cell != "":
		return e.Sheet + "!" + e.Cell
	case e.Sheet != "":
		return e.Sheet + "!"
	case e.Cell != "":
		return e.Cell
	}
	return "…"
}

// ImportPlace renders an error field of an import for people: "Trang tính
// 'X', ô D12", "Trang tính 'X', dòng 12", "Dòng 7"; "" for the file as a
// whole.
func ImportPlace(field string) string {
	switch {
	case field == "file" || field == "…" || field == "":
		return ""
	case strings.HasPrefix(field, "dòng "):
		if n, err := strconv.Atoi(strings.TrimPrefix(field, "dòng ")); err == nil {
			return sheet.CellError{Line: n}.PlaceText()
		}
		return field
	}
	if i := strings.LastIndexByte(field, '!'); i >= 0 {
		return sheet.CellError{Sheet: field[:i], Cell: field[i+1:]}.PlaceText()
	}
	return field
}
