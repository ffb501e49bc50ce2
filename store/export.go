package store

import (
	"context"
	"database/sql"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// exportBatch is how many records an export reads at a time.
const exportBatch = 1000

// Export streams every council (current and former), vendor, capability,
// component and adoption (rejected claims too) to sink, in key order, from one
// read transaction so the files agree with each other.
func (s *Store) Export(ctx context.Context, sink models.ExportSink) error {
	err := s.r.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := sink.Begin("councils"); err != nil {
			return err
		}
		if err := exportByKey(tx, "code", func(r councilRow) string { return r.Code }, func(rows []councilRow) error {
			cs, err := s.councilModels(tx, rows)
			if err != nil {
				return err
			}
			return each(cs, sink.Council)
		}); err != nil {
			return err
		}
		if err := sink.Begin("vendors"); err != nil {
			return err
		}
		if err := exportByKey(tx, "slug", func(r vendorRow) string { return r.Slug }, func(rows []vendorRow) error {
			for _, r := range rows {
				if err := sink.Vendor(r.model()); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		if err := sink.Begin("capabilities"); err != nil {
			return err
		}
		if err := exportByKey(tx, "slug", func(r capabilityRow) string { return r.Slug }, func(rows []capabilityRow) error {
			for _, r := range rows {
				if err := sink.Capability(r.model()); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		if err := sink.Begin("components"); err != nil {
			return err
		}
		if err := exportByKey(tx, "slug", func(r componentRow) string { return r.Slug }, func(rows []componentRow) error {
			cs, err := componentModels(tx, rows)
			if err != nil {
				return err
			}
			return each(cs, sink.Component)
		}); err != nil {
			return err
		}
		if err := sink.Begin("adoptions"); err != nil {
			return err
		}
		var after int64
		for {
			var views []adoptionView
			if err := adoptionsQuery(tx).Where("adoptions.id > ?", after).Order("adoptions.id").Limit(exportBatch).Scan(&views).Error; err != nil {
				return err
			}
			for _, v := range views {
				if err := sink.Adoption(v.model()); err != nil {
					return err
				}
			}
			if len(views) < exportBatch {
				return nil
			}
			after = views[len(views)-1].Row.ID
		}
	}, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	return translate(err)
}

// exportByKey hands the rows of R to fn a batch at a time, in order of the unique column key.
func exportByKey[R any](tx *gorm.DB, key string, keyOf func(R) string, fn func([]R) error) error {
	after, first := "", true
	for {
		var rows []R
		q := tx.Model(new(R)).Order(key).Limit(exportBatch)
		if !first {
			q = q.Where(key+" > ?", after)
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > 0 {
			if err := fn(rows); err != nil {
				return err
			}
		}
		if len(rows) < exportBatch {
			return nil
		}
		after, first = keyOf(rows[len(rows)-1]), false
	}
}

func each[T any](items []T, fn func(T) error) error {
	for _, it := range items {
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}
