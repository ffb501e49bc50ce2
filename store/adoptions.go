package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// adoptionSelect reads adoptions with the codes and slugs they refer to.
const adoptionSelect = `adoptions.*, councils.code AS council_code, components.slug AS component_slug,
	capabilities.slug AS capability_slug`

type adoptionView struct {
	Row            adoptionRow `gorm:"embedded"` // exported: gorm skips unexported embedded structs
	CouncilCode    string
	ComponentSlug  string
	CapabilitySlug string
}

func (v adoptionView) model() models.Adoption {
	r := v.Row
	return models.Adoption{
		ID: r.ID, Council: v.CouncilCode, Component: v.ComponentSlug, Capability: v.CapabilitySlug,
		Status: r.Status, StartedOn: r.StartedOn, EndedOn: r.EndedOn, ContractEndOn: r.ContractEndOn,
		Notes: r.Notes, EvidenceURL: r.EvidenceURL, PublicContact: r.PublicContact, Source: r.Source, Verified: r.Verified,
		ContractValueGBP: r.ContractValueGBP, ContractSupplier: r.ContractSupplier, ContractReference: r.ContractReference,
		RejectionReason: r.RejectionReason, VerifiedOn: r.VerifiedOn, ConfirmedOn: r.ConfirmedOn, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version,
		Verification: models.VerificationOf(r.Verified, r.RejectedAt != nil),
	}
}

// verificationIs is the SQL for the adoptions whose models.VerificationOf is
// verification; any other value (no filter) is every adoption but rejected claims.
func verificationIs(verification string) string {
	switch verification {
	case "rejected":
		return "adoptions.rejected_at IS NOT NULL"
	case "verified":
		return "adoptions.rejected_at IS NULL AND adoptions.verified"
	case "pending":
		return "adoptions.rejected_at IS NULL AND NOT adoptions.verified"
	}
	return "adoptions.rejected_at IS NULL"
}

// confirmedFresh is the SQL for the adoptions models.IsFresh calls fresh, given
// models.FreshSince.
const confirmedFresh = "adoptions.confirmed_on >= ?"

func adoptionsQuery(db *gorm.DB) *gorm.DB {
	return db.Table("adoptions").Select(adoptionSelect).
		Joins("JOIN councils ON councils.id = adoptions.council_id").
		Joins("JOIN components ON components.id = adoptions.component_id").
		Joins("JOIN capabilities ON capabilities.id = adoptions.capability_id")
}

// ListAdoptions returns adoptions in id order. Rejected claims are left out
// unless the filter asks for them.
func (s *Store) ListAdoptions(ctx context.Context, f models.AdoptionFilter, p models.Page) (models.List[models.Adoption], error) {
	db := s.r.WithContext(ctx)
	freshSince := models.FreshSince(s.Now(), s.freshMonths())
	where := func(q *gorm.DB) *gorm.DB {
		if f.Council != "" {
			q = q.Where("adoptions.council_id IN (SELECT id FROM councils WHERE code = ?)", f.Council)
		}
		if f.Component != "" {
			q = q.Where("adoptions.component_id IN (SELECT id FROM components WHERE slug = ?)", f.Component)
		}
		if f.Capability != "" {
			q = q.Where("adoptions.capability_id IN (SELECT id FROM capabilities WHERE slug = ?)", f.Capability)
		}
		if f.Status != "" {
			q = q.Where("adoptions.status = ?", f.Status)
		}
		if f.Verified != nil {
			q = q.Where("adoptions.verified = ?", *f.Verified)
		}
		if f.Fresh != nil && *f.Fresh {
			q = q.Where(confirmedFresh, freshSince)
		} else if f.Fresh != nil {
			q = q.Where("(adoptions.confirmed_on IS NULL OR NOT ("+confirmedFresh+"))", freshSince)
		}
		return q.Where(verificationIs(f.Verification))
	}
	views, total, next, err := keysetViews[adoptionRow, adoptionView](db, "adoptions", p,
		func(r adoptionRow) int64 { return r.ID }, where, adoptionsQuery)
	out, err := listOf(views, total, next, err, adoptionView.model)
	if err != nil {
		return out, err
	}
	return out, s.withEvidence(db, out.Items)
}

// GetAdoption returns one adoption, rejected or not.
func (s *Store) GetAdoption(ctx context.Context, id int64) (models.Adoption, error) {
	return s.adoption(s.r.WithContext(ctx), id)
}

// adoption reads one adoption with its evidence and freshness.
func (s *Store) adoption(db *gorm.DB, id int64) (models.Adoption, error) {
	a, err := getAdoption(db, id)
	if err != nil {
		return a, err
	}
	as := []models.Adoption{a}
	return as[0], s.withEvidence(db, as)
}

