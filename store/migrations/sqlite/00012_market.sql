-- +goose Up
-- Market events the webhooks announce beyond the audit log (store/webhook_market.go), each
-- recorded once, in the transaction that queues its deliveries: so a restart neither repeats
-- nor skips one. kind is contract.ending (event_key "adoption id:contract end:months before"),
-- component.retiring (event_key the audit entry's id), or contract.scan (event_key the day
-- contracts were last looked through).
CREATE TABLE market_events (
    id         INTEGER PRIMARY KEY,
    kind       TEXT     NOT NULL,
    event_key  TEXT     NOT NULL,
    created_at DATETIME NOT NULL,
    UNIQUE (kind, event_key)
);

-- +goose Down
DROP TABLE market_events;
