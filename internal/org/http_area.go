package org

import (
	"net/http"
	"strconv"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

func (h *Handler) areaRoutes(rt *web.Router) {
	rt.Handle("GET", "/org", auth.PermAuthenticated, h.overview)
	rt.Handle("GET", "/org/levels/new", auth.PermOrgAdmin, h.levelNew)
	rt.Handle("POST", "/org/levels", auth.PermOrgAdmin, h.levelCreate)
	rt.Handle("GET", "/org/levels/{id}", auth.PermOrgAdmin, h.levelEdit)
	rt.Handle("POST", "/org/levels/{id}", auth.PermOrgAdmin, h.levelUpdate)
	rt.Handle("POST", "/org/levels/{id}/delete", auth.PermOrgAdmin, h.levelDelete)
	rt.Handle("GET", "/org/areas", auth.PermAuthenticated, h.areasPage)
	rt.Handle("GET", "/org/areas/new", auth.PermOrgAdmin, h.areaNew)
	rt.Handle("POST", "/org/areas", auth.PermOrgAdmin, h.areaCreate)
	rt.Handle("GET", "/org/areas/merge", auth.PermOrgAdmin, h.mergeForm)
	rt.Handle("POST", "/org/areas/merge", auth.PermOrgAdmin, h.mergeSubmit)
	rt.Handle("GET", "/org/areas/{id}", auth.PermAuthenticated, h.areaPage)
	rt.Handle("POST", "/org/areas/{id}", auth.PermOrgAdmin, h.areaUpdate)
	rt.Handle("POST", "/org/areas/{id}/delete", auth.PermOrgAdmin, h.areaDelete)
	rt.Handle("GET", "/org/areas.csv", auth.PermAuthenticated, h.exportAreas("csv"))
	rt.Handle("GET", "/org/areas.xlsx", auth.PermAuthenticated, h.exportAreas("xlsx"))
}

type overviewData struct {
	Levels []AreaLevel
	Counts *Counts
}

func (h *Handler) overview(w http.ResponseWriter, r *http.Request) error {
	levels, err := h.Store.AreaLevels(r.Context())
	if err != nil {
		return err
	}
	c, err := h.Store.Counts(r.Context())
	if err != nil {
		return err
	}
	return h.page(w, r, "org/overview.html", "org.title", "", overviewData{Levels: levels, Counts: c}, nil)
}

// Levels

func (h *Handler) levelNew(w http.ResponseWriter, r *http.Request) error {
	return h.page(w, r, "org/level.html", "org.level.new", "", (*AreaLevel)(nil), nil)
}

func levelInput(r *http.Request) (AreaLevelInput, error) {
	depth, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("depth")))
	if err != nil {
		return AreaLevelInput{}, apperr.Field("depth", "org.err.depth")
	}
	return AreaLevelInput{Code: r.PostFormValue("code"), NameVI: r.PostFormValue("name_vi"), NameEN: r.PostFormValue("name_en"), Depth: depth}, nil
}

func (h *Handler) levelCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, err := levelInput(r)
	if err == nil {
		_, err = h.Store.CreateAreaLevel(r.Context(), in)
	}
	if err != nil {
		return h.page(w, r, "org/level.html", "org.level.new", "", (*AreaLevel)(nil), err)
	}
	return web.Redirect(w, r, "/org", "form.saved")
}

func (h *Handler) levelEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	l, err := h.Store.AreaLevel(r.Context(), id)
	if err != nil {
		return err
	}
	return h.page(w, r, "org/level.html", "org.level.edit", "", l, nil)
}

func (h *Handler) levelUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	l, err := h.Store.AreaLevel(r.Context(), id)
	if err != nil {
		return err
	}
	in, err := levelInput(r)
	if err == nil {
		_, err = h.Store.UpdateAreaLevel(r.Context(), id, in)
	}
	if err != nil {
		return h.page(w, r, "org/level.html", "org.level.edit", "", l, err)
	}
	return web.Redirect(w, r, "/org", "form.saved")
}

func (h *Handler) levelDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return deleteDone(w, r, h.Store.DeleteAreaLevel(r.Context(), id), "/org")
}

// Areas

// AreaHit is a search result with the names of its ancestors.
type AreaHit struct {
	Area
	Trail []Crumb
}

type areasData struct {
	Q       string
	Current bool
	Hits    []AreaHit
	Root    *Area
	Trail   []Crumb
	Tree    []*AreaNode
	Limit   int
}

// treeMaxNodes keeps the tree page light (about 100 bytes a node); deeper
// levels are one click away.
const treeMaxNodes = 600

