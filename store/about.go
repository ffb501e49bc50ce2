package store

import (
	"context"

	"github.com/council-components/registry/models"
)

// EvidenceSummary counts, per evidence source, the items the registry holds,
// how many are still current, the adoptions they back and the newest date.
func (s *Store) EvidenceSummary(ctx context.Context) ([]models.EvidenceSourceSummary, error) {
	var out []models.EvidenceSourceSummary
	err := s.r.WithContext(ctx).Raw(`SELECT source, count(*) AS items,
		sum(CASE WHEN current THEN 1 ELSE 0 END) AS current_items,
		count(DISTINCT adoption_id) AS adoptions, max(observed_on) AS newest
		FROM adoption_evidence GROUP BY source ORDER BY count(DISTINCT adoption_id) DESC, source`).Scan(&out).Error
	for i := range out {
		out[i].Name = models.EvidenceSourceNames[out[i].Source]
	}
	return out, translate(err)
}

// HasDemoData reports whether any illustrative demo adoption is loaded, so
// that every page can say so.
func (s *Store) HasDemoData(ctx context.Context) (bool, error) {
	var n int64
	err := s.r.WithContext(ctx).Raw("SELECT count(*) FROM (SELECT 1 FROM adoptions WHERE source = 'demo' LIMIT 1) d").Scan(&n).Error
	return n > 0, translate(err)
}
