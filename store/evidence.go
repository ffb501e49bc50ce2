package store

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// evidenceRow is one evidence item of an adoption (table adoption_evidence).
type evidenceRow struct {
	ID         int64
	AdoptionID int64
	Source     string
	URL        string `gorm:"column:url"`
	Quote      string
	ObservedOn string
	Status     string
	Current    bool
	CreatedAt  time.Time
}

func (evidenceRow) TableName() string { return "adoption_evidence" }

func (r evidenceRow) model() models.EvidenceItem {
	return models.EvidenceItem{Source: r.Source, URL: r.URL, Quote: r.Quote, ObservedOn: r.ObservedOn, Current: r.Current, Status: r.Status}
}

// evidenceOf loads the evidence of the given adoptions, each oldest first.
func evidenceOf(db *gorm.DB, ids []int64) (map[int64][]models.EvidenceItem, error) {
	out := make(map[int64][]models.EvidenceItem, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		var rows []evidenceRow
		if err := db.Where("adoption_id IN ?", chunk).Order("adoption_id, observed_on, id").Find(&rows).Error; err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			out[r.AdoptionID] = append(out[r.AdoptionID], r.model())
		}
	}
	return out, nil
}

// withEvidence fills in the adoptions' evidence and freshness.
func (s *Store) withEvidence(db *gorm.DB, as []models.Adoption) error {
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	items, err := evidenceOf(db, ids)
	if err != nil {
		return err
	}
	today := s.Now()
	for i := range as {
		as[i].Evidence = items[as[i].ID]
		if as[i].Evidence == nil {
			as[i].Evidence = []models.EvidenceItem{}
		}
		as[i].Fresh = models.IsFresh(as[i].ConfirmedOn, today, s.freshMonths())
	}
	return nil
}

// freshMonths is how long a confirmation stays fresh.
func (s *Store) freshMonths() int {
	if s.FreshMonths > 0 {
		return s.FreshMonths
	}
	return models.DefaultFreshMonths
}

// addEvidence records items for an adoption. An item it holds already (same
// source, URL and quote) is not added again but marked current, since a
// source lists it again. It reports how many rows it added or changed.
func addEvidence(tx *gorm.DB, adoptionID int64, items []models.EvidenceItem, now time.Time) (added, changed int, err error) {
	for _, it := range items {
		var old evidenceRow
		err := tx.Where("adoption_id = ? AND source = ? AND url = ? AND quote = ?", adoptionID, it.Source, it.URL, it.Quote).Take(&old).Error
		switch {
		case err == gorm.ErrRecordNotFound:
			row := evidenceRow{AdoptionID: adoptionID, Source: it.Source, URL: it.URL, Quote: it.Quote,
				ObservedOn: it.ObservedOn, Status: it.Status, Current: true, CreatedAt: now}
			if err := tx.Create(&row).Error; err != nil {
				return added, changed, err
			}
			added++
		case err != nil:
			return added, changed, err
		case !old.Current || old.Status != it.Status:
			if err := tx.Model(&old).Updates(map[string]any{"current": true, "status": it.Status}).Error; err != nil {
				return added, changed, err
			}
			changed++
		}
	}
	return added, changed, nil
}

// settleEvidence brings an adoption into line with its evidence: evidence_url
// is the first item's URL, confirmed_on the newest of the council's
// verification and the current items' dates, and a record that rests on
// evidence alone takes the strongest status its current items support (a
// council's or vendor's own record keeps the status they gave it). It reports
// whether the row changed; the caller records the event.
func settleEvidence(tx *gorm.DB, row *adoptionRow) (map[string]models.Change, error) {
	var rows []evidenceRow
	if err := tx.Where("adoption_id = ?", row.ID).Order("observed_on, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	items := make([]models.EvidenceItem, len(rows))
	for i, r := range rows {
		items[i] = r.model()
	}
	old := *row
	if len(items) > 0 {
		row.EvidenceURL = &items[0].URL
	}
	row.ConfirmedOn = models.ConfirmedOn(row.VerifiedOn, items)
	row.Status = models.SettledStatus(row.Source, row.Status, items)
	return diffAdoption(old, *row), nil
}

// evidenceAdoption finds the current adoption of component by council, or
// creates one resting on evidence alone.
func evidenceAdoption(tx *gorm.DB, council, component, capability string, status string, now time.Time) (adoptionRow, bool, error) {
	refs, err := resolveAdoptionRefs(tx, council, component, capability)
	if err != nil {
		return adoptionRow{}, false, err
	}
	var row adoptionRow
	err = tx.Where("council_id = ? AND component_id = ? AND "+currentAdoption(""),
		refs.councilID, refs.componentID).Order("id DESC").Take(&row).Error
	if err == nil {
		return row, false, nil
	}
	if err != gorm.ErrRecordNotFound {
		return row, false, err
	}
	row = adoptionRow{CouncilID: refs.councilID, ComponentID: refs.componentID, CapabilityID: refs.capabilityID,
		Status: status, Source: "evidence", Version: 1, CreatedAt: now, UpdatedAt: now}
	return row, true, tx.Create(&row).Error
}

// ConfirmAdoption records that the council (or an admin) has checked the
// adoption is still as recorded: it is verified, and confirmed today.
func (s *Store) ConfirmAdoption(ctx context.Context, actor models.Actor, id int64) (models.Adoption, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		cur, row, err := loadForCouncil(tx, actor, id, "confirmed")
		if err != nil {
			return err
		}
		if err := cur.CanConfirm(); err != nil {
			return err
		}
		now := s.Now()
		before, err := getAdoption(tx, id)
		if err != nil {
			return err
		}
		old := row
		row.Verified, row.VerifiedOn = true, dateOf(now)
		if _, err := settleEvidence(tx, &row); err != nil {
			return err
		}
		row.Version++
		row.UpdatedAt = now
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		if err := recordEvent(tx, id, actor, now, "confirmed", diffAdoption(old, row)); err != nil {
			return err
		}
		return auditAdoption(tx, actor, now, "confirmed", &before, id)
	})
	if err != nil {
		return models.Adoption{}, err
	}
	return s.GetAdoption(ctx, id)
}
