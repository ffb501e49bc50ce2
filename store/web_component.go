package store

import (
	"context"

	"github.com/council-components/registry/models"
)

// The component page's adopters, a page at a time: counts per status, one
// status's page of adoptions, and the councils using the component for its map.

// ComponentAdopterCounts counts the component's adoptions (rejected claims
// left out) by status, in no particular order.
func (s *Store) ComponentAdopterCounts(ctx context.Context, component string) ([]models.AdopterCount, error) {
	var rows []struct {
		Status   string
		Count    int
		Contacts int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT status, count(*) AS count,
		max(CASE WHEN public_contact IS NULL THEN 0 ELSE 1 END) AS contacts
		FROM adoptions WHERE component_id = (SELECT id FROM components WHERE slug = ?) AND rejected_at IS NULL
		GROUP BY status`, component).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]models.AdopterCount, len(rows))
	for i, r := range rows {
		out[i] = models.AdopterCount{Status: r.Status, Count: r.Count, Contacts: r.Contacts == 1}
	}
	return out, nil
}

// ComponentAdoptionsPage is one page of the component's adoptions with one
// status (rejected claims left out), by council name, with their evidence.
func (s *Store) ComponentAdoptionsPage(ctx context.Context, component, status string, limit, offset int) ([]models.Adoption, error) {
	db := s.r.WithContext(ctx)
	var views []adoptionView
	if err := adoptionsQuery(db).Where("adoptions.component_id = (SELECT id FROM components WHERE slug = ?) AND adoptions.status = ? AND adoptions.rejected_at IS NULL", component, status).
		Order("councils.name, adoptions.id").Limit(limit).Offset(offset).Scan(&views).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]models.Adoption, len(views))
	for i, v := range views {
		out[i] = v.model()
	}
	return out, s.withEvidence(db, out)
}

// ComponentUsers are the councils with an adoption of the component in use
// (piloting, live or retiring) that counts, as adoption_count does: no
// rejected adoption and no vendor's claim the council has not verified; by code.
func (s *Store) ComponentUsers(ctx context.Context, component string) ([]models.ComponentUser, error) {
	var out []models.ComponentUser
	err := s.r.WithContext(ctx).Raw(`SELECT c.code AS council, a.verified AS verified
		FROM adoptions a JOIN councils c ON c.id = a.council_id
		WHERE a.component_id = (SELECT id FROM components WHERE slug = ?) AND a.status IN ? AND `+counted("a")+`
		ORDER BY c.code, a.id`, component, inUseStatuses).Scan(&out).Error
	return out, translate(err)
}

// CurrentCouncils lists every current council by code with only what the
// pages' maps and tables need to name and place it: code, names, type,
// region, nation, location and status (no successions, adoption counts or
// other details, which would cost more than the rest of a page).
func (s *Store) CurrentCouncils(ctx context.Context) ([]models.Council, error) {
	var rows []councilRow
	if err := s.r.WithContext(ctx).Select("code, name, short_name, type, type_name, region, nation, latitude, longitude, status").
		Where("status = ?", "current").Order("code").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]models.Council, len(rows))
	for i, r := range rows {
		out[i] = r.model()
	}
	return out, nil
}
