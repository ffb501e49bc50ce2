package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Vesting: a planned reorganisation happens, and adoptions in use at its predecessors carry over
// to its successors. The seed vests historic reorganisations through the same carryOver.

// VestReorganisation makes a planned reorganisation happen, on or after its vesting date: the
// successor council is created if it does not exist yet, the predecessors become former councils
// linked to it, and their adoptions in use are carried over (see carryOver). All in one transaction.
// From then on the predecessors' keys write nothing: Authenticate marks them as a former
// council's (formerCouncil) and the write rules refuse them, naming the successor.
func (s *Store) VestReorganisation(ctx context.Context, actor models.Actor, id int64) (models.Reorganisation, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		row, before, err := loadPlanned(tx, id, "vested")
		if err != nil {
			return err
		}
		var preds []councilRow
		if err := forUpdate(tx).Where("id IN (SELECT council_id FROM reorganisation_councils WHERE reorganisation_id = ? AND role = ?)",
			id, rolePredecessor).Order("code").Find(&preds).Error; err != nil {
			return err
		}
		now := s.Now()
		if err := before.CheckVest(councilModelsOf(preds), *dateOf(now)); err != nil {
			return err
		}
		succ, err := successorFor(tx, before, preds)
		if err != nil {
			return err
		}
		targets, err := endPredecessors(tx, id, row.VestingDate, preds, succ)
		if err != nil {
			return err
		}
		if _, err := carryOver(tx, id, row.VestingDate, targets, actor, now); err != nil {
			return err
		}
		row.Status, row.VestedAt = "vested", &now
		row.Version++
		row.UpdatedAt = now
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		// A reorganisation entry makes the reuse engine rebuild: council statuses have changed.
		return auditReorganisation(tx, actor, now, "vested", &before, id)
	})
	if err != nil {
		return models.Reorganisation{}, err
	}
	return getReorganisation(s.r.WithContext(ctx), id)
}

func councilModelsOf(rows []councilRow) []models.Council {
	out := make([]models.Council, len(rows))
	for i, r := range rows {
		out[i] = r.model()
	}
	return out
}

// successorFor returns the successor's council row, creating it (see models.NewSuccessorCouncil)
// when the code is new.
func successorFor(tx *gorm.DB, plan models.Reorganisation, preds []councilRow) (councilRow, error) {
	var c councilRow
	code := *plan.Successor.Code
	err := forUpdate(tx).Where("code = ?", code).Take(&c).Error
	if err == nil {
		return c, plan.CheckSuccessor(c.model())
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return c, err
	}
	c = councilRowOf(models.NewSuccessorCouncil(plan, councilModelsOf(preds)))
	if err := tx.Create(&c).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return c, models.Errorf(models.ECONFLICT, "council code %s is taken", code)
		}
		return c, err
	}
	return c, nil
}

// endPredecessors makes the predecessors what models.Council.SucceededBy makes them (former
// councils from the day before vesting, succeeded by succ), and links succ to reorganisation
// id. It returns carryOver's targets.
func endPredecessors(tx *gorm.DB, id int64, vesting string, preds []councilRow, succ councilRow) (map[int64][]int64, error) {
	targets := map[int64][]int64{}
	for _, p := range preds {
		targets[p.ID] = []int64{succ.ID}
		if err := tx.Exec(insertIgnore(tx, "council_successions (predecessor_id, successor_id) VALUES (?, ?)"), p.ID, succ.ID).Error; err != nil {
			return nil, err
		}
		// Its successors are the council_successions row above; status and end_date are the row's.
		ended := p.model().SucceededBy(succ.Code, vesting)
		if err := tx.Model(&councilRow{}).Where("id = ?", p.ID).
			Updates(map[string]any{"status": ended.Status, "end_date": ended.EndDate}).Error; err != nil {
			return nil, err
		}
	}
	return targets, linkCouncils(tx, id, roleSuccessor, []councilRow{succ})
}

