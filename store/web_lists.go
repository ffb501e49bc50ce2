package store

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Reads for the list pages (/components, /councils, /vendors), which sort by
// how many councils use something. Counting that over every adoption takes
// longer than a page may, so the counts are kept in memory for as long as the
// catalogue's version stands, and every list page shares them.

// useCounts are, for one catalogue version, the councils using (piloting,
// running or retiring, counted) each component, each council's adoptions, and
// the distinct councils using each vendor's components, all keyed by row id.
type useCounts struct {
	version                    int64
	component, council, vendor map[int64]int
	componentVendor            map[int64]int64
	inHouseVendors             map[int64]bool
}

// useCountCache holds the latest useCounts; one reader counts at a time.
type useCountCache struct {
	mu     sync.Mutex
	counts *useCounts
}

// lists is the cache behind the list pages; one per Store.
var lists sync.Map // *Store → *useCountCache

// useCounts returns the counts for the current catalogue version, counting
// them again only when the version has moved on.
func (s *Store) useCounts(ctx context.Context) (*useCounts, error) {
	v, err := s.Version(ctx)
	if err != nil {
		return nil, err
	}
	c, _ := lists.LoadOrStore(s, &useCountCache{})
	cache := c.(*useCountCache)
	cache.mu.Lock()
	defer cache.mu.Unlock()
	if cache.counts != nil && cache.counts.version == v {
		return cache.counts, nil
	}
	counts, err := s.countUses(ctx, v)
	if err != nil {
		return nil, err
	}
	cache.counts = counts
	return counts, nil
}

// countUses reads every counted adoption in use once, as (component, council)
// pairs, and counts them three ways.
func (s *Store) countUses(ctx context.Context, version int64) (*useCounts, error) {
	db := s.r.WithContext(ctx)
	out := &useCounts{version: version, component: map[int64]int{}, council: map[int64]int{}, vendor: map[int64]int{},
		componentVendor: map[int64]int64{}, inHouseVendors: map[int64]bool{}}
	var comps []struct{ ID, VendorID int64 }
	if err := db.Raw("SELECT id, vendor_id FROM components").Scan(&comps).Error; err != nil {
		return nil, translate(err)
	}
	for _, c := range comps {
		out.componentVendor[c.ID] = c.VendorID
	}
	var inHouse []int64
	if err := db.Raw("SELECT id FROM vendors WHERE kind = 'in-house'").Scan(&inHouse).Error; err != nil {
		return nil, translate(err)
	}
	for _, id := range inHouse {
		out.inHouseVendors[id] = true
	}
	rows, err := db.Raw("SELECT component_id, council_id FROM adoptions WHERE status IN ? AND "+counted(""), inUseStatuses).Rows()
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	type pair struct{ vendor, council int64 }
	seen := map[pair]bool{}
	for rows.Next() {
		var comp, council int64
		if err := rows.Scan(&comp, &council); err != nil {
			return nil, translate(err)
		}
		out.component[comp]++
		out.council[council]++
		p := pair{out.componentVendor[comp], council}
		if !seen[p] {
			seen[p] = true
			out.vendor[p.vendor]++
		}
	}
	return out, translate(rows.Err())
}

// CouncilSorts are the councils page's orders: by name A to Z (the default),
// by type or region (then name), or most adoptions first.
var CouncilSorts = []string{"name", "type", "region", "adoptions"}

// ListCouncilsSorted is ListCouncils for the councils page: in the order sort
// (one of CouncilSorts, name when empty) names, its pages by offset.
func (s *Store) ListCouncilsSorted(ctx context.Context, f models.CouncilFilter, sort string, p models.Page) (models.List[models.Council], error) {
	db := s.r.WithContext(ctx)
	var keys []struct {
		ID                 int64
		Name, Type, Region string
	}
	if err := councilWhere(f)(db.Model(&councilRow{})).Select("id, lower(name) AS name, type, region").Scan(&keys).Error; err != nil {
		return models.List[models.Council]{}, translate(err)
	}
	var counts *useCounts
	if sort == "adoptions" {
		var err error
		if counts, err = s.useCounts(ctx); err != nil {
			return models.List[models.Council]{}, err
		}
	}
	slices.SortFunc(keys, func(x, y struct {
		ID                 int64
		Name, Type, Region string
	}) int {
		byName := cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID)) // names lower-cased by the query
		switch sort {
		case "type":
			return cmp.Or(cmp.Compare(x.Type, y.Type), byName)
		case "region":
			return cmp.Or(cmp.Compare(x.Region, y.Region), byName)
		case "adoptions":
			return cmp.Or(cmp.Compare(counts.council[y.ID], counts.council[x.ID]), byName)
		}
		return byName
	})
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	return pageOfIDs(db, ids, p, func(r councilRow) int64 { return r.ID }, s.councilModels)
}

