-- Roll-ups: live aggregates of data_values along the area tree, kept in
-- the same transaction as every write by the triggers below (no nightly
-- job), the drafted narrative's sentence templates, the secretariat's
-- edited drafts, and each bloc's document header settings.
--
-- rollup_cells holds, for every area that has units BELOW it (never the
-- area's own units: those are read from data_values directly, one index
-- probe per unit), and for the whole country (area_id 0), the sum and the
-- number of reporting units of each (period, indicator, organisation), in
-- two classes: approved = 0 counts every value (drafts included),
-- approved = 1 only values of approved reports. A value written to a unit
-- of a commune of a district of a province touches at most
-- 3 strict ancestors + the country = 4 rows per class.

CREATE TABLE rollup_cells (
    area_id         INTEGER NOT NULL,
    approved        INTEGER NOT NULL,
    period          TEXT NOT NULL,
    indicator_id    INTEGER NOT NULL,
    organisation_id INTEGER NOT NULL,
    total           INTEGER NOT NULL DEFAULT 0,
    units           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (area_id, approved, period, indicator_id, organisation_id)
) WITHOUT ROWID;

-- The strict ancestors of an area with path '/1/5/23/' are the ids of
-- json_each('[0,1,5,23]') other than 23 itself (0 is the country).

-- A value saved: add it to the ancestors, in the "all" class and, when the
-- unit's report is approved, in the "approved" class. The unit counts once
-- per indicator however many options (disaggregation) it fills.
CREATE TRIGGER rollup_values_insert AFTER INSERT ON data_values
WHEN NEW.value_num IS NOT NULL
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
WHEN OLD.value_num IS NOT NULL
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
WHEN OLD.value_num IS NOT NEW.value_num OR OLD.unit_id <> NEW.unit_id OR OLD.period <> NEW.period OR OLD.indicator_id <> NEW.indicator_id
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

-- A report approved, or no longer approved (returned, reopened, deleted):
-- its unit's values of that period move into or out of the approved class.
CREATE TRIGGER rollup_reports_insert AFTER INSERT ON reports
WHEN NEW.status = 'approved'
BEGIN
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, 1, v.period, v.indicator_id, u.organisation_id, SUM(v.value_num), 1
    FROM data_values v JOIN units u ON u.id = v.unit_id JOIN areas a ON a.id = u.area_id,
         json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j
    WHERE v.unit_id = NEW.unit_id AND v.period = NEW.period AND v.value_num IS NOT NULL AND j.value <> a.id
    GROUP BY j.value, v.period, v.indicator_id, u.organisation_id
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
END;

CREATE TRIGGER rollup_reports_delete AFTER DELETE ON reports
WHEN OLD.status = 'approved'
BEGIN
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, 1, v.period, v.indicator_id, u.organisation_id, -SUM(v.value_num), -1
    FROM data_values v JOIN units u ON u.id = v.unit_id JOIN areas a ON a.id = u.area_id,
         json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j
    WHERE v.unit_id = OLD.unit_id AND v.period = OLD.period AND v.value_num IS NOT NULL AND j.value <> a.id
    GROUP BY j.value, v.period, v.indicator_id, u.organisation_id
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
END;

CREATE TRIGGER rollup_reports_update AFTER UPDATE OF status, unit_id, period ON reports
WHEN (OLD.status = 'approved' OR NEW.status = 'approved')
     AND (OLD.status <> NEW.status OR OLD.unit_id <> NEW.unit_id OR OLD.period <> NEW.period)
BEGIN
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, 1, v.period, v.indicator_id, u.organisation_id, -SUM(v.value_num), -1
    FROM data_values v JOIN units u ON u.id = v.unit_id JOIN areas a ON a.id = u.area_id,
         json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j
    WHERE OLD.status = 'approved' AND v.unit_id = OLD.unit_id AND v.period = OLD.period AND v.value_num IS NOT NULL AND j.value <> a.id
    GROUP BY j.value, v.period, v.indicator_id, u.organisation_id
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, 1, v.period, v.indicator_id, u.organisation_id, SUM(v.value_num), 1
    FROM data_values v JOIN units u ON u.id = v.unit_id JOIN areas a ON a.id = u.area_id,
         json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j
    WHERE NEW.status = 'approved' AND v.unit_id = NEW.unit_id AND v.period = NEW.period AND v.value_num IS NOT NULL AND j.value <> a.id
    GROUP BY j.value, v.period, v.indicator_id, u.organisation_id
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
END;