func (h *Handler) areasPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	d := areasData{Q: strings.TrimSpace(q.Get("q")), Current: q.Get("current") != "", Limit: 100}
	if d.Q != "" {
		hits, err := h.Store.SearchAreas(ctx, d.Q, d.Limit)
		if err != nil {
			return err
		}
		var paths []string
		for _, a := range hits {
			if !d.Current || !a.Closed() {
				paths = append(paths, a.Path)
			}
		}
		trails, err := h.Store.Trails(ctx, paths)
		if err != nil {
			return err
		}
		for _, a := range hits {
			if d.Current && a.Closed() {
				continue
			}
			t := trails[a.Path]
			if len(t) > 0 {
				t = t[:len(t)-1]
			}
			d.Hits = append(d.Hits, AreaHit{Area: a, Trail: t})
		}
		return h.page(w, r, "org/areas.html", "org.areas.title", "", d, nil)
	}
	rootID := queryInt64(r, "root")
	tree, err := h.Store.AreaTreeUnder(ctx, rootID, treeMaxNodes)
	if err != nil {
		return err
	}
	if rootID != 0 && len(tree) == 1 {
		d.Root = &tree[0].Area
		trails, err := h.Store.Trails(ctx, []string{d.Root.Path})
		if err != nil {
			return err
		}
		d.Trail = trails[d.Root.Path]
	}
	if d.Current {
		tree = pruneClosed(tree)
	}
	d.Tree = tree
	return h.page(w, r, "org/areas.html", "org.areas.title", "", d, nil)
}

func pruneClosed(ns []*AreaNode) []*AreaNode {
	out := ns[:0]
	for _, n := range ns {
		if n.Closed() {
			continue
		}
		n.Children = pruneClosed(n.Children)
		out = append(out, n)
	}
	return out
}

// maxChildren bounds the children listed on an area's page; the tree page
// shows the rest.
const maxChildren = 200

type areaData struct {
	Area     *Area // nil for a new area
	Trail    []Crumb
	Levels   []AreaLevel
	Parents  *AreaChoice
	Children []Area
	// ChildCount is the number of children; the page lists at most
	// maxChildren of them.
	ChildCount int
	Units      []Unit
	Bloc       *Bloc
	Bodies     []ExternalBody
	Merges     []AreaMerge
	// ParentID preselects the parent of a new area.
	ParentID int64
	CanUnits bool // the user may add units here
}

// MoreChildren is the number of children the page does not list.
func (d areaData) MoreChildren() int { return d.ChildCount - len(d.Children) }

func (h *Handler) areaForm(w http.ResponseWriter, r *http.Request, a *Area, formErr error) error {
	ctx := r.Context()
	d := areaData{Area: a, ParentID: queryInt64(r, "parent_id")}
	var err error
	if d.Levels, err = h.Store.AreaLevels(ctx); err != nil {
		return err
	}
	p := principal(r)
	if p.Has(auth.PermOrgAdmin) {
		if d.Parents, err = h.areaChoice(ctx, 0, false); err != nil {
			return err
		}
	}
	title := ""
	titleKey := "org.area.new"
	if a != nil {
		title = a.Name
		trails, err := h.Store.Trails(ctx, []string{a.Path})
		if err != nil {
			return err
		}
		d.Trail = trails[a.Path]
		if len(d.Trail) > 0 {
			d.Trail = d.Trail[:len(d.Trail)-1]
		}
		if d.Children, err = h.Store.Children(ctx, a.ID); err != nil {
			return err
		}
		d.ChildCount = len(d.Children)
		if len(d.Children) > maxChildren {
			d.Children = d.Children[:maxChildren]
		}
		if d.Units, err = h.Store.Units(ctx, UnitFilter{AreaID: a.ID}); err != nil {
			return err
		}
		if b, err := h.Store.BlocByArea(ctx, a.ID); err == nil {
			d.Bloc = b
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if d.Bodies, err = h.Store.ExternalBodies(ctx, a.ID); err != nil {
			return err
		}
		if d.Merges, err = h.Store.Merges(ctx, a.ID); err != nil {
			return err
		}
		d.CanUnits = CanManageUnits(p, a.Path)
	}
	return h.page(w, r, "org/area.html", titleKey, title, d, formErr)
}

func (h *Handler) areaNew(w http.ResponseWriter, r *http.Request) error {
	return h.areaForm(w, r, nil, nil)
}

func (h *Handler) areaPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := h.Store.Area(r.Context(), id)
	if err != nil {
		return err
	}
	return h.areaForm(w, r, a, nil)
}

