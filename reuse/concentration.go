package reuse

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// maxSingleSourced is how many single-sourced councils a concentration item lists.
const maxSingleSourced = 20

// Concentration is how concentrated the supply of one capability is among vendors, over the
// current councils in scope (the country, or one region) that run something live for it.
type Concentration struct {
	Capability CapabilityRef `json:"capability"`
	// Councils run something live for the capability; InHouseCouncils run an in-house build
	// live for it, and are counted apart from the vendors.
	Councils        int     `json:"councils" example:"120"`
	InHouseCouncils int     `json:"in_house_councils" example:"3"`
	InHouseShare    float64 `json:"in_house_share" example:"0.025"`
	// Vendors are the suppliers of its live components, most councils first; a council running
	// two vendors' products counts for both.
	Vendors []VendorShare `json:"vendors"`
	// HHI is the Herfindahl-Hirschman index over vendors' councils, 0 to 10,000 (one vendor).
	HHI          int     `json:"hhi" example:"4200"`
	LargestShare float64 `json:"largest_share" example:"0.55"`
	// SingleSourced are councils relying on one vendor alone for it (no in-house build, no
	// second vendor) whose contract for it ends within the horizon, soonest first (at most 20;
	// SingleSourcedCount counts them all).
	SingleSourced      []SingleSourced `json:"single_sourced"`
	SingleSourcedCount int             `json:"single_sourced_count" example:"4"`
}

// VendorShare is one vendor's part in a capability: councils running its components live for
// it, and their share of the councils running anything live for it.
type VendorShare struct {
	Vendor   VendorRef `json:"vendor"`
	Councils int       `json:"councils" example:"66"`
	Share    float64   `json:"share" example:"0.55"`
}

// SingleSourced is a council that depends on one vendor for a capability, with the soonest end
// of its contracts for it in the horizon.
type SingleSourced struct {
	Council       CouncilRef `json:"council"`
	Vendor        VendorRef  `json:"vendor"`
	ContractEndOn string     `json:"contract_end_on" example:"2027-06-30"`
}

// HasRegion reports whether some known council is in the region.
func (e *Engine) HasRegion(region string) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.byRegion[region]) > 0
}

// HasCapability reports whether the capability is known.
func (e *Engine) HasCapability(slug string) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.capIdx[slug]
	return ok && e.caps[i].known
}

// Concentration reports supplier concentration per capability among the current councils of
// region (all of them when region is ""), for one capability when capability is not "":
// the most concentrated first (highest HHI, then most councils, then slug), capabilities
// nobody in scope runs anything live for at the end. Single-sourced councils count when a
// contract for the capability ends between today and horizonMonths ahead.
func (e *Engine) Concentration(region, capability string, today time.Time, horizonMonths int) []Concentration {
	e.mu.RLock()
	defer e.mu.RUnlock()
	s := concentrationScan{e: e, only: -1, tally: make([]capTally, len(e.caps)),
		sole: make([]int32, len(e.councils)*len(e.caps))}
	if capability != "" {
		s.only = e.capIdx[capability]
	}
	s.countVendors(region)
	s.findSingleSourced(renewalWindow(today, horizonMonths))

	out := make([]Concentration, 0, len(e.caps))
	for k := range e.caps {
		if e.caps[k].known && s.asked(int32(k)) {
			out = append(out, s.item(int32(k)))
		}
	}
	slices.SortFunc(out, func(x, y Concentration) int {
		return cmp.Or(unusedLast(x.Councils, y.Councils), cmp.Compare(y.HHI, x.HHI), cmp.Compare(y.Councils, x.Councils), cmp.Compare(x.Capability.Slug, y.Capability.Slug))
	})
	return out
}

// capTally is one capability's supply among the councils in scope.
type capTally struct {
	councils, inHouse int
	vendorCouncils    map[int32]int32  // vendor → councils
	single            *topK[singleRec] // the soonest maxSingleSourced
	singles           int
}

