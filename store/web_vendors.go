package store

import (
	"cmp"
	"context"
	"slices"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Reads for the vendors' web pages. Plain SQL that runs the same on SQLite and
// PostgreSQL.

// ListVendorUse returns vendors of f.Kind (all when empty) with how many
// components each lists and how many councils use them, by name (case
// ignored) or, for f.Sort "councils", most councils first, then by name.
// Pages are by offset: the order is by counts that have no key of their own.
// The councils are the list pages' kept counts (store/web_lists.go).
func (s *Store) ListVendorUse(ctx context.Context, f models.VendorFilter, p models.Page) (models.List[models.VendorUse], error) {
	out := models.List[models.VendorUse]{Items: []models.VendorUse{}}
	offset, err := models.CursorOffset(p.Cursor)
	if err != nil {
		return out, err
	}
	db := s.r.WithContext(ctx)
	var rows []vendorRow
	if err := whereGiven(db.Table("vendors v"), "v.kind = ?", f.Kind).Select("v.*").Order("lower(v.name), v.slug").Scan(&rows).Error; err != nil {
		return out, translate(err)
	}
	counts, err := s.useCounts(ctx)
	if err != nil {
		return out, err
	}
	councils := counts.vendor
	if f.Sort == "councils" {
		slices.SortStableFunc(rows, func(x, y vendorRow) int { return cmp.Compare(councils[y.ID], councils[x.ID]) })
	}
	out.Total = len(rows)
	limit := pageLimit(p)
	rows = rows[min(offset, len(rows)):]
	if len(rows) > limit {
		rows = rows[:limit]
		out.Next = models.OffsetCursor(offset + limit)
	}
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	components, err := countsByID(db, "SELECT vendor_id AS id, count(*) AS n FROM components WHERE vendor_id IN ? GROUP BY vendor_id", ids)
	if err != nil {
		return out, err
	}
	for _, r := range rows {
		out.Items = append(out.Items, models.VendorUse{Vendor: r.model(), Components: components[r.ID], Councils: councils[r.ID]})
	}
	return out, nil
}

// countsByID runs query, which selects an id and a count n, into a map.
func countsByID(db *gorm.DB, query string, args ...any) (map[int64]int, error) {
	var rows []struct {
		ID int64
		N  int
	}
	if err := db.Raw(query, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.ID] = r.N
	}
	return out, nil
}

// VendorAdoptions returns the adoptions of the vendor's components that are
// in use (piloting, live or retiring) and not rejected, counted or still
// awaiting the council, by component slug and council code, with their
// evidence. A vendor that does not exist is not found.
func (s *Store) VendorAdoptions(ctx context.Context, vendor string) ([]models.Adoption, error) {
	db := s.r.WithContext(ctx)
	var v vendorRow
	if err := takeBySlug(db, &v, "vendor", vendor); err != nil {
		return nil, err
	}
	var views []adoptionView
	err := adoptionsQuery(db).
		Where("components.vendor_id = ? AND adoptions.status IN ? AND adoptions.rejected_at IS NULL", v.ID, inUseStatuses).
		Order("components.slug, councils.code").Scan(&views).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]models.Adoption, len(views))
	for i, view := range views {
		out[i] = view.model()
	}
	return out, s.withEvidence(db, out)
}
