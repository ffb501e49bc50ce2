package store

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"
	"time"

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
// Once made they are never changed (the ranked order is made once, on first
// use), so readers need no lock.
type useCounts struct {
	version                    int64
	component, council, vendor map[int64]int
	// Each component's place in the components page's order by name, and
	// what its ranked order is sorted by (see rankedPlaces).
	byName   map[int64]int
	rankKeys []rankKey
	rankOnce sync.Once
	ranked   map[int64]int
	// Current service councils, and how many have each capability live.
	serviceCouncils int
	capabilityLive  map[int64]int
	// The current service councils with each capability live, by id.
	liveCouncils map[int64][]int64
	// For each capability, the components councils (any council) run live
	// for it, with how many councils run each: the home and capability pages.
	liveUse map[int64][]liveUse
}

// liveUse is a component run live for a capability by this many councils.
type liveUse struct {
	component int64
	councils  int
}

// useTally is what the counts are made from, kept so that a few writes update
// it rather than every adoption being read again. Every count in it is kept
// as each use comes and goes, so that making the counts copies figures rather
// than going through every use; a count that falls to zero is removed.
type useTally struct {
	version   int64
	uses      map[int64]use // each counted adoption in use
	component map[int64]int
	council   map[int64]int
	pairs     map[[2]int64]int // vendor and council: the vendor's components the council uses
	vendor    map[int64]int    // the councils in pairs with each vendor
	// By capability: each current service council's live adoptions for it, and
	// the councils (any council) running each component live for it, with the
	// live adoptions behind each of those.
	live        map[int64]map[int64]int
	liveUse     map[int64]map[int64]int
	liveTriples map[[3]int64]int // capability, component, council
	// The capabilities whose lists have changed since last, the counts made
	// last: the others share last's lists, which are never changed.
	changed  map[int64]bool
	last     *useCounts
	comps    []componentKey
	vendorOf map[int64]int64
	service  map[int64]bool // the current councils delivering services (serviceCouncils)
	// The components' order by name, which adoption writes leave alone:
	// each one's place by id, and by index in comps. Made by counts, once.
	byName   map[int64]int
	nameRank []int
}

// use is a counted adoption in use.
type use struct {
	component, council, capability int64
	live                           bool
}

type componentKey struct {
	ID, VendorID int64
	Slug         string
	Name         string // lower-cased
	InHouse      bool   // its vendor is of kind in-house
}

// useCountCache holds the latest tally and the counts made from it; one
// reader brings them up to date at a time.
type useCountCache struct {
	mu     sync.Mutex
	tally  *useTally
	counts *useCounts
}

// tallyDeltaMax is the most audit entries applied to the tally one by one;
// more, and every adoption is read again.
const tallyDeltaMax = 5000

// countsTimeout bounds bringing the counts up to date; reading every adoption
// at national scale takes a few seconds.
const countsTimeout = time.Minute

// useCounts returns the counts for the current catalogue version. After
// writes of adoptions, components and vendors (or of what counts nowhere here)
// it reads just the records written; after any other write, or a great many,
// it reads every adoption again.
func (s *Store) useCounts(ctx context.Context) (*useCounts, error) {
	v, err := s.Version(ctx)
	if err != nil {
		return nil, err
	}
	return s.useCountsAt(ctx, v)
}

// useCountsAt returns counts that have seen every write up to version v.
func (s *Store) useCountsAt(ctx context.Context, v int64) (*useCounts, error) {
	var err error
	cache := s.lists
	cache.mu.Lock()
	defer cache.mu.Unlock()
	// Counts made at a later version than this reader's have seen every write
	// made before it asked; they are the counts it would wait for.
	if cache.counts != nil && cache.counts.version >= v {
		return cache.counts, nil
	}
	// The readers queued behind this one wait for the same counts: a client
	// hanging up must not abort the read for them (nor throw the tally away).
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), countsTimeout)
	defer cancel()
	ok := false
	if cache.tally != nil {
		if ok, err = s.updateTally(ctx, cache.tally, v); err != nil {
			cache.tally = nil // it may be half brought up to date: the next reader reads it afresh
			return nil, err
		}
	}
	if !ok {
		if cache.tally, err = s.readTally(ctx, v); err != nil {
			return nil, err
		}
	}
	cache.counts = cache.tally.counts()
	return cache.counts, nil
}