func (h *Handler) areaInput(r *http.Request) (AreaInput, error) {
	var fe apperr.Fields
	in := AreaInput{LevelID: formInt64(r, "level_id"), Name: r.PostFormValue("name")}
	if c := strings.TrimSpace(r.PostFormValue("code")); c != "" {
		in.Code = &c
	}
	pid, err := h.formAreaID(r.Context(), r, "parent_id")
	if err != nil {
		return in, err
	}
	if pid != 0 {
		in.ParentID = &pid
	}
	in.ValidFrom = formDate(&fe, r, "valid_from")
	in.ValidTo = formDate(&fe, r, "valid_to")
	return in, fe.Err()
}

func (h *Handler) areaCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, err := h.areaInput(r)
	var a *Area
	if err == nil {
		a, err = h.Store.CreateArea(r.Context(), in)
	}
	if err != nil {
		return h.areaForm(w, r, nil, err)
	}
	return web.Redirect(w, r, "/org/areas/"+strconv.FormatInt(a.ID, 10), "form.saved")
}

func (h *Handler) areaUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	old, err := h.Store.Area(r.Context(), id)
	if err != nil {
		return err
	}
	in, err := h.areaInput(r)
	if err == nil {
		_, err = h.Store.UpdateArea(r.Context(), id, in)
	}
	if err != nil {
		return h.areaForm(w, r, old, err)
	}
	return web.Redirect(w, r, "/org/areas/"+strconv.FormatInt(id, 10), "form.saved")
}

func (h *Handler) areaDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := h.Store.Area(r.Context(), id)
	if err != nil {
		return err
	}
	next := "/org/areas"
	if a.ParentID != nil {
		next = "/org/areas/" + strconv.FormatInt(*a.ParentID, 10)
	}
	return deleteDone(w, r, h.Store.DeleteArea(r.Context(), id), next)
}

// Mergers

type mergeData struct {
	Choice *AreaChoice
	Merges []AreaMerge
	// Preselected areas (from ?from= and ?to=).
	From []int64
	To   int64
}

// Selected tells whether an area is preselected as merged.
func (d mergeData) Selected(id int64) bool {
	for _, f := range d.From {
		if f == id {
			return true
		}
	}
	return false
}

func (h *Handler) renderMerge(w http.ResponseWriter, r *http.Request, formErr error) error {
	ctx := r.Context()
	choice, err := h.areaChoice(ctx, 0, true)
	if err != nil {
		return err
	}
	merges, err := h.Store.Merges(ctx, 0)
	if err != nil {
		return err
	}
	d := mergeData{Choice: choice, Merges: merges, To: queryInt64(r, "to")}
	if f := queryInt64(r, "from"); f != 0 {
		d.From = []int64{f}
	}
	if r.PostForm != nil {
		d.From = nil
		for _, v := range r.PostForm["from_ids"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				d.From = append(d.From, id)
			}
		}
		d.To = formInt64(r, "to_id")
	}
	return h.page(w, r, "org/merge.html", "org.merge.title", "", d, formErr)
}

func (h *Handler) mergeForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderMerge(w, r, nil)
}

func (h *Handler) mergeSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	var fe apperr.Fields
	in := MergeInput{Effective: formDate(&fe, r, "effective"), Note: r.PostFormValue("note")}
	for _, v := range r.PostForm["from_ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.FromIDs = append(in.FromIDs, id)
		}
	}
	// Without a select (too many areas): one reference per line.
	for _, line := range strings.Split(r.PostFormValue("from_refs"), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		id, err := h.resolveArea(ctx, line)
		if err != nil {
			return err
		}
		if id == 0 {
			fe.Add("from_ids", "org.err.area_ref", line)
			continue
		}
		in.FromIDs = append(in.FromIDs, id)
	}
	to, err := h.formAreaID(ctx, r, "to_id")
	if err != nil {
		return h.renderMerge(w, r, err)
	}
	in.ToID = to
	if err := fe.Err(); err != nil {
		return h.renderMerge(w, r, err)
	}
	if _, err := h.Store.MergeAreas(ctx, in); err != nil {
		return h.renderMerge(w, r, err)
	}
	return web.Redirect(w, r, "/org/areas/"+strconv.FormatInt(to, 10), "org.merge.done")
}

// Export

func (h *Handler) exportAreas(format string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := h.Store.ExportAreas(r.Context(), queryInt64(r, "under"))
		if err != nil {
			return err
		}
		return writeTable(w, t, format, "dia-ban", "Địa bàn")
	}
}

func writeTable(w http.ResponseWriter, t *Table, format, file, sheet string) error {
	w.Header().Set("Cache-Control", "no-store")
	if format == "xlsx" {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+file+`.xlsx"`)
		return t.WriteXLSX(w, sheetName(sheet))
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`.csv"`)
	return t.WriteCSV(w)
}
