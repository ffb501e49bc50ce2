package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// ListCapabilities returns capabilities in slug order, optionally of one category.
func (s *Store) ListCapabilities(ctx context.Context, f models.CapabilityFilter, p models.Page) (models.List[models.Capability], error) {
	var where func(*gorm.DB) *gorm.DB
	if f.Category != "" {
		where = func(q *gorm.DB) *gorm.DB { return q.Where("category = ?", f.Category) }
	}
	rows, total, next, err := keyset(s.r.WithContext(ctx), "slug", p, func(r capabilityRow) string { return r.Slug }, where)
	return listOf(rows, total, next, err, capabilityRow.model)
}

// GetCapability returns one capability.
func (s *Store) GetCapability(ctx context.Context, slug string) (models.Capability, error) {
	var row capabilityRow
	err := takeBySlug(s.r.WithContext(ctx), &row, "capability", slug)
	return row.model(), err
}

// CreateCapability stores a new capability; a taken slug is a conflict.
func (s *Store) CreateCapability(ctx context.Context, actor models.Actor, in models.CapabilityInput) (models.Capability, error) {
	return createEntry(s, ctx, actor, capabilityEntries, in)
}

// UpdateCapability applies in to the capability, guarded by ifVersion like UpdateVendor.
func (s *Store) UpdateCapability(ctx context.Context, actor models.Actor, slug string, in models.CapabilityInput, ifVersion *int) (models.Capability, error) {
	return updateEntry(s, ctx, actor, capabilityEntries, slug, in, in.Name != nil, ifVersion)
}

// DeleteCapability removes a capability no component, adoption or need refers to.
func (s *Store) DeleteCapability(ctx context.Context, actor models.Actor, slug string, ifVersion *int) error {
	return deleteEntry(s, ctx, actor, capabilityEntries, slug, ifVersion)
}

// capabilityEntries is what the shared entry writes (entries.go) need to know of capabilities.
var capabilityEntries = entryKind[capabilityRow, models.Capability]{
	name:  "capability",
	model: capabilityRow.model,
	newRow: func(c models.Capability, now time.Time) (capabilityRow, string) {
		return capabilityRow{Slug: c.Slug, Name: c.Name, Category: c.Category, Description: c.Description,
			LGSLCodes: joinInts(c.LGSLCodes), Version: 1, CreatedAt: now, UpdatedAt: now}, c.Slug
	},
	fill: func(r *capabilityRow, c models.Capability) {
		r.Name, r.Category, r.Description, r.LGSLCodes = c.Name, c.Category, c.Description, joinInts(c.LGSLCodes)
	},
	revision: func(r *capabilityRow) (int64, *int, *time.Time) { return r.ID, &r.Version, &r.UpdatedAt },
	// capability names are part of component search text
	searchedBy: "components.id IN (SELECT component_id FROM component_capabilities WHERE capability_id = ?)",
	inUse: func(tx *gorm.DB, r capabilityRow) error {
		var n int64
		err := tx.Raw(`SELECT (SELECT count(*) FROM component_capabilities WHERE capability_id = ?)
			+ (SELECT count(*) FROM adoptions WHERE capability_id = ?)
			+ (SELECT count(*) FROM needs WHERE capability_id = ?)`, r.ID, r.ID, r.ID).Scan(&n).Error
		if err != nil {
			return err
		}
		if n > 0 {
			return models.Errorf(models.ECONFLICT, "capability %q is still used by components, adoptions or needs", r.Slug)
		}
		return nil
	},
}