func getAdoption(db *gorm.DB, id int64) (models.Adoption, error) {
	return oneRow(adoptionsQuery(db).Where("adoptions.id = ?", id), "adoption", id, adoptionView.model)
}

// CreateAdoption records an adoption for actor. A council records its own
// (verified at once); a vendor claims one of its own components (unverified
// until the council confirms); an admin records anything.
func (s *Store) CreateAdoption(ctx context.Context, actor models.Actor, in models.AdoptionInput) (models.Adoption, error) {
	var id int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		a, refs, err := adoptionToCreate(tx, actor, in)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := a.FinishDates(*dateOf(now)); err != nil {
			return err
		}
		row := newAdoptionRow(a, refs, now)
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.ECONFLICT, "council %s already has a current adoption of %s; update that record instead", a.Council, a.Component)
			}
			return err
		}
		id = row.ID
		if err := recordEvent(tx, row.ID, actor, now, "created", createdChanges(row)); err != nil {
			return err
		}
		after, known := writtenAdoption(tx, row, refs.councilCode, a.Component, a.Capability)
		return auditWritten(tx, actor, now, "adoption", row.ID, "created", nil, after, known, getAdoption)
	})
	if err != nil {
		return models.Adoption{}, err
	}
	return s.adoption(s.r.WithContext(ctx), id)
}

// adoptionToCreate is the adoption actor asks to record, its references
// resolved, its ownership checked and its provenance set from the key.
func adoptionToCreate(tx *gorm.DB, actor models.Actor, in models.AdoptionInput) (models.Adoption, adoptionRefs, error) {
	var a models.Adoption
	if err := actor.CanSetProvenance(in); err != nil {
		return a, adoptionRefs{}, err
	}
	if err := in.CheckEvidenceSource(nil); err != nil {
		return a, adoptionRefs{}, err
	}
	in.Apply(&a)
	refs, err := resolveAdoptionRefs(tx, a.Council, a.Component, a.Capability)
	if err != nil {
		return a, refs, err
	}
	if a.Capability == "" {
		a.Capability = refs.defaultCapability
	}
	if err := actor.CanWriteAdoption(refs.councilCode, refs.vendorSlug, "", false); err != nil {
		return a, refs, err
	}
	if err := actor.CanSetPublicContact(refs.councilCode, nil, a.PublicContact); err != nil {
		return a, refs, err
	}
	if err := checkContractSupplier(tx, a.ContractSupplier); err != nil {
		return a, refs, err
	}
	a.Source, a.Verified = actor.NewAdoptionProvenance(in)
	if models.RefilingChecked(a.Source) {
		if err := refusedBefore(tx, refs); err != nil {
			return a, refs, err
		}
	}
	return a, refs, nil
}

// barsRefiling is models.BarsRefiling in SQL: a vendor's claim the council
// rejected and no one has cleared.
const barsRefiling = "source = 'vendor' AND rejected_at IS NOT NULL AND rejection_cleared_at IS NULL"

// refusedBefore stops a vendor filing again a claim the council rejected,
// until the council or an admin clears the rejection (models.BarsRefiling).
func refusedBefore(tx *gorm.DB, refs adoptionRefs) error {
	var rejected adoptionRow
	err := tx.Where("council_id = ? AND component_id = ? AND "+barsRefiling,
		refs.councilID, refs.componentID).Order("id DESC").Take(&rejected).Error
	if err == gorm.ErrRecordNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	return models.Errorf(models.ECONFLICT, "council %s rejected this claim (adoption %d); it cannot be filed again until the council or an admin clears the rejection (POST /api/v1/adoptions/%d/clear-rejection)",
		refs.councilCode, rejected.ID, rejected.ID)
}

// checkContractSupplier refuses an adoption's contract_supplier that names no vendor.
func checkContractSupplier(tx *gorm.DB, slug *string) error {
	if slug == nil {
		return nil
	}
	var n int64
	if err := tx.Table("vendors").Where("slug = ?", *slug).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		var p models.Problems
		p.Add("contract_supplier", "no vendor has the slug %q: register the supplier as a vendor first", *slug)
		return p.Err()
	}
	return nil
}

