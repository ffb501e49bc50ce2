-- +goose Up
-- public_contact: how the public may reach the council about an adoption (an email address or
-- an https URL of a contact page), published by the council; null when it has published none.
ALTER TABLE adoptions ADD COLUMN public_contact TEXT;

-- +goose Down
ALTER TABLE adoptions DROP COLUMN public_contact;
