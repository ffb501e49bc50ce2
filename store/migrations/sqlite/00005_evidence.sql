-- +goose Up
-- Evidence of an adoption: each item cites where it was seen, with a quote and the source's date,
-- and the status it supports. "current" turns false when a later harvest of the same source no
-- longer lists the council; the item is kept, never deleted.
CREATE TABLE adoption_evidence (
    id          INTEGER PRIMARY KEY,
    adoption_id INTEGER  NOT NULL REFERENCES adoptions (id) ON DELETE CASCADE,
    source      TEXT     NOT NULL,
    url         TEXT     NOT NULL,
    quote       TEXT     NOT NULL DEFAULT '',
    observed_on TEXT     NOT NULL,
    status      TEXT     NOT NULL,
    current     BOOLEAN  NOT NULL DEFAULT TRUE,
    created_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX adoption_evidence_item ON adoption_evidence (adoption_id, source, url, quote);
CREATE INDEX adoption_evidence_source ON adoption_evidence (source, current);

-- verified_on: when the council (or an admin) last verified or reconfirmed the adoption.
-- confirmed_on: the newest of verified_on and the current evidence's dates.
-- rejection_cleared_at: a rejected claim may be filed again only once this is set.
ALTER TABLE adoptions ADD COLUMN verified_on TEXT;
ALTER TABLE adoptions ADD COLUMN confirmed_on TEXT;
ALTER TABLE adoptions ADD COLUMN rejection_cleared_at DATETIME;
CREATE INDEX adoptions_council_confirmed ON adoptions (council_id, confirmed_on);

-- Each harvest applied: a file older than the newest applied for its source is refused.
CREATE TABLE harvests (
    id          INTEGER PRIMARY KEY,
    source      TEXT     NOT NULL,
    observed_on TEXT     NOT NULL,
    file        TEXT     NOT NULL,
    sha256      TEXT     NOT NULL,
    report      TEXT     NOT NULL DEFAULT '{}',
    ran_at      DATETIME NOT NULL
);
CREATE INDEX harvests_source ON harvests (source, observed_on);

-- Programmes (Open Digital Planning) and commitments (the Local Digital Declaration) are not
-- software, so they are not components: councils are members of them.
CREATE TABLE programmes (
    id         INTEGER PRIMARY KEY,
    slug       TEXT     NOT NULL UNIQUE,
    name       TEXT     NOT NULL,
    kind       TEXT     NOT NULL, -- programme or commitment
    owner      TEXT     NOT NULL DEFAULT '',
    summary    TEXT     NOT NULL DEFAULT '',
    url        TEXT     NOT NULL DEFAULT '',
    source_url TEXT     NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE TABLE programme_members (
    id           INTEGER PRIMARY KEY,
    programme_id INTEGER  NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    council_id   INTEGER  NOT NULL REFERENCES councils (id) ON DELETE RESTRICT,
    source       TEXT     NOT NULL,
    url          TEXT     NOT NULL,
    quote        TEXT     NOT NULL DEFAULT '',
    observed_on  TEXT     NOT NULL,
    current      BOOLEAN  NOT NULL DEFAULT TRUE,
    created_at   DATETIME NOT NULL
);
CREATE UNIQUE INDEX programme_members_item ON programme_members (programme_id, council_id, source, url, quote);
CREATE INDEX programme_members_council ON programme_members (council_id);

-- Real multi-council projects (funding awards, shared services), each citing its source.
CREATE TABLE projects (
    id              INTEGER PRIMARY KEY,
    slug            TEXT     NOT NULL UNIQUE,
    name            TEXT     NOT NULL,
    lead_council_id INTEGER  REFERENCES councils (id) ON DELETE RESTRICT,
    lead_name       TEXT     NOT NULL DEFAULT '',
    theme           TEXT     NOT NULL DEFAULT '',
    component_id    INTEGER  REFERENCES components (id) ON DELETE SET NULL,
    programme_id    INTEGER  REFERENCES programmes (id) ON DELETE SET NULL,
    capability_id   INTEGER  REFERENCES capabilities (id) ON DELETE SET NULL, -- what it is listed under among collaborations
    started_on      TEXT,
    ended_on        TEXT,
    funding         TEXT     NOT NULL DEFAULT '',
    source_url      TEXT     NOT NULL,
    quote           TEXT     NOT NULL DEFAULT '',
    notes           TEXT     NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL
);
CREATE TABLE project_councils (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE RESTRICT,
    PRIMARY KEY (project_id, council_id)
);
CREATE INDEX project_councils_council ON project_councils (council_id);

-- +goose Down
DROP TABLE project_councils;
DROP TABLE projects;
DROP TABLE programme_members;
DROP TABLE programmes;
DROP TABLE harvests;
DROP INDEX adoptions_council_confirmed;
ALTER TABLE adoptions DROP COLUMN rejection_cleared_at;
ALTER TABLE adoptions DROP COLUMN confirmed_on;
ALTER TABLE adoptions DROP COLUMN verified_on;
DROP TABLE adoption_evidence;
