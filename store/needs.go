package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

type needView struct {
	Row            needRow `gorm:"embedded"`
	CouncilCode    string
	CapabilitySlug string
}

func (v needView) model() models.Need {
	r := v.Row
	return models.Need{ID: r.ID, Council: v.CouncilCode, Capability: v.CapabilitySlug, NeededBy: r.NeededBy,
		Status: r.Status, Notes: r.Notes, Source: r.Source, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
}

func needsQuery(db *gorm.DB) *gorm.DB {
	return db.Table("needs").Select("needs.*, councils.code AS council_code, capabilities.slug AS capability_slug").
		Joins("JOIN councils ON councils.id = needs.council_id").
		Joins("JOIN capabilities ON capabilities.id = needs.capability_id")
}

// ListNeeds returns needs in id order, filtered by council, capability, status and a needed_by window.
func (s *Store) ListNeeds(ctx context.Context, f models.NeedFilter, p models.Page) (models.List[models.Need], error) {
	db := s.r.WithContext(ctx)
	where := func(q *gorm.DB) *gorm.DB {
		q = whereGiven(q, "needs.council_id IN (SELECT id FROM councils WHERE code = ?)", f.Council)
		q = whereGiven(q, "needs.capability_id IN (SELECT id FROM capabilities WHERE slug = ?)", f.Capability)
		q = whereGiven(q, "needs.status = ?", f.Status)
		q = whereGiven(q, "needs.needed_by >= ?", f.NeededFrom)
		q = whereGiven(q, "needs.needed_by <= ?", f.NeededTo)
		return q
	}
	views, total, next, err := keysetViews[needRow, needView](db, "needs", p,
		func(r needRow) int64 { return r.ID }, where, needsQuery)
	return listOf(views, total, next, err, needView.model)
}

// GetNeed returns one need.
func (s *Store) GetNeed(ctx context.Context, id int64) (models.Need, error) {
	return getNeed(s.r.WithContext(ctx), id)
}

func getNeed(db *gorm.DB, id int64) (models.Need, error) {
	return oneRow(needsQuery(db).Where("needs.id = ?", id), "need", id, needView.model)
}

// CreateNeed records that a council needs a capability: its own council, or any for an admin.
func (s *Store) CreateNeed(ctx context.Context, actor models.Actor, in models.NeedInput) (models.Need, error) {
	var n models.Need
	in.Apply(&n)
	if err := actor.CanWriteNeed(n.Council); err != nil {
		return n, err
	}
	var id int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		var ids struct{ Council, Capability int64 }
		if err := tx.Raw(`SELECT (SELECT id FROM councils WHERE code = ?) AS council, (SELECT id FROM capabilities WHERE slug = ?) AS capability`,
			n.Council, n.Capability).Scan(&ids).Error; err != nil {
			return err
		}
		var p models.Problems
		if ids.Council == 0 {
			p.Add("council", "no council has the code %q", n.Council)
		}
		if ids.Capability == 0 {
			p.Add("capability", "no capability has the slug %q", n.Capability)
		}
		if err := p.ErrWithCode(models.EUNPROCESSABLE, "the need refers to things that do not exist"); err != nil {
			return err
		}
		now := s.Now()
		row := needRow{CouncilID: ids.Council, CapabilityID: ids.Capability, NeededBy: n.NeededBy, Status: n.Status,
			Notes: n.Notes, Source: actor.NeedSource(), Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		id = row.ID
		return auditRecord(tx, actor, now, "need", id, "created", nil, getNeed)
	})
	if err != nil {
		return models.Need{}, err
	}
	return getNeed(s.r.WithContext(ctx), id)
}

// UpdateNeed changes a need's date, status or notes.
func (s *Store) UpdateNeed(ctx context.Context, actor models.Actor, id int64, in models.NeedInput, ifVersion *int) (models.Need, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var row needRow
		if err := forUpdate(tx).Take(&row, id).Error; err != nil {
			return notFoundAs(err, "need", fmt.Sprint(id))
		}
		cur, err := getNeed(tx, id)
		if err != nil {
			return err
		}
		if err := actor.CanWriteNeed(cur.Council); err != nil {
			return err
		}
		if err := checkVersion(cur.Version, ifVersion); err != nil {
			return err
		}
		next := cur
		in.Apply(&next)
		if row.NeededBy == next.NeededBy && row.Status == next.Status && row.Notes == next.Notes {
			return nil
		}
		row.NeededBy, row.Status, row.Notes = next.NeededBy, next.Status, next.Notes
		row.Version++
		row.UpdatedAt = s.Now()
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		return auditRecord(tx, actor, row.UpdatedAt, "need", id, "updated", &cur, getNeed)
	})
	if err != nil {
		return models.Need{}, err
	}
	return getNeed(s.r.WithContext(ctx), id)
}