// UpdateAdoption changes an adoption's status, capability, dates or notes.
func (s *Store) UpdateAdoption(ctx context.Context, actor models.Actor, id int64, in models.AdoptionInput, ifVersion *int) (models.Adoption, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		cur, old, next, err := adoptionToUpdate(tx, actor, id, in, ifVersion)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := next.FinishDates(*dateOf(now)); err != nil {
			return err
		}
		row, changes, err := changedAdoptionRow(tx, actor, in, cur.Adoption, old, next, now)
		if err != nil || len(changes) == 0 {
			return err
		}
		if err := tx.Save(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.ECONFLICT, "council %s already has a current adoption of %s", cur.Council, cur.Component)
			}
			return err
		}
		if err := recordEvent(tx, id, actor, now, "updated", changes); err != nil {
			return err
		}
		// The capability's slug is known when it stays as it was; a new one is read back.
		after, known := writtenAdoption(tx, row, cur.Council, cur.Component, cur.Capability)
		known = known && row.CapabilityID == old.CapabilityID
		return auditWritten(tx, actor, now, "adoption", id, "updated", &cur.Adoption, after, known, getAdoption)
	})
	if err != nil {
		return models.Adoption{}, err
	}
	return s.adoption(s.r.WithContext(ctx), id)
}

// adoptionToUpdate reads adoption id for actor's update, checks who may change
// it and how, and returns it as stored (model and row) and with in applied.
func adoptionToUpdate(tx *gorm.DB, actor models.Actor, id int64, in models.AdoptionInput, ifVersion *int) (adoptionForWrite, adoptionRow, models.Adoption, error) {
	if err := actor.CanSetProvenance(in); err != nil {
		return adoptionForWrite{}, adoptionRow{}, models.Adoption{}, err
	}
	cur, old, err := loadAdoptionForWrite(tx, id)
	if err != nil {
		return cur, old, models.Adoption{}, err
	}
	if err := checkVersion(old.Version, ifVersion); err != nil {
		return cur, old, models.Adoption{}, err
	}
	if err := actor.CanWriteAdoption(cur.Council, cur.vendor, cur.Source, cur.Verified); err != nil {
		return cur, old, models.Adoption{}, err
	}
	err = in.CheckEvidenceSource(func() ([]models.EvidenceItem, error) {
		items, err := evidenceOf(tx, []int64{id})
		return items[id], err
	})
	if err != nil {
		return cur, old, models.Adoption{}, err
	}
	next := cur.Adoption
	in.Apply(&next)
	if err := actor.CanSetPublicContact(cur.Council, cur.PublicContact, next.PublicContact); err != nil {
		return cur, old, next, err
	}
	if err := checkContractSupplier(tx, next.ContractSupplier); err != nil {
		return cur, old, next, err
	}
	return cur, old, next, cur.CheckUpdate(next)
}

// VerifyAdoption confirms a claim: only the council it is about, or an admin.
func (s *Store) VerifyAdoption(ctx context.Context, actor models.Actor, id int64) (models.Adoption, error) {
	return s.settleClaim(ctx, actor, id, "verified", "")
}

// RejectAdoption refuses a claim, keeping it (and why) on record.
func (s *Store) RejectAdoption(ctx context.Context, actor models.Actor, id int64, reason string) (models.Adoption, error) {
	return s.settleClaim(ctx, actor, id, "rejected", reason)
}

func (s *Store) settleClaim(ctx context.Context, actor models.Actor, id int64, action, reason string) (models.Adoption, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		cur, row, err := loadForCouncil(tx, actor, id, action)
		if err != nil {
			return err
		}
		if changes, err := cur.CanSettle(action); err != nil || !changes {
			return err // verifying twice changes nothing
		}
		now := s.Now()
		changes := map[string]models.Change{"verification": {From: "pending", To: action}}
		if action == "verified" {
			row.Verified, row.VerifiedOn = true, dateOf(now)
			if _, err := settleEvidence(tx, &row); err != nil {
				return err
			}
		} else {
			row.RejectedAt, row.RejectionReason = &now, reason
			if reason != "" {
				changes["rejection_reason"] = models.Change{From: nil, To: reason}
			}
		}
		row.Version++
		row.UpdatedAt = now
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		if err := recordEvent(tx, id, actor, now, action, changes); err != nil {
			return err
		}
		return auditAdoption(tx, actor, now, action, &cur.Adoption, id)
	})
	if err != nil {
		return models.Adoption{}, err
	}
	return s.adoption(s.r.WithContext(ctx), id)
}

// AdoptionHistory returns an adoption's events, oldest first, each naming who
// made it as viewer may see them.
func (s *Store) AdoptionHistory(ctx context.Context, viewer models.Actor, id int64, p models.Page) (models.List[models.AdoptionEvent], error) {
	db := s.r.WithContext(ctx)
	if _, err := getAdoption(db, id); err != nil {
		return models.List[models.AdoptionEvent]{}, err
	}
	rows, total, next, err := keyset(db, "id", p, func(r eventRow) int64 { return r.ID },
		func(q *gorm.DB) *gorm.DB { return q.Where("adoption_id = ?", id) })
	out := models.List[models.AdoptionEvent]{Items: make([]models.AdoptionEvent, len(rows)), Total: total, Next: next}
	for i, r := range rows {
		out.Items[i] = r.model(viewer)
	}
	return out, err
}