// WarmListCounts reads the list pages' counts now, so that the first reader
// does not wait for them.
func (s *Store) WarmListCounts(ctx context.Context) error {
	_, err := s.useCounts(ctx)
	return err
}

// usesSQL selects counted adoptions in use as id, component_id, council_id,
// capability_id, live; its one parameter is the in-use statuses.
var usesSQL = "SELECT id, component_id, council_id, capability_id, status = 'live' FROM adoptions WHERE status IN ? AND " + counted("")

// readTally reads every counted adoption in use, once, as (component,
// council) pairs.
func (s *Store) readTally(ctx context.Context, version int64) (*useTally, error) {
	db := s.r.WithContext(ctx)
	t := &useTally{version: version, uses: map[int64]use{}, component: map[int64]int{}, council: map[int64]int{},
		pairs: map[[2]int64]int{}, vendor: map[int64]int{}, live: map[int64]map[int64]int{}, liveUse: map[int64]map[int64]int{},
		liveTriples: map[[3]int64]int{}, changed: map[int64]bool{}, vendorOf: map[int64]int64{}, service: map[int64]bool{}}
	var service []int64
	if err := db.Raw("SELECT id FROM councils WHERE " + serviceCouncils).Scan(&service).Error; err != nil {
		return nil, translate(err)
	}
	for _, id := range service {
		t.service[id] = true
	}
	var err error
	if t.comps, err = readComponentKeys(db, "TRUE"); err != nil {
		return nil, err
	}
	for _, c := range t.comps {
		t.vendorOf[c.ID] = c.VendorID
	}
	return t, t.scan(db.Raw(usesSQL, inUseStatuses))
}

// readComponentKeys reads the keys of the components where says, with its args.
func readComponentKeys(db *gorm.DB, where string, args ...any) ([]componentKey, error) {
	var keys []componentKey
	err := db.Raw(`SELECT p.id, p.vendor_id, p.slug, lower(p.name) AS name, v.kind = 'in-house' AS in_house
		FROM components p JOIN vendors v ON v.id = p.vendor_id WHERE `+where, args...).Scan(&keys).Error
	return keys, translate(err)
}

// scan adds the uses q selects (as usesSQL does) to the tally.
func (t *useTally) scan(q *gorm.DB) error {
	rows, err := q.Rows()
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var u use
		if err := rows.Scan(&id, &u.component, &u.council, &u.capability, &u.live); err != nil {
			return translate(err)
		}
		t.add(id, u, 1)
	}
	return translate(rows.Err())
}

// add counts an adoption's use (sign 1) or stops counting it (-1).
func (t *useTally) add(id int64, u use, sign int) {
	if sign > 0 {
		t.uses[id] = u
	} else {
		delete(t.uses, id)
	}
	step(t.component, u.component, sign)
	step(t.council, u.council, sign)
	t.pair(t.vendorOf[u.component], u.council, sign)
	if !u.live {
		return
	}
	if step(t.liveTriples, [3]int64{u.capability, u.component, u.council}, sign) {
		stepIn(t.liveUse, u.capability, u.component, sign)
		t.changed[u.capability] = true
	}
	if t.service[u.council] && stepIn(t.live, u.capability, u.council, sign) {
		t.changed[u.capability] = true
	}
}

// pair counts a use of a vendor's component by a council (sign 1) or stops counting it (-1).
func (t *useTally) pair(vendor, council int64, sign int) {
	if step(t.pairs, [2]int64{vendor, council}, sign) {
		step(t.vendor, vendor, sign)
	}
}

// step adds sign to m[k], removing it at zero, and reports whether m[k] has
// just become one or zero: whether k has just started or stopped counting.
func step[K comparable](m map[K]int, k K, sign int) bool {
	n := m[k] + sign
	if n == 0 {
		delete(m, k)
	} else {
		m[k] = n
	}
	return n == 0 || n == 1 && sign > 0
}

// stepIn is step on m[outer], made when needed and removed when empty.
func stepIn(m map[int64]map[int64]int, outer, k int64, sign int) bool {
	inner := m[outer]
	if inner == nil {
		inner = map[int64]int{}
		m[outer] = inner
	}
	crossed := step(inner, k, sign)
	if len(inner) == 0 {
		delete(m, outer)
	}
	return crossed
}

