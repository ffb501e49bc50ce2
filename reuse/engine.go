// Package reuse finds reuse opportunities in adoption data: councils like a given one, what they
// run that it does not, where the country is fragmented, who still runs retired components and
// who could procure together. It works on plain data in memory and knows nothing of HTTP or SQL.
//
// A Keeper (keeper.go) keeps one Engine current with the database: it builds it with New from the
// world its Source loads, then applies the changes since the version it has seen with Apply
// (a batch of the changes the Put*/Delete* methods make one at a time), under its own context
// and checking every error.
// Every change costs at most O(councils running the component it touches); queries read indexes
// kept current by those changes (component → adopters, per-council adoptions, per-capability
// providers and live counts), so none of them compares all pairs of councils.
package reuse

import (
	"math"
	"slices"
	"sync"
	"time"

	"github.com/council-components/registry/models"
)

// Adoption statuses, compactly.
const (
	stUnknown uint8 = iota
	stExploring
	stPiloting
	stLive
	stRetiring
	stRetired
)

// Need statuses, compactly.
const (
	needOther uint8 = iota
	needOpen
)

// noDay marks an absent date.
const noDay int32 = math.MinInt32

// statusNames are the adoption statuses by their compact codes.
var statusNames = [...]string{stExploring: "exploring", stPiloting: "piloting", stLive: "live", stRetiring: "retiring", stRetired: "retired"}

func parseStatus(s string) uint8 {
	for st, name := range statusNames {
		if name == s && name != "" {
			return uint8(st)
		}
	}
	return stUnknown
}

// inUseCodes holds models.InUse for each compact status, so the engine and
// the store agree on what "in use" means without a string compare per row.
var inUseCodes = func() (t [len(statusNames)]bool) {
	for st, name := range statusNames {
		t[st] = models.InUse(name)
	}
	return t
}()

// inUse reports whether a status means the council runs the component.
func inUse(st uint8) bool { return int(st) < len(inUseCodes) && inUseCodes[st] }

// dayOf turns a time into a day number (days since 1970-01-01), keeping the calendar date the
// time shows in its own location.
func dayOf(t time.Time) int32 {
	if t.IsZero() {
		return noDay
	}
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func formatDay(d int32) string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}

// fxLog is ln(n) in 32.32 fixed point. Similarity sums are kept in integers so that an engine
// maintained by thousands of writes gives bit-for-bit the answers of one built fresh.
func fxLog(n int) int64 {
	if n <= 1 {
		return 0
	}
	return int64(math.Round(math.Log(float64(n)) * (1 << 32)))
}

type councilRec struct {
	Council
	known     bool    // false for a placeholder made because an adoption or need named it first
	adoptions []int32 // adoption slots, any status
	needs     []int32 // need slots, any status
	uses      []compUse
	// usesLog is the sum over uses of fxLog(adopters of that component), kept current so that the
	// council's total IDF weight is len(uses)*fxLog(N) - usesLog without touching its components.
	usesLog int64
	// vendorUses counts its live adoptions per capability and vendor (concentration.go).
	vendorUses []vendorUse
}

// compUse is one component a council has in use (piloting, live or retiring), sorted by comp.
type compUse struct {
	comp  int32
	count int32 // in-use adoptions of this component by the council
	pos   int32 // the council's index in the component's adopters
}

func (c *councilRec) eligible() bool { return c.known && c.Current && c.DeliversServices }

func (c *councilRec) findUse(comp int32) (int, bool) {
	return slices.BinarySearchFunc(c.uses, comp, func(u compUse, k int32) int { return int(u.comp - k) })
}

type compRec struct {
	Component
	known     bool
	obsolete  bool
	caps      []int32    // capabilities it provides, per its catalogue entry
	offerPos  []int32    // for each of caps, its index in that capability's offers
	adopters  []int32    // councils with the component in use, unordered
	liveByCap []capCount // live adoptions per capability (usually 1–3 entries)
	vendor    int32      // index into Engine.vendors
}

type capCount struct{ cap, n int32 }

func (c *compRec) liveFor(capIdx int32) int32 {
	for _, lc := range c.liveByCap {
		if lc.cap == capIdx {
			return lc.n
		}
	}
	return 0
}