type eventRow struct {
	ID         int64
	AdoptionID int64
	At         time.Time
	ActorKey   string
	ActorRole  string
	ActorOrg   string
	Action     string
	Changes    string
}

func (eventRow) TableName() string { return "adoption_events" }

// model is the event as viewer may see it.
func (r eventRow) model(viewer models.Actor) models.AdoptionEvent {
	who := models.Actor{Key: r.ActorKey, Role: r.ActorRole, Org: r.ActorOrg}
	e := models.AdoptionEvent{At: r.At, Actor: who.SeenBy(viewer),
		Action: r.Action, Changes: map[string]models.Change{}}
	_ = json.Unmarshal([]byte(r.Changes), &e.Changes)
	return e
}

// writtenAdoption is the adoption row as just written reads back through getAdoption, with
// the codes and slugs it refers to, built without reading it: ok is false where that is
// not known (PostgreSQL, see readsBackAs), and the caller reads it back.
func writtenAdoption(db *gorm.DB, row adoptionRow, council, component, capability string) (models.Adoption, bool) {
	var ok bool
	if row.CreatedAt, ok = readsBackAs(db, row.CreatedAt); !ok {
		return models.Adoption{}, false
	}
	if row.UpdatedAt, ok = readsBackAs(db, row.UpdatedAt); !ok {
		return models.Adoption{}, false
	}
	// RejectedAt and RejectionClearedAt reach the model only as whether they are set.
	return adoptionView{Row: row, CouncilCode: council, ComponentSlug: component, CapabilitySlug: capability}.model(), true
}

// auditAdoption logs an adoption write with the record before and as it now stands.
func auditAdoption(tx *gorm.DB, actor models.Actor, at time.Time, action string, before *models.Adoption, id int64) error {
	return auditRecord(tx, actor, at, "adoption", id, action, before, getAdoption)
}

func recordEvent(tx *gorm.DB, adoptionID int64, actor models.Actor, at time.Time, action string, changes map[string]models.Change) error {
	b, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	return insertEvent(tx, eventRow{AdoptionID: adoptionID, At: at, ActorKey: actor.Key, ActorRole: actor.Role,
		ActorOrg: actor.Org, Action: action, Changes: string(b)})
}

