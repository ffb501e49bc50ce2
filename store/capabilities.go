package store

import (
	"context"

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
	var c models.Capability
	in.Apply(&c)
	now := s.Now()
	row := capabilityRow{Slug: c.Slug, Name: c.Name, Category: c.Category, Description: c.Description,
		LGSLCodes: joinInts(c.LGSLCodes), Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := insertAudited(s, ctx, actor, now, "capability", row.Slug, &row, capabilityRow.model); err != nil {
		return c, err
	}
	return row.model(), nil
}

// UpdateCapability applies in to the capability, guarded by ifVersion like UpdateVendor.
func (s *Store) UpdateCapability(ctx context.Context, actor models.Actor, slug string, in models.CapabilityInput, ifVersion *int) (models.Capability, error) {
	var out models.Capability
	err := s.write(ctx, func(tx *gorm.DB) error {
		var row capabilityRow
		if err := takeBySlug(forUpdate(tx), &row, "capability", slug); err != nil {
			return err
		}
		if err := checkVersion(row.Version, ifVersion); err != nil {
			return err
		}
		before := row.model()
		c := row.model()
		in.Apply(&c)
		row.Name, row.Category, row.Description, row.LGSLCodes = c.Name, c.Category, c.Description, joinInts(c.LGSLCodes)
		row.Version++
		row.UpdatedAt = s.Now()
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		out = row.model()
		if in.Name != nil { // capability names are part of component search text
			if err := reindexComponentsWhere(tx, "components.id IN (SELECT component_id FROM component_capabilities WHERE capability_id = ?)", row.ID); err != nil {
				return err
			}
		}
		return audit(tx, actor, row.UpdatedAt, "capability", slug, "updated", before, out)
	})
	return out, err
}

// DeleteCapability removes a capability no component, adoption or need refers to.
func (s *Store) DeleteCapability(ctx context.Context, actor models.Actor, slug string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var row capabilityRow
		if err := takeBySlug(tx, &row, "capability", slug); err != nil {
			return err
		}
		var n int64
		err := tx.Raw(`SELECT (SELECT count(*) FROM component_capabilities WHERE capability_id = ?)
			+ (SELECT count(*) FROM adoptions WHERE capability_id = ?)
			+ (SELECT count(*) FROM needs WHERE capability_id = ?)`, row.ID, row.ID, row.ID).Scan(&n).Error
		if err != nil {
			return err
		}
		if n > 0 {
			return models.Errorf(models.ECONFLICT, "capability %q is still used by components, adoptions or needs", slug)
		}
		if err := tx.Delete(&row).Error; err != nil {
			return err
		}
		return audit(tx, actor, s.Now(), "capability", slug, "deleted", row.model(), nil)
	})
}