// ComponentSorts are the components page's orders when nothing is searched
// for: most used first (the default), or by name A to Z.
var ComponentSorts = []string{"adoptions", "name"}

// ListComponentsRanked is ListComponents for the components page. A search
// keeps its relevance order. Otherwise, for sort "adoptions" (or empty),
// products come before councils' in-house builds (a vendor of kind
// in-house), each most councils using it first, then by name; for "name",
// by name A to Z. Pages are by offset.
func (s *Store) ListComponentsRanked(ctx context.Context, f models.ComponentFilter, sort string, p models.Page) (models.List[models.Component], error) {
	if f.Q != "" {
		return s.ListComponents(ctx, f, p)
	}
	db := s.r.WithContext(ctx)
	var keys []struct {
		ID, VendorID int64
		Name         string
	}
	if err := componentWhere(f)(db.Model(&componentRow{})).Select("components.id, components.vendor_id, lower(components.name) AS name").Scan(&keys).Error; err != nil {
		return models.List[models.Component]{}, translate(err)
	}
	counts, err := s.useCounts(ctx)
	if err != nil {
		return models.List[models.Component]{}, err
	}
	slices.SortFunc(keys, func(x, y struct {
		ID, VendorID int64
		Name         string
	}) int {
		byName := cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID)) // names lower-cased by the query
		if sort == "name" {
			return byName
		}
		inHouse := func(vendor int64) int {
			if counts.inHouseVendors[vendor] {
				return 1
			}
			return 0
		}
		return cmp.Or(cmp.Compare(inHouse(x.VendorID), inHouse(y.VendorID)),
			cmp.Compare(counts.component[y.ID], counts.component[x.ID]), byName)
	})
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	return pageOfIDs(db, ids, p, func(r componentRow) int64 { return r.ID }, componentModels)
}

// pageOfIDs is the page p (by offset) of the rows with ids, in that order,
// turned into models (convert keeps its rows' order).
func pageOfIDs[R, M any](db *gorm.DB, ids []int64, p models.Page, idOf func(R) int64, convert func(*gorm.DB, []R) ([]M, error)) (models.List[M], error) {
	out := models.List[M]{Items: []M{}, Total: len(ids)}
	offset, err := models.CursorOffset(p.Cursor)
	if err != nil {
		return out, err
	}
	limit := pageLimit(p)
	start := min(offset, len(ids))
	end := min(start+limit, len(ids))
	if end < len(ids) {
		out.Next = models.OffsetCursor(end)
	}
	page := ids[start:end]
	if len(page) == 0 {
		return out, nil
	}
	var rows []R
	if err := db.Where("id IN ?", page).Find(&rows).Error; err != nil {
		return out, translate(err)
	}
	at := make(map[int64]int, len(page))
	for i, id := range page {
		at[id] = i
	}
	// Back into ids' order; a row deleted between the two reads is simply skipped.
	ordered := make([]*R, len(page))
	for i := range rows {
		ordered[at[idOf(rows[i])]] = &rows[i]
	}
	rows = rows[:0:0]
	for _, r := range ordered {
		if r != nil {
			rows = append(rows, *r)
		}
	}
	out.Items, err = convert(db, rows)
	return out, err
}

// CouncilPlaces lists the regions and nations current councils are in, for
// the councils page's filters.
func (s *Store) CouncilPlaces(ctx context.Context) (regions, nations []string, err error) {
	db := s.r.WithContext(ctx)
	if err := db.Raw("SELECT DISTINCT region FROM councils WHERE status = 'current' AND region <> '' ORDER BY region").Scan(&regions).Error; err != nil {
		return nil, nil, translate(err)
	}
	err = db.Raw("SELECT DISTINCT nation FROM councils WHERE status = 'current' AND nation <> '' ORDER BY nation").Scan(&nations).Error
	return regions, nations, translate(err)
}
