// Package org is the organisation model: the territory tree (areas and
// their levels, with the mergers of the 2025 reform), the organisations of
// the Front, their units in each area, the blocs that review together and
// the external bodies (Party committees, People's Committees, agencies)
// that meetings and reports refer to.
//
// The area tree is data, not code: levels are rows (province, district,
// commune, village are only the defaults), and an area keeps the period it
// was valid in, so a 2021 report still belongs to the district that existed
// then. Every area stores its materialised path ("/1/5/23/": the ids from
// the root down to itself), so "everything under this district" is one
// indexed prefix query.
package org

import (
	"time"

	"giaoban/internal/platform/db"
)

// AreaLevel is a level of the territory tree (Tỉnh, Huyện, Xã, Thôn…).
// Depth orders levels: a parent's level is always shallower than its
// children's.
type AreaLevel struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
	Depth  int    `json:"depth"`
}

// Name returns the level's name in lang.
func (l AreaLevel) Name(lang string) string {
	if lang == "en" && l.NameEN != "" {
		return l.NameEN
	}
	return l.NameVI
}

// AreaLevelInput creates or changes a level.
type AreaLevelInput struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
	Depth  int    `json:"depth"`
}

// Standard level codes created by EnsureLevels.
const (
	LevelProvince = "province"
	LevelDistrict = "district"
	LevelCommune  = "commune"
	LevelVillage  = "village"
)

// StandardLevels are the levels of Vietnamese local government; the
// district level was abolished on 1 July 2025 but stays for earlier periods.
var StandardLevels = []AreaLevelInput{
	{Code: LevelProvince, NameVI: "Tỉnh", NameEN: "Province", Depth: 1},
	{Code: LevelDistrict, NameVI: "Huyện", NameEN: "District", Depth: 2},
	{Code: LevelCommune, NameVI: "Xã", NameEN: "Commune", Depth: 3},
	{Code: LevelVillage, NameVI: "Thôn", NameEN: "Village", Depth: 4},
}

