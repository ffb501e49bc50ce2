-- +goose Up
-- The publiccode.yml a component was last imported from, kept whole so an export gives back what
-- the registry does not model (features, contacts, country sections, comments).
CREATE TABLE component_publiccode (
    component_id INTEGER  PRIMARY KEY REFERENCES components (id) ON DELETE CASCADE,
    document     TEXT     NOT NULL,
    imported_at  DATETIME NOT NULL
);

-- URLs told of every change in the public feed. The secret signs deliveries, so it is kept as it is.
CREATE TABLE webhooks (
    id             INTEGER  PRIMARY KEY,
    url            TEXT     NOT NULL,
    secret         TEXT     NOT NULL,
    entities       TEXT     NOT NULL DEFAULT '', -- comma-separated kinds of record; empty means all
    description    TEXT     NOT NULL DEFAULT '',
    after_audit_id INTEGER  NOT NULL DEFAULT 0,  -- changes up to this audit entry are queued
    created_at     DATETIME NOT NULL
);

-- The delivery queue: one row per change and webhook, kept until delivered or given up, so
-- deliveries survive restarts. A worker leases a row (locked_until) while it sends it.
CREATE TABLE webhook_deliveries (
    id              INTEGER  PRIMARY KEY,
    webhook_id      INTEGER  NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    audit_id        INTEGER  NOT NULL,
    event           TEXT     NOT NULL,
    payload         TEXT     NOT NULL, -- the JSON body, fixed when queued so every retry sends the same bytes
    attempts        INTEGER  NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    locked_until    DATETIME,
    delivered_at    DATETIME,
    failed_at       DATETIME,
    last_status     INTEGER  NOT NULL DEFAULT 0,
    last_error      TEXT     NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    UNIQUE (webhook_id, audit_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE delivered_at IS NULL AND failed_at IS NULL;

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE component_publiccode;