type capRec struct {
	Capability
	known         bool
	offers        []offer // components whose catalogue entry lists this capability
	liveCouncils  int32   // councils with at least one live adoption for it
	liveAdoptions int64
	sumSq         int64         // sum over components of (live adoptions for it)², for the HHI
	distinct      int32         // components with at least one live adoption for it
	inHouseLive   int64         // live adoptions of in-house builds
	contracts     []contractRef // adoptions with a contract end date, by date then ID (renewals.go)
	// liveByType counts current, service-delivering councils of each type with live coverage,
	// to tell whether a gap is one that councils like this one usually fill.
	liveByType map[string]int32
}

// offer is a component that provides a capability, kept compact in the capability's record so
// that ranking a capability's components reads one contiguous slice.
type offer struct {
	comp int32
	live int32 // live adoptions of comp for this capability
	skip bool  // deprecated, retired or in-house: never recommended
}

type adoptionRec struct {
	id          int64
	council     int32 // -1 for a free slot
	comp, cap   int32
	status      uint8
	strength    models.Strength
	contractEnd int32
	supplier    int32 // the contract's vendor when not the component's, else -1 (concentration.go)
}

// strengthWeights is how much a peer's live use counts, by who vouches for it:
// the council's verification fully, fresh evidence nearly so, stale evidence
// half; an unverified record not at all. Demo data plays verified use.
var strengthWeights = [...]float64{
	models.StrengthRecorded:      0,
	models.StrengthStaleEvidence: 0.5,
	models.StrengthFreshEvidence: 0.8,
	models.StrengthVerified:      1,
	models.StrengthIllustrative:  1,
}

// weight is how much r counts as a peer's use; vouched reports whether at all.
func (r *adoptionRec) weight() float64 { return strengthWeights[r.strength] }
func (r *adoptionRec) vouched() bool   { return r.weight() > 0 }

// strengthOf is a's strength; a plain world need only set Verified.
func strengthOf(a Adoption) models.Strength {
	if a.Strength == models.StrengthRecorded && a.Verified {
		return models.StrengthVerified
	}
	return a.Strength
}

type needRec struct {
	id       int64
	council  int32 // -1 for a free slot
	cap      int32
	neededBy int32
	status   uint8
}

// Engine holds the adoption data and the indexes the queries read. It is safe for concurrent
// use: queries share a read lock, writes take the write lock.
type Engine struct {
	mu sync.RWMutex

	councils   []councilRec
	councilIdx map[string]int32
	comps      []compRec
	compIdx    map[string]int32
	caps       []capRec
	capIdx     map[string]int32

	adoptions     []adoptionRec
	adoptionSlot  map[int64]int32
	freeAdoptions []int32
	needs         []needRec
	needSlot      map[int64]int32
	freeNeeds     []int32

	vendors   []vendorRec        // by index; see concentration.go
	vendorIdx map[string]int32   // vendor slug → index
	byType    map[string][]int32 // known councils by type, for profile-only peer candidates
	byRegion  map[string][]int32
	typeCount map[string]int32 // current, service-delivering councils per type
	eligible  int32            // current, service-delivering councils

	scratch sync.Pool // *peerScratch

	planned []PlannedReorganisation // shown in Collaborations; see SetReorganisations

	evidence map[int64]string // adoption ID → its newest evidence, as reasons quote it

	// bulk is set while New loads a snapshot: the councils' IDF sums are then computed once at
	// the end instead of being adjusted for every adopter as each adoption arrives.
	bulk bool
}

