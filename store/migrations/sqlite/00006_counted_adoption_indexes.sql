-- +goose Up
-- Counts leave out vendors' claims the council has not verified (models.Counts), so the
-- adoption-count indexes carry verified and source too, and the counts are still read from
-- the indexes alone, without visiting the rows.
CREATE INDEX adoptions_component_counted ON adoptions (component_id, status, rejected_at, verified, source);
CREATE INDEX adoptions_council_counted ON adoptions (council_id, status, rejected_at, verified, source, capability_id);
CREATE INDEX adoptions_capability_counted ON adoptions (capability_id, status, rejected_at, verified, source, council_id);
DROP INDEX adoptions_component_use;
DROP INDEX adoptions_council_use;
DROP INDEX adoptions_capability_use;

-- +goose Down
CREATE INDEX adoptions_component_use ON adoptions (component_id, status, rejected_at);
CREATE INDEX adoptions_council_use ON adoptions (council_id, status, rejected_at, capability_id);
CREATE INDEX adoptions_capability_use ON adoptions (capability_id, status, rejected_at, council_id);
DROP INDEX adoptions_capability_counted;
DROP INDEX adoptions_council_counted;
DROP INDEX adoptions_component_counted;
