package store

import (
	"context"

	"github.com/council-components/registry/models"
)

// The dashboards' own reads: the headline count of councils with any recorded
// use, and, for components in decline, each council's contract end and where
// councils that stopped using them moved to.

// The page's component slugs come first in both queries below (CROSS JOIN keeps
// SQLite to that order), so each reads only those components' adoptions.

// councilCountedHint makes SQLite look up a council's other adoptions by
// council, status and capability; without statistics it picks an index on the
// council alone and reads every adoption the council has. PostgreSQL plans it itself.
func (s *Store) councilCountedHint() string {
	if s.postgres {
		return ""
	}
	return " INDEXED BY adoptions_council_counted"
}

// CouncilsWithUse counts current councils with at least one counted adoption
// (any status: exploring to retired), the dashboards' "councils with any recorded use".
func (s *Store) CouncilsWithUse(ctx context.Context) (int, error) {
	var n int64
	err := s.r.WithContext(ctx).Raw(`SELECT count(*) FROM councils c WHERE c.status = 'current'
		AND EXISTS (SELECT 1 FROM adoptions a WHERE a.council_id = c.id AND ` + counted("a") + `)`).Scan(&n).Error
	return int(n), translate(err)
}

// LiveAdoptions counts the live adoptions of current councils that count (no
// rejected adoption and no vendor's claim the council has not verified), the
// pages' headline figure beside the number of current councils.
func (s *Store) LiveAdoptions(ctx context.Context) (int, error) {
	var n int64
	err := s.r.WithContext(ctx).Raw(`SELECT count(*) FROM adoptions a JOIN councils c ON c.id = a.council_id
		WHERE c.status = 'current' AND a.status = 'live' AND ` + counted("a")).Scan(&n).Error
	return int(n), translate(err)
}

// DeclineUses lists the in-use adoptions of the given components, if deprecated
// or retired, by current councils, by component, then soonest contract end (none last), then council.
func (s *Store) DeclineUses(ctx context.Context, components []string) ([]models.DeclineUse, error) {
	var out []models.DeclineUse
	err := s.r.WithContext(ctx).Raw(`SELECT p.slug AS component, c.code AS council, cap.slug AS capability,
			cap.name AS capability_name, a.contract_end_on
		FROM components p CROSS JOIN adoptions a
		JOIN councils c ON c.id = a.council_id
		JOIN capabilities cap ON cap.id = a.capability_id
		WHERE a.component_id = p.id AND p.slug IN ? AND p.lifecycle IN ? AND c.status = 'current'
			AND a.status IN ? AND `+counted("a")+`
		ORDER BY p.slug, CASE WHEN a.contract_end_on IS NULL THEN 1 ELSE 0 END, a.contract_end_on, c.code`,
		components, models.ObsoleteLifecycles, inUseStatuses).Scan(&out).Error
	return out, translate(err)
}

// DeclineMoves lists, for each of the given components if deprecated or retired,
// what councils that stopped using it run instead, most councils first; both
// the old adoption and the new must count (a vendor's unverified claim is no move).
func (s *Store) DeclineMoves(ctx context.Context, components []string) ([]models.DeclineMove, error) {
	var out []models.DeclineMove
	err := s.r.WithContext(ctx).Raw(`SELECT old.slug AS "from", p.slug AS "to", p.name AS to_name,
			count(DISTINCT n.council_id) AS councils
		FROM components old CROSS JOIN adoptions o CROSS JOIN adoptions n`+s.councilCountedHint()+`
		JOIN components p ON p.id = n.component_id
		WHERE o.component_id = old.id AND n.council_id = o.council_id AND n.capability_id = o.capability_id
			AND n.component_id <> o.component_id AND old.slug IN ? AND old.lifecycle IN ? AND o.status = 'retired'
			AND `+counted("o")+` AND p.lifecycle NOT IN ? AND n.status IN ? AND `+counted("n")+`
		GROUP BY old.slug, p.slug, p.name
		ORDER BY old.slug, councils DESC, p.slug`, components, models.ObsoleteLifecycles, models.ObsoleteLifecycles, inUseStatuses).Scan(&out).Error
	return out, translate(err)
}
