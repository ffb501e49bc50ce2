-- +goose Up
-- Councils are reference data: loaded from mySociety's register, never written through the API.
CREATE TABLE councils (
    id                      INTEGER PRIMARY KEY,
    code                    TEXT    NOT NULL UNIQUE, -- ONS GSS code
    authority_code          TEXT    NOT NULL UNIQUE, -- mySociety local-authority-code
    name                    TEXT    NOT NULL,
    short_name              TEXT    NOT NULL,
    type                    TEXT    NOT NULL,
    type_name               TEXT    NOT NULL,
    region                  TEXT    NOT NULL,
    nation                  TEXT    NOT NULL,
    lower_or_unitary        BOOLEAN NOT NULL DEFAULT FALSE,
    delivers_services       BOOLEAN NOT NULL DEFAULT FALSE,
    powers                  TEXT    NOT NULL DEFAULT '',
    county_code             TEXT,
    combined_authority_code TEXT,
    population              INTEGER,
    latitude                REAL,
    longitude               REAL,
    gov_uk_slug             TEXT,
    homepage_url            TEXT,
    status                  TEXT    NOT NULL DEFAULT 'current',
    start_date              TEXT,
    end_date                TEXT,
    former_gss_codes        TEXT    NOT NULL DEFAULT '', -- comma-separated
    synthetic               BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX councils_status_code ON councils (status, code);

-- A predecessor replaced by a successor (a county split in two has two rows).
CREATE TABLE council_successions (
    predecessor_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    successor_id   INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    PRIMARY KEY (predecessor_id, successor_id)
);
CREATE INDEX council_successions_successor ON council_successions (successor_id);

CREATE TABLE vendors (
    id          INTEGER PRIMARY KEY,
    slug        TEXT     NOT NULL UNIQUE,
    name        TEXT     NOT NULL,
    website     TEXT     NOT NULL,
    kind        TEXT     NOT NULL DEFAULT '',
    description TEXT     NOT NULL DEFAULT '',
    synthetic   BOOLEAN  NOT NULL DEFAULT FALSE,
    version     INTEGER  NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

CREATE TABLE capabilities (
    id          INTEGER PRIMARY KEY,
    slug        TEXT     NOT NULL UNIQUE,
    name        TEXT     NOT NULL,
    category    TEXT     NOT NULL,
    description TEXT     NOT NULL,
    lgsl_codes  TEXT     NOT NULL DEFAULT '', -- comma-separated LGSL service codes
    synthetic   BOOLEAN  NOT NULL DEFAULT FALSE,
    version     INTEGER  NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX capabilities_category ON capabilities (category, slug);

CREATE TABLE components (
    id             INTEGER PRIMARY KEY,
    slug           TEXT     NOT NULL UNIQUE,
    name           TEXT     NOT NULL,
    summary        TEXT     NOT NULL,
    description    TEXT     NOT NULL DEFAULT '',
    vendor_id      INTEGER  NOT NULL REFERENCES vendors (id) ON DELETE RESTRICT,
    licence        TEXT,
    open_source    BOOLEAN  NOT NULL DEFAULT FALSE,
    hosting        TEXT     NOT NULL,
    pricing        TEXT     NOT NULL,
    lifecycle      TEXT     NOT NULL,
    url            TEXT,
    repository_url TEXT,
    docs_url       TEXT,
    synthetic      BOOLEAN  NOT NULL DEFAULT FALSE,
    version        INTEGER  NOT NULL DEFAULT 1,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX components_vendor ON components (vendor_id);
CREATE INDEX components_lifecycle ON components (lifecycle, slug);

CREATE TABLE component_capabilities (
    component_id  INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    capability_id INTEGER NOT NULL REFERENCES capabilities (id) ON DELETE RESTRICT,
    PRIMARY KEY (component_id, capability_id)
);
CREATE INDEX component_capabilities_capability ON component_capabilities (capability_id, component_id);

CREATE TABLE component_standards (
    component_id INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    standard     TEXT    NOT NULL,
    PRIMARY KEY (component_id, standard)
);
CREATE INDEX component_standards_standard ON component_standards (standard, component_id);

CREATE TABLE component_dependencies (
    component_id  INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    depends_on_id INTEGER NOT NULL REFERENCES components (id) ON DELETE RESTRICT,
    PRIMARY KEY (component_id, depends_on_id)
);

-- One adoption record per council and component at a time: a retired or rejected record stays as
-- history, and a council that comes back starts a new record.
CREATE TABLE adoptions (
    id               INTEGER PRIMARY KEY,
    council_id       INTEGER  NOT NULL REFERENCES councils (id) ON DELETE RESTRICT,
    component_id     INTEGER  NOT NULL REFERENCES components (id) ON DELETE RESTRICT,
    capability_id    INTEGER  NOT NULL REFERENCES capabilities (id) ON DELETE RESTRICT,
    status           TEXT     NOT NULL,
    started_on       TEXT,
    ended_on         TEXT,
    contract_end_on  TEXT,
    notes            TEXT     NOT NULL DEFAULT '',
    evidence_url     TEXT,
    source           TEXT     NOT NULL,
    verified         BOOLEAN  NOT NULL DEFAULT FALSE,
    rejected_at      DATETIME,
    rejection_reason TEXT     NOT NULL DEFAULT '',
    version          INTEGER  NOT NULL DEFAULT 1,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);
CREATE UNIQUE INDEX adoptions_current_pair ON adoptions (council_id, component_id) WHERE status <> 'retired' AND rejected_at IS NULL;
CREATE INDEX adoptions_component ON adoptions (component_id, status);
CREATE INDEX adoptions_capability ON adoptions (capability_id, status);

-- Every change of an adoption's status, dates or verification: who, when, from what, to what.
CREATE TABLE adoption_events (
    id          INTEGER PRIMARY KEY,
    adoption_id INTEGER  NOT NULL REFERENCES adoptions (id) ON DELETE CASCADE,
    at          DATETIME NOT NULL,
    actor_key   TEXT     NOT NULL DEFAULT '',
    actor_role  TEXT     NOT NULL DEFAULT '',
    actor_org   TEXT     NOT NULL DEFAULT '',
    action      TEXT     NOT NULL,
    changes     TEXT     NOT NULL DEFAULT '{}' -- JSON: {"field": {"from": ..., "to": ...}}
);
CREATE INDEX adoption_events_adoption ON adoption_events (adoption_id, id);

CREATE TABLE needs (
    id            INTEGER PRIMARY KEY,
    council_id    INTEGER  NOT NULL REFERENCES councils (id) ON DELETE RESTRICT,
    capability_id INTEGER  NOT NULL REFERENCES capabilities (id) ON DELETE RESTRICT,
    needed_by     TEXT     NOT NULL,
    status        TEXT     NOT NULL DEFAULT 'open',
    notes         TEXT     NOT NULL DEFAULT '',
    source        TEXT     NOT NULL DEFAULT 'council',
    version       INTEGER  NOT NULL DEFAULT 1,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX needs_capability ON needs (capability_id, status, needed_by);
CREATE INDEX needs_council ON needs (council_id);

-- Only the SHA-256 of a key is kept; the prefix is what people see and revoke by.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    prefix       TEXT     NOT NULL UNIQUE,
    hash         TEXT     NOT NULL UNIQUE,
    role         TEXT     NOT NULL,
    org          TEXT,
    name         TEXT     NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME,
    expires_at   DATETIME,
    revoked_at   DATETIME
);

-- Every write through the API: who (key prefix, role, owner), what, when, and the record before and after.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         DATETIME NOT NULL,
    actor_key  TEXT     NOT NULL DEFAULT '',
    actor_role TEXT     NOT NULL DEFAULT '',
    actor_org  TEXT     NOT NULL DEFAULT '',
    entity     TEXT     NOT NULL,
    entity_key TEXT     NOT NULL,
    action     TEXT     NOT NULL,
    before     TEXT, -- JSON, null when created
    after      TEXT  -- JSON, null when deleted
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_key, id);
CREATE INDEX audit_log_actor ON audit_log (actor_key, id);

-- Full-text index over each component (docid = components.id), kept current by the store.
CREATE VIRTUAL TABLE component_search USING fts4 (name, summary, description, capabilities, vendor, tokenize=porter);

-- +goose Down
DROP TABLE component_search;
DROP TABLE audit_log;
DROP TABLE api_keys;
DROP TABLE needs;
DROP TABLE adoption_events;
DROP TABLE adoptions;
DROP TABLE component_dependencies;
DROP TABLE component_standards;
DROP TABLE component_capabilities;
DROP TABLE components;
DROP TABLE capabilities;
DROP TABLE vendors;
DROP TABLE council_successions;
DROP TABLE councils;
