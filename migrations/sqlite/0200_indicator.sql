-- Indicator catalogue: sections, disaggregations, indicators and the
-- organisations that report them, report forms (data sets) with their
-- ordered indicators, and validation rules between indicators.
-- Narrative sections are fixed (indicator.Narratives) and not stored.

CREATE TABLE indicator_sections (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE disaggregations (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT ''
);

CREATE TABLE disaggregation_options (
    id                INTEGER PRIMARY KEY,
    disaggregation_id INTEGER NOT NULL REFERENCES disaggregations(id) ON DELETE CASCADE,
    code              TEXT NOT NULL,
    name_vi           TEXT NOT NULL,
    name_en           TEXT NOT NULL DEFAULT '',
    sort_order        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (disaggregation_id, code)
);

CREATE TABLE indicators (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    name_vi           TEXT NOT NULL,
    name_en           TEXT NOT NULL DEFAULT '',
    section_id        INTEGER NOT NULL REFERENCES indicator_sections(id),
    unit_vi           TEXT NOT NULL DEFAULT '',
    unit_en           TEXT NOT NULL DEFAULT '',
    value_type        TEXT NOT NULL CHECK (value_type IN ('integer','money','decimal','yesno','text')),
    scale             INTEGER NOT NULL DEFAULT 0,
    agg_units         TEXT NOT NULL CHECK (agg_units IN ('sum','max','last','average','none')),
    agg_periods       TEXT NOT NULL CHECK (agg_periods IN ('sum','max','last','average','none')),
    cumulative        BOOLEAN NOT NULL DEFAULT 0,
    min_value         BIGINT,
    max_value         BIGINT,
    disaggregation_id INTEGER REFERENCES disaggregations(id),
    derived_from      TEXT NOT NULL DEFAULT '',
    sort_order        INTEGER NOT NULL DEFAULT 0,
    retired           BOOLEAN NOT NULL DEFAULT 0,
    created_at        TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at        TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX indicators_section ON indicators(section_id, sort_order);

-- Which organisations report an indicator; no row means every organisation.
CREATE TABLE indicator_organisations (
    indicator_id    INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (indicator_id, organisation_id)
);
CREATE INDEX indicator_organisations_org ON indicator_organisations(organisation_id);

CREATE TABLE forms (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name_vi         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    organisation_id INTEGER REFERENCES organisations(id),
    period_type     TEXT NOT NULL CHECK (period_type IN ('month','quarter','6months','9months','year')),
    active          BOOLEAN NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- At most one active form per organisation (or generic) and period type.
CREATE UNIQUE INDEX forms_active ON forms(COALESCE(organisation_id, 0), period_type) WHERE active;

CREATE TABLE form_indicators (
    form_id      INTEGER NOT NULL REFERENCES forms(id) ON DELETE CASCADE,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    PRIMARY KEY (form_id, indicator_id)
);
CREATE INDEX form_indicators_indicator ON form_indicators(indicator_id);

CREATE TABLE indicator_rules (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    left_expr  TEXT NOT NULL,
    operator   TEXT NOT NULL CHECK (operator IN ('<=','<','>=','>','==','!=')),
    right_expr TEXT NOT NULL,
    severity   TEXT NOT NULL CHECK (severity IN ('blocking','warning')),
    message_vi TEXT NOT NULL,
    message_en TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
