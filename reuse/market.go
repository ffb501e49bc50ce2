package reuse

import (
	"cmp"
	"errors"
	"slices"
)

// Market intelligence (impact.go, renewals.go, concentration.go) shares what
// a council's closest peers run instead of something.

// ErrUnknownComponent is returned (wrapped with the slug) when a query names a component the
// engine does not know.
var ErrUnknownComponent = errors.New("unknown component")

// maxAlternatives is how many alternatives a renewal or an uncovered capability lists.
const maxAlternatives = 5

// Alternative is a component a council's closest peers run live, vouched for, for a capability.
// Score is the share of the top peers' similarity behind it (each peer weighted by who vouches
// for its use, as in opportunities), 0..1; Peers are the codes of those peers, closest first.
type Alternative struct {
	Component ComponentRef `json:"component"`
	Score     float64      `json:"score"`
	Peers     []string     `json:"peers"`
}

// alternatives is what the closest peers of council a run live and vouched for capability k,
// best first (ties by slug), leaving out obsolete components, in-house builds and those skip
// says no to. peers are a's top peers (e.peers(a, peerK)), passed in so that a caller asking
// about several capabilities ranks them once.
func (e *Engine) alternatives(peers []scoredPeer, k int32, skip func(comp int32) bool) []Alternative {
	type alt struct {
		comp   int32
		weight float64
		peers  []int32
	}
	var found []alt
	total := 0.0
	for _, p := range peers {
		total += p.sim
		seen := int32(-1)
		for _, s := range e.councils[p.idx].adoptions {
			r := &e.adoptions[s]
			if r.cap != k || r.status != stLive || !r.vouched() || r.comp == seen {
				continue
			}
			comp := &e.comps[r.comp]
			if comp.obsolete || comp.InHouse || skip(r.comp) {
				continue
			}
			seen = r.comp
			i := slices.IndexFunc(found, func(x alt) bool { return x.comp == r.comp })
			if i < 0 {
				found = append(found, alt{comp: r.comp})
				i = len(found) - 1
			}
			if !slices.Contains(found[i].peers, p.idx) {
				found[i].weight += p.sim * r.weight()
				found[i].peers = append(found[i].peers, p.idx)
			}
		}
	}
	slices.SortFunc(found, func(x, y alt) int {
		return cmp.Or(cmp.Compare(y.weight, x.weight), cmp.Compare(e.comps[x.comp].Slug, e.comps[y.comp].Slug))
	})
	out := make([]Alternative, 0, min(len(found), maxAlternatives))
	for _, f := range found[:min(len(found), maxAlternatives)] {
		codes := make([]string, len(f.peers))
		for i, p := range f.peers {
			codes[i] = e.councils[p].Code
		}
		c := &e.comps[f.comp]
		out = append(out, Alternative{Component: ComponentRef{Slug: c.Slug, Name: c.Name}, Score: round4(f.weight / total), Peers: codes})
	}
	return out
}

// peerCache ranks each council's top peers once per query.
type peerCache struct {
	e    *Engine
	tops map[int32][]scoredPeer
}

func (e *Engine) newPeerCache() *peerCache { return &peerCache{e: e, tops: map[int32][]scoredPeer{}} }

func (pc *peerCache) of(a int32) []scoredPeer {
	top, ok := pc.tops[a]
	if !ok {
		top = pc.e.peers(a, peerK)
		pc.tops[a] = top
	}
	return top
}

func (e *Engine) councilRef(i int32) CouncilRef {
	return CouncilRef{Code: e.councils[i].Code, Name: e.councils[i].Name}
}

func (e *Engine) capRefAt(i int32) CapabilityRef {
	return CapabilityRef{Slug: e.caps[i].Slug, Name: e.caps[i].Name}
}

func (e *Engine) compRef(i int32) ComponentRef {
	return ComponentRef{Slug: e.comps[i].Slug, Name: e.comps[i].Name}
}
