package demo

import (
	"context"
	"fmt"
	"strings"

	"giaoban/internal/org"
	"giaoban/internal/platform/db"
)

func (s *seeder) org(ctx context.Context) error {
	st := &org.Store{DB: s.d}
	s.areas, s.orgs, s.units = map[string]int64{}, map[string]int64{}, map[string]int64{}
	if _, err := st.EnsureLevels(ctx); err != nil {
		return fmt.Errorf("demo: levels: %w", err)
	}
	area := func(parent int64, level, name, code string, from, to db.Date) error {
		in := org.AreaInput{LevelCode: level, Name: name, ValidFrom: from, ValidTo: to}
		if parent != 0 {
			in.ParentID = &parent
		}
		if code != "" {
			in.Code = &code
		}
		a, err := st.CreateArea(ctx, in)
		if err != nil {
			return fmt.Errorf("demo: area %s: %w", name, err)
		}
		s.areas[name] = a.ID
		return nil
	}
	// The district existed until the two-level reform of 1 July 2025.
	if err := area(0, org.LevelProvince, ProvinceName, ProvinceCode, db.Date{}, db.Date{}); err != nil {
		return err
	}
	if err := area(s.areas[ProvinceName], org.LevelDistrict, DistrictName, "", db.D(2000, 1, 1), db.D(2025, 6, 30)); err != nil {
		return err
	}
	for _, c := range Communes {
		if err := area(s.areas[DistrictName], org.LevelCommune, c.Name, "", db.D(2000, 1, 1), db.Date{}); err != nil {
			return err
		}
		for _, v := range c.Villages {
			// Village names repeat across communes; key them by commune.
			if err := area(s.areas[c.Name], org.LevelVillage, v, "", db.Date{}, db.Date{}); err != nil {
				return err
			}
			s.areas[c.Name+"/"+v] = s.areas[v]
			delete(s.areas, v)
		}
	}

	for i, o := range Organisations {
		active := true
		created, err := st.CreateOrganisation(ctx, org.OrganisationInput{Code: o.Code, NameVI: o.NameVI, NameEN: o.NameEN, ShortName: o.Short, SortOrder: (i + 1) * 10, Active: &active})
		if err != nil {
			return fmt.Errorf("demo: organisation %s: %w", o.Code, err)
		}
		s.orgs[o.Code] = created.ID
	}
	unit := func(orgCode, areaName, name string) error {
		u, err := st.CreateUnit(ctx, org.UnitInput{OrganisationID: s.orgs[orgCode], AreaID: s.areas[areaName], Name: name})
		if err != nil {
			return fmt.Errorf("demo: unit %s: %w", name, err)
		}
		s.units[orgCode+"@"+areaName] = u.ID
		return nil
	}
	for _, o := range Organisations {
		if o.District != "" {
			if err := unit(o.Code, DistrictName, o.District); err != nil {
				return err
			}
		}
	}
	for _, c := range Communes {
		place := communePlace(c.Name)
		for _, o := range Organisations {
			if o.Commune == "" {
				continue
			}
			if err := unit(o.Code, c.Name, o.Commune+" "+place); err != nil {
				return err
			}
		}
	}
	if _, err := st.CreateBloc(ctx, org.BlocInput{AreaID: s.areas[DistrictName], Name: "Khối Mặt trận và các đoàn thể huyện " + DistrictShort}); err != nil {
		return fmt.Errorf("demo: bloc: %w", err)
	}
	bodies := map[string]int64{}
	district := s.areas[DistrictName]
	for _, b := range ExternalBodies {
		in := org.ExternalBodyInput{AreaID: &district, Kind: b.Kind, Name: b.Name, ShortName: b.Short}
		if b.Parent != "" {
			p := bodies[b.Parent]
			in.ParentID = &p
		}
		created, err := st.CreateExternalBody(ctx, in)
		if err != nil {
			return fmt.Errorf("demo: body %s: %w", b.Name, err)
		}
		bodies[b.Short] = created.ID
	}

	// The reform of 1 July 2025: three communes merged into a new commune
	// directly under the province.
	if err := area(s.areas[ProvinceName], org.LevelCommune, Merge2025.Into, "", db.D(2025, 7, 1), db.Date{}); err != nil {
		return err
	}
	var from []int64
	for _, name := range Merge2025.From {
		from = append(from, s.areas[name])
	}
	if _, err := st.MergeAreas(ctx, org.MergeInput{FromIDs: from, ToID: s.areas[Merge2025.Into], Effective: db.D(2025, 7, 1),
		Note: "Sắp xếp đơn vị hành chính cấp xã, chính quyền địa phương hai cấp từ 01/7/2025"}); err != nil {
		return fmt.Errorf("demo: merge: %w", err)
	}
	return nil
}

// communePlace turns "Xã Ia Tô" into "xã Ia Tô" for unit names ("Hội Nông dân xã Ia Tô").
func communePlace(name string) string {
	for _, p := range []string{"Thị trấn ", "Xã ", "Phường "} {
		if strings.HasPrefix(name, p) {
			return strings.ToLower(p[:1]) + name[1:]
		}
	}
	return name
}