// concentrationScan is the working state of one Concentration report, under the engine's read lock.
type concentrationScan struct {
	e     *Engine
	only  int32 // the one capability reported on, or -1 for all
	tally []capTally
	sole  []int32 // vendor+1 of a council in scope relying on one vendor alone, by council and capability
}

func (s *concentrationScan) asked(k int32) bool { return s.only < 0 || k == s.only }

// countVendors tallies, per capability, the councils in scope running something live for it,
// those running an in-house build, and each vendor's councils; it fills sole for the councils
// relying on one vendor alone. Per council it reads its vendor uses (kept by every write):
// per capability, how many vendors and whether one is in-house; the arrays are reset for the
// capabilities it touched.
func (s *concentrationScan) countVendors(region string) {
	e := s.e
	councils := e.byRegion[region]
	if region == "" {
		councils = make([]int32, len(e.councils))
		for i := range councils {
			councils[i] = int32(i)
		}
	}
	nVendors := make([]int32, len(e.caps))
	inHouse := make([]bool, len(e.caps))
	lastVendor := make([]int32, len(e.caps))
	var touched []int32
	for _, ci := range councils {
		c := &e.councils[ci]
		if !c.known || !c.Current || (region != "" && c.Region != region) {
			continue
		}
		touched = touched[:0]
		for _, u := range c.vendorUses {
			if !s.asked(u.cap) {
				continue
			}
			if nVendors[u.cap] == 0 && !inHouse[u.cap] {
				touched = append(touched, u.cap)
			}
			t := &s.tally[u.cap]
			if e.vendors[u.vendor].inHouse {
				inHouse[u.cap] = true
				continue
			}
			nVendors[u.cap]++
			lastVendor[u.cap] = u.vendor
			if t.vendorCouncils == nil {
				t.vendorCouncils = map[int32]int32{}
			}
			t.vendorCouncils[u.vendor]++
		}
		for _, k := range touched {
			s.tally[k].councils++
			if inHouse[k] {
				s.tally[k].inHouse++
			} else if nVendors[k] == 1 {
				s.sole[int(ci)*len(e.caps)+int(k)] = lastVendor[k] + 1
			}
			nVendors[k], inHouse[k] = 0, false
		}
	}
}

// findSingleSourced keeps, per capability, each council's soonest contract between from and
// until when it relies on one vendor alone for it (sole, filled by countVendors), read from
// the capability's contracts (sorted by date).
func (s *concentrationScan) findSingleSourced(from, until int32) {
	e := s.e
	seen := make([]int32, len(e.councils)) // capability+1 once a council's soonest contract for it is found
	for k := range e.caps {
		if !s.asked(int32(k)) {
			continue
		}
		contracts := e.caps[k].contracts
		t := &s.tally[k]
		for _, c := range contracts[contractsFrom(contracts, from):] {
			if c.day > until {
				break
			}
			if !inUse(c.status) || seen[c.council] == int32(k)+1 {
				continue
			}
			seen[c.council] = int32(k) + 1
			v := s.sole[int(c.council)*len(e.caps)+k] - 1
			if v < 0 {
				continue
			}
			if t.single == nil {
				t.single = newTopK(maxSingleSourced, func(x, y singleRec) bool { // x ranks below y
					return x.end > y.end || (x.end == y.end && e.councils[x.council].Code > e.councils[y.council].Code)
				})
			}
			t.single.push(singleRec{council: c.council, vendor: v, end: c.day})
			t.singles++
		}
	}
}

