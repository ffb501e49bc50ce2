package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// ListVendors returns vendors in slug order.
func (s *Store) ListVendors(ctx context.Context, p models.Page) (models.List[models.Vendor], error) {
	rows, total, next, err := keyset(s.r.WithContext(ctx), "slug", p, func(r vendorRow) string { return r.Slug }, nil)
	return listOf(rows, total, next, err, vendorRow.model)
}

// GetVendor returns one vendor.
func (s *Store) GetVendor(ctx context.Context, slug string) (models.Vendor, error) {
	var row vendorRow
	err := takeBySlug(s.r.WithContext(ctx), &row, "vendor", slug)
	return row.model(), err
}

// CreateVendor stores a new vendor; a taken slug is a conflict.
func (s *Store) CreateVendor(ctx context.Context, actor models.Actor, in models.VendorInput) (models.Vendor, error) {
	return createEntry(s, ctx, actor, vendorEntries, in)
}

// UpdateVendor applies in to the vendor. When ifVersion is set and the stored
// version differs, nothing is written and the error is a failed precondition.
func (s *Store) UpdateVendor(ctx context.Context, actor models.Actor, slug string, in models.VendorInput, ifVersion *int) (models.Vendor, error) {
	return updateEntry(s, ctx, actor, vendorEntries, slug, in, in.Name != nil, ifVersion)
}

// DeleteVendor removes a vendor that has no components, and revokes its keys.
func (s *Store) DeleteVendor(ctx context.Context, actor models.Actor, slug string, ifVersion *int) error {
	return deleteEntry(s, ctx, actor, vendorEntries, slug, ifVersion)
}

// vendorEntries is what the shared entry writes (entries.go) need to know of vendors.
var vendorEntries = entryKind[vendorRow, models.Vendor]{
	name:  "vendor",
	model: vendorRow.model,
	newRow: func(v models.Vendor, now time.Time) (vendorRow, string) {
		return vendorRow{Slug: v.Slug, Name: v.Name, Website: v.Website, Kind: v.Kind, Description: v.Description,
			Version: 1, CreatedAt: now, UpdatedAt: now}, v.Slug
	},
	fill: func(r *vendorRow, v models.Vendor) {
		r.Name, r.Website, r.Kind, r.Description = v.Name, v.Website, v.Kind, v.Description
	},
	revision:   func(r *vendorRow) (int64, *int, *time.Time) { return r.ID, &r.Version, &r.UpdatedAt },
	may:        models.Actor.CanWriteVendor, // a vendor key edits only its own vendor
	searchedBy: "components.vendor_id = ?",  // the vendor's name is part of its components' search text
	inUse: func(tx *gorm.DB, r vendorRow) error {
		var n int64
		if err := tx.Model(&componentRow{}).Where("vendor_id = ?", r.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return models.Errorf(models.ECONFLICT, "vendor %q still lists %d components; delete or move them first", r.Slug, n)
		}
		return nil
	},
	// A vendor's keys die with it: revoked, not left for a vendor created later under its slug.
	onDelete: func(tx *gorm.DB, actor models.Actor, at time.Time, r vendorRow) error {
		return revokeVendorKeys(tx, actor, at, r.ID)
	},
}

func checkVersion(stored int, want *int) error {
	if want != nil && *want != stored {
		return models.Errorf(models.EPRECONDITION, "the resource has changed since it was read; fetch it again and retry")
	}
	return nil
}

// keyset returns one page of rows of R in ascending order of the unique column
// key, the total and the next cursor. where may narrow the rows.
func keyset[R any, K string | int64](db *gorm.DB, key string, p models.Page, keyOf func(R) K, where func(*gorm.DB) *gorm.DB) ([]R, int, string, error) {
	return keysetOrdered(db, key, false, p, keyOf, where)
}

// keysetDesc is keyset, newest (highest key) first.
func keysetDesc[R any, K string | int64](db *gorm.DB, key string, p models.Page, keyOf func(R) K, where func(*gorm.DB) *gorm.DB) ([]R, int, string, error) {
	return keysetOrdered(db, key, true, p, keyOf, where)
}

func keysetOrdered[R any, K string | int64](db *gorm.DB, key string, desc bool, p models.Page, keyOf func(R) K, where func(*gorm.DB) *gorm.DB) ([]R, int, string, error) {
	after, paged, err := models.CursorKey[K](p.Cursor)
	if err != nil {
		return nil, 0, "", err
	}
	base := func() *gorm.DB {
		q := db.Model(new(R))
		if where != nil {
			q = where(q)
		}
		return q
	}
	var total int64
	if err := base().Count(&total).Error; err != nil {
		return nil, 0, "", translate(err)
	}
	limit := pageLimit(p)
	order, cmp := key, " > ?"
	if desc {
		order, cmp = key+" DESC", " < ?"
	}
	q := base().Order(order).Limit(limit + 1)
	if paged {
		q = q.Where(key+cmp, after)
	}
	var rows []R
	if err := q.Find(&rows).Error; err != nil {
		return nil, 0, "", translate(err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = models.KeyCursor(keyOf(rows[len(rows)-1]))
	}
	return rows, int(total), next, nil
}
