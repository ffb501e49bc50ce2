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

// ApplyHarvest records a source's file as evidence in one transaction: each
// council and component it lists gets an adoption (found or created) holding
// the file's items, and this source's items the file no longer lists stop
// being current; the adoption is kept and flagged, never deleted. A file older
// than the newest applied from its source is refused. A dry run does it all
// and rolls back. Programme memberships are recorded the same way (harvest_members.go).
func (s *Store) ApplyHarvest(ctx context.Context, h models.HarvestRun) (models.HarvestReport, error) {
	var rep models.HarvestReport
	err := s.write(ctx, func(tx *gorm.DB) error {
		rep = models.NewHarvestReport(h)
		var newest sql.NullString
		if err := tx.Raw("SELECT max(observed_on) FROM harvests WHERE source = ?", h.Source).Scan(&newest).Error; err != nil {
			return err
		}
		if err := models.HarvestTooOld(h.Source, h.File, h.ObservedOn, newest.String); err != nil {
			return err
		}
		now := s.Now()
		pairs, order := map[pairKey][]models.EvidenceItem{}, []pairKey{}
		for _, o := range h.Observations {
			if o.Kind == "membership" {
				rep.Memberships++
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
		pairs, order, err := redirectCarried(tx, pairs, order)
		if err != nil {
			return err
		}
		capabilities := map[string]string{}
		for _, k := range order {
			if _, err := firstCapability(tx, k.component, capabilities); err != nil {
				return fmt.Errorf("%s: %w", h.File, err)
			}
		}
		for _, k := range order {
			outcome, err := applyListed(tx, h.Source, k, pairs[k], capabilities[k.component], now)
			if err != nil {
				return fmt.Errorf("%s: council %s, component %s: %w", h.File, k.council, k.component, err)
			}
			switch outcome {
			case "created":
				rep.Created++
			case "updated":
				rep.Updated++
			default:
				rep.Unchanged++
			}
		}
		n, err := unlist(tx, h, pairs, now)
		if err != nil {
			return err
		}
		rep.NoLongerListed = n
		if rep.MembershipsChanged, rep.MembershipsNoLongerListed, err = applyMemberships(tx, h, now); err != nil {
			return err
		}
		if h.DryRun {
			return errRollback
		}
		b, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		return tx.Create(&harvestRow{Source: h.Source, ObservedOn: h.ObservedOn, File: h.File, SHA256: h.SHA256,
			Report: string(b), RanAt: now}).Error
	})
	if errors.Is(err, errRollback) {
		return rep, nil
	}
	return rep, err
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

// unlist retires this source's current items on the adoptions of the source's
// components that the file no longer lists, and reports how many adoptions
// that flagged. Adoptions carried over to a successor are history: their
// evidence lives on with the successor's.
func unlist(tx *gorm.DB, h models.HarvestRun, listed map[pairKey][]models.EvidenceItem, now time.Time) (int, error) {
	components := h.Components
	if len(components) == 0 {
		for k := range listed {
			components = append(components, k.component)
		}
	}
	if len(components) == 0 {
		return 0, nil
	}
	var items []struct {
		ID, AdoptionID     int64
		Council, Component string
	}
	err := tx.Raw(`SELECT e.id, e.adoption_id, councils.code AS council, components.slug AS component
		FROM adoption_evidence e JOIN adoptions ON adoptions.id = e.adoption_id
		JOIN councils ON councils.id = adoptions.council_id JOIN components ON components.id = adoptions.component_id
		WHERE e.source = ? AND e.current = ? AND components.slug IN ?
		AND adoptions.id NOT IN (SELECT from_adoption_id FROM reorganisation_carryovers) ORDER BY e.adoption_id, e.id`,
		h.Source, true, components).Scan(&items).Error
	if err != nil {
		return 0, err
	}
	var ids, adoptions []int64
	for _, it := range items {
		if _, ok := listed[pairKey{it.Council, it.Component}]; ok {
			continue
		}
		ids = append(ids, it.ID)
		if !slices.Contains(adoptions, it.AdoptionID) {
			adoptions = append(adoptions, it.AdoptionID)
		}
	}
	for chunk := range slices.Chunk(ids, 500) {
		if err := tx.Model(&evidenceRow{}).Where("id IN ?", chunk).Update("current", false).Error; err != nil {
			return 0, err
		}
	}
	for _, id := range adoptions {
		before, err := getAdoption(tx, id)
		if err != nil {
			return 0, err
		}
		var row adoptionRow
		if err := tx.Take(&row, id).Error; err != nil {
			return 0, err
		}
		if err := saveHarvested(tx, row, &before, h.Source, "harvested", now); err != nil {
			return 0, err
		}
	}
	return len(adoptions), nil
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
