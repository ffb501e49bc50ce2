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
	vendorIdx := map[string]int32{}
	var vendors []VendorRef
	compVendor := make([]int32, len(e.comps)) // -1 for in-house builds
	for i := range e.comps {
		c := &e.comps[i]
		if c.InHouse {
			compVendor[i] = -1
			continue
		}
		v, ok := vendorIdx[c.Vendor]
		if !ok {
			v = int32(len(vendors))
			vendorIdx[c.Vendor] = v
			vendors = append(vendors, VendorRef{Slug: c.Vendor, Name: c.VendorName})
		}
		compVendor[i] = v
	}
	only := int32(-1)
	if capability != "" {
		only = e.capIdx[capability]
	}
	nv := len(vendors)
	type capTally struct {
		councils, inHouse int
		vendorCouncils    []int32          // by vendor
		single            *topK[singleRec] // the soonest maxSingleSourced
		singles           int
	}
	tally := make([]capTally, len(e.caps))
	from, until := renewalWindow(today, horizonMonths)

	// Per council, per capability: its live vendors (-1 for in-house builds, each counted once)
	// and its soonest contract end in the horizon, reset after each council.
	vendorsOf := make([][]int32, len(e.caps))
	ends := make([]int32, len(e.caps))
	var touched []int32
	councils := e.byRegion[region]
	if region == "" {
		councils = make([]int32, len(e.councils))
		for i := range councils {
			councils[i] = int32(i)
		}
	}
	for _, ci := range councils {
		c := &e.councils[ci]
		if !c.known || !c.Current {
			continue
		}
		touched = touched[:0]
		for _, s := range c.adoptions {
			r := &e.adoptions[s]
			if only >= 0 && r.cap != only {
				continue
			}
			if r.status == stLive {
				vs := vendorsOf[r.cap]
				if len(vs) == 0 {
					touched = append(touched, r.cap)
				}
				if v := compVendor[r.comp]; !slices.Contains(vs, v) {
					vendorsOf[r.cap] = append(vs, v)
				}
			}
			if inUse(r.status) && r.contractEnd >= from && r.contractEnd <= until && (ends[r.cap] == 0 || r.contractEnd < ends[r.cap]) {
				ends[r.cap] = r.contractEnd
			}
		}
		for _, k := range touched {
			t := &tally[k]
			if t.vendorCouncils == nil {
				t.vendorCouncils = make([]int32, nv)
			}
			t.councils++
			vs := vendorsOf[k]
			for _, v := range vs {
				if v < 0 {
					t.inHouse++
				} else {
					t.vendorCouncils[v]++
				}
			}
			if len(vs) == 1 && vs[0] >= 0 && ends[k] != 0 {
				if t.single == nil {
					t.single = newTopK(maxSingleSourced, func(x, y singleRec) bool { // x ranks below y
						return x.end > y.end || (x.end == y.end && e.councils[x.council].Code > e.councils[y.council].Code)
					})
				}
				t.single.push(singleRec{council: ci, vendor: vs[0], end: ends[k]})
				t.singles++
			}
			vendorsOf[k] = vs[:0]
		}
		for _, s := range c.adoptions {
			ends[e.adoptions[s].cap] = 0
		}
	}

	out := make([]Concentration, 0, len(e.caps))
	for k := range e.caps {
		if !e.caps[k].known || (only >= 0 && int32(k) != only) {
			continue
		}
		t := &tally[k]
		item := Concentration{Capability: e.capRefAt(int32(k)), Councils: t.councils, InHouseCouncils: t.inHouse,
			Vendors: []VendorShare{}, SingleSourced: []SingleSourced{}, SingleSourcedCount: t.singles}
		if t.councils > 0 {
			item.InHouseShare = round4(float64(t.inHouse) / float64(t.councils))
		}
		var sum, sumSq int64
		for v, n := range t.vendorCouncils {
			if n == 0 {
				continue
			}
			sum += int64(n)
			sumSq += int64(n) * int64(n)
			item.Vendors = append(item.Vendors, VendorShare{Vendor: vendors[v], Councils: int(n), Share: round4(float64(n) / float64(t.councils))})
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
			for _, s := range t.single.sorted() {
				item.SingleSourced = append(item.SingleSourced, SingleSourced{Council: e.councilRef(s.council), Vendor: vendors[s.vendor], ContractEndOn: formatDay(s.end)})
			}
		}
		out = append(out, item)
	}
	slices.SortFunc(out, func(x, y Concentration) int {
		if (x.Councils == 0) != (y.Councils == 0) {
			if x.Councils == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(y.HHI, x.HHI), cmp.Compare(y.Councils, x.Councils), cmp.Compare(x.Capability.Slug, y.Capability.Slug))
	})
	return out
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
