package store

import (
	"cmp"
	"context"
	"slices"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Queries the web pages need beyond the API's. Plain SQL that runs the same on
// SQLite and PostgreSQL.

// LiveUse is, for one capability or every one (""), the components councils
// run live for it, each with the number of councils (counted adoptions),
// most councils first, then by capability and component slug. It is read from
// the list pages' kept counts, so it costs no query of the adoptions.
func (s *Store) LiveUse(ctx context.Context, capability string) ([]models.ComponentUse, error) {
	counts, err := s.useCounts(ctx)
	if err != nil {
		return nil, err
	}
	db := s.r.WithContext(ctx)
	var caps []struct {
		ID         int64
		Slug, Name string
	}
	q := db.Table("capabilities").Select("id, slug, name")
	if capability != "" {
		q = q.Where("slug = ?", capability)
	}
	if err := q.Scan(&caps).Error; err != nil {
		return nil, translate(err)
	}
	var ids []int64
	for _, c := range caps {
		for _, u := range counts.liveUse[c.ID] {
			ids = append(ids, u.component)
		}
	}
	comps, err := refsByID(db, "components", ids)
	if err != nil {
		return nil, err
	}
	var out []models.ComponentUse
	for _, c := range caps {
		for _, u := range counts.liveUse[c.ID] {
			out = append(out, models.ComponentUse{Capability: models.Ref{Slug: c.Slug, Name: c.Name}, Component: comps[u.component], LiveCouncils: u.councils})
		}
	}
	slices.SortFunc(out, func(x, y models.ComponentUse) int {
		return cmp.Or(cmp.Compare(y.LiveCouncils, x.LiveCouncils), cmp.Compare(x.Capability.Slug, y.Capability.Slug), cmp.Compare(x.Component.Slug, y.Component.Slug))
	})
	return out, nil
}

// refsByID reads the slug and name of the rows of table with the given ids,
// a batch of ids at a time (SQLite bounds a statement's parameters).
func refsByID(db *gorm.DB, table string, ids []int64) (map[int64]models.Ref, error) {
	out := make(map[int64]models.Ref, len(ids))
	for batch := range slices.Chunk(ids, 5000) {
		var rows []struct {
			ID         int64
			Slug, Name string
		}
		if err := db.Table(table).Select("id, slug, name").Where("id IN ?", batch).Scan(&rows).Error; err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			out[r.ID] = models.Ref{Slug: r.Slug, Name: r.Name}
		}
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
