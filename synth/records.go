package synth

import "math/rand/v2"

// newAdoptions draws n distinct (council, component) pairs with Zipf-like
// popularity: a few components used almost everywhere, most by a handful.
func newAdoptions(r *rand.Rand, n int, councils []Council, comps []Component) []Adoption {
	rank := r.Perm(len(comps)) // popularity rank → component, so popularity is not index order
	zipf := rand.NewZipf(r, 1.1, 2, uint64(max(1, len(comps)-1)))
	seen := make(map[uint64]struct{}, n)
	out := make([]Adoption, 0, n)
	for len(out) < n {
		ci, k := r.IntN(len(councils)), rank[min(int(zipf.Uint64()), len(comps)-1)]
		if len(seen) > n/2 && r.IntN(4) == 0 {
			k = r.IntN(len(comps)) // a uniform share keeps a dense world from stalling on taken pairs
		}
		key := uint64(ci)<<32 | uint64(k)
		if _, dup := seen[key]; dup {
			continue
		}
		seen[key] = struct{}{}
		out = append(out, newAdoption(r, ci, k, &comps[k], councils[ci].Current))
	}
	return out
}

// newAdoption picks one of the component's capabilities, a status (a former
// council's adoptions are all retired), dates and for most a contract end.
func newAdoption(r *rand.Rand, council, component int, comp *Component, current bool) Adoption {
	a := Adoption{Council: int32(council), Component: int32(component),
		Capability: int32(comp.Capabilities[r.IntN(len(comp.Capabilities))]),
		Verified:   r.IntN(100) < 85, Started: Day(-60 - r.IntN(6*365))}
	switch n := r.IntN(100); {
	case !current || n < 16:
		a.Status = "retired"
		a.HasEnded, a.Ended = true, Day(min(-1, int(a.Started)+30+r.IntN(3*365)))
	case n < 22:
		a.Status = "exploring"
	case n < 30:
		a.Status = "piloting"
	case n < 38:
		a.Status = "retiring"
	default:
		a.Status = "live"
	}
	if a.Status != "retired" && r.IntN(100) < 65 {
		a.HasContract, a.ContractEnd = true, Day(-182+r.IntN(3*365))
	}
	return a
}

// newNeeds spreads needs over three years from six months before today; most are open.
func newNeeds(r *rand.Rand, n, councils, caps int) []Need {
	out := make([]Need, 0, n)
	for range n {
		nd := Need{Council: int32(r.IntN(councils)), Capability: int32(r.IntN(caps)),
			NeededBy: Day(-182 + r.IntN(3*365)), Status: "open"}
		switch x := r.IntN(10); {
		case x < 2:
			nd.Status = "met"
		case x < 3:
			nd.Status = "withdrawn"
		}
		out = append(out, nd)
	}
	return out
}
