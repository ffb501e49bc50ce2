package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Queries the web pages need beyond the API's. Plain SQL that runs the same on
// SQLite and PostgreSQL.

// LiveUse counts, for each capability (or just one) and component, the
// councils with a live adoption that has not been rejected: most councils
// first, then by capability and component slug.
func (s *Store) LiveUse(ctx context.Context, capability string) ([]models.ComponentUse, error) {
	q := s.r.WithContext(ctx).Table("adoptions a").
		Select(`cap.slug AS capability_slug, cap.name AS capability_name, p.slug AS component_slug,
			p.name AS component_name, count(DISTINCT a.council_id) AS live_councils`).
		Joins("JOIN capabilities cap ON cap.id = a.capability_id").
		Joins("JOIN components p ON p.id = a.component_id").
		Where("a.status = 'live' AND " + counted("a"))
	if capability != "" {
		q = q.Where("cap.slug = ?", capability)
	}
	var rows []struct {
		CapabilitySlug, CapabilityName, ComponentSlug, ComponentName string
		LiveCouncils                                                 int
	}
	err := q.Group("cap.slug, cap.name, p.slug, p.name").
		Order("live_councils DESC, cap.slug, p.slug").Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]models.ComponentUse, len(rows))
	for i, r := range rows {
		out[i] = models.ComponentUse{Capability: models.Ref{Slug: r.CapabilitySlug, Name: r.CapabilityName},
			Component: models.Ref{Slug: r.ComponentSlug, Name: r.ComponentName}, LiveCouncils: r.LiveCouncils}
	}
	return out, nil
}

// CouncilsByCode returns the councils (current or former) with the given
// codes, keyed by code; codes that do not exist are simply absent.
func (s *Store) CouncilsByCode(ctx context.Context, codes []string) (map[string]models.Council, error) {
	return modelsByKey(s.r.WithContext(ctx), "code", codes, s.councilModels, func(c models.Council) string { return c.Code })
}

// ComponentsBySlug returns the components with the given slugs, keyed by slug.
func (s *Store) ComponentsBySlug(ctx context.Context, slugs []string) (map[string]models.Component, error) {
	return modelsByKey(s.r.WithContext(ctx), "slug", slugs, componentModels, func(c models.Component) string { return c.Slug })
}

// modelsByKey reads the rows of R whose column col holds one of keys, in col order, turns them
// into models with convert and keys each by key; keys no row holds are simply absent.
func modelsByKey[R, M any](db *gorm.DB, col string, keys []string, convert func(*gorm.DB, []R) ([]M, error),
	key func(M) string) (map[string]M, error) {
	out := map[string]M{}
	if len(keys) == 0 {
		return out, nil
	}
	var rows []R
	if err := db.Where(col+" IN ?", keys).Order(col).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	ms, err := convert(db, rows)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		out[key(m)] = m
	}
	return out, nil
}

// Standards lists every standard some component follows, in order, for the
// components page's filter.
func (s *Store) Standards(ctx context.Context) ([]string, error) {
	var out []string
	err := s.r.WithContext(ctx).Raw("SELECT DISTINCT standard FROM component_standards ORDER BY standard").Scan(&out).Error
	return out, translate(err)
}

// VendorsBySlug returns the vendors with the given slugs, keyed by slug.
func (s *Store) VendorsBySlug(ctx context.Context, slugs []string) (map[string]models.Vendor, error) {
	return modelsByKey(s.r.WithContext(ctx), "slug", slugs, func(_ *gorm.DB, rows []vendorRow) ([]models.Vendor, error) {
		out := make([]models.Vendor, len(rows))
		for i, r := range rows {
			out[i] = r.model()
		}
		return out, nil
	}, func(v models.Vendor) string { return v.Slug })
}
