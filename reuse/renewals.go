package reuse

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// DefaultRenewalMonths is how far ahead a renewal calendar looks when the caller does not say.
const DefaultRenewalMonths = 18

// groupMonths is how close another council's contract end must be for it to join a renewal's
// procurement group, and maxGroup how many of the closest a renewal lists.
const (
	groupMonths = 6
	maxGroup    = 20
)

// Renewal is a contract ending in the window: a council's in-use adoption with a contract end
// date. Alternatives are what the council's closest peers run live and vouched for that
// capability instead; Group are the other current councils whose contracts for the capability
// end within six months of this one, closest date first (at most 20; GroupSize counts them all).
type Renewal struct {
	AdoptionID    int64         `json:"adoption_id" example:"42"`
	Council       CouncilRef    `json:"council"`
	Capability    CapabilityRef `json:"capability"`
	Component     ComponentRef  `json:"component"`
	Vendor        VendorRef     `json:"vendor"`
	Status        string        `json:"status" example:"live"`
	ContractEndOn string        `json:"contract_end_on" example:"2027-09-30"`
	Alternatives  []Alternative `json:"alternatives"`
	Group         []GroupMember `json:"group"`
	GroupSize     int           `json:"group_size" example:"2"`
}

// VendorRef names a vendor in results.
type VendorRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// GroupMember is another council whose contract for the same capability ends near this one's.
type GroupMember struct {
	Council       CouncilRef   `json:"council"`
	Component     ComponentRef `json:"component"`
	ContractEndOn string       `json:"contract_end_on" example:"2027-10-31"`
}

// RenewalWindow is the days from today to months ahead, both inclusive.
func renewalWindow(today time.Time, months int) (from, until int32) {
	return dayOf(today), dayOf(today.AddDate(0, months, 0))
}

// CouncilRenewals lists the council's contracts ending between today and months ahead, soonest
// first, each with its alternatives and procurement group.
func (e *Engine) CouncilRenewals(code string, today time.Time, months int) ([]Renewal, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	a, ca, err := e.knownCouncil(code)
	if err != nil {
		return nil, err
	}
	from, until := renewalWindow(today, months)
	var slots []int32
	for _, s := range ca.adoptions {
		if e.renewing(s, from, until) {
			slots = append(slots, s)
		}
	}
	e.sortRenewals(slots)
	out := make([]Renewal, 0, len(slots))
	var peers []scoredPeer
	if len(slots) > 0 && ca.Current {
		peers = e.peers(a, peerK)
	}
	for _, s := range slots {
		out = append(out, e.renewal(s, peers))
	}
	return out, nil
}

// Renewals lists every current council's contracts ending between today and months ahead,
// soonest first (then by council code, capability and component), and the total. Only the
// page from offset (at most limit; limit <= 0 means all) is described in full, with
// alternatives and groups: ranking peers costs about a millisecond a council at national scale.
// The contracts are bucketed by day, and only the days the page spans are sorted further.
func (e *Engine) Renewals(today time.Time, months, offset, limit int) ([]Renewal, int) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	from, until := renewalWindow(today, months)
	starts := make([]int32, until-from+2) // starts[d+1] counts, then starts[d] is where day from+d begins
	var found []int32
	for s := range e.adoptions {
		if e.renewing(int32(s), from, until) {
			found = append(found, int32(s))
			starts[e.adoptions[s].contractEnd-from+1]++
		}
	}
	for d := 1; d < len(starts); d++ {
		starts[d] += starts[d-1]
	}
	total := len(found)
	slots := make([]int32, total)
	next := slices.Clone(starts)
	for _, s := range found {
		d := e.adoptions[s].contractEnd - from
		slots[next[d]] = s
		next[d]++
	}
	lo := min(offset, total)
	hi := total
	if limit > 0 {
		hi = min(lo+limit, total)
	}
	for d := 0; d+1 < len(starts); d++ {
		if a, b := int(starts[d]), int(starts[d+1]); b > lo && a < hi {
			e.sortRenewals(slots[a:b])
		}
	}
	peers := e.newPeerCache()
	out := make([]Renewal, 0, hi-lo)
	for _, s := range slots[lo:hi] {
		out = append(out, e.renewal(s, peers.of(e.adoptions[s].council)))
	}
	return out, total
}

// renewing reports whether slot s is an in-use adoption of a current council with a contract
// ending between from and until.
func (e *Engine) renewing(s int32, from, until int32) bool {
	r := &e.adoptions[s]
	if r.council < 0 || !inUse(r.status) || r.contractEnd == noDay || r.contractEnd < from || r.contractEnd > until {
		return false
	}
	return e.current(r.council)
}

// current reports whether council ci is a known, current council.
func (e *Engine) current(ci int32) bool { c := &e.councils[ci]; return c.known && c.Current }

func (e *Engine) sortRenewals(slots []int32) {
	slices.SortFunc(slots, func(x, y int32) int {
		rx, ry := &e.adoptions[x], &e.adoptions[y]
		return cmp.Or(cmp.Compare(rx.contractEnd, ry.contractEnd),
			cmp.Compare(e.councils[rx.council].Code, e.councils[ry.council].Code),
			cmp.Compare(e.caps[rx.cap].Slug, e.caps[ry.cap].Slug),
			cmp.Compare(e.comps[rx.comp].Slug, e.comps[ry.comp].Slug),
			cmp.Compare(rx.id, ry.id))
	})
}