// Area is a node of the territory tree.
type Area struct {
	ID       int64  `json:"id"`
	ParentID *int64 `json:"parent_id"`
	LevelID  int64  `json:"level_id"`
	// Code is the national administrative (GSO) code where known: 2 digits
	// for a province, 3 for a district, 5 for a commune.
	Code      *string `json:"code"`
	Name      string  `json:"name"`
	Path      string  `json:"path"`
	ValidFrom db.Date `json:"valid_from"`
	ValidTo   db.Date `json:"valid_to"`
	// Read-only context.
	LevelCode   string    `json:"level_code"`
	LevelName   string    `json:"level_name"`
	LevelNameEN string    `json:"level_name_en"`
	LevelDepth  int       `json:"level_depth"`
	Depth       int       `json:"depth"` // 1 for a root
	ParentName  string    `json:"parent_name,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// CodeString is the code or "".
func (a Area) CodeString() string {
	if a.Code == nil {
		return ""
	}
	return *a.Code
}

// Closed tells whether the area has an end of validity (merged or
// abolished).
func (a Area) Closed() bool { return a.ValidTo.Valid() }

// ValidOn tells whether the area existed on day d.
func (a Area) ValidOn(d db.Date) bool {
	if a.ValidFrom.Valid() && d.Before(a.ValidFrom.Time) {
		return false
	}
	if a.ValidTo.Valid() && d.After(a.ValidTo.Time) {
		return false
	}
	return true
}

// AreaInput creates or changes an area. The level is given by LevelID or,
// when that is 0, by LevelCode.
type AreaInput struct {
	ParentID  *int64  `json:"parent_id"`
	LevelID   int64   `json:"level_id"`
	LevelCode string  `json:"level_code,omitempty"`
	Code      *string `json:"code"`
	Name      string  `json:"name"`
	ValidFrom db.Date `json:"valid_from"`
	ValidTo   db.Date `json:"valid_to"`
}

// AreaMerge records that an area was merged into another from a date on
// (the day after the merged area's valid_to).
type AreaMerge struct {
	ID         int64   `json:"id"`
	FromAreaID int64   `json:"from_area_id"`
	ToAreaID   int64   `json:"to_area_id"`
	Effective  db.Date `json:"effective"`
	Note       string  `json:"note"`
	FromName   string  `json:"from_name"`
	ToName     string  `json:"to_name"`
}

// MergeInput merges areas into one.
type MergeInput struct {
	FromIDs   []int64 `json:"from_ids"`
	ToID      int64   `json:"to_id"`
	Effective db.Date `json:"effective"`
	Note      string  `json:"note"`
}

// Organisation is one of the Front's member organisations (Hội Nông dân,
// Hội LHPN…), or the Front itself.
type Organisation struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	NameVI    string    `json:"name_vi"`
	NameEN    string    `json:"name_en"`
	ShortName string    `json:"short_name"`
	SortOrder int       `json:"sort_order"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Short is the short name, or the full name when there is none.
func (o Organisation) Short() string {
	if o.ShortName != "" {
		return o.ShortName
	}
	return o.NameVI
}

// OrganisationInput creates or changes an organisation.
type OrganisationInput struct {
	Code      string `json:"code"`
	NameVI    string `json:"name_vi"`
	NameEN    string `json:"name_en"`
	ShortName string `json:"short_name"`
	SortOrder int    `json:"sort_order"`
	Active    *bool  `json:"active"`
}

// Unit is an organisation in an area: "Hội Nông dân xã Ia Kha". Reports
// are made by units; there is at most one unit per organisation and area.
type Unit struct {
	ID             int64  `json:"id"`
	OrganisationID int64  `json:"organisation_id"`
	AreaID         int64  `json:"area_id"`
	Name           string `json:"name"`
	Active         bool   `json:"active"`
	// Read-only context.
	OrganisationCode string    `json:"organisation_code"`
	OrganisationName string    `json:"organisation_name"`
	AreaName         string    `json:"area_name"`
	AreaCode         *string   `json:"area_code"`
	AreaPath         string    `json:"area_path"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// UnitInput creates or changes a unit. An empty Name is built from the
// organisation's short name and the area's name.
type UnitInput struct {
	OrganisationID int64  `json:"organisation_id"`
	AreaID         int64  `json:"area_id"`
	Name           string `json:"name"`
	Active         *bool  `json:"active"`
}

// Bloc is the Front and the mass organisations of one area, reviewed
// together ("Khối Mặt trận và các đoàn thể huyện"). Its members are the
// units at its area; its consolidation covers the units of the area's
// whole subtree.
type Bloc struct {
	ID        int64     `json:"id"`
	AreaID    int64     `json:"area_id"`
	Name      string    `json:"name"`
	AreaName  string    `json:"area_name"`
	AreaPath  string    `json:"area_path"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// BlocInput creates or changes a bloc.
type BlocInput struct {
	AreaID int64  `json:"area_id"`
	Name   string `json:"name"`
}

// Kinds of external body.
const (
	KindPartyCommittee = "party_committee" // Huyện ủy, Tỉnh ủy, Đảng ủy xã
	KindPartyBoard     = "party_board"     // Ban Dân vận, Ban Tuyên giáo…
	KindGovernment     = "government"      // UBND
	KindAgency         = "agency"          // Trung tâm Y tế, Trung tâm VH-TT-TT…
	KindOther          = "other"
)

// BodyKinds lists the kinds of external body.
var BodyKinds = []string{KindPartyCommittee, KindPartyBoard, KindGovernment, KindAgency, KindOther}

// ExternalBody is a body outside the Front that meetings, directives and
// reports refer to: the Party committee and its boards, the People's
// Committee, agencies. Boards have the committee as parent.
type ExternalBody struct {
	ID         int64     `json:"id"`
	AreaID     *int64    `json:"area_id"`
	ParentID   *int64    `json:"parent_id"`
	Kind       string    `json:"kind"`
	Name       string    `json:"name"`
	ShortName  string    `json:"short_name"`
	AreaName   string    `json:"area_name,omitempty"`
	ParentName string    `json:"parent_name,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// ExternalBodyInput creates or changes an external body.
type ExternalBodyInput struct {
	AreaID    *int64 `json:"area_id"`
	ParentID  *int64 `json:"parent_id"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	ShortName string `json:"short_name"`
}
