package store

import (
	"strings"

	"github.com/council-components/registry/models"
	"gorm.io/gorm"
)

// pageLimit clamps a requested page size to the service's bounds.
func pageLimit(p models.Page) int {
	switch {
	case p.Limit <= 0:
		return models.DefaultPageSize
	case p.Limit > models.MaxPageSize:
		return models.MaxPageSize
	}
	return p.Limit
}

// listOf is one page of rows as the API lists them, each turned by model.
func listOf[R, M any](rows []R, total int, next string, err error, model func(R) M) (models.List[M], error) {
	out := models.List[M]{Items: make([]M, len(rows)), Total: total, Next: next}
	for i, r := range rows {
		out.Items[i] = model(r)
	}
	return out, err
}

// keysetModels is keyset whose page of rows is turned into models all at once by toModels,
// which may read in db what the rows refer to.
func keysetModels[R, M any, K string | int64](db *gorm.DB, key string, p models.Page, keyOf func(R) K,
	where func(*gorm.DB) *gorm.DB, toModels func(*gorm.DB, []R) ([]M, error)) (models.List[M], error) {
	rows, total, next, err := keyset(db, key, p, keyOf, where)
	if err != nil {
		return models.List[M]{}, err
	}
	items, err := toModels(db, rows)
	return models.List[M]{Items: items, Total: total, Next: next}, err
}

// keysetViews is keyset over table's rows R in id order (keyOf gives a row's id), each page read
// back through view, a query that joins what the rows refer to, as V.
func keysetViews[R, V any](db *gorm.DB, table string, p models.Page, keyOf func(R) int64,
	where, view func(*gorm.DB) *gorm.DB) ([]V, int, string, error) {
	rows, total, next, err := keyset(db, table+".id", p, keyOf, where)
	if err != nil {
		return nil, 0, "", err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = keyOf(r)
	}
	var views []V
	if len(ids) > 0 {
		if err := view(db).Where(table+".id IN ?", ids).Order(table + ".id").Scan(&views).Error; err != nil {
			return nil, 0, "", translate(err)
		}
	}
	return views, total, next, nil
}

// whereGiven narrows q by cond, every placeholder of which takes v, when v was
// given; an empty filter field does not filter.
func whereGiven(q *gorm.DB, cond, v string) *gorm.DB {
	if v == "" {
		return q
	}
	args := make([]any, strings.Count(cond, "?"))
	for i := range args {
		args[i] = v
	}
	return q.Where(cond, args...)
}
