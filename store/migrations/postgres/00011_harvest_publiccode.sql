-- +goose Up
-- A component a publiccode.yml harvest keeps: harvest_source is the list entry (a repository
-- URL, a raw file URL or a path) its file was last read from, and harvest_missing_since when a
-- later harvest of that entry first failed to find it. The component is flagged, never deleted.
ALTER TABLE components ADD COLUMN harvest_source TEXT;
ALTER TABLE components ADD COLUMN harvest_missing_since TIMESTAMPTZ;
CREATE INDEX components_harvest_source ON components (harvest_source);

-- +goose Down
DROP INDEX components_harvest_source;
ALTER TABLE components DROP COLUMN harvest_missing_since;
ALTER TABLE components DROP COLUMN harvest_source;
