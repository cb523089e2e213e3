-- Reporting: values of each unit for each period, reports and their
-- workflow events, narratives, the annual plan (targets) and each bloc's
-- period settings (cut-off, deadline).

CREATE TABLE reports (
    id                 INTEGER PRIMARY KEY,
    unit_id            INTEGER NOT NULL REFERENCES units(id),
    period             TEXT NOT NULL,
    form_id            INTEGER REFERENCES forms(id),
    status             TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','returned','approved')),
    first_submitted_at TIMESTAMP,
    submitted_at       TIMESTAMP,
    submitted_by       INTEGER REFERENCES users(id),
    late               BOOLEAN NOT NULL DEFAULT 0,
    approved_at        TIMESTAMP,
    approved_by        INTEGER REFERENCES users(id),
    return_comment     TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (unit_id, period)
);
CREATE INDEX reports_period ON reports(period, status);

CREATE TABLE data_values (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    period       TEXT NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    option       TEXT NOT NULL DEFAULT '',
    value_num    BIGINT,
    value_text   TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TIMESTAMP NOT NULL,
    updated_by   INTEGER REFERENCES users(id),
    UNIQUE (unit_id, period, indicator_id, option)
);
-- Bloc totals and comparisons read one period (or year) across units.
CREATE INDEX data_values_period ON data_values(period, indicator_id);
CREATE INDEX data_values_indicator ON data_values(indicator_id);

CREATE TABLE report_narratives (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    section    TEXT NOT NULL,
    html       TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    UNIQUE (report_id, section)
);

CREATE TABLE report_events (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    username    TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL,
    comment     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_events_report ON report_events(report_id, at);

-- The annual plan: a target for a unit, or (area_id) for the bloc of an area.
CREATE TABLE targets (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    unit_id      INTEGER REFERENCES units(id),
    area_id      INTEGER REFERENCES areas(id),
    value        BIGINT NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    CHECK ((unit_id IS NULL) <> (area_id IS NULL))
);
CREATE UNIQUE INDEX targets_unit ON targets(year, indicator_id, unit_id) WHERE unit_id IS NOT NULL;
CREATE UNIQUE INDEX targets_area ON targets(year, indicator_id, area_id) WHERE area_id IS NOT NULL;

-- A bloc's period.Settings; a bloc without a row uses the defaults.
CREATE TABLE bloc_period_settings (
    bloc_id       INTEGER PRIMARY KEY REFERENCES blocs(id) ON DELETE CASCADE,
    cutoff_day    INTEGER NOT NULL,
    months_early  INTEGER NOT NULL DEFAULT 0,
    deadline_days INTEGER NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
