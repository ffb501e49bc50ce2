package reuse

import (
	"cmp"
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
func (e *Engine) Renewals(today time.Time, months, offset, limit int) ([]Renewal, int) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	from, until := renewalWindow(today, months)
	var slots []int32
	for k := range e.caps {
		for _, s := range e.caps[k].contracts {
			if e.renewing(s, from, until) {
				slots = append(slots, s)
			}
		}
	}
	e.sortRenewals(slots)
	total := len(slots)
	slots = slots[min(offset, total):]
	if limit > 0 {
		slots = slots[:min(limit, len(slots))]
	}
	peers := e.newPeerCache()
	out := make([]Renewal, 0, len(slots))
	for _, s := range slots {
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
	c := &e.councils[r.council]
	return c.known && c.Current
}

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
// within groupMonths of its end, closest date first (then by code), one entry per council.
func (e *Engine) group(s int32) ([]GroupMember, int) {
	r := &e.adoptions[s]
	end := time.Unix(int64(r.contractEnd)*86400, 0).UTC()
	lo, hi := dayOf(end.AddDate(0, -groupMonths, 0)), dayOf(end.AddDate(0, groupMonths, 0))
	best := map[int32]int32{} // council → its slot nearest in time
	dist := func(x int32) int32 { return abs32(e.adoptions[x].contractEnd - r.contractEnd) }
	for _, o := range e.caps[r.cap].contracts {
		or := &e.adoptions[o]
		if or.council == r.council || !e.renewing(o, lo, hi) {
			continue
		}
		if b, ok := best[or.council]; !ok || dist(o) < dist(b) {
			best[or.council] = o
		}
	}
	slots := make([]int32, 0, len(best))
	for _, o := range best {
		slots = append(slots, o)
	}
	slices.SortFunc(slots, func(x, y int32) int {
		return cmp.Or(cmp.Compare(dist(x), dist(y)), cmp.Compare(e.councils[e.adoptions[x].council].Code, e.councils[e.adoptions[y].council].Code))
	})
	members := make([]GroupMember, 0, min(len(slots), maxGroup))
	for _, o := range slots[:min(len(slots), maxGroup)] {
		or := &e.adoptions[o]
		members = append(members, GroupMember{Council: e.councilRef(or.council), Component: e.compRef(or.comp), ContractEndOn: formatDay(or.contractEnd)})
	}
	return members, len(slots)
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}
