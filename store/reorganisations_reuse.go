package store

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// MergingUses is what harmonisation is computed from: the reorganisation, the
// councils merging, and what they use. Before vesting, the councils are the
// predecessors (and the successor when it is an existing council) with their
// adoptions in use now; after, the predecessors with the adoptions carried
// over from them, as they stood when carried, and any still in use. Only
// adoptions that count are uses: a vendor's unverified claim is none.
func (s *Store) MergingUses(ctx context.Context, id int64) (models.Reorganisation, []string, []models.MergingUse, error) {
	db := s.r.WithContext(ctx)
	r, err := getReorganisation(db, id)
	if err != nil {
		return r, nil, nil, err
	}
	parties := slices.Clone(r.Predecessors)
	if code, ok := r.MergingSuccessor(); ok {
		var n int64
		if err := db.Model(&councilRow{}).Where("code = ? AND status = 'current'", code).Count(&n).Error; err != nil {
			return r, nil, nil, translate(err)
		}
		if n > 0 {
			parties = append(parties, code)
		}
	}
	var rows []struct {
		ID                                     int64
		Council, Component, Capability, Status string
		ContractEndOn                          *string
	}
	// The adoptions in use now, and those carried over when it vested, with their status then;
	// as everywhere in the reuse engine, only those that count (no unverified claim).
	const sel = `SELECT a.id, co.code AS council, p.slug AS component, cap.slug AS capability, %s AS status, a.contract_end_on
		FROM adoptions a JOIN councils co ON co.id = a.council_id JOIN components p ON p.id = a.component_id
		JOIN capabilities cap ON cap.id = a.capability_id %s`
	q := fmt.Sprintf(sel, "a.status", "WHERE co.code IN ? AND a.status IN ? AND "+counted("a")) + " UNION " +
		fmt.Sprintf(sel, "rc.status", "JOIN reorganisation_carryovers rc ON rc.from_adoption_id = a.id WHERE rc.reorganisation_id = ? AND "+counted("a")) +
		" ORDER BY 1"
	if err := db.Raw(q, parties, inUseStatuses, id).Scan(&rows).Error; err != nil {
		return r, nil, nil, translate(err)
	}
	uses := make([]models.MergingUse, 0, len(rows))
	seen := map[int64]bool{}
	for _, u := range rows {
		if seen[u.ID] {
			continue
		}
		seen[u.ID] = true
		mu := models.MergingUse{Council: u.Council, Component: u.Component, Capability: u.Capability, Status: u.Status}
		if u.ContractEndOn != nil {
			mu.ContractEndOn = parseDay(*u.ContractEndOn)
		}
		uses = append(uses, mu)
	}
	return r, parties, uses, nil
}

// loadEnginePlanned lists the planned reorganisations, which the reuse engine
// shows in collaborations.
func loadEnginePlanned(_ context.Context, db *gorm.DB) ([]models.WorldReorganisation, error) {
	var rows []reorganisationRow
	if err := db.Where("status = 'planned'").Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	rs, err := reorganisationModels(db, rows)
	if err != nil {
		return nil, err
	}
	out := make([]models.WorldReorganisation, len(rs))
	for i, r := range rs {
		councils := slices.Clone(r.Predecessors)
		if code := r.Successor.Code; code != nil {
			councils = append(councils, *code) // the engine ignores codes it does not know as current councils
		}
		out[i] = models.WorldReorganisation{ID: r.ID, Successor: r.Successor.Name, Councils: councils, VestingDate: parseDay(r.VestingDate)}
	}
	return out, nil
}