// carryOver moves the predecessors' adoptions in use (piloting, live or retiring, not rejected) to
// their successors, as of the vesting date. targets maps each predecessor's council id to its
// successors' (a county split in two has two). For each successor and component, an adoption the
// successor already has open takes in the carried ones (models.Adoption.MergeFrom); otherwise one
// new adoption is made from them all (models.MergeAdoptions). Each gets a "carried_over" event per
// predecessor adoption naming it. The predecessors' records are then retired with ended_on the day
// before vesting (models.Adoption.RetiredByVesting, an event each), stay as history, and are never
// carried twice. It returns how many predecessor adoptions were carried.
func carryOver(tx *gorm.DB, reorgID int64, vesting string, targets map[int64][]int64, actor models.Actor, now time.Time) (int, error) {
	srcs, err := carriedSources(tx, targets)
	if err != nil || len(srcs) == 0 {
		return 0, err
	}
	c := carrier{tx: tx, reorgID: reorgID, vesting: vesting, actor: actor, now: now}
	if err := c.loadCouncils(targets); err != nil {
		return 0, err
	}
	carriedTo := map[int64][]map[string]any{}
	for _, g := range groupCarried(srcs, targets) {
		if err := c.carry(g, carriedTo); err != nil {
			return 0, err
		}
	}
	for _, a := range srcs {
		if err := c.retire(a, carriedTo[a.ID]); err != nil {
			return 0, err
		}
	}
	return len(srcs), nil
}

// carriedSources locks and returns the predecessors' adoptions in use, in id order.
func carriedSources(tx *gorm.DB, targets map[int64][]int64) ([]adoptionRow, error) {
	predIDs := make([]int64, 0, len(targets))
	for p := range targets {
		predIDs = append(predIDs, p)
	}
	var srcs []adoptionRow
	err := forUpdate(tx).Where("council_id IN ? AND status IN ? AND rejected_at IS NULL", predIDs, inUseStatuses).
		Order("id").Find(&srcs).Error
	return srcs, err
}

// carriedGroup is one successor's share of the carried adoptions of one component.
type carriedGroup struct {
	succ, comp int64
	srcs       []adoptionRow
}

// groupCarried groups the carried adoptions by successor and component, in the order first met.
func groupCarried(srcs []adoptionRow, targets map[int64][]int64) []*carriedGroup {
	var groups []*carriedGroup
	byKey := map[[2]int64]*carriedGroup{}
	for _, a := range srcs {
		succs := slices.Clone(targets[a.CouncilID])
		slices.Sort(succs)
		for _, sid := range succs {
			g := byKey[[2]int64{sid, a.ComponentID}]
			if g == nil {
				g = &carriedGroup{succ: sid, comp: a.ComponentID}
				byKey[[2]int64{sid, a.ComponentID}] = g
				groups = append(groups, g)
			}
			g.srcs = append(g.srcs, a)
		}
	}
	return groups
}

// carrier is one carryOver run: its transaction, reorganisation, date, actor and the councils involved.
type carrier struct {
	tx      *gorm.DB
	reorgID int64
	vesting string
	actor   models.Actor
	now     time.Time
	council map[int64]councilRow // predecessors and successors, by id
	names   map[string]string    // their names, by code
}

func (c *carrier) loadCouncils(targets map[int64][]int64) error {
	councilIDs := []int64{}
	for p, ss := range targets {
		councilIDs = append(councilIDs, p)
		councilIDs = append(councilIDs, ss...)
	}
	var cs []councilRow
	if err := c.tx.Select("id, code, name").Where("id IN ?", councilIDs).Find(&cs).Error; err != nil {
		return err
	}
	c.council, c.names = map[int64]councilRow{}, map[string]string{}
	for _, r := range cs {
		c.council[r.ID], c.names[r.Code] = r, r.Name
	}
	return nil
}

// ref names an adoption and its council in carried_from and carried_to changes.
func (c *carrier) ref(adoption, councilID int64) map[string]any {
	return map[string]any{"adoption": adoption, "council": c.council[councilID].Code}
}

// plain is a row as the models' carry-over rules see it, its council by code.
func (c *carrier) plain(r adoptionRow) models.Adoption {
	return models.Adoption{ID: r.ID, Council: c.council[r.CouncilID].Code, Status: r.Status, StartedOn: r.StartedOn,
		EndedOn: r.EndedOn, ContractEndOn: r.ContractEndOn, Notes: r.Notes, EvidenceURL: r.EvidenceURL,
		Source: r.Source, Verified: r.Verified}
}