// New builds an engine from a full snapshot of the data.
func New(councils []Council, caps []Capability, comps []Component, adoptions []Adoption, needs []Need) *Engine {
	e := &Engine{
		councilIdx:   make(map[string]int32, len(councils)),
		compIdx:      make(map[string]int32, len(comps)),
		capIdx:       make(map[string]int32, len(caps)),
		adoptionSlot: make(map[int64]int32, len(adoptions)),
		needSlot:     make(map[int64]int32, len(needs)),
		evidence:     map[int64]string{},
		byType:       map[string][]int32{},
		vendorIdx:    map[string]int32{},
		byRegion:     map[string][]int32{},
		typeCount:    map[string]int32{},
	}
	e.councils = make([]councilRec, 0, len(councils))
	e.comps = make([]compRec, 0, len(comps))
	e.caps = make([]capRec, 0, len(caps))
	e.adoptions = make([]adoptionRec, 0, len(adoptions))
	for _, c := range caps {
		e.putCapability(c)
	}
	for _, c := range councils {
		e.putCouncil(c)
	}
	for _, c := range comps {
		e.putComponent(c)
	}
	e.bulk = true
	for _, a := range adoptions {
		e.putAdoption(a)
	}
	e.bulk = false
	e.sortContracts()
	for i := range e.councils {
		c := &e.councils[i]
		for _, u := range c.uses {
			c.usesLog += fxLog(len(e.comps[u.comp].adopters))
		}
	}
	for _, n := range needs {
		e.putNeed(n)
	}
	return e
}

// PutCouncil inserts or replaces a council by code.
func (e *Engine) PutCouncil(c Council) { locked(e, e.putCouncil, c) }

// PutComponent inserts or replaces a component by slug.
func (e *Engine) PutComponent(c Component) { locked(e, e.putComponent, c) }

// PutAdoption inserts or replaces an adoption by ID.
func (e *Engine) PutAdoption(a Adoption) { locked(e, e.putAdoption, a) }

// DeleteAdoption removes an adoption; an unknown ID is ignored.
func (e *Engine) DeleteAdoption(id int64) { locked(e, e.deleteAdoption, id) }

// PutNeed inserts or replaces a need by ID.
func (e *Engine) PutNeed(n Need) { locked(e, e.putNeed, n) }

// DeleteNeed removes a need; an unknown ID is ignored.
func (e *Engine) DeleteNeed(id int64) { locked(e, e.deleteNeed, id) }

// locked runs one change under the engine's write lock.
func locked[T any](e *Engine, change func(T), v T) {
	e.mu.Lock()
	defer e.mu.Unlock()
	change(v)
}

// Apply makes a batch of changes read from the database, under one lock:
// capabilities and components first, as adoptions and needs refer to them.
func (e *Engine) Apply(ch models.WorldChanges) {
	e.mu.Lock()
	defer e.mu.Unlock()
	each(ch.Capabilities, e.putCapability)
	each(ch.Components, e.putComponent)
	each(ch.Adoptions, e.putAdoption)
	each(ch.DeletedAdoptions, e.deleteAdoption)
	each(ch.Needs, e.putNeed)
	each(ch.DeletedNeeds, e.deleteNeed)
}

// each makes one change per value, in order.
func each[T any](vs []T, change func(T)) {
	for _, v := range vs {
		change(v)
	}
}

// councilFor returns the index of a council, making a placeholder when data names it first.
func (e *Engine) councilFor(code string) int32 {
	return indexFor(e.councilIdx, &e.councils, code, func() councilRec { return councilRec{Council: Council{Code: code, Name: code}} })
}

func (e *Engine) compFor(slug string) int32 {
	return indexFor(e.compIdx, &e.comps, slug, func() compRec {
		return compRec{Component: Component{Slug: slug, Name: slug}, vendor: e.vendorFor("")}
	})
}

func (e *Engine) capFor(slug string) int32 {
	return indexFor(e.capIdx, &e.caps, slug, func() capRec {
		return capRec{Capability: Capability{Slug: slug, Name: slug}, liveByType: map[string]int32{}}
	})
}

// indexFor returns key's index in recs, appending a placeholder made by blank when it is new.
func indexFor[R any](idx map[string]int32, recs *[]R, key string, blank func() R) int32 {
	if i, ok := idx[key]; ok {
		return i
	}
	i := int32(len(*recs))
	*recs = append(*recs, blank())
	idx[key] = i
	return i
}

func (e *Engine) putCapability(c Capability) {
	i := e.capFor(c.Slug)
	e.caps[i].Capability = c
	e.caps[i].known = true
}

