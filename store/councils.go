package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// ListCouncils returns councils in code order. Status defaults to current.
func (s *Store) ListCouncils(ctx context.Context, f models.CouncilFilter, p models.Page) (models.List[models.Council], error) {
	return keysetModels(s.r.WithContext(ctx), "code", p, func(r councilRow) string { return r.Code }, councilWhere(f), s.councilModels)
}

// councilWhere narrows a query over councils by f. Status defaults to current.
func councilWhere(f models.CouncilFilter) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		switch f.Status {
		case "", "current":
			q = q.Where("status = ?", "current")
		case "former":
			q = q.Where("status = ?", "former")
		}
		if f.Type != "" {
			q = q.Where("type = ?", f.Type)
		}
		if f.Region != "" {
			q = q.Where("lower(region) = ?", strings.ToLower(f.Region))
		}
		if f.Nation != "" {
			q = q.Where("lower(nation) = ?", strings.ToLower(f.Nation))
		}
		if f.Q != "" {
			pat := likePattern(f.Q)
			q = q.Where(nameMatches("name", "short_name", "code"), pat, pat, pat)
		}
		return q
	}
}

// GetCouncil returns one council by GSS code, current or former.
func (s *Store) GetCouncil(ctx context.Context, code string) (models.Council, error) {
	db := s.r.WithContext(ctx)
	var row councilRow
	if err := db.Where("code = ?", code).Take(&row).Error; err != nil {
		return models.Council{}, notFoundAs(err, "council", code)
	}
	cs, err := s.councilModels(db, []councilRow{row})
	if err != nil {
		return models.Council{}, err
	}
	return cs[0], nil
}

// councilModels converts rows and fills successors, predecessors and adoption counts.
func (s *Store) councilModels(db *gorm.DB, rows []councilRow) ([]models.Council, error) {
	out := make([]models.Council, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	index := make(map[int64]int, len(rows))
	for i, r := range rows {
		out[i] = r.model()
		ids[i] = r.ID
		index[r.ID] = i
	}
	type link struct {
		ID   int64
		Code string
	}
	var succ, pred []link
	if err := db.Raw(`SELECT cs.predecessor_id AS id, c.code FROM council_successions cs
		JOIN councils c ON c.id = cs.successor_id WHERE cs.predecessor_id IN ? ORDER BY c.code`, ids).Scan(&succ).Error; err != nil {
		return nil, translate(err)
	}
	if err := db.Raw(`SELECT cs.successor_id AS id, c.code FROM council_successions cs
		JOIN councils c ON c.id = cs.predecessor_id WHERE cs.successor_id IN ? ORDER BY c.code`, ids).Scan(&pred).Error; err != nil {
		return nil, translate(err)
	}
	for _, l := range succ {
		out[index[l.ID]].Successors = append(out[index[l.ID]].Successors, l.Code)
	}
	for _, l := range pred {
		out[index[l.ID]].Predecessors = append(out[index[l.ID]].Predecessors, l.Code)
	}
	counts, err := countAdoptions(db, "council_id", ids, counted(""))
	if err != nil {
		return nil, err
	}
	for id, n := range counts {
		out[index[id]].AdoptionCount = n
	}
	return out, nil
}

// inUseStatuses is models.InUseStatuses, for the SQL "status IN ?" lists.
var inUseStatuses = models.InUseStatuses

// counted is models.Counts in SQL, for adoptions under alias a ("" for none):
// rejected claims and vendors' claims the council has not verified never count.
func counted(a string) string {
	if a != "" {
		a += "."
	}
	return fmt.Sprintf("%[1]srejected_at IS NULL AND (%[1]sverified OR %[1]ssource <> 'vendor')", a)
}

// pendingClaim is models.Pending in SQL: a vendor's claim awaiting the council.
const pendingClaim = "rejected_at IS NULL AND NOT verified AND source = 'vendor'"

// currentAdoption is models.CurrentAdoption in SQL, for adoptions under alias a
// ("" for none): the council's current record of the component, neither retired
// nor rejected.
func currentAdoption(a string) string {
	if a != "" {
		a += "."
	}
	return fmt.Sprintf("%[1]sstatus <> 'retired' AND %[1]srejected_at IS NULL", a)
}

// countAdoptions counts in-use adoptions grouped by col (council_id or
// component_id) that pass filter (counted("") or pendingClaim).
func countAdoptions(db *gorm.DB, col string, ids []int64, filter string) (map[int64]int, error) {
	return countsByID(db, "SELECT "+col+" AS id, count(*) AS n FROM adoptions WHERE "+col+" IN ? AND status IN ? AND "+filter+" GROUP BY "+col,
		ids, inUseStatuses)
}

// likePattern is a case-insensitive "contains" pattern for s with LIKE's wildcards escaped.
func likePattern(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(s)) + "%"
}

// nameMatches is a WHERE clause matching likePattern against any of cols.
func nameMatches(cols ...string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = "lower(" + c + `) LIKE ? ESCAPE '\'`
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}