// carry carries one group into the successor's adoption of the component, recording for each
// source where it went (carriedTo) and an event and a carry-over row per source.
func (c *carrier) carry(g *carriedGroup, carriedTo map[int64][]map[string]any) error {
	target, before, changes, err := c.target(g)
	if err != nil {
		return err
	}
	for _, a := range g.srcs {
		changes["carried_from"] = models.Change{From: c.ref(a.ID, a.CouncilID), To: c.ref(target.ID, g.succ)}
		if err := recordEvent(c.tx, target.ID, c.actor, c.now, "carried_over", changes); err != nil {
			return err
		}
		changes = map[string]models.Change{}
		if err := c.tx.Create(&carryOverRow{ReorganisationID: c.reorgID, FromAdoptionID: a.ID, ToAdoptionID: target.ID, Status: a.Status}).Error; err != nil {
			return err
		}
		carriedTo[a.ID] = append(carriedTo[a.ID], c.ref(target.ID, g.succ))
	}
	if err := c.carryEvidence(g, &target); err != nil {
		return err
	}
	return auditAdoption(c.tx, c.actor, c.now, "carried_over", before, target.ID)
}

// carryEvidence gives the successor's adoption the evidence of what was carried into it.
func (c *carrier) carryEvidence(g *carriedGroup, target *adoptionRow) error {
	ids := make([]int64, len(g.srcs))
	for i, a := range g.srcs {
		ids[i] = a.ID
	}
	items, err := evidenceOf(c.tx, ids)
	if err != nil {
		return err
	}
	added := 0
	for _, id := range ids {
		n, _, err := addEvidence(c.tx, target.ID, items[id], c.now)
		if err != nil {
			return err
		}
		added += n
	}
	if added == 0 {
		return nil
	}
	if _, err := settleEvidence(c.tx, target); err != nil {
		return err
	}
	return c.tx.Save(target).Error
}

// target is the successor's adoption a group carries into: its open one, merged with the group
// (before is how it stood), or a new one made from the group. changes are what changed in it.
func (c *carrier) target(g *carriedGroup) (adoptionRow, *models.Adoption, map[string]models.Change, error) {
	plain := make([]models.Adoption, len(g.srcs))
	for i, a := range g.srcs {
		plain[i] = c.plain(a)
	}
	var target adoptionRow
	err := forUpdate(c.tx).Where("council_id = ? AND component_id = ? AND "+currentAdoption(""), g.succ, g.comp).Take(&target).Error
	switch {
	case err == nil: // the successor already has it: merge into its record
		b, err := getAdoption(c.tx, target.ID)
		if err != nil {
			return target, nil, nil, err
		}
		old := target
		merged := c.plain(target).MergeFrom(plain)
		target.Status, target.ContractEndOn = merged.Status, merged.ContractEndOn
		changes := diffAdoption(old, target)
		if len(changes) > 0 {
			target.Version++
			target.UpdatedAt = c.now
			if err := c.tx.Save(&target).Error; err != nil {
				return target, nil, nil, err
			}
		}
		return target, &b, changes, nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		best, m := g.srcs[models.BestAdoption(plain)], models.MergeAdoptions(plain, c.names, c.vesting)
		target = adoptionRow{CouncilID: g.succ, ComponentID: best.ComponentID, CapabilityID: best.CapabilityID, Status: m.Status,
			StartedOn: m.StartedOn, ContractEndOn: m.ContractEndOn, Notes: m.Notes, EvidenceURL: m.EvidenceURL, Source: m.Source,
			Verified: m.Verified, Version: 1, CreatedAt: c.now, UpdatedAt: c.now}
		if err := c.tx.Create(&target).Error; err != nil {
			return target, nil, nil, err
		}
		return target, nil, createdChanges(target), nil
	}
	return target, nil, nil, err
}

// retire ends a carried predecessor adoption, naming where it went (to).
func (c *carrier) retire(a adoptionRow, to []map[string]any) error {
	b, err := getAdoption(c.tx, a.ID)
	if err != nil {
		return err
	}
	old := a
	retired := c.plain(a).RetiredByVesting(c.vesting)
	a.Status, a.EndedOn = retired.Status, retired.EndedOn
	a.Version++
	a.UpdatedAt = c.now
	if err := c.tx.Save(&a).Error; err != nil {
		return err
	}
	changes := diffAdoption(old, a)
	changes["carried_to"] = models.Change{From: c.ref(a.ID, a.CouncilID), To: to}
	if err := recordEvent(c.tx, a.ID, c.actor, c.now, "carried_over", changes); err != nil {
		return err
	}
	return auditAdoption(c.tx, c.actor, c.now, "carried_over", &b, a.ID)
}

// carriedOver reports whether an adoption was carried to a successor: it then stays as history,
// and reference data describing the former council does not bring it back.
func carriedOver(tx *gorm.DB, adoptionID int64) (bool, error) {
	var n int64
	err := tx.Model(&carryOverRow{}).Where("from_adoption_id = ?", adoptionID).Count(&n).Error
	return n > 0, err
}
