-- +goose Up
-- Councils replaced by others on a vesting date. Historic ones are derived from mySociety's register on
-- every seed (natural_key names them); planned ones are entered by admins (source 'admin') and vest or
-- are withdrawn.
CREATE TABLE reorganisations (
    id             INTEGER PRIMARY KEY,
    natural_key    TEXT UNIQUE, -- historic: 'historic:<vesting date>:<successor codes>'; NULL when planned
    status         TEXT     NOT NULL, -- historic, planned, vested, withdrawn
    source         TEXT     NOT NULL, -- reference or admin
    vesting_date   TEXT     NOT NULL,
    successor_code TEXT,              -- planned: the successor's code, once known; it may not be a council yet
    successor_name TEXT     NOT NULL DEFAULT '',
    successor_type TEXT     NOT NULL DEFAULT '',
    notes          TEXT     NOT NULL DEFAULT '',
    vested_at      DATETIME,
    version        INTEGER  NOT NULL DEFAULT 1,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX reorganisations_status ON reorganisations (status, id);

-- The councils a reorganisation replaces (predecessor) and the ones that take over (successor).
CREATE TABLE reorganisation_councils (
    reorganisation_id INTEGER NOT NULL REFERENCES reorganisations (id) ON DELETE CASCADE,
    council_id        INTEGER NOT NULL REFERENCES councils (id) ON DELETE RESTRICT,
    role              TEXT    NOT NULL,
    PRIMARY KEY (reorganisation_id, council_id, role)
);
CREATE INDEX reorganisation_councils_council ON reorganisation_councils (council_id);

-- Each predecessor adoption carried to a successor's adoption when a reorganisation vested.
CREATE TABLE reorganisation_carryovers (
    reorganisation_id INTEGER NOT NULL REFERENCES reorganisations (id) ON DELETE CASCADE,
    from_adoption_id  INTEGER NOT NULL REFERENCES adoptions (id) ON DELETE RESTRICT,
    to_adoption_id    INTEGER NOT NULL REFERENCES adoptions (id) ON DELETE RESTRICT,
    status            TEXT    NOT NULL, -- the predecessor adoption's status when carried
    PRIMARY KEY (from_adoption_id, to_adoption_id)
);
CREATE INDEX reorganisation_carryovers_reorganisation ON reorganisation_carryovers (reorganisation_id);

-- +goose Down
DROP TABLE reorganisation_carryovers;
DROP TABLE reorganisation_councils;
DROP TABLE reorganisations;
