-- +goose Up
-- Adoption counts per component (lists, details, search ranking) and per council, and live
-- coverage per capability, are read from these indexes alone, without visiting the rows: at
-- national scale (millions of adoptions) that is the difference between milliseconds and seconds.
-- The first two supersede adoptions_component and adoptions_capability, which they extend.
CREATE INDEX adoptions_component_use ON adoptions (component_id, status, rejected_at);
CREATE INDEX adoptions_council_use ON adoptions (council_id, status, rejected_at, capability_id);
CREATE INDEX adoptions_capability_use ON adoptions (capability_id, status, rejected_at, council_id);
DROP INDEX adoptions_component;
DROP INDEX adoptions_capability;

-- +goose Down
CREATE INDEX adoptions_component ON adoptions (component_id, status);
CREATE INDEX adoptions_capability ON adoptions (capability_id, status);
DROP INDEX adoptions_capability_use;
DROP INDEX adoptions_council_use;
DROP INDEX adoptions_component_use;
