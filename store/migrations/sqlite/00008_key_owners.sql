-- +goose Up
-- A key belongs to its owner's row, not to a slug another vendor could take later: deleting
-- the vendor revokes the key, and the owner's id is cleared with the row, so a key never passes
-- to a vendor created afterwards under the same slug.
ALTER TABLE api_keys ADD COLUMN vendor_id INTEGER REFERENCES vendors (id) ON DELETE SET NULL;
ALTER TABLE api_keys ADD COLUMN council_id INTEGER REFERENCES councils (id) ON DELETE SET NULL;
CREATE INDEX api_keys_vendor ON api_keys (vendor_id);
CREATE INDEX api_keys_council ON api_keys (council_id);

-- Existing keys are bound by their org. A vendor created after the key cannot be the key's
-- vendor: the key outlived an earlier vendor of that slug.
UPDATE api_keys SET vendor_id = (SELECT v.id FROM vendors v
    WHERE v.slug = api_keys.org AND julianday(v.created_at) <= julianday(api_keys.created_at))
WHERE role = 'vendor';
UPDATE api_keys SET council_id = (SELECT c.id FROM councils c WHERE c.code = api_keys.org)
WHERE role = 'council';
-- A key left without an owner has outlived it: revoked (Authenticate refuses it either way).
UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP
WHERE revoked_at IS NULL AND ((role = 'vendor' AND vendor_id IS NULL) OR (role = 'council' AND council_id IS NULL));

-- +goose Down
DROP INDEX api_keys_council;
DROP INDEX api_keys_vendor;
ALTER TABLE api_keys DROP COLUMN council_id;
ALTER TABLE api_keys DROP COLUMN vendor_id;
