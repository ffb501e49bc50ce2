package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/council-components/registry/models"
)

// mostScopedChanges is how many writes ChangedScopes follows one by one;
// past it (a large import) forgetting everything is cheaper than reading them.
const mostScopedChanges = 10_000

// ChangedScopes reports what the writes after version since, up to and
// including until, touched (models.WriteTouches), from the audit log every
// write adds to in its own transaction: the answer is the same on every
// replica. all is true when they may have touched anything.
func (s *Store) ChangedScopes(ctx context.Context, since, until int64) (scopes []string, all bool, err error) {
	rows, err := s.r.WithContext(ctx).Raw(`SELECT entity, entity_key, action, before, after FROM audit_log
		WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`, since, until, mostScopedChanges+1).Rows()
	n := 0
	err = eachRow(rows, err, func(r *sql.Rows) error {
		var entity, key, action string
		var before, after sql.NullString
		if err := r.Scan(&entity, &key, &action, &before, &after); err != nil {
			return err
		}
		n++
		b, berr := writeRecord(before)
		a, aerr := writeRecord(after)
		touched, everything := models.WriteTouches(entity, key, action, b, a)
		scopes = append(scopes, touched...)
		all = all || everything || berr != nil || aerr != nil
		return nil
	})
	if err != nil {
		return nil, false, translate(err)
	}
	if n > mostScopedChanges {
		return nil, true, nil
	}
	return scopes, all, nil
}

// writeRecord reads the council and component an audited record names; nil when there is none.
func writeRecord(raw sql.NullString) (*models.WriteRecord, error) {
	if !raw.Valid || raw.String == "" || raw.String == "null" {
		return nil, nil
	}
	var r models.WriteRecord
	if err := json.Unmarshal([]byte(raw.String), &r); err != nil {
		return nil, err
	}
	return &r, nil
}