func (e *Engine) putCouncil(c Council) {
	i := e.councilFor(c.Code)
	rec := &e.councils[i]
	if rec.known {
		e.countCouncil(i, -1)
		if rec.Type != c.Type {
			e.byType[rec.Type] = removeValue(e.byType[rec.Type], i)
			e.byType[c.Type] = append(e.byType[c.Type], i)
		}
		if rec.Region != c.Region {
			e.byRegion[rec.Region] = removeValue(e.byRegion[rec.Region], i)
			e.byRegion[c.Region] = append(e.byRegion[c.Region], i)
		}
	} else {
		e.byType[c.Type] = append(e.byType[c.Type], i)
		e.byRegion[c.Region] = append(e.byRegion[c.Region], i)
	}
	rec.Council = c
	rec.known = true
	e.countCouncil(i, +1)
}

// countCouncil adds (sign +1) or removes (-1) a council's share of the per-type counts.
func (e *Engine) countCouncil(ci int32, sign int32) {
	c := &e.councils[ci]
	if !c.eligible() {
		return
	}
	e.eligible += sign
	e.typeCount[c.Type] += sign
	var seen []int32
	for _, s := range c.adoptions {
		r := &e.adoptions[s]
		if r.status == stLive && !slices.Contains(seen, r.cap) {
			seen = append(seen, r.cap)
			e.caps[r.cap].liveByType[c.Type] += sign
		}
	}
}

func (e *Engine) putComponent(c Component) {
	i := e.compFor(c.Slug)
	rec := &e.comps[i]
	if rec.InHouse != c.InHouse {
		sign := int64(1)
		if !c.InHouse {
			sign = -1
		}
		for _, lc := range rec.liveByCap {
			e.caps[lc.cap].inHouseLive += sign * int64(lc.n)
		}
	}
	var caps []int32
	for _, slug := range c.Capabilities {
		ci := e.capFor(slug)
		if !slices.Contains(caps, ci) {
			caps = append(caps, ci)
		}
	}
	for j := len(rec.caps) - 1; j >= 0; j-- {
		if !slices.Contains(caps, rec.caps[j]) {
			e.removeOffer(i, j)
		}
	}
	e.setVendor(i, c)
	rec.Component = c
	rec.Component.Capabilities = slices.Clone(c.Capabilities)
	rec.Component.DependsOn = slices.Clone(c.DependsOn)
	rec.known = true
	rec.obsolete = models.Obsolete(c.Lifecycle)
	skip := rec.obsolete || c.InHouse
	for j, ci := range rec.caps {
		e.caps[ci].offers[rec.offerPos[j]].skip = skip
	}
	for _, ci := range caps {
		if !slices.Contains(rec.caps, ci) {
			cp := &e.caps[ci]
			rec.caps = append(rec.caps, ci)
			rec.offerPos = append(rec.offerPos, int32(len(cp.offers)))
			cp.offers = append(cp.offers, offer{comp: i, live: rec.liveFor(ci), skip: skip})
		}
	}
}

// removeOffer takes a component's j-th capability off its catalogue entry.
func (e *Engine) removeOffer(comp int32, j int) {
	rec := &e.comps[comp]
	cp := &e.caps[rec.caps[j]]
	pos, last := rec.offerPos[j], int32(len(cp.offers)-1)
	if pos != last {
		moved := cp.offers[last]
		cp.offers[pos] = moved
		mr := &e.comps[moved.comp]
		mr.offerPos[slices.Index(mr.caps, rec.caps[j])] = pos
	}
	cp.offers = cp.offers[:last]
	rec.caps = slices.Delete(rec.caps, j, j+1)
	rec.offerPos = slices.Delete(rec.offerPos, j, j+1)
}

func (e *Engine) putAdoption(a Adoption) {
	if s, ok := e.adoptionSlot[a.ID]; ok {
		e.unlinkAdoption(s)
		e.freeAdoptions = append(e.freeAdoptions, s)
		delete(e.adoptionSlot, a.ID)
	}
	r := adoptionRec{
		id:          a.ID,
		council:     e.councilFor(a.Council),
		comp:        e.compFor(a.Component),
		cap:         e.capFor(a.Capability),
		status:      parseStatus(a.Status),
		strength:    strengthOf(a),
		contractEnd: dayOf(a.ContractEndOn),
		supplier:    -1,
	}
	if a.ContractSupplier != "" {
		r.supplier = e.vendorFor(a.ContractSupplier)
	}
	if a.Evidence != "" {
		e.evidence[a.ID] = a.Evidence
	} else {
		delete(e.evidence, a.ID)
	}
	s := takeSlot(&e.adoptions, &e.freeAdoptions, r)
	e.adoptionSlot[a.ID] = s
	e.linkAdoption(s)
}