// updateTally brings t from its version to v by the audit log: it reports
// false, changing nothing, when something the tally does not follow one by one
// was written (a council, a reorganisation, reference data), or too much.
func (s *Store) updateTally(ctx context.Context, t *useTally, v int64) (bool, error) {
	db := s.r.WithContext(ctx)
	w, err := readWritten(db, t.version, v, tallyDeltaMax)
	if err != nil || w.broad {
		return false, err
	}
	var comps, vendors []string
	for _, e := range w.entries {
		switch e.entity {
		case "component":
			comps = append(comps, e.key)
		case "vendor": // its kind says whether its components are in-house builds
			vendors = append(vendors, e.key)
		} // capabilities count nowhere here, nor do needs
	}
	// The components first, so that the adoptions read next count for their vendors.
	if err := t.rekey(db, comps, vendors); err != nil {
		return false, err
	}
	for _, id := range w.adoptions { // each written adoption's old use, if it had one
		if u, ok := t.uses[id]; ok {
			t.add(id, u, -1)
		}
	}
	for chunk := range slices.Chunk(sortedUnique(w.adoptions), 500) {
		if err := t.scan(db.Raw(usesSQL+" AND id IN ?", inUseStatuses, chunk)); err != nil {
			return false, err
		}
	}
	t.version = v
	return true, nil
}

// rekey reads again the keys of the components with the given slugs and of the
// given vendors' components. A component gone has no uses (one with adoption
// records cannot be deleted); one moved to another vendor takes its uses' vendor
// and council pairs with it. The order by name is made again by counts.
func (t *useTally) rekey(db *gorm.DB, slugs, vendors []string) error {
	if len(slugs)+len(vendors) == 0 {
		return nil
	}
	var fresh []componentKey
	for chunk := range slices.Chunk(sortedUnique(slugs), 500) {
		keys, err := readComponentKeys(db, "p.slug IN ?", chunk)
		if err != nil {
			return err
		}
		fresh = append(fresh, keys...)
	}
	for chunk := range slices.Chunk(sortedUnique(vendors), 500) {
		keys, err := readComponentKeys(db, "v.slug IN ?", chunk)
		if err != nil {
			return err
		}
		fresh = append(fresh, keys...)
	}
	found := make(map[int64]componentKey, len(fresh))
	for _, k := range fresh {
		found[k.ID] = k
	}
	// A slug now held by another component, or by none, was deleted (and perhaps made again).
	written := make(map[string]bool, len(slugs))
	for _, slug := range slugs {
		written[slug] = true
	}
	t.comps = slices.DeleteFunc(t.comps, func(c componentKey) bool {
		if _, ok := found[c.ID]; written[c.Slug] && !ok {
			delete(t.vendorOf, c.ID)
			return true
		}
		return false
	})
	moved := map[int64]int64{} // component → the vendor it moved from
	for i, c := range t.comps {
		if k, ok := found[c.ID]; ok {
			if k.VendorID != c.VendorID {
				moved[c.ID] = c.VendorID
			}
			t.comps[i] = k
			t.vendorOf[k.ID] = k.VendorID
			delete(found, c.ID)
		}
	}
	for _, k := range found { // new components: nobody uses them yet
		t.comps = append(t.comps, k)
		t.vendorOf[k.ID] = k.VendorID
	}
	if len(moved) > 0 {
		for _, u := range t.uses {
			if from, ok := moved[u.component]; ok {
				t.pair(from, u.council, -1)
				t.pair(t.vendorOf[u.component], u.council, 1)
			}
		}
	}
	t.byName, t.nameRank = nil, nil
	return nil
}