-- A unit moved to another area or organisation: all its values move.
CREATE TRIGGER rollup_units_move AFTER UPDATE OF area_id, organisation_id ON units
WHEN OLD.area_id <> NEW.area_id OR OLD.organisation_id <> NEW.organisation_id
BEGIN
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, c.approved, v.period, v.indicator_id, OLD.organisation_id, -SUM(v.value_num), -1
    FROM data_values v JOIN areas a ON a.id = OLD.area_id,
         json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j,
         (SELECT 0 AS approved UNION ALL SELECT 1) c
    WHERE v.unit_id = OLD.id AND v.value_num IS NOT NULL AND j.value <> a.id
      AND (c.approved = 0 OR EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = OLD.id AND r.period = v.period AND r.status = 'approved'))
    GROUP BY j.value, c.approved, v.period, v.indicator_id
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, c.approved, v.period, v.indicator_id, NEW.organisation_id, SUM(v.value_num), 1
    FROM data_values v JOIN areas a ON a.id = NEW.area_id,
         json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']') j,
         (SELECT 0 AS approved UNION ALL SELECT 1) c
    WHERE v.unit_id = NEW.id AND v.value_num IS NOT NULL AND j.value <> a.id
      AND (c.approved = 0 OR EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = NEW.id AND r.period = v.period AND r.status = 'approved'))
    GROUP BY j.value, c.approved, v.period, v.indicator_id
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
END;

-- An area moved in the tree (its path changed; a subtree move updates
-- every path under it, each row firing for its own units): the values of
-- the units at that area leave the old ancestors and join the new ones.
CREATE TRIGGER rollup_areas_move AFTER UPDATE OF path ON areas
WHEN OLD.path <> NEW.path
BEGIN
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, c.approved, v.period, v.indicator_id, u.organisation_id, -SUM(v.value_num), -1
    FROM units u JOIN data_values v ON v.unit_id = u.id,
         json_each('[0' || replace(rtrim(OLD.path, '/'), '/', ',') || ']') j,
         (SELECT 0 AS approved UNION ALL SELECT 1) c
    WHERE u.area_id = OLD.id AND v.value_num IS NOT NULL AND j.value <> OLD.id
      AND (c.approved = 0 OR EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = u.id AND r.period = v.period AND r.status = 'approved'))
    GROUP BY j.value, c.approved, v.period, v.indicator_id, u.organisation_id
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
    INSERT INTO rollup_cells(area_id, approved, period, indicator_id, organisation_id, total, units)
    SELECT j.value, c.approved, v.period, v.indicator_id, u.organisation_id, SUM(v.value_num), 1
    FROM units u JOIN data_values v ON v.unit_id = u.id,
         json_each('[0' || replace(rtrim(NEW.path, '/'), '/', ',') || ']') j,
         (SELECT 0 AS approved UNION ALL SELECT 1) c
    WHERE u.area_id = NEW.id AND v.value_num IS NOT NULL AND j.value <> NEW.id
      AND (c.approved = 0 OR EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = u.id AND r.period = v.period AND r.status = 'approved'))
    GROUP BY j.value, c.approved, v.period, v.indicator_id, u.organisation_id
    ON CONFLICT (area_id, approved, period, indicator_id, organisation_id)
    DO UPDATE SET total = rollup_cells.total + excluded.total, units = rollup_cells.units + excluded.units;
END;

-- Sentence templates of the drafted narrative, per indicator: {money} and
-- {value} are the indicator's own figure, {CODE} another indicator's;
-- [ … ] is left out when a figure in it is missing or zero.
CREATE TABLE rollup_templates (
    indicator_code TEXT PRIMARY KEY,
    template_vi    TEXT NOT NULL,
    template_en    TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_by     INTEGER REFERENCES users(id)
);

-- The secretariat's edited narrative of a consolidated report (area_id is
-- the area drilled into; the bloc's own area otherwise).
CREATE TABLE consolidated_drafts (
    id         INTEGER PRIMARY KEY,
    bloc_id    INTEGER NOT NULL REFERENCES blocs(id) ON DELETE CASCADE,
    period     TEXT NOT NULL,
    area_id    INTEGER NOT NULL REFERENCES areas(id),
    html       TEXT NOT NULL,
    number     TEXT NOT NULL DEFAULT '',
    doc_date   DATE,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    UNIQUE (bloc_id, period, area_id)
);

-- How a bloc's documents are headed and signed; a bloc without a row
-- gets headers built from its area.
CREATE TABLE bloc_documents (
    bloc_id      INTEGER PRIMARY KEY REFERENCES blocs(id) ON DELETE CASCADE,
    parent_body  TEXT NOT NULL DEFAULT '',
    issuing_body TEXT NOT NULL DEFAULT '',
    symbol       TEXT NOT NULL DEFAULT 'BC-MTTQ',
    place        TEXT NOT NULL DEFAULT '',
    on_behalf    TEXT NOT NULL DEFAULT 'TM. BAN THƯỜNG TRỰC',
    signer_title TEXT NOT NULL DEFAULT '',
    signer_name  TEXT NOT NULL DEFAULT '',
    recipients   TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TIMESTAMP NOT NULL
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
