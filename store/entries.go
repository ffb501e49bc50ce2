package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Vendors and capabilities are the catalogue's entries: each is found by its slug, created,
// changed under If-Match and deleted with an audit entry, and named in the search text of
// components. Those writes are written once, here; an entryKind holds what differs by kind
// (vendors.go, capabilities.go).

// entryKind is one kind of catalogue entry: rows R, shown as M.
type entryKind[R, M any] struct {
	name  string // "vendor" or "capability": as audited and named in messages
	model func(R) M
	// newRow is the row of a new entry m, created at now, and its slug.
	newRow func(m M, now time.Time) (R, string)
	// fill writes into the row what an update may change of the entry.
	fill func(row *R, m M)
	// revision points the shared writes at the row's id and at its version and updated_at columns.
	revision func(row *R) (id int64, version *int, updatedAt *time.Time)
	// may refuses an actor an update the route's role allows (nil: refuses no one).
	may func(actor models.Actor, slug string) error
	// searchedBy selects, by the entry's id, the components whose search text carries its name.
	searchedBy string
	// inUse refuses a delete, as a conflict, while anything still refers to the entry.
	inUse func(tx *gorm.DB, row R) error
	// onDelete ends, in the delete's transaction and before the row goes, what dies with the
	// entry, audited at at (nil: nothing does).
	onDelete func(tx *gorm.DB, actor models.Actor, at time.Time, row R) error
}

// createEntry stores a new entry of kind k from in; a taken slug is a conflict.
func createEntry[R, M any](s *Store, ctx context.Context, actor models.Actor, k entryKind[R, M], in interface{ Apply(*M) }) (M, error) {
	var m M
	in.Apply(&m)
	now := s.Now()
	row, slug := k.newRow(m, now)
	if err := insertAudited(s, ctx, actor, now, k.name, slug, &row, k.model); err != nil {
		return m, err
	}
	return k.model(row), nil
}

// insertAudited stores row, a new kind whose key is key, and audits its
// creation at at in the same transaction; a taken key is a conflict.
func insertAudited[R, M any](s *Store, ctx context.Context, actor models.Actor, at time.Time, kind, key string,
	row *R, model func(R) M) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		return audit(tx, actor, at, kind, key, "created", nil, model(*row))
	})
	if models.ErrorCode(err) == models.ECONFLICT {
		return models.Errorf(models.ECONFLICT, "%s %q already exists", kind, key)
	}
	return err
}

// updateEntry applies in to the entry of kind k with slug, read locked. The kind's may, then a
// stale ifVersion, refuse the update; otherwise the entry is saved as its next version and
// audited, and when the input renames it (renamed) the components that carry its name in their
// search text are reindexed.
func updateEntry[R, M any](s *Store, ctx context.Context, actor models.Actor, k entryKind[R, M], slug string,
	in interface{ Apply(*M) }, renamed bool, ifVersion *int) (M, error) {
	var out M
	err := s.write(ctx, func(tx *gorm.DB) error {
		var row R
		if err := takeBySlug(forUpdate(tx), &row, k.name, slug); err != nil {
			return err
		}
		if k.may != nil {
			if err := k.may(actor, slug); err != nil {
				return err
			}
		}
		id, version, updatedAt := k.revision(&row)
		if err := checkVersion(*version, ifVersion); err != nil {
			return err
		}
		before := k.model(row)
		m := k.model(row)
		in.Apply(&m)
		k.fill(&row, m)
		*version++
		*updatedAt = s.Now()
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		out = k.model(row)
		if renamed {
			if err := reindexComponentsWhere(tx, k.searchedBy, id); err != nil {
				return err
			}
		}
		return audit(tx, actor, *updatedAt, k.name, slug, "updated", before, out)
	})
	return out, err
}

// deleteEntry removes the entry of kind k with slug, unless something still refers to it, with
// what dies with it (k.onDelete), and audits it as it last stood.
func deleteEntry[R, M any](s *Store, ctx context.Context, actor models.Actor, k entryKind[R, M], slug string, ifVersion *int) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var row R
		if err := takeBySlug(tx, &row, k.name, slug); err != nil {
			return err
		}
		if _, version, _ := k.revision(&row); checkVersion(*version, ifVersion) != nil {
			return checkVersion(*version, ifVersion)
		}
		if err := k.inUse(tx, row); err != nil {
			return err
		}
		now := s.Now()
		if k.onDelete != nil {
			if err := k.onDelete(tx, actor, now, row); err != nil {
				return err
			}
		}
		if err := tx.Delete(&row).Error; err != nil {
			return err
		}
		return audit(tx, actor, now, k.name, slug, "deleted", k.model(row), nil)
	})
}