// counts are the tally's counts, made anew for readers to share.
func (t *useTally) counts() *useCounts {
	out := &useCounts{version: t.version, component: maps.Clone(t.component), council: maps.Clone(t.council), vendor: maps.Clone(t.vendor),
		serviceCouncils: len(t.service), capabilityLive: make(map[int64]int, len(t.live)),
		liveCouncils: make(map[int64][]int64, len(t.live)), liveUse: make(map[int64][]liveUse, len(t.liveUse))}
	for capability, councils := range t.live {
		out.capabilityLive[capability] = len(councils)
		if t.last != nil && !t.changed[capability] {
			out.liveCouncils[capability] = t.last.liveCouncils[capability]
		} else {
			out.liveCouncils[capability] = slices.Collect(maps.Keys(councils))
		}
	}
	for capability, components := range t.liveUse {
		if t.last != nil && !t.changed[capability] {
			out.liveUse[capability] = t.last.liveUse[capability]
			continue
		}
		uses := make([]liveUse, 0, len(components))
		for component, councils := range components {
			uses = append(uses, liveUse{component: component, councils: councils})
		}
		out.liveUse[capability] = uses
	}
	clear(t.changed)
	t.last = out
	comps := t.comps
	id := func(i int) int64 { return comps[i].ID }
	if t.byName == nil {
		t.byName = places(len(comps), func(i, j int) int {
			return cmp.Or(cmp.Compare(comps[i].Name, comps[j].Name), cmp.Compare(comps[i].ID, comps[j].ID))
		}, id)
		t.nameRank = make([]int, len(comps))
		for i, c := range comps {
			t.nameRank[i] = t.byName[c.ID]
		}
	}
	out.byName = t.byName // shared by every version's counts, never changed
	out.rankKeys = make([]rankKey, len(comps))
	for i, c := range comps {
		inHouse := 0
		if c.InHouse {
			inHouse = 1
		}
		out.rankKeys[i] = rankKey{c.ID, [3]int{inHouse, -out.component[c.ID], t.nameRank[i]}}
	}
	return out
}

// rankKey is what a component's place in the ranked order is sorted by:
// products before in-house builds, most used first, then by name.
type rankKey struct {
	id  int64
	key [3]int
}

// rankedPlaces is each component's place in the components page's ranked
// order. Sorted on first use, not whenever a write makes new counts: most
// versions' counts are never asked for it.
func (c *useCounts) rankedPlaces() map[int64]int {
	c.rankOnce.Do(func() {
		keys := c.rankKeys
		c.ranked = places(len(keys), func(i, j int) int { return slices.Compare(keys[i].key[:], keys[j].key[:]) }, func(i int) int64 { return keys[i].id })
	})
	return c.ranked
}

// places sorts n items by order and gives each item's id its place.
func places(n int, order func(i, j int) int, id func(int) int64) map[int64]int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, order)
	out := make(map[int64]int, n)
	for place, i := range idx {
		out[id(i)] = place
	}
	return out
}

// ListCouncilsSorted is ListCouncils for the councils page: in the order sort
// (one of models.CouncilSorts, name when empty) names, its pages by offset.
func (s *Store) ListCouncilsSorted(ctx context.Context, f models.CouncilFilter, sort string, p models.Page) (models.List[models.Council], error) {
	db := s.r.WithContext(ctx)
	var keys []struct {
		ID                 int64
		Name, Type, Region string
	}
	if err := councilWhere(f)(db.Model(&councilRow{})).Select("id, lower(name) AS name, type_name AS type, region").Scan(&keys).Error; err != nil {
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
	var ids []int64
	if err := componentWhere(f)(db.Model(&componentRow{})).Pluck("components.id", &ids).Error; err != nil {
		return models.List[models.Component]{}, translate(err)
	}
	counts, err := s.useCounts(ctx)
	if err != nil {
		return models.List[models.Component]{}, err
	}
	place := counts.rankedPlaces()
	if sort == "name" {
		place = counts.byName
	}
	// A component made since the counts were taken has no place: it cannot be,
	// as any write moves the version on; were it so, it would come first.
	slices.SortFunc(ids, func(x, y int64) int { return cmp.Or(cmp.Compare(place[x], place[y]), cmp.Compare(x, y)) })
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

// CapabilityCoverage is Coverage for every capability without a breakdown,
// from the list pages' kept counts: what the capabilities page shows.
func (s *Store) CapabilityCoverage(ctx context.Context) ([]models.CoverageItem, error) {
	counts, err := s.useCounts(ctx)
	if err != nil {
		return nil, err
	}
	var caps []capabilityRow
	if err := s.r.WithContext(ctx).Order("slug").Find(&caps).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]models.CoverageItem, len(caps))
	for i, c := range caps {
		n := counts.capabilityLive[c.ID]
		out[i] = models.CoverageItem{Capability: models.Ref{Slug: c.Slug, Name: c.Name}, Category: c.Category,
			LiveCouncils: n, Councils: counts.serviceCouncils, Share: share(n, counts.serviceCouncils), Breakdown: []models.CoverageGroup{}}
	}
	return out, nil
}