// item is capability k's report from its tally.
func (s *concentrationScan) item(k int32) Concentration {
	e, t := s.e, &s.tally[k]
	item := Concentration{Capability: e.capRefAt(k), Councils: t.councils, InHouseCouncils: t.inHouse,
		Vendors: []VendorShare{}, SingleSourced: []SingleSourced{}, SingleSourcedCount: t.singles}
	if t.councils > 0 {
		item.InHouseShare = round4(float64(t.inHouse) / float64(t.councils))
	}
	var sum, sumSq int64
	for v, n := range t.vendorCouncils {
		sum += int64(n)
		sumSq += int64(n) * int64(n)
		item.Vendors = append(item.Vendors, VendorShare{Vendor: e.vendors[v].ref(), Councils: int(n), Share: round4(float64(n) / float64(t.councils))})
	}
	if sum > 0 {
		item.HHI = int(math.Round(float64(sumSq) * 10000 / float64(sum*sum)))
	}
	slices.SortFunc(item.Vendors, func(x, y VendorShare) int {
		return cmp.Or(cmp.Compare(y.Councils, x.Councils), cmp.Compare(x.Vendor.Slug, y.Vendor.Slug))
	})
	if len(item.Vendors) > 0 {
		item.LargestShare = item.Vendors[0].Share
	}
	if t.single != nil {
		for _, r := range t.single.sorted() {
			item.SingleSourced = append(item.SingleSourced, SingleSourced{Council: e.councilRef(r.council), Vendor: e.vendors[r.vendor].ref(), ContractEndOn: formatDay(r.end)})
		}
	}
	return item
}

type singleRec struct {
	council, vendor int32
	end             int32
}

// Regions lists the regions of known councils, sorted.
func (e *Engine) Regions() []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]string, 0, len(e.byRegion))
	for r, cs := range e.byRegion {
		if r != "" && len(cs) > 0 {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

// vendorRec is a vendor, as its components name it.
type vendorRec struct {
	slug, name string
	inHouse    bool // its components are councils' own builds
}

func (v *vendorRec) ref() VendorRef { return VendorRef{Slug: v.slug, Name: v.name} }

// vendorUse counts a council's live adoptions for one capability of one vendor's components.
type vendorUse struct{ cap, vendor, n int32 }

func (e *Engine) vendorFor(slug string) int32 {
	if v, ok := e.vendorIdx[slug]; ok {
		return v
	}
	e.vendors = append(e.vendors, vendorRec{slug: slug, name: slug})
	e.vendorIdx[slug] = int32(len(e.vendors) - 1)
	return int32(len(e.vendors) - 1)
}

// setVendor records component i's vendor as c names it, moving its live adoptions' vendor
// uses when the vendor changes.
func (e *Engine) setVendor(i int32, c Component) {
	v := e.vendorFor(c.Vendor)
	e.vendors[v].name, e.vendors[v].inHouse = cmp.Or(c.VendorName, c.Vendor), c.InHouse
	rec := &e.comps[i]
	old := rec.vendor
	if old == v {
		return
	}
	rec.vendor = v
	for _, b := range rec.adopters {
		for _, s := range e.councils[b].adoptions {
			if r := &e.adoptions[s]; r.comp == i && r.status == stLive && r.supplier < 0 {
				e.bumpVendorUse(b, r.cap, old, -1)
				e.bumpVendorUse(b, r.cap, v, +1)
			}
		}
	}
}

// vendorOf is who supplies an adoption: its contract's supplier when one is named, else its
// component's vendor.
func (e *Engine) vendorOf(r *adoptionRec) int32 {
	if r.supplier >= 0 {
		return r.supplier
	}
	return e.comps[r.comp].vendor
}

// bumpVendorUse adds or removes one of a council's live adoptions of a vendor's component for
// a capability.
func (e *Engine) bumpVendorUse(ci, capIdx, vendor int32, sign int32) {
	c := &e.councils[ci]
	for j := range c.vendorUses {
		if u := &c.vendorUses[j]; u.cap == capIdx && u.vendor == vendor {
			if u.n += sign; u.n == 0 {
				c.vendorUses = slices.Delete(c.vendorUses, j, j+1)
			}
			return
		}
	}
	if sign > 0 {
		c.vendorUses = append(c.vendorUses, vendorUse{cap: capIdx, vendor: vendor, n: sign})
	}
}