// takeSlot stores r in a freed slot of recs if there is one, else at the end,
// and returns its index.
func takeSlot[R any](recs *[]R, free *[]int32, r R) int32 {
	if n := len(*free); n > 0 {
		s := (*free)[n-1]
		*free = (*free)[:n-1]
		(*recs)[s] = r
		return s
	}
	*recs = append(*recs, r)
	return int32(len(*recs) - 1)
}

func (e *Engine) deleteAdoption(id int64) {
	s, ok := e.adoptionSlot[id]
	if !ok {
		return
	}
	e.unlinkAdoption(s)
	delete(e.adoptionSlot, id)
	delete(e.evidence, id)
	e.adoptions[s] = adoptionRec{council: -1}
	e.freeAdoptions = append(e.freeAdoptions, s)
}

// linkAdoption adds an adoption's contribution to every index.
func (e *Engine) linkAdoption(s int32) {
	r := e.adoptions[s]
	c := &e.councils[r.council]
	if r.status == stLive && e.otherLive(r.council, r.cap, s) == 0 {
		e.bumpCoverage(r.council, r.cap, +1)
	}
	c.adoptions = append(c.adoptions, s)
	if r.contractEnd != noDay {
		e.addContract(s)
	}
	if inUse(r.status) {
		e.addUse(r.council, r.comp)
	}
	if r.status == stLive {
		e.bumpVendorUse(r.council, r.cap, e.vendorOf(&r), +1)
		e.bumpLive(r.comp, r.cap, +1)
	}
}

// unlinkAdoption removes an adoption's contribution from every index.
func (e *Engine) unlinkAdoption(s int32) {
	r := e.adoptions[s]
	c := &e.councils[r.council]
	c.adoptions = removeValue(c.adoptions, s)
	if r.contractEnd != noDay {
		e.removeContract(s)
	}
	if r.status == stLive && e.otherLive(r.council, r.cap, s) == 0 {
		e.bumpCoverage(r.council, r.cap, -1)
	}
	if inUse(r.status) {
		e.removeUse(r.council, r.comp)
	}
	if r.status == stLive {
		e.bumpVendorUse(r.council, r.cap, e.vendorOf(&r), -1)
		e.bumpLive(r.comp, r.cap, -1)
	}
}

// otherLive counts the council's live adoptions for a capability other than slot skip.
func (e *Engine) otherLive(ci, capIdx, skip int32) int {
	n := 0
	for _, s := range e.councils[ci].adoptions {
		if s != skip && e.adoptions[s].cap == capIdx && e.adoptions[s].status == stLive {
			n++
		}
	}
	return n
}

// bumpCoverage records that a council gained (+1) or lost (-1) live coverage of a capability.
func (e *Engine) bumpCoverage(ci, capIdx int32, sign int32) {
	cp := &e.caps[capIdx]
	cp.liveCouncils += sign
	if c := &e.councils[ci]; c.eligible() {
		cp.liveByType[c.Type] += sign
	}
}

// bumpLive adds or removes one live adoption of a component for a capability.
func (e *Engine) bumpLive(comp, capIdx int32, sign int32) {
	rec := &e.comps[comp]
	j := -1
	for k, lc := range rec.liveByCap {
		if lc.cap == capIdx {
			j = k
			break
		}
	}
	if j < 0 {
		rec.liveByCap = append(rec.liveByCap, capCount{cap: capIdx})
		j = len(rec.liveByCap) - 1
	}
	old := int64(rec.liveByCap[j].n)
	now := old + int64(sign)
	rec.liveByCap[j].n = int32(now)
	if now == 0 {
		rec.liveByCap = slices.Delete(rec.liveByCap, j, j+1)
	}
	cp := &e.caps[capIdx]
	cp.liveAdoptions += int64(sign)
	cp.sumSq += now*now - old*old
	switch {
	case old == 0 && now > 0:
		cp.distinct++
	case old > 0 && now == 0:
		cp.distinct--
	}
	if rec.InHouse {
		cp.inHouseLive += int64(sign)
	}
	if j := slices.Index(rec.caps, capIdx); j >= 0 {
		cp.offers[rec.offerPos[j]].live = int32(now)
	}
}

