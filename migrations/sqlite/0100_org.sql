-- Organisation model: finding an area by parent and folded name (sibling
-- name checks, imports that match areas without a national code).
CREATE INDEX areas_parent_name ON areas(parent_id, name_folded);