// insertEvent stores r as tx.Create(&r) would, without its reflection: the id is the database's.
func insertEvent(tx *gorm.DB, r eventRow) error {
	return tx.Exec(`INSERT INTO adoption_events (adoption_id, at, actor_key, actor_role, actor_org, action, changes)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.AdoptionID, r.At, r.ActorKey, r.ActorRole, r.ActorOrg, r.Action, r.Changes).Error
}

// diffAdoption lists the tracked fields that differ between two versions of a row.
func diffAdoption(old, row adoptionRow) map[string]models.Change {
	changes := models.DiffTracked(old.tracked(), row.tracked())
	if old.Verified != row.Verified {
		changes["verified"] = models.Change{From: old.Verified, To: row.Verified}
	}
	if old.Source != row.Source {
		changes["source"] = models.Change{From: old.Source, To: row.Source}
	}
	return changes
}

// tracked is the row's fields that an adoption's history tracks.
func (r adoptionRow) tracked() models.TrackedAdoption {
	return models.TrackedAdoption{Status: r.Status, Notes: r.Notes, StartedOn: r.StartedOn, EndedOn: r.EndedOn,
		ContractEndOn: r.ContractEndOn, EvidenceURL: r.EvidenceURL, PublicContact: r.PublicContact,
		ContractValueGBP: r.ContractValueGBP, ContractSupplier: r.ContractSupplier, ContractReference: r.ContractReference}
}

func createdChanges(row adoptionRow) map[string]models.Change {
	return diffAdoption(adoptionRow{}, row)
}

type adoptionRefs struct {
	councilID, componentID, capabilityID int64
	councilCode, vendorSlug              string
	defaultCapability                    string
}

// resolveAdoptionRefs checks that the council, component and capability exist
// and that the component provides the capability.
func resolveAdoptionRefs(tx *gorm.DB, council, component, capability string) (adoptionRefs, error) {
	var refs adoptionRefs
	var p models.Problems
	var c councilRow
	if err := tx.Select("id, code").Where("code = ?", council).Take(&c).Error; err == nil {
		refs.councilID, refs.councilCode = c.ID, c.Code
	} else if errors.Is(err, gorm.ErrRecordNotFound) {
		p.Add("council", "no council has the code %q", council)
	} else {
		return refs, err
	}
	var comp struct {
		ID     int64
		Vendor string
	}
	res := tx.Raw("SELECT components.id, vendors.slug AS vendor FROM components JOIN vendors ON vendors.id = components.vendor_id WHERE components.slug = ?", component).Scan(&comp)
	if res.Error != nil {
		return refs, res.Error
	}
	if res.RowsAffected == 0 {
		p.Add("component", "no component has the slug %q", component)
		return refs, p.ErrWithCode(models.EUNPROCESSABLE, "the adoption refers to things that do not exist")
	}
	refs.componentID, refs.vendorSlug = comp.ID, comp.Vendor
	var provided []struct {
		ID   int64
		Slug string
	}
	if err := tx.Raw(`SELECT capabilities.id, capabilities.slug FROM component_capabilities cc
		JOIN capabilities ON capabilities.id = cc.capability_id WHERE cc.component_id = ? ORDER BY capabilities.slug`, comp.ID).Scan(&provided).Error; err != nil {
		return refs, err
	}
	slugs := make([]string, len(provided))
	for i, pc := range provided {
		slugs[i] = pc.Slug
		if pc.Slug == capability {
			refs.capabilityID = pc.ID
		}
	}
	switch {
	case capability == "" && len(provided) == 1:
		refs.capabilityID, refs.defaultCapability = provided[0].ID, provided[0].Slug
	case capability == "":
		var q models.Problems
		q.Add("capability", "is required: %s provides %s", component, strings.Join(slugs, ", "))
		return refs, q.Err()
	case refs.capabilityID == 0:
		p.Add("capability", "%s does not provide %q; it provides %s", component, capability, strings.Join(slugs, ", "))
	}
	return refs, p.ErrWithCode(models.EUNPROCESSABLE, "the adoption refers to things that do not exist or do not fit")
}

type adoptionForWrite struct {
	models.Adoption
	vendor string
}

// loadAdoptionForWrite reads an adoption inside a write transaction.
func loadAdoptionForWrite(tx *gorm.DB, id int64) (adoptionForWrite, adoptionRow, error) {
	var row adoptionRow
	if err := forUpdate(tx).Take(&row, id).Error; err != nil {
		return adoptionForWrite{}, adoptionRow{}, notFoundAs(err, "adoption", fmt.Sprint(id))
	}
	a, err := getAdoption(tx, id)
	if err != nil {
		return adoptionForWrite{}, adoptionRow{}, err
	}
	var vendor string
	if err := tx.Raw("SELECT vendors.slug FROM components JOIN vendors ON vendors.id = components.vendor_id WHERE components.id = ?", row.ComponentID).Scan(&vendor).Error; err != nil {
		return adoptionForWrite{}, adoptionRow{}, err
	}
	return adoptionForWrite{a, vendor}, row, nil
}

// loadForCouncil reads an adoption, as loadAdoptionForWrite does, for a write only the council it
// is about or an admin may make: action (verified, rejected, cleared, confirmed) names the write.
func loadForCouncil(tx *gorm.DB, actor models.Actor, id int64, action string) (adoptionForWrite, adoptionRow, error) {
	cur, row, err := loadAdoptionForWrite(tx, id)
	if err != nil {
		return cur, row, err
	}
	return cur, row, actor.CanSettleClaim(cur.Council, action)
}

func dateOf(t time.Time) *string {
	s := t.UTC().Format(time.DateOnly)
	return &s
}

// ClearRejection lets a vendor file again a claim the council rejected: only
// that council or an admin may.
func (s *Store) ClearRejection(ctx context.Context, actor models.Actor, id int64) (models.Adoption, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		cur, row, err := loadForCouncil(tx, actor, id, "cleared")
		if err != nil {
			return err
		}
		if err := models.CanClearRejection(id, row.RejectedAt != nil, row.RejectionClearedAt != nil); err != nil {
			return err
		}
		now := s.Now()
		if err := tx.Model(&row).Update("rejection_cleared_at", now).Error; err != nil {
			return err
		}
		if err := recordEvent(tx, id, actor, now, "rejection_cleared", map[string]models.Change{}); err != nil {
			return err
		}
		return auditAdoption(tx, actor, now, "rejection_cleared", &cur.Adoption, id)
	})
	if err != nil {
		return models.Adoption{}, err
	}
	return s.adoption(s.r.WithContext(ctx), id)
}