// renewal describes slot s, with the alternatives its council's peers (top peers) give.
func (e *Engine) renewal(s int32, peers []scoredPeer) Renewal {
	r := &e.adoptions[s]
	comp := &e.comps[r.comp]
	out := Renewal{
		AdoptionID:    r.id,
		Council:       e.councilRef(r.council),
		Capability:    e.capRefAt(r.cap),
		Component:     e.compRef(r.comp),
		Vendor:        VendorRef{Slug: comp.Vendor, Name: comp.VendorName},
		Status:        statusNames[r.status],
		ContractEndOn: formatDay(r.contractEnd),
	}
	out.Alternatives = e.alternatives(peers, r.cap, func(c int32) bool { return c == r.comp })
	out.Group, out.GroupSize = e.group(s)
	return out
}

// group is the other current councils with an in-use contract for slot s's capability ending
// within groupMonths of its end, closest date first (then by code), one entry per council (its
// nearest contract), and how many there are in all.
func (e *Engine) group(s int32) ([]GroupMember, int) {
	r := &e.adoptions[s]
	end := time.Unix(int64(r.contractEnd)*86400, 0).UTC()
	lo, hi := dayOf(end.AddDate(0, -groupMonths, 0)), dayOf(end.AddDate(0, groupMonths, 0))
	contracts := e.caps[r.cap].contracts
	eligible := func(c contractRef) bool { return c.council != r.council && inUse(c.status) && e.current(c.council) }
	counted := e.getScratch()
	defer e.putScratch(counted)
	n := 0
	for _, c := range contracts[contractsFrom(contracts, lo):] {
		if c.day > hi {
			break
		}
		if eligible(c) && counted.mark[c.council] != counted.epoch {
			counted.mark[c.council] = counted.epoch
			n++
		}
	}
	// Nearest first: walk out from the renewal's date on both sides, a distance at a time, so a
	// council's first entry met is its nearest contract.
	taken := e.getScratch()
	defer e.putScratch(taken)
	members := make([]GroupMember, 0, min(n, maxGroup))
	j := contractsFrom(contracts, r.contractEnd) // contracts[j:] end on or after it
	i := j - 1
	var batch []contractRef
	for len(members) < maxGroup {
		dl, dr := int32(math.MaxInt32), int32(math.MaxInt32)
		if i >= 0 && contracts[i].day >= lo {
			dl = r.contractEnd - contracts[i].day
		}
		if j < len(contracts) && contracts[j].day <= hi {
			dr = contracts[j].day - r.contractEnd
		}
		d := min(dl, dr)
		if d == math.MaxInt32 {
			break
		}
		batch = batch[:0]
		for ; i >= 0 && contracts[i].day >= lo && r.contractEnd-contracts[i].day == d; i-- {
			batch = append(batch, contracts[i])
		}
		for ; j < len(contracts) && contracts[j].day <= hi && contracts[j].day-r.contractEnd == d; j++ {
			batch = append(batch, contracts[j])
		}
		slices.SortFunc(batch, func(x, y contractRef) int {
			return cmp.Or(cmp.Compare(e.councils[x.council].Code, e.councils[y.council].Code), cmp.Compare(x.id, y.id))
		})
		for _, c := range batch {
			if len(members) < maxGroup && eligible(c) && taken.mark[c.council] != taken.epoch {
				taken.mark[c.council] = taken.epoch
				members = append(members, GroupMember{Council: e.councilRef(c.council), Component: e.compRef(e.adoptions[c.slot].comp), ContractEndOn: formatDay(c.day)})
			}
		}
	}
	return members, n
}

// The capabilities' contracts are kept sorted by end date, then adoption ID, so that a
// procurement group is a binary search and a short scan. While New loads a snapshot they are
// appended, and sorted once at the end. Each entry holds what the scans read, so that they go
// through contiguous memory.
type contractRef struct {
	id                 int64
	day, council, slot int32
	status             uint8
}

func (e *Engine) contractOf(s int32) contractRef {
	r := &e.adoptions[s]
	return contractRef{id: r.id, day: r.contractEnd, council: r.council, slot: s, status: r.status}
}

func contractOrder(x, y contractRef) int {
	return cmp.Or(cmp.Compare(x.day, y.day), cmp.Compare(x.id, y.id))
}

// contractsFrom is the index of the first contract ending on or after day.
func contractsFrom(contracts []contractRef, day int32) int {
	i, _ := slices.BinarySearchFunc(contracts, day, func(x contractRef, d int32) int { return cmp.Compare(x.day, d) })
	return i
}

func (e *Engine) addContract(s int32) {
	cp := &e.caps[e.adoptions[s].cap]
	c := e.contractOf(s)
	if e.bulk {
		cp.contracts = append(cp.contracts, c)
		return
	}
	i, _ := slices.BinarySearchFunc(cp.contracts, c, contractOrder)
	cp.contracts = slices.Insert(cp.contracts, i, c)
}

func (e *Engine) removeContract(s int32) {
	cp := &e.caps[e.adoptions[s].cap]
	if i, ok := slices.BinarySearchFunc(cp.contracts, e.contractOf(s), contractOrder); ok && cp.contracts[i].slot == s {
		cp.contracts = slices.Delete(cp.contracts, i, i+1)
		return
	}
	for i, c := range cp.contracts { // during a bulk load, before the sort
		if c.slot == s {
			cp.contracts[i] = cp.contracts[len(cp.contracts)-1]
			cp.contracts = cp.contracts[:len(cp.contracts)-1]
			return
		}
	}
}

func (e *Engine) sortContracts() {
	for k := range e.caps {
		slices.SortFunc(e.caps[k].contracts, contractOrder)
	}
}
