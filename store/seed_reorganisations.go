package store

import (
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// The seed's side of reorganisations: historic ones are derived from mySociety's register on
// every seed (models.HistoricGroups), stored and vested; planned ones that have vested are laid
// over the register so that it does not undo them.

// seedActor is who vests historic reorganisations: the seed run.
var seedActor = models.Actor{Key: "seed", Role: models.RoleAdmin}

// prepareReorganisations runs at the start of a seed. It derives the historic reorganisations
// from the register, then lays the planned reorganisations that have vested over the register's
// councils, so that a register that does not know of them yet does not bring their predecessors
// back to life: each predecessor it lists as current is former from the day before vesting, and a
// successor it does not list is kept as stored.
func prepareReorganisations(tx *gorm.DB, d *SeedData) ([]models.HistoricGroup, error) {
	historic := models.HistoricGroups(d.Councils)
	var vested []reorganisationRow
	if err := tx.Where("status = 'vested'").Order("id").Find(&vested).Error; err != nil {
		return nil, err
	}
	if len(vested) == 0 {
		return historic, nil
	}
	rs, err := reorganisationModels(tx, vested)
	if err != nil {
		return nil, err
	}
	councils, err := layVested(tx, d.Councils, rs)
	if err != nil {
		return nil, err
	}
	d.Councils = councils
	// The register may later record a reorganisation first entered as a plan: the plan stays the record.
	return models.WithoutPlanned(historic, rs), nil
}

// layVested is the register's councils with the vested plans rs laid over them; a successor the
// register does not list is added as stored.
func layVested(tx *gorm.DB, register []models.Council, rs []models.Reorganisation) ([]models.Council, error) {
	councils := slices.Clone(register)
	index := map[string]int{}
	for i, c := range councils {
		index[c.Code] = i
	}
	for _, r := range rs {
		succ := *r.Successor.Code
		for _, p := range r.Predecessors {
			if i, ok := index[p]; ok {
				councils[i] = councils[i].SucceededBy(succ, r.VestingDate)
			}
		}
		if _, ok := index[succ]; !ok {
			var row councilRow
			if err := tx.Where("code = ?", succ).Take(&row).Error; err != nil {
				return nil, fmt.Errorf("successor %s of reorganisation %d: %w", succ, r.ID, err)
			}
			index[succ] = len(councils)
			councils = append(councils, row.model())
		}
	}
	return councils, nil
}

// seedReorganisations stores the historic reorganisations and vests them: any adoption still in
// use at one of their predecessors (recorded through the API about a former council, or by
// reference data) is carried over to its successors. A second run finds nothing left to carry.
func seedReorganisations(tx *gorm.DB, groups []models.HistoricGroup, now time.Time, rep *SeedReport) error {
	ids, err := historicCouncilIDs(tx, groups)
	if err != nil {
		return err
	}
	for _, g := range groups {
		key := g.Key()
		row := reorganisationRow{NaturalKey: &key, Status: "historic", Source: "reference", VestingDate: g.Vesting,
			Notes:   "Derived from mySociety's register of past and current local authorities (end-date, replaced-by and start-date).",
			Version: 1, CreatedAt: now, UpdatedAt: now}
		created, changed, err := upsert(tx, &row, "natural_key = ?", key, func(old *reorganisationRow) {
			row.ID, row.CreatedAt, row.UpdatedAt, row.Version, row.VestedAt = old.ID, old.CreatedAt, old.UpdatedAt, old.Version, old.VestedAt
		})
		if err != nil {
			return fmt.Errorf("reorganisation %s: %w", key, err)
		}
		linked := false
		for role, list := range map[string][]string{rolePredecessor: g.Preds, roleSuccessor: g.Succs} {
			for _, code := range list {
				res := tx.Exec(insertIgnore(tx, "reorganisation_councils (reorganisation_id, council_id, role) VALUES (?, ?, ?)"), row.ID, ids[code], role)
				if res.Error != nil {
					return res.Error
				}
				linked = linked || res.RowsAffected == 1
			}
		}
		rep.count("reorganisations", created, changed || (linked && !created))
		if err := vestHistoric(tx, row.ID, g, ids, now, rep); err != nil {
			return err
		}
	}
	return nil
}

// historicCouncilIDs maps the codes of every council the groups name to its id.
func historicCouncilIDs(tx *gorm.DB, groups []models.HistoricGroup) (map[string]int64, error) {
	codes := []string{}
	for _, g := range groups {
		codes = append(codes, g.Preds...)
		codes = append(codes, g.Succs...)
	}
	var cs []councilRow
	if len(codes) > 0 {
		if err := tx.Select("id, code").Where("code IN ?", codes).Find(&cs).Error; err != nil {
			return nil, err
		}
	}
	ids := map[string]int64{}
	for _, c := range cs {
		ids[c.Code] = c.ID
	}
	return ids, nil
}

// vestHistoric carries over what is still in use at a historic group's predecessors.
func vestHistoric(tx *gorm.DB, id int64, g models.HistoricGroup, ids map[string]int64, now time.Time, rep *SeedReport) error {
	targets := map[int64][]int64{}
	for p, ss := range g.Edges {
		for _, s := range ss {
			targets[ids[p]] = append(targets[ids[p]], ids[s])
		}
	}
	n, err := carryOver(tx, id, g.Vesting, targets, seedActor, now)
	if err != nil {
		return fmt.Errorf("reorganisation %s: %w", g.Key(), err)
	}
	for range n {
		rep.count("carried_over", true, false)
	}
	if n > 0 {
		return auditReorganisation(tx, seedActor, now, "carried_over", nil, id)
	}
	return nil
}
