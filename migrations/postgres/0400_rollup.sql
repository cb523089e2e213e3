-- Roll-ups: live aggregates of data_values along the area tree, kept in
-- the same transaction as every write by the triggers below (no nightly
-- job), the drafted narrative's sentence templates, the secretariat's
-- edited drafts, and each bloc's document header settings.
--
-- rollup_cells holds, for every area that has units BELOW it (never the
-- area's own units: those are read from data_values directly) and for the
-- whole country (area_id 0), the sum and the number of reporting units of
-- each (period, indicator, organisation), in two classes: approved = 0
-- counts every value (drafts included), approved = 1 only values of
-- approved reports. The SQLite migration does the same row by row; here
-- data_values changes are folded per statement (transition tables), so a
-- batch of 100 values costs one upsert per touched cell, and a unit with
-- several options of one indicator counts once even when they arrive in
-- one statement.

CREATE TABLE rollup_cells (
    area_id         BIGINT NOT NULL,
    approved        SMALLINT NOT NULL,
    period          TEXT NOT NULL,
    indicator_id    BIGINT NOT NULL,
    organisation_id BIGINT NOT NULL,
    total           BIGINT NOT NULL DEFAULT 0,
    units           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (area_id, approved, period, indicator_id, organisation_id)
);

-- The country (0) and the strict ancestors of an area, from its path.
CREATE FUNCTION rollup_ancestors(p_path TEXT, p_area BIGINT) RETURNS SETOF BIGINT
LANGUAGE sql IMMUTABLE AS $$
    SELECT x FROM unnest(('{0' || replace(rtrim(p_path, '/'), '/', ',') || '}')::BIGINT[]) x WHERE x <> p_area
$$;

-- Each function folds the statement's changes per (unit, period,
-- indicator): d is the change of the sum; du is +1 when the unit had no
-- value before the statement and has one after, -1 the other way round.
-- Cells are upserted in key order, so two statements touching the same
-- cells lock them in the same order.
CREATE FUNCTION rollup_values_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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

CREATE FUNCTION rollup_values_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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

CREATE FUNCTION rollup_values_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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

CREATE TRIGGER rollup_values_insert AFTER INSERT ON data_values
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_values_insert();
CREATE TRIGGER rollup_values_delete AFTER DELETE ON data_values
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_values_delete();
CREATE TRIGGER rollup_values_update AFTER UPDATE ON data_values
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_values_update();

