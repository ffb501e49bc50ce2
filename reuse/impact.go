package reuse

import (
	"cmp"
	"fmt"
	"slices"
)

// Impact is what retiring a component would touch: the components that depend on it, however
// indirectly, the councils running any of them, and the capabilities those councils would be
// left without a live component for, with what their peers run instead.
type Impact struct {
	Component ComponentRef `json:"component"`
	Lifecycle string       `json:"lifecycle"`
	// Dependents depend on the component through depends_on, nearest first.
	Dependents []Dependent `json:"dependents"`
	// Cycles are dependency loops met on the way, each a list of slugs where every one depends
	// on the next and the last is the first again. They are reported, never followed twice.
	Cycles [][]string `json:"cycles"`
	// ByStatus counts Adoptions by status.
	ByStatus map[string]int `json:"by_status"`
	// Adoptions are the in-use (piloting, live or retiring) adoptions of the component and its
	// dependents by current councils, by council code, component and capability.
	Adoptions []ImpactAdoption `json:"adoptions"`
	// Uncovered are the capabilities councils would have no live component for once the
	// component and its dependents are gone, by council code and capability: the first 50,
	// each with what the council's peers run instead; UncoveredCount counts them all.
	Uncovered      []Uncovered `json:"uncovered"`
	UncoveredCount int         `json:"uncovered_count" example:"2"`
}

// Dependent is a component that depends on the one retiring. Path runs from it to the retiring
// component, each depending on the next.
type Dependent struct {
	Component ComponentRef `json:"component"`
	Lifecycle string       `json:"lifecycle"`
	Path      []string     `json:"path"`
}

// ImpactAdoption is one council's use of the retiring component or a dependent.
type ImpactAdoption struct {
	Council       CouncilRef    `json:"council"`
	Component     ComponentRef  `json:"component"`
	Capability    CapabilityRef `json:"capability"`
	Status        string        `json:"status"`
	ContractEndOn *string       `json:"contract_end_on" extensions:"x-nullable" example:"2027-09-30"`
}

// Uncovered is a capability a council would be left without any live component for.
type Uncovered struct {
	Council      CouncilRef    `json:"council"`
	Capability   CapabilityRef `json:"capability"`
	Alternatives []Alternative `json:"alternatives"`
}

// maxUncovered is how many uncovered capabilities an impact describes, with their alternatives:
// ranking each council's peers takes about a millisecond at national scale.
const maxUncovered = 50

// Impact says what retiring the component with the given slug would touch.
func (e *Engine) Impact(slug string) (Impact, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	target, ok := e.compIdx[slug]
	if !ok || !e.comps[target].known {
		return Impact{}, fmt.Errorf("%w: %s", ErrUnknownComponent, slug)
	}
	out := Impact{Component: e.compRef(target), Lifecycle: e.comps[target].Lifecycle, ByStatus: map[string]int{}}
	var affected []int32
	out.Dependents, out.Cycles, affected = e.dependents(target)
	hit := func(comp int32) bool { return slices.Contains(affected, comp) }

	type key struct{ council, cap int32 }
	var lost []key
	for _, comp := range affected {
		for _, b := range e.comps[comp].adopters {
			cb := &e.councils[b]
			if !cb.known || !cb.Current {
				continue
			}
			for _, s := range cb.adoptions {
				r := &e.adoptions[s]
				if r.comp != comp || !inUse(r.status) {
					continue
				}
				out.Adoptions = append(out.Adoptions, ImpactAdoption{Council: e.councilRef(b), Component: e.compRef(comp),
					Capability: e.capRefAt(r.cap), Status: statusNames[r.status], ContractEndOn: dayPtr(r.contractEnd)})
				out.ByStatus[statusNames[r.status]]++
				if r.status == stLive && !slices.Contains(lost, key{b, r.cap}) && !e.liveElse(b, r.cap, hit) {
					lost = append(lost, key{b, r.cap})
				}
			}
		}
	}
	slices.SortFunc(out.Adoptions, func(x, y ImpactAdoption) int {
		return cmp.Or(cmp.Compare(x.Council.Code, y.Council.Code), cmp.Compare(x.Component.Slug, y.Component.Slug),
			cmp.Compare(x.Capability.Slug, y.Capability.Slug), cmp.Compare(x.Status, y.Status))
	})
	slices.SortFunc(lost, func(x, y key) int {
		return cmp.Or(cmp.Compare(e.councils[x.council].Code, e.councils[y.council].Code), cmp.Compare(e.caps[x.cap].Slug, e.caps[y.cap].Slug))
	})
	out.UncoveredCount = len(lost)
	lost = lost[:min(len(lost), maxUncovered)]
	peers := e.newPeerCache()
	out.Uncovered = make([]Uncovered, 0, len(lost))
	for _, l := range lost {
		out.Uncovered = append(out.Uncovered, Uncovered{Council: e.councilRef(l.council), Capability: e.capRefAt(l.cap),
			Alternatives: e.alternatives(peers.of(l.council), l.cap, hit)})
	}
	if out.Adoptions == nil {
		out.Adoptions = []ImpactAdoption{}
	}
	return out, nil
}

// liveElse reports whether the council runs something live for the capability that gone does
// not take away.
func (e *Engine) liveElse(ci, capIdx int32, gone func(int32) bool) bool {
	for _, s := range e.councils[ci].adoptions {
		if r := &e.adoptions[s]; r.cap == capIdx && r.status == stLive && !gone(r.comp) {
			return true
		}
	}
	return false
}

// dependents walks depends_on backwards from target, breadth first in slug order, so the
// answer does not vary: every component that depends on it, the loops met (an edge back to a
// component on the path that reached it), and target with its dependents (affected).
func (e *Engine) dependents(target int32) (deps []Dependent, cycles [][]string, affected []int32) {
	rev := map[int32][]int32{} // component → the known components that depend on it
	for i := range e.comps {
		c := &e.comps[i]
		if !c.known {
			continue
		}
		for _, d := range c.DependsOn {
			if j, ok := e.compIdx[d]; ok {
				rev[j] = append(rev[j], int32(i))
			}
		}
	}
	via := map[int32]int32{target: -1} // each component reached → the one it depends on, toward target
	chain := func(c int32) []int32 {
		var path []int32
		for ; c >= 0; c = via[c] {
			path = append(path, c)
		}
		return path
	}
	slugs := func(path []int32) []string {
		out := make([]string, len(path))
		for i, c := range path {
			out[i] = e.comps[c].Slug
		}
		return out
	}
	affected = []int32{target}
	for q := 0; q < len(affected); q++ {
		at := affected[q]
		next := rev[at]
		slices.SortFunc(next, func(x, y int32) int { return cmp.Compare(e.comps[x].Slug, e.comps[y].Slug) })
		for _, n := range next {
			if _, seen := via[n]; !seen {
				via[n] = at
				affected = append(affected, n)
				deps = append(deps, Dependent{Component: e.compRef(n), Lifecycle: e.comps[n].Lifecycle, Path: slugs(chain(n))})
				continue
			}
			// n depends on at and was reached before: a loop if at rests on n.
			path := chain(at)
			if i := slices.Index(path, n); i >= 0 {
				cycles = append(cycles, slugs(append([]int32{n}, path[:i+1]...)))
			}
		}
	}
	if deps == nil {
		deps = []Dependent{}
	}
	if cycles == nil {
		cycles = [][]string{}
	}
	return deps, cycles, affected
}

// dayPtr is d as YYYY-MM-DD, or nil for no date.
func dayPtr(d int32) *string {
	if d == noDay {
		return nil
	}
	s := formatDay(d)
	return &s
}
