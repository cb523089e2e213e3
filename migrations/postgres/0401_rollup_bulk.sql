-- Bulk writes of data_values (an import of 100,000 values) fold their
-- changes into rollup_cells with a few set-based statements (package
-- rollup/bulk), the same on both dialects.
--
-- While a transaction holds a row in rollup_bulk, the data_values
-- statement triggers do nothing; the writer takes the keys it is about to
-- change out of rollup_cells before writing, puts them back after, and
-- deletes its row before committing. Other transactions never see the row
-- (inserted and deleted in one transaction), so their writes keep firing
-- the triggers; the table has no key, so nobody waits on it. It is empty
-- outside such a transaction.

CREATE TABLE rollup_bulk (
    started BIGINT NOT NULL
);

CREATE OR REPLACE FUNCTION rollup_values_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM rollup_bulk) THEN
        RETURN NULL;
    END IF;
    WITH ch AS (
        SELECT unit_id, period, indicator_id, value_num AS v, 1 AS sgn FROM new_rows
    ), k AS (
        SELECT unit_id, period, indicator_id, COALESCE(SUM(v), 0) AS d,
               SUM(CASE WHEN v IS NOT NULL THEN sgn ELSE 0 END) AS dcnt
        FROM ch GROUP BY unit_id, period, indicator_id
    ), d AS (
        SELECT k.unit_id, k.period, k.indicator_id, k.d,
               (x.after > 0)::INT - ((x.after - k.dcnt) > 0)::INT AS du
        FROM k, LATERAL (SELECT COUNT(*) AS after FROM data_values v
                         WHERE v.unit_id = k.unit_id AND v.period = k.period AND v.indicator_id = k.indicator_id
                           AND v.value_num IS NOT NULL) x
    )
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT anc, c.approved, d.period, d.indicator_id, u.organisation_id, SUM(d.d), SUM(d.du)
    FROM d JOIN units u ON u.id = d.unit_id JOIN areas a ON a.id = u.area_id
    CROSS JOIN LATERAL rollup_ancestors(a.path, a.id) anc
    CROSS JOIN LATERAL (SELECT 0 AS approved UNION ALL
        SELECT 1 WHERE EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = d.unit_id AND r.period = d.period AND r.status = 'approved')) c
    WHERE d.d <> 0 OR d.du <> 0
    GROUP BY anc, c.approved, d.period, d.indicator_id, u.organisation_id
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + EXCLUDED.total, units = rollup_cells.units + EXCLUDED.units;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION rollup_values_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM rollup_bulk) THEN
        RETURN NULL;
    END IF;
    WITH ch AS (
        SELECT unit_id, period, indicator_id, -value_num AS v, -1 AS sgn FROM old_rows
    ), k AS (
        SELECT unit_id, period, indicator_id, COALESCE(SUM(v), 0) AS d,
               SUM(CASE WHEN v IS NOT NULL THEN sgn ELSE 0 END) AS dcnt
        FROM ch GROUP BY unit_id, period, indicator_id
    ), d AS (
        SELECT k.unit_id, k.period, k.indicator_id, k.d,
               (x.after > 0)::INT - ((x.after - k.dcnt) > 0)::INT AS du
        FROM k, LATERAL (SELECT COUNT(*) AS after FROM data_values v
                         WHERE v.unit_id = k.unit_id AND v.period = k.period AND v.indicator_id = k.indicator_id
                           AND v.value_num IS NOT NULL) x
    )
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT anc, c.approved, d.period, d.indicator_id, u.organisation_id, SUM(d.d), SUM(d.du)
    FROM d JOIN units u ON u.id = d.unit_id JOIN areas a ON a.id = u.area_id
    CROSS JOIN LATERAL rollup_ancestors(a.path, a.id) anc
    CROSS JOIN LATERAL (SELECT 0 AS approved UNION ALL
        SELECT 1 WHERE EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = d.unit_id AND r.period = d.period AND r.status = 'approved')) c
    WHERE d.d <> 0 OR d.du <> 0
    GROUP BY anc, c.approved, d.period, d.indicator_id, u.organisation_id
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + EXCLUDED.total, units = rollup_cells.units + EXCLUDED.units;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION rollup_values_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM rollup_bulk) THEN
        RETURN NULL;
    END IF;
    WITH ch AS (
        SELECT unit_id, period, indicator_id, value_num AS v, 1 AS sgn FROM new_rows
        UNION ALL
        SELECT unit_id, period, indicator_id, -value_num AS v, -1 AS sgn FROM old_rows
    ), k AS (
        SELECT unit_id, period, indicator_id, COALESCE(SUM(v), 0) AS d,
               SUM(CASE WHEN v IS NOT NULL THEN sgn ELSE 0 END) AS dcnt
        FROM ch GROUP BY unit_id, period, indicator_id
    ), d AS (
        SELECT k.unit_id, k.period, k.indicator_id, k.d,
               (x.after > 0)::INT - ((x.after - k.dcnt) > 0)::INT AS du
        FROM k, LATERAL (SELECT COUNT(*) AS after FROM data_values v
                         WHERE v.unit_id = k.unit_id AND v.period = k.period AND v.indicator_id = k.indicator_id
                           AND v.value_num IS NOT NULL) x
    )
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT anc, c.approved, d.period, d.indicator_id, u.organisation_id, SUM(d.d), SUM(d.du)
    FROM d JOIN units u ON u.id = d.unit_id JOIN areas a ON a.id = u.area_id
    CROSS JOIN LATERAL rollup_ancestors(a.path, a.id) anc
    CROSS JOIN LATERAL (SELECT 0 AS approved UNION ALL
        SELECT 1 WHERE EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = d.unit_id AND r.period = d.period AND r.status = 'approved')) c
    WHERE d.d <> 0 OR d.du <> 0
    GROUP BY anc, c.approved, d.period, d.indicator_id, u.organisation_id
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + EXCLUDED.total, units = rollup_cells.units + EXCLUDED.units;
    RETURN NULL;
END $$;
