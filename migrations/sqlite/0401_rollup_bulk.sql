-- Bulk writes of data_values (an import of 100,000 values) fold their
-- changes into rollup_cells with a few set-based statements instead of the
-- per-row triggers of 0400, which cost a trigger program per value.
--
-- While a transaction holds a row in rollup_bulk, the data_values triggers
-- do nothing; the writer (package rollup/bulk) takes the keys it is about
-- to change out of rollup_cells before writing, puts them back after, and
-- deletes its row before committing. Other connections never see the row
-- (it is inserted and deleted in the same transaction), so their writes
-- keep firing the triggers. The table is empty outside such a transaction.

CREATE TABLE rollup_bulk (
    started INTEGER NOT NULL
);

DROP TRIGGER rollup_values_insert;
DROP TRIGGER rollup_values_delete;
DROP TRIGGER rollup_values_update;

CREATE TRIGGER rollup_values_insert AFTER INSERT ON data_values
WHEN NEW.value_num IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rollup_bulk)
BEGIN
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, c.approved, NEW.period, NEW.indicator_id, u.organisation_id, NEW.value_num,
           NOT EXISTS (SELECT 1 FROM data_values o WHERE o.unit_id = NEW.unit_id AND o.period = NEW.period
                       AND o.indicator_id = NEW.indicator_id AND o.id <> NEW.id AND o.value_num IS NOT NULL)
    FROM units u JOIN areas a ON a.id = u.area_id,
         json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j,
         (SELECT 0 AS approved UNION ALL
          SELECT 1 FROM reports r WHERE r.unit_id = NEW.unit_id AND r.period = NEW.period AND r.status = 'approved') c
    WHERE u.id = NEW.unit_id AND j.value <> a.id
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
END;

CREATE TRIGGER rollup_values_delete AFTER DELETE ON data_values
WHEN OLD.value_num IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rollup_bulk)
BEGIN
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, c.approved, OLD.period, OLD.indicator_id, u.organisation_id, -OLD.value_num,
           -(NOT EXISTS (SELECT 1 FROM data_values o WHERE o.unit_id = OLD.unit_id AND o.period = OLD.period
                         AND o.indicator_id = OLD.indicator_id AND o.id <> OLD.id AND o.value_num IS NOT NULL))
    FROM units u JOIN areas a ON a.id = u.area_id,
         json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j,
         (SELECT 0 AS approved UNION ALL
          SELECT 1 FROM reports r WHERE r.unit_id = OLD.unit_id AND r.period = OLD.period AND r.status = 'approved') c
    WHERE u.id = OLD.unit_id AND j.value <> a.id
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
END;

-- A value changed: take the old one out, put the new one in (the unit's
-- count nets to zero when it still has a value).
CREATE TRIGGER rollup_values_update AFTER UPDATE OF unit_id, period, indicator_id, value_num ON data_values
WHEN (OLD.value_num IS NOT NEW.value_num OR OLD.unit_id <> NEW.unit_id OR OLD.period <> NEW.period OR OLD.indicator_id <> NEW.indicator_id)
     AND NOT EXISTS (SELECT 1 FROM rollup_bulk)
BEGIN
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, c.approved, OLD.period, OLD.indicator_id, u.organisation_id, -OLD.value_num,
           -(NOT EXISTS (SELECT 1 FROM data_values o WHERE o.unit_id = OLD.unit_id AND o.period = OLD.period
                         AND o.indicator_id = OLD.indicator_id AND o.id <> OLD.id AND o.value_num IS NOT NULL))
    FROM units u JOIN areas a ON a.id = u.area_id,
         json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j,
         (SELECT 0 AS approved UNION ALL
          SELECT 1 FROM reports r WHERE r.unit_id = OLD.unit_id AND r.period = OLD.period AND r.status = 'approved') c
    WHERE u.id = OLD.unit_id AND j.value <> a.id AND OLD.value_num IS NOT NULL
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, c.approved, NEW.period, NEW.indicator_id, u.organisation_id, NEW.value_num,
           NOT EXISTS (SELECT 1 FROM data_values o WHERE o.unit_id = NEW.unit_id AND o.period = NEW.period
                       AND o.indicator_id = NEW.indicator_id AND o.id <> NEW.id AND o.value_num IS NOT NULL)
    FROM units u JOIN areas a ON a.id = u.area_id,
         json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j,
         (SELECT 0 AS approved UNION ALL
          SELECT 1 FROM reports r WHERE r.unit_id = NEW.unit_id AND r.period = NEW.period AND r.status = 'approved') c
    WHERE u.id = NEW.unit_id AND j.value <> a.id AND NEW.value_num IS NOT NULL
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
END;
