package org

import (
	"context"
	"fmt"

	"giaoban/internal/vn"
)

// AreaNode is an area with its children, for the tree page.
type AreaNode struct {
	Area
	Children []*AreaNode `json:"children,omitempty"`
	// ChildCount is the number of children in the database; when the tree
	// was cut to stay small it exceeds len(Children).
	ChildCount int `json:"child_count"`
}

// Cut tells whether the node has children that were left out.
func (n *AreaNode) Cut() bool { return n.ChildCount > len(n.Children) }

// AreaTree returns the whole territory tree: its roots, each with its
// descendants, siblings in alphabetical order.
func (s *Store) AreaTree(ctx context.Context) ([]*AreaNode, error) {
	all, err := queryAreas(ctx, s.DB, "SELECT "+areaCols+areaFrom+" ORDER BY a.path")
	if err != nil {
		return nil, err
	}
	nodes := map[int64]*AreaNode{}
	var roots []*AreaNode
	for i := range all {
		n := &AreaNode{Area: all[i]}
		nodes[n.ID] = n
		if n.ParentID == nil {
			roots = append(roots, n)
			continue
		}
		if p := nodes[*n.ParentID]; p != nil {
			p.Children = append(p.Children, n)
			p.ChildCount++
		} else {
			roots = append(roots, n) // a broken path; show it rather than lose it
		}
	}
	sortNodes(roots)
	return roots, nil
}

func sortNodes(ns []*AreaNode) {
	vn.SortFunc(ns, func(n *AreaNode) string { return n.Name })
	for _, n := range ns {
		sortNodes(n.Children)
	}
}

// AreaTreeUnder returns the tree below rootID (the roots when 0), one
// level at a time while the tree stays under maxNodes nodes; deeper
// levels are left out and their parents report ChildCount, so the page
// can link to them. The first level is always complete.
func (s *Store) AreaTreeUnder(ctx context.Context, rootID int64, maxNodes int) ([]*AreaNode, error) {
	var top []Area
	var err error
	if rootID == 0 {
		top, err = queryAreas(ctx, s.DB, "SELECT "+areaCols+areaFrom+" WHERE a.parent_id IS NULL")
	} else {
		var a *Area
		a, err = areaByID(ctx, s.DB, rootID)
		if a != nil {
			top = []Area{*a}
		}
	}
	if err != nil {
		return nil, err
	}
	var roots []*AreaNode
	for i := range top {
		roots = append(roots, &AreaNode{Area: top[i]})
	}
	count := len(roots)
	frontier := roots
	for len(frontier) > 0 {
		counts, err := s.childCounts(ctx, frontier)
		if err != nil {
			return nil, err
		}
		total := 0
		for _, n := range frontier {
			n.ChildCount = counts[n.ID]
			total += n.ChildCount
		}
		if total == 0 || count+total > maxNodes && count > len(roots) {
			break
		}
		children, err := s.childrenOf(ctx, frontier)
		if err != nil {
			return nil, err
		}
		byID := map[int64]*AreaNode{}
		for _, n := range frontier {
			byID[n.ID] = n
		}
		var next []*AreaNode
		for i := range children {
			c := &AreaNode{Area: children[i]}
			if p := byID[*c.ParentID]; p != nil {
				p.Children = append(p.Children, c)
				next = append(next, c)
			}
		}
		count += len(next)
		frontier = next
	}
	sortNodes(roots)
	return roots, nil
}

func nodeIDs(ns []*AreaNode) []any {
	out := make([]any, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

func (s *Store) childCounts(ctx context.Context, ns []*AreaNode) (map[int64]int, error) {
	out := map[int64]int{}
	ids := nodeIDs(ns)
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		rows, err := s.DB.QueryContext(ctx, "SELECT parent_id, COUNT(*) FROM areas WHERE parent_id IN ("+placeholders(1, len(chunk))+") GROUP BY parent_id", chunk...)
		if err != nil {
			return nil, fmt.Errorf("org: child counts: %w", err)
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("org: child counts: %w", err)
			}
			out[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("org: child counts: %w", err)
		}
	}
	return out, nil
}

func (s *Store) childrenOf(ctx context.Context, ns []*AreaNode) ([]Area, error) {
	ids := nodeIDs(ns)
	var out []Area
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		list, err := queryAreas(ctx, s.DB, "SELECT "+areaCols+areaFrom+" WHERE a.parent_id IN ("+placeholders(1, len(chunk))+")", chunk...)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}
