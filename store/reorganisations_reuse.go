package store

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
)

// Harmonisation reports what the merging councils use, per capability, and where they could
// converge. Before vesting, the councils are the predecessors (and the successor when it is an
// existing council) with their adoptions in use now; after, the predecessors with the adoptions
// carried over from them, as they stood when carried, and any still in use.
func (s *Store) Harmonisation(ctx context.Context, id int64) (models.Reorganisation, []reuse.HarmonisationItem, error) {
	db := s.r.WithContext(ctx)
	r, err := getReorganisation(db, id)
	if err != nil {
		return r, nil, err
	}
	parties := slices.Clone(r.Predecessors)
	if (r.Status == "planned" || r.Status == "withdrawn") && r.Successor != nil && r.Successor.Code != nil {
		var n int64
		if err := db.Model(&councilRow{}).Where("code = ? AND status = 'current'", *r.Successor.Code).Count(&n).Error; err != nil {
			return r, nil, translate(err)
		}
		if n > 0 {
			parties = append(parties, *r.Successor.Code)
		}
	}
	var rows []struct {
		ID                                     int64
		Council, Component, Capability, Status string
		ContractEndOn                          *string
	}
	// The adoptions in use now, and those carried over when it vested, with their status then.
	const sel = `SELECT a.id, co.code AS council, p.slug AS component, cap.slug AS capability, %s AS status, a.contract_end_on
		FROM adoptions a JOIN councils co ON co.id = a.council_id JOIN components p ON p.id = a.component_id
		JOIN capabilities cap ON cap.id = a.capability_id %s`
	q := fmt.Sprintf(sel, "a.status", "WHERE co.code IN ? AND a.status IN ? AND a.rejected_at IS NULL") + " UNION " +
		fmt.Sprintf(sel, "rc.status", "JOIN reorganisation_carryovers rc ON rc.from_adoption_id = a.id WHERE rc.reorganisation_id = ?") +
		" ORDER BY 1"
	if err := db.Raw(q, parties, inUseStatuses, id).Scan(&rows).Error; err != nil {
		return r, nil, translate(err)
	}
	uses := make([]reuse.MergingUse, 0, len(rows))
	seen := map[int64]bool{}
	for _, u := range rows {
		if seen[u.ID] {
			continue
		}
		seen[u.ID] = true
		mu := reuse.MergingUse{Council: u.Council, Component: u.Component, Capability: u.Capability, Status: u.Status}
		if u.ContractEndOn != nil {
			mu.ContractEndOn = parseDay(*u.ContractEndOn)
		}
		uses = append(uses, mu)
	}
	eng, err := s.Engine(ctx)
	if err != nil {
		return r, nil, err
	}
	return r, eng.Harmonisation(parties, uses, parseDay(r.VestingDate)), nil
}

func loadEnginePlanned(ctx context.Context, db *gorm.DB) ([]reuse.PlannedReorganisation, error) {
	var rows []reorganisationRow
	if err := db.Where("status = 'planned'").Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	rs, err := reorganisationModels(db, rows)
	if err != nil {
		return nil, err
	}
	out := make([]reuse.PlannedReorganisation, len(rs))
	for i, r := range rs {
		councils := slices.Clone(r.Predecessors)
		if code := r.Successor.Code; code != nil {
			councils = append(councils, *code) // the engine ignores codes it does not know as current councils
		}
		out[i] = reuse.PlannedReorganisation{ID: r.ID, Successor: r.Successor.Name, Councils: councils, VestingDate: parseDay(r.VestingDate)}
	}
	return out, nil
}
