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
		steps := []func() error{
			func() error {
				return exportTable(tx, sink.Begin, "councils", "code", func(r councilRow) string { return r.Code },
					func(rows []councilRow) ([]models.Council, error) { return s.councilModels(tx, rows) }, sink.Council)
			},
			func() error {
				return exportTable(tx, sink.Begin, "vendors", "slug", func(r vendorRow) string { return r.Slug },
					mapped(vendorRow.model), sink.Vendor)
			},
			func() error {
				return exportTable(tx, sink.Begin, "capabilities", "slug", func(r capabilityRow) string { return r.Slug },
					mapped(capabilityRow.model), sink.Capability)
			},
			func() error {
				return exportTable(tx, sink.Begin, "components", "slug", func(r componentRow) string { return r.Slug },
					func(rows []componentRow) ([]models.Component, error) { return componentModels(tx, rows) }, sink.Component)
			},
			func() error { return exportAdoptions(tx, sink) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	}, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	return translate(err)
}

// exportTable begins the table name and writes its records, as toModels makes
// them from each batch of rows, in order of the unique column key.
func exportTable[R, M any](tx *gorm.DB, begin func(string) error, name, key string, keyOf func(R) string,
	toModels func([]R) ([]M, error), write func(M) error) error {
	if err := begin(name); err != nil {
		return err
	}
	return exportByKey(tx, key, keyOf, func(rows []R) error {
		ms, err := toModels(rows)
		if err != nil {
			return err
		}
		return each(ms, write)
	})
}

// mapped makes models from rows one by one.
func mapped[R, M any](model func(R) M) func([]R) ([]M, error) {
	return func(rows []R) ([]M, error) {
		out := make([]M, len(rows))
		for i, r := range rows {
			out[i] = model(r)
		}
		return out, nil
	}
}

// exportAdoptions writes every adoption, rejected claims too, in id order.
func exportAdoptions(tx *gorm.DB, sink models.ExportSink) error {
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
