-- Review meetings (issue 4): the meetings of a bloc (hội nghị giao ban),
-- their agenda and attendees, photos, the consolidated report frozen as
-- numbered snapshots, the news draft kept in versions; the task board
-- (directives of held meetings and annual-plan tasks) with owner units,
-- progress updates and evidence.

CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY,
    bloc_id       INTEGER NOT NULL REFERENCES blocs(id),
    kind          TEXT NOT NULL CHECK (kind IN ('monthly','quarterly','thematic')),
    title         TEXT NOT NULL,
    period        TEXT NOT NULL DEFAULT '',
    starts_at     TIMESTAMP,
    place         TEXT NOT NULL DEFAULT '',
    purpose       TEXT NOT NULL DEFAULT '',
    chair_name    TEXT NOT NULL DEFAULT '',
    chair_title   TEXT NOT NULL DEFAULT '',
    chair_body_id INTEGER REFERENCES external_bodies(id),
    chair_unit_id INTEGER REFERENCES units(id),
    minutes       TEXT NOT NULL DEFAULT '',
    conclusions   TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','held')),
    held_at       TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    created_by    INTEGER REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX meetings_bloc ON meetings(bloc_id, starts_at);

CREATE TABLE meeting_agenda (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE meeting_attendees (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('person','unit','body')),
    name       TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL DEFAULT '',
    unit_id    INTEGER REFERENCES units(id),
    body_id    INTEGER REFERENCES external_bodies(id)
);
CREATE INDEX meeting_attendees_meeting ON meeting_attendees(meeting_id, position);

CREATE TABLE meeting_photos (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    caption      TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg','image/png')),
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    uploaded_at  TIMESTAMP NOT NULL,
    uploaded_by  INTEGER REFERENCES users(id)
);
CREATE INDEX meeting_photos_meeting ON meeting_photos(meeting_id, id);

-- The consolidated report as it stood when frozen for the meeting. A
-- snapshot is never changed: taking another one adds the next version.
CREATE TABLE meeting_snapshots (
    meeting_id    INTEGER NOT NULL REFERENCES meetings(id),
    version       INTEGER NOT NULL,
    taken_at      TIMESTAMP NOT NULL,
    taken_by      INTEGER REFERENCES users(id),
    taken_by_name TEXT NOT NULL DEFAULT '',
    bloc_id       INTEGER NOT NULL REFERENCES blocs(id),
    period        TEXT NOT NULL,
    title         TEXT NOT NULL,
    content_html  TEXT NOT NULL,
    content_json  TEXT,
    PRIMARY KEY (meeting_id, version)
);
CREATE TRIGGER meeting_snapshots_no_update BEFORE UPDATE ON meeting_snapshots
BEGIN SELECT RAISE(ABORT, 'meeting_snapshots are frozen: take a new snapshot instead'); END;
CREATE TRIGGER meeting_snapshots_no_delete BEFORE DELETE ON meeting_snapshots
BEGIN SELECT RAISE(ABORT, 'meeting_snapshots are frozen: take a new snapshot instead'); END;

-- The news article drafted from a held meeting: every save adds a version.
CREATE TABLE meeting_news (
    meeting_id    INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    title         TEXT NOT NULL,
    published_on  DATE,
    body_html     TEXT NOT NULL,
    author        TEXT NOT NULL DEFAULT '',
    author_unit   TEXT NOT NULL DEFAULT '',
    saved_at      TIMESTAMP NOT NULL,
    saved_by      INTEGER REFERENCES users(id),
    saved_by_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, version)
);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    bloc_id     INTEGER NOT NULL REFERENCES blocs(id),
    source      TEXT NOT NULL CHECK (source IN ('directive','plan')),
    meeting_id  INTEGER REFERENCES meetings(id),
    seq         INTEGER NOT NULL DEFAULT 0,
    plan_year   INTEGER,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    deadline    DATE NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_progress','done','cancelled')),
    progress    INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    done_on     DATE,
    version     INTEGER NOT NULL DEFAULT 1,
    created_by  INTEGER REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((source = 'directive') = (meeting_id IS NOT NULL))
);
CREATE INDEX tasks_bloc ON tasks(bloc_id, status, deadline);
CREATE INDEX tasks_meeting ON tasks(meeting_id, seq);

CREATE TABLE task_owners (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_owners_unit ON task_owners(unit_id);

CREATE TABLE task_updates (
    id        INTEGER PRIMARY KEY,
    task_id   INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    at        TIMESTAMP NOT NULL,
    user_id   INTEGER REFERENCES users(id),
    user_name TEXT NOT NULL DEFAULT '',
    unit_id   INTEGER REFERENCES units(id),
    status    TEXT NOT NULL,
    progress  INTEGER NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_updates_task ON task_updates(task_id, id);

CREATE TABLE task_evidence (
    id             INTEGER PRIMARY KEY,
    task_id        INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    update_id      INTEGER REFERENCES task_updates(id),
    kind           TEXT NOT NULL CHECK (kind IN ('note','file','link')),
    note           TEXT NOT NULL DEFAULT '',
    file_name      TEXT NOT NULL DEFAULT '',
    content_type   TEXT NOT NULL DEFAULT '',
    size           INTEGER NOT NULL DEFAULT 0,
    data           BLOB,
    report_unit_id INTEGER REFERENCES units(id),
    report_period  TEXT NOT NULL DEFAULT '',
    at             TIMESTAMP NOT NULL,
    user_id        INTEGER REFERENCES users(id),
    user_name      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_evidence_task ON task_evidence(task_id, id);