// addUse counts one more in-use adoption of a component by a council. When the council is new to
// the component, the component's adopter count changes, and with it every adopter's IDF sum.
func (e *Engine) addUse(ci, comp int32) {
	c := &e.councils[ci]
	i, found := c.findUse(comp)
	if found {
		c.uses[i].count++
		return
	}
	rec := &e.comps[comp]
	d := len(rec.adopters)
	rec.adopters = append(rec.adopters, ci)
	c.uses = slices.Insert(c.uses, i, compUse{comp: comp, count: 1, pos: int32(d)})
	if e.bulk {
		return
	}
	if delta := fxLog(d+1) - fxLog(d); delta != 0 {
		for _, b := range rec.adopters[:d] {
			e.councils[b].usesLog += delta
		}
	}
	c.usesLog += fxLog(d + 1)
}

// removeUse undoes addUse.
func (e *Engine) removeUse(ci, comp int32) {
	c := &e.councils[ci]
	i, found := c.findUse(comp)
	if !found {
		return
	}
	if c.uses[i].count > 1 {
		c.uses[i].count--
		return
	}
	rec := &e.comps[comp]
	d := len(rec.adopters)
	pos := c.uses[i].pos
	c.uses = slices.Delete(c.uses, i, i+1)
	last := int32(d - 1)
	if pos != last {
		moved := rec.adopters[last]
		rec.adopters[pos] = moved
		mc := &e.councils[moved]
		j, _ := mc.findUse(comp)
		mc.uses[j].pos = pos
	}
	rec.adopters = rec.adopters[:last]
	if e.bulk {
		return
	}
	c.usesLog -= fxLog(d)
	if delta := fxLog(d-1) - fxLog(d); delta != 0 {
		for _, b := range rec.adopters {
			e.councils[b].usesLog += delta
		}
	}
}

func (e *Engine) putNeed(n Need) {
	if s, ok := e.needSlot[n.ID]; ok {
		old := e.needs[s]
		e.councils[old.council].needs = removeValue(e.councils[old.council].needs, s)
		e.freeNeeds = append(e.freeNeeds, s)
		delete(e.needSlot, n.ID)
	}
	status := needOther
	if n.Status == "open" {
		status = needOpen
	}
	r := needRec{id: n.ID, council: e.councilFor(n.Council), cap: e.capFor(n.Capability), neededBy: dayOf(n.NeededBy), status: status}
	s := takeSlot(&e.needs, &e.freeNeeds, r)
	e.needSlot[n.ID] = s
	e.councils[r.council].needs = append(e.councils[r.council].needs, s)
}

func (e *Engine) deleteNeed(id int64) {
	s, ok := e.needSlot[id]
	if !ok {
		return
	}
	old := e.needs[s]
	e.councils[old.council].needs = removeValue(e.councils[old.council].needs, s)
	e.needs[s] = needRec{council: -1}
	e.freeNeeds = append(e.freeNeeds, s)
	delete(e.needSlot, id)
}

// removeValue removes the first v from an unordered slice by swapping in the last element.
func removeValue(xs []int32, v int32) []int32 {
	for i, x := range xs {
		if x == v {
			xs[i] = xs[len(xs)-1]
			return xs[:len(xs)-1]
		}
	}
	return xs
}

// Size counts what the engine holds (for checking it against the database).
type Size struct{ Councils, Components, Adoptions, Needs int }

// Size reports how many councils, components, adoptions and needs the engine holds.
func (e *Engine) Size() Size {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return Size{Councils: len(e.councilIdx), Components: len(e.compIdx), Adoptions: len(e.adoptionSlot), Needs: len(e.needSlot)}
}