-- sign times the values of one unit's report into the approved class.
CREATE FUNCTION rollup_report_values(p_unit BIGINT, p_period TEXT, p_sign INT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT anc, 1, v.period, v.indicator_id, u.organisation_id, p_sign * SUM(v.value_num), p_sign
    FROM data_values v JOIN units u ON u.id = v.unit_id JOIN areas a ON a.id = u.area_id
    CROSS JOIN LATERAL rollup_ancestors(a.path, a.id) anc
    WHERE v.unit_id = p_unit AND v.period = p_period AND v.value_num IS NOT NULL
    GROUP BY anc, v.period, v.indicator_id, u.organisation_id
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + EXCLUDED.total, units = rollup_cells.units + EXCLUDED.units;
$$;

-- A report approved, or no longer approved (returned, reopened, deleted):
-- its unit's values of that period move into or out of the approved class.
CREATE FUNCTION rollup_reports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'approved' THEN
        IF TG_OP = 'DELETE' OR NEW.status <> 'approved' OR NEW.unit_id <> OLD.unit_id OR NEW.period <> OLD.period THEN
            PERFORM rollup_report_values(OLD.unit_id, OLD.period, -1);
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'approved' THEN
        IF TG_OP = 'INSERT' OR OLD.status <> 'approved' OR NEW.unit_id <> OLD.unit_id OR NEW.period <> OLD.period THEN
            PERFORM rollup_report_values(NEW.unit_id, NEW.period, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER rollup_reports AFTER INSERT OR DELETE OR UPDATE OF status, unit_id, period ON reports
FOR EACH ROW EXECUTE FUNCTION rollup_reports();

-- sign times every value of one unit, as if it stood at an area with the
-- given path and belonged to the given organisation, in both classes.
CREATE FUNCTION rollup_unit_values(p_unit BIGINT, p_org BIGINT, p_path TEXT, p_area BIGINT, p_sign INT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT anc, c.approved, v.period, v.indicator_id, p_org, p_sign * SUM(v.value_num), p_sign
    FROM data_values v
    CROSS JOIN LATERAL rollup_ancestors(p_path, p_area) anc
    CROSS JOIN LATERAL (SELECT 0 AS approved UNION ALL
        SELECT 1 WHERE EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = p_unit AND r.period = v.period AND r.status = 'approved')) c
    WHERE v.unit_id = p_unit AND v.value_num IS NOT NULL
    GROUP BY anc, c.approved, v.period, v.indicator_id
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + EXCLUDED.total, units = rollup_cells.units + EXCLUDED.units;
$$;

-- A unit moved to another area or organisation: all its values move.
CREATE FUNCTION rollup_units_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE op TEXT; np TEXT;
BEGIN
    IF OLD.area_id <> NEW.area_id OR OLD.organisation_id <> NEW.organisation_id THEN
        SELECT path INTO op FROM areas WHERE id = OLD.area_id;
        SELECT path INTO np FROM areas WHERE id = NEW.area_id;
        PERFORM rollup_unit_values(OLD.id, OLD.organisation_id, op, OLD.area_id, -1);
        PERFORM rollup_unit_values(NEW.id, NEW.organisation_id, np, NEW.area_id, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER rollup_units_move AFTER UPDATE OF area_id, organisation_id ON units
FOR EACH ROW EXECUTE FUNCTION rollup_units_move();

-- An area moved in the tree (its path changed; a subtree move updates
-- every path under it, each row moving its own units): the values of the
-- units at that area leave the old ancestors and join the new ones.
CREATE FUNCTION rollup_areas_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE u RECORD;
BEGIN
    IF OLD.path <> NEW.path THEN
        FOR u IN SELECT id, organisation_id FROM units WHERE area_id = NEW.id LOOP
            PERFORM rollup_unit_values(u.id, u.organisation_id, OLD.path, OLD.id, -1);
            PERFORM rollup_unit_values(u.id, u.organisation_id, NEW.path, NEW.id, 1);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER rollup_areas_move AFTER UPDATE OF path ON areas
FOR EACH ROW EXECUTE FUNCTION rollup_areas_move();

-- Sentence templates of the drafted narrative, per indicator: {money} and
-- {value} are the indicator's own figure, {CODE} another indicator's;
-- [ … ] is left out when a figure in it is missing or zero.
CREATE TABLE rollup_templates (
    indicator_code TEXT PRIMARY KEY,
    template_vi    TEXT NOT NULL,
    template_en    TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_by     BIGINT REFERENCES users(id)
);

-- The secretariat's edited narrative of a consolidated report (area_id is
-- the area drilled into; the bloc's own area otherwise).
CREATE TABLE consolidated_drafts (
    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    bloc_id    BIGINT NOT NULL REFERENCES blocs(id) ON DELETE CASCADE,
    period     TEXT NOT NULL,
    area_id    BIGINT NOT NULL REFERENCES areas(id),
    html       TEXT NOT NULL,
    number     TEXT NOT NULL DEFAULT '',
    doc_date   DATE,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    UNIQUE (bloc_id, period, area_id)
);

-- How a bloc's documents are headed and signed; a bloc without a row
-- gets headers built from its area.
CREATE TABLE bloc_documents (
    bloc_id      BIGINT PRIMARY KEY REFERENCES blocs(id) ON DELETE CASCADE,
    parent_body  TEXT NOT NULL DEFAULT '',
    issuing_body TEXT NOT NULL DEFAULT '',
    symbol       TEXT NOT NULL DEFAULT 'BC-MTTQ',
    place        TEXT NOT NULL DEFAULT '',
    on_behalf    TEXT NOT NULL DEFAULT 'TM. BAN THƯỜNG TRỰC',
    signer_title TEXT NOT NULL DEFAULT '',
    signer_name  TEXT NOT NULL DEFAULT '',
    recipients   TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TIMESTAMPTZ NOT NULL
);

INSERT INTO rollup_templates(indicator_code, template_vi, template_en) VALUES
('TUYEN_TRUYEN_BUOI', 'Tổ chức {value} buổi tuyên truyền, vận động đoàn viên, hội viên và nhân dân về chủ trương của Đảng, chính sách, pháp luật của Nhà nước[, thu hút {TUYEN_TRUYEN_LUOT} lượt người tham dự]', 'Held {value} information and mobilisation sessions on Party guidelines and State policy and law[, attended {TUYEN_TRUYEN_LUOT} times]'),
('TUYEN_TRUYEN_PHAP_LUAT_BUOI', 'Tuyên truyền, giáo dục pháp luật trong đoàn viên, hội viên và quần chúng nhân dân với {value} buổi[, {TUYEN_TRUYEN_PHAP_LUAT_LUOT} lượt người tham dự]', 'Held {value} legal education sessions for members and the public[, attended {TUYEN_TRUYEN_PHAP_LUAT_LUOT} times]'),
('Y_KIEN_NHAN_DAN_TIEP_NHAN', 'Nắm bắt {value} ý kiến, kiến nghị, nguyện vọng của nhân dân[; tổng hợp, phản ánh {Y_KIEN_NHAN_DAN_PHAN_ANH} ý kiến đến cấp ủy, chính quyền]', 'Collected {value} opinions, petitions and wishes of citizens[; forwarded {Y_KIEN_NHAN_DAN_PHAN_ANH} of them to the Party committee and the authorities]'),
('HO_NGHEO_DUOC_HO_TRO', 'Hỗ trợ {value} hộ nghèo, hộ cận nghèo, hộ có hoàn cảnh khó khăn[ với tổng giá trị {HO_TRO_AN_SINH_TIEN}]', 'Supported {value} poor, near-poor and struggling households[ with {HO_TRO_AN_SINH_TIEN} in total]'),
('QUY_COVID_TIEP_NHAN', 'Tiếp nhận sự tham gia ủng hộ phòng, chống dịch Covid-19 của các tổ chức, cá nhân với số tiền {money}', 'Received contributions for Covid-19 prevention from organisations and individuals of {money}'),
('QUY_COVID_CHI_HO_TRO', 'Tổ chức thăm hỏi, tặng quà, hỗ trợ kinh phí các chốt kiểm soát Covid-19, bệnh nhân cách ly tại Trung tâm Y tế huyện và lực lượng truy vết với số tiền {money}', 'Visited and supported Covid-19 checkpoints, patients in isolation at the district medical centre and the contact-tracing force with {money}'),
('QUY_VI_NGUOI_NGHEO_TIEP_NHAN', 'Tiếp nhận ủng hộ Quỹ "Vì người nghèo" với số tiền {money}[; chi hỗ trợ {QUY_VI_NGUOI_NGHEO_CHI}]', 'Received {money} for the "For the Poor" fund[; paid out {QUY_VI_NGUOI_NGHEO_CHI}]'),
('NHA_TINH_NGHIA_BAN_GIAO', 'Bàn giao và đưa vào sử dụng {NHA_TINH_NGHIA_BAN_GIAO} ngôi nhà Tình nghĩa[, {NHA_DDK_BAN_GIAO} ngôi nhà Đại đoàn kết]', 'Handed over {NHA_TINH_NGHIA_BAN_GIAO} Gratitude houses[ and {NHA_DDK_BAN_GIAO} Great Solidarity houses]'),
('NHA_DDK_BAN_GIAO', 'Bàn giao và đưa vào sử dụng {value} ngôi nhà Đại đoàn kết', 'Handed over {value} Great Solidarity houses'),
('HIEN_MAU_LUOT', 'Vận động {value} lượt cán bộ, đoàn viên, hội viên và nhân dân tham gia hiến máu tình nguyện', 'Mobilised {value} voluntary blood donations by officers, members and the public'),
('TU_THIEN_QUA_SUAT', 'Trao tặng {value} suất quà từ thiện, nhân đạo[ trị giá {TU_THIEN_TIEN}]', 'Gave {value} charity gifts[ worth {TU_THIEN_TIEN}]'),
('DEN_ON_QUA_SUAT', 'Thăm hỏi, tặng {value} suất quà cho gia đình chính sách, người có công với cách mạng[ trị giá {DEN_ON_QUA_TIEN}]', 'Visited families of war martyrs and people with merit with {value} gifts[ worth {DEN_ON_QUA_TIEN}]'),
('CVD_DTTS_BUOI', 'Đẩy mạnh thực hiện Cuộc vận động "Làm thay đổi nếp nghĩ, cách làm của đồng bào dân tộc thiểu số, làm cho đồng bào dân tộc thiểu số vươn lên thoát nghèo bền vững" với {value} buổi tuyên truyền[, {CVD_DTTS_LUOT} lượt đồng bào tham dự]', 'Carried out the campaign for ethnic minorities to change ways of thinking and escape poverty sustainably with {value} sessions[, attended {CVD_DTTS_LUOT} times]'),
('KHAO_SAT_TAO_HON_CUOC', 'Tổ chức {value} cuộc khảo sát, đánh giá tình trạng tảo hôn, hôn nhân cận huyết thống[ tại {KHAO_SAT_TAO_HON_HO} hộ]', 'Made {value} surveys of child marriage and consanguineous marriage[ covering {KHAO_SAT_TAO_HON_HO} households]'),
('NTM_NGAY_CONG', 'Vận động nhân dân đóng góp {value} ngày công[ và {NTM_DONG_GOP_TIEN}] xây dựng nông thôn mới', 'Mobilised {value} working days[ and {NTM_DONG_GOP_TIEN}] from the people for new rural areas'),
('MO_HINH_KINH_TE', 'Xây dựng {value} mô hình phát triển kinh tế giúp nhau thoát nghèo', 'Built {value} economic models for helping one another out of poverty'),
('COVID_TUYEN_TRUYEN_BUOI', 'Tổ chức {value} buổi tuyên truyền phòng, chống dịch Covid-19 theo nguyên tắc "5K + vắc xin"[ cho {COVID_TUYEN_TRUYEN_LUOT} lượt người]', 'Held {value} Covid-19 prevention sessions ("5K + vaccine")[ reaching {COVID_TUYEN_TRUYEN_LUOT} people]'),
('VIEM_DA_NOI_CUC_TUYEN_TRUYEN', 'Tổ chức {value} buổi tuyên truyền phòng, chống bệnh viêm da nổi cục trên trâu, bò[, vận động {VIEM_DA_NOI_CUC_HO} hộ chăn nuôi tiêm phòng]', 'Held {value} sessions on lumpy skin disease in cattle[ and mobilised {VIEM_DA_NOI_CUC_HO} households to vaccinate]'),
('GIAM_SAT_CUOC', 'Chủ trì, tham gia {value} cuộc giám sát[ với {GIAM_SAT_KIEN_NGHI} kiến nghị]', 'Led or joined {value} supervisions[ with {GIAM_SAT_KIEN_NGHI} recommendations]'),
('HOI_VIEN_KET_NAP', 'Kết nạp mới {value} hội viên, đoàn viên', 'Admitted {value} new members'),
('KIEM_TRA_CO_SO_CUOC', 'Tổ chức {value} cuộc kiểm tra, đôn đốc Hội, Đoàn cơ sở thực hiện Điều lệ, nhiệm vụ chính trị', 'Made {value} inspections of grassroots branches against their Charter and duties');
