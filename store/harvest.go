package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// harvestRow is one applied harvest (table harvests).
type harvestRow struct {
	ID         int64
	Source     string
	ObservedOn string
	File       string
	SHA256     string `gorm:"column:sha256"`
	Report     string
	RanAt      time.Time
}

func (harvestRow) TableName() string { return "harvests" }

// pairKey is one council and component a harvest speaks of.
type pairKey struct{ council, component string }

// harvestStep is how many councils' adoptions (or flagged adoptions, or
// memberships) one write transaction of a harvest records: a few hundred
// statements, so another writer waits for one step, not the harvest.
const harvestStep = 50

// ApplyHarvest records a source's file as evidence: each council and
// component it lists gets an adoption (found or created) holding the file's
// items, and this source's items the file no longer lists stop being current;
// the adoption is kept and flagged, never deleted. A file older than the
// newest applied from its source is refused. Programme memberships are
// recorded the same way (harvest_members.go).
//
// What the file names is checked by reads first, so a file that cannot be
// recorded writes nothing. The writes then go in short steps, each its own
// transaction, and the harvest itself is recorded last: every step is
// idempotent, so a harvest stopped midway is completed by running it again. A
// dry run takes the same steps and rolls each back.
func (s *Store) ApplyHarvest(ctx context.Context, h models.HarvestRun) (models.HarvestReport, error) {
	rep := models.NewHarvestReport(h)
	plan, err := planHarvest(s.r.WithContext(ctx), h)
	if err != nil {
		return rep, translate(err)
	}
	rep.Memberships = plan.members.listed
	now := s.Now()
	step := func(fn func(tx *gorm.DB) error) error {
		err := s.write(ctx, func(tx *gorm.DB) error {
			if err := fn(tx); err != nil {
				return err
			}
			if h.DryRun {
				return errRollback
			}
			return nil
		})
		if errors.Is(err, errRollback) {
			return nil
		}
		return err
	}
	for chunk := range slices.Chunk(plan.order, harvestStep) {
		var outcomes []string
		err := step(func(tx *gorm.DB) error {
			outcomes = outcomes[:0]
			for _, k := range chunk {
				outcome, err := applyListed(tx, h.Source, k, plan.pairs[k], plan.capabilities[k.component], now)
				if err != nil {
					return fmt.Errorf("%s: council %s, component %s: %w", h.File, k.council, k.component, err)
				}
				outcomes = append(outcomes, outcome)
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
		for _, outcome := range outcomes {
			switch outcome {
			case "created":
				rep.Created++
			case "updated":
				rep.Updated++
			default:
				rep.Unchanged++
			}
		}
	}
	unlisted, err := unlistedItems(s.r.WithContext(ctx), h, plan.pairs)
	if err != nil {
		return rep, translate(err)
	}
	rep.NoLongerListed = len(unlisted)
	for chunk := range slices.Chunk(unlisted, harvestStep) {
		if err := step(func(tx *gorm.DB) error { return flagUnlisted(tx, h.Source, chunk, now) }); err != nil {
			return rep, err
		}
	}
	touched := map[[2]int64]bool{}
	for chunk := range slices.Chunk(plan.members.items, harvestStep) {
		var changed [][2]int64
		if err := step(func(tx *gorm.DB) (err error) { changed, err = putMembers(tx, chunk, now); return err }); err != nil {
			return rep, err
		}
		for _, m := range changed {
			touched[m] = true
		}
	}
	rep.MembershipsChanged = len(touched)
	err = step(func(tx *gorm.DB) (err error) {
		rep.MembershipsNoLongerListed, err = flagMembers(tx, h.Source, plan.members)
		return err
	})
	if err != nil {
		return rep, err
	}
	return rep, step(func(tx *gorm.DB) error { return recordHarvest(tx, h, rep, now) })
}

// harvestPlan is what a harvest will write, worked out by reads: each council
// and component's items (in the file's order), the capability an adoption
// found for a component is for, and the memberships.
type harvestPlan struct {
	pairs        map[pairKey][]models.EvidenceItem
	order        []pairKey
	capabilities map[string]string
	members      harvestMembers
}

// planHarvest refuses a file older than the source's newest, gathers what the
// file says, and checks that every council and component it names is in the
// registry, so that nothing is written for a file that cannot all be.
func planHarvest(db *gorm.DB, h models.HarvestRun) (harvestPlan, error) {
	if err := harvestNotTooOld(db, h); err != nil {
		return harvestPlan{}, err
	}
	pairs, order := map[pairKey][]models.EvidenceItem{}, []pairKey{}
	for _, o := range h.Observations {
		if o.Kind == "membership" {
			continue
		}
		k := pairKey{o.Council, o.Component}
		if pairs[k] == nil {
			order = append(order, k)
		}
		it := o.Evidence
		it.Current = true
		pairs[k] = append(pairs[k], it)
	}
	pairs, order, err := redirectCarried(db, pairs, order)
	if err != nil {
		return harvestPlan{}, err
	}
	plan := harvestPlan{pairs: pairs, order: order, capabilities: map[string]string{}}
	for _, k := range order {
		capability, err := firstCapability(db, k.component, plan.capabilities)
		if err != nil {
			return plan, fmt.Errorf("%s: %w", h.File, err)
		}
		if _, err := resolveAdoptionRefs(db, k.council, k.component, capability); err != nil {
			return plan, fmt.Errorf("%s: council %s, component %s: %w", h.File, k.council, k.component, err)
		}
	}
	plan.members, err = planMembers(db, h)
	return plan, err
}

// harvestNotTooOld refuses a file older than the newest applied from its source.
func harvestNotTooOld(db *gorm.DB, h models.HarvestRun) error {
	var newest sql.NullString
	if err := db.Raw("SELECT max(observed_on) FROM harvests WHERE source = ?", h.Source).Scan(&newest).Error; err != nil {
		return err
	}
	return models.HarvestTooOld(h.Source, h.File, h.ObservedOn, newest.String)
}

// recordHarvest records that the file was applied, and what it did, unless a
// newer file from its source was applied meanwhile.
func recordHarvest(tx *gorm.DB, h models.HarvestRun, rep models.HarvestReport, now time.Time) error {
	if err := harvestNotTooOld(tx, h); err != nil {
		return err
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	return tx.Create(&harvestRow{Source: h.Source, ObservedOn: h.ObservedOn, File: h.File, SHA256: h.SHA256,
		Report: string(b), RanAt: now}).Error
}

// harvestActor is who an adoption's history names for a harvest's changes.
func harvestActor(source string) models.Actor {
	return models.Actor{Key: source, Role: models.RoleHarvest}
}

// applyListed records the file's items for one council and component, and
// says whether the adoption was created, updated or left unchanged.
func applyListed(tx *gorm.DB, source string, k pairKey, items []models.EvidenceItem, capability string, now time.Time) (string, error) {
	status, _ := models.EvidenceStatus(items)
	row, created, err := evidenceAdoption(tx, k.council, k.component, capability, status, now)
	if err != nil {
		return "", err
	}
	var before *models.Adoption
	if !created {
		b, err := getAdoption(tx, row.ID)
		if err != nil {
			return "", err
		}
		before = &b
	}
	added, changed, err := addEvidence(tx, row.ID, items, now)
	if err != nil {
		return "", err
	}
	moved, err := refreshEvidence(tx, row.ID, source, items)
	if err != nil {
		return "", err
	}
	if !created && added+changed+moved == 0 {
		return "unchanged", nil
	}
	action := "harvested"
	if created {
		action = "created"
	}
	return action, saveHarvested(tx, row, before, source, action, now)
}

// firstCapability is the capability an adoption found by a harvest is for: the
// component's first, as an adoption recorded without one would take.
func firstCapability(tx *gorm.DB, component string, known map[string]string) (string, error) {
	if slug, ok := known[component]; ok {
		return slug, nil
	}
	var slugs []string
	err := tx.Raw(`SELECT capabilities.slug FROM component_capabilities cc
		JOIN capabilities ON capabilities.id = cc.capability_id
		JOIN components ON components.id = cc.component_id
		WHERE components.slug = ? ORDER BY capabilities.slug LIMIT 1`, component).Scan(&slugs).Error
	if err != nil {
		return "", err
	}
	if len(slugs) == 0 {
		return "", models.Errorf(models.EUNPROCESSABLE, "component %q is not in the registry, or provides no capability: run `registry seed` first", component)
	}
	known[component] = slugs[0]
	return slugs[0], nil
}

// refreshEvidence moves forward the date of items listed again by a newer
// file, and retires this source's other current items of the adoption (the
// file now says something else, say a new count of services). It reports how
// many items changed.
func refreshEvidence(tx *gorm.DB, adoptionID int64, source string, items []models.EvidenceItem) (int, error) {
	var rows []evidenceRow
	if err := tx.Where("adoption_id = ? AND source = ? AND current = ?", adoptionID, source, true).Find(&rows).Error; err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		i := slices.IndexFunc(items, func(it models.EvidenceItem) bool { return it.URL == r.URL && it.Quote == r.Quote })
		update := map[string]any{"current": false}
		switch {
		case i >= 0 && items[i].ObservedOn > r.ObservedOn:
			update = map[string]any{"observed_on": items[i].ObservedOn}
		case i >= 0:
			continue
		}
		if err := tx.Model(&r).Updates(update).Error; err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// unlistedItem is an adoption whose current items from a source the source's
// file no longer lists, and those items.
type unlistedItem struct {
	adoption int64
	items    []int64
}

// unlistedItems finds this source's current items on the adoptions of the
// source's components that the file no longer lists, by adoption. Adoptions
// carried over to a successor are history: their evidence lives on with the
// successor's.
func unlistedItems(db *gorm.DB, h models.HarvestRun, listed map[pairKey][]models.EvidenceItem) ([]unlistedItem, error) {
	components := h.Components
	if len(components) == 0 {
		for k := range listed {
			components = append(components, k.component)
		}
	}
	if len(components) == 0 {
		return nil, nil
	}
	var items []struct {
		ID, AdoptionID     int64
		Council, Component string
	}
	err := db.Raw(`SELECT e.id, e.adoption_id, councils.code AS council, components.slug AS component
		FROM adoption_evidence e JOIN adoptions ON adoptions.id = e.adoption_id
		JOIN councils ON councils.id = adoptions.council_id JOIN components ON components.id = adoptions.component_id
		WHERE e.source = ? AND e.current = ? AND components.slug IN ?
		AND adoptions.id NOT IN (SELECT from_adoption_id FROM reorganisation_carryovers) ORDER BY e.adoption_id, e.id`,
		h.Source, true, components).Scan(&items).Error
	if err != nil {
		return nil, err
	}
	var out []unlistedItem
	for _, it := range items {
		if _, ok := listed[pairKey{it.Council, it.Component}]; ok {
			continue
		}
		if len(out) == 0 || out[len(out)-1].adoption != it.AdoptionID {
			out = append(out, unlistedItem{adoption: it.AdoptionID})
		}
		out[len(out)-1].items = append(out[len(out)-1].items, it.ID)
	}
	return out, nil
}

// flagUnlisted retires the unlisted items (current: false) and settles their
// adoptions, each with its history event and audit entry.
func flagUnlisted(tx *gorm.DB, source string, unlisted []unlistedItem, now time.Time) error {
	for _, u := range unlisted {
		if err := tx.Model(&evidenceRow{}).Where("id IN ?", u.items).Update("current", false).Error; err != nil {
			return err
		}
		before, err := getAdoption(tx, u.adoption)
		if err != nil {
			return err
		}
		var row adoptionRow
		if err := tx.Take(&row, u.adoption).Error; err != nil {
			return err
		}
		if err := saveHarvested(tx, row, &before, source, "harvested", now); err != nil {
			return err
		}
	}
	return nil
}

// saveHarvested settles an adoption whose evidence a harvest changed, saves
// it and records the event and audit entry, as every adoption write does.
func saveHarvested(tx *gorm.DB, row adoptionRow, before *models.Adoption, source, action string, now time.Time) error {
	old := row
	changes, err := settleEvidence(tx, &row)
	if err != nil {
		return err
	}
	if action == "created" {
		changes = createdChanges(row)
	} else {
		row.Version++
	}
	if a, b := old.ConfirmedOn, row.ConfirmedOn; (a == nil) != (b == nil) || (a != nil && *a != *b) {
		changes["confirmed_on"] = models.Change{From: a, To: b}
	}
	changes["evidence"] = models.Change{From: nil, To: source}
	row.UpdatedAt = now
	if err := tx.Save(&row).Error; err != nil {
		return err
	}
	actor := harvestActor(source)
	if err := recordEvent(tx, row.ID, actor, now, action, changes); err != nil {
		return err
	}
	return auditAdoption(tx, actor, now, action, before, row.ID)
}

// redirectCarried sends evidence about a former council's adoption that a
// reorganisation carried over to the successor's adoption it was carried to:
// sources go on naming accounts after councils that no longer exist (GOV.UK
// Pay lists "Allerdale Borough Council" in 2026), and the carry-over rules
// say where such an adoption now lives.
func redirectCarried(tx *gorm.DB, pairs map[pairKey][]models.EvidenceItem, order []pairKey) (map[pairKey][]models.EvidenceItem, []pairKey, error) {
	out, outOrder := map[pairKey][]models.EvidenceItem{}, []pairKey{}
	add := func(k pairKey, items []models.EvidenceItem) {
		if out[k] == nil {
			outOrder = append(outOrder, k)
		}
		out[k] = append(out[k], items...)
	}
	for _, k := range order {
		var successors []string
		err := tx.Raw(`SELECT DISTINCT tc.code FROM reorganisation_carryovers rc
			JOIN adoptions fa ON fa.id = rc.from_adoption_id JOIN councils fc ON fc.id = fa.council_id
			JOIN components p ON p.id = fa.component_id
			JOIN adoptions ta ON ta.id = rc.to_adoption_id JOIN councils tc ON tc.id = ta.council_id
			WHERE fc.code = ? AND fc.status = 'former' AND p.slug = ? ORDER BY tc.code`, k.council, k.component).Scan(&successors).Error
		if err != nil {
			return nil, nil, err
		}
		if len(successors) == 0 {
			add(k, pairs[k])
		}
		for _, code := range successors {
			add(pairKey{code, k.component}, pairs[k])
		}
	}
	return out, outOrder, nil
}
