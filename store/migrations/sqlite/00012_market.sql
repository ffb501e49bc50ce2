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

-- An adoption's optional contract details, as councils publish them under the Local Government
-- Transparency Code: the value in whole pounds, the supplier when it is not the component's
-- vendor (a vendor's slug, such as a reseller's) and the council's reference for the contract.
ALTER TABLE adoptions ADD COLUMN contract_value_gbp INTEGER;
ALTER TABLE adoptions ADD COLUMN contract_supplier TEXT;
ALTER TABLE adoptions ADD COLUMN contract_reference TEXT;

-- +goose Down
ALTER TABLE adoptions DROP COLUMN contract_reference;
ALTER TABLE adoptions DROP COLUMN contract_supplier;
ALTER TABLE adoptions DROP COLUMN contract_value_gbp;
DROP TABLE market_events;
