package reuse

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Similarity = wAdoption·A + wProfile·P, both parts in 0..1, rounded to 4 decimals.
//
// A is a weighted Jaccard index over the components each council has in use (piloting, live or
// retiring): each component weighs its IDF, ln(N/adopters) with N the number of councils, so a
// rare shared component says far more than a platform everyone runs; A = shared weight / union
// weight. P describes who the councils are: same type (wType), same region, or failing that the
// same nation at half credit (wPlace), and population closeness 1-|ln(p1/p2)|/ln(10) clipped to
// 0..1, 0 when either is unknown (wPop). Adoption evidence outweighs profile, but a council with
// no adoptions still gets peers from its profile alone.
const (
	wAdoption = 0.6
	wProfile  = 0.4

	wType  = 0.4
	wPlace = 0.35
	wPop   = 0.25

	nationCredit = 0.5
)

// outsideBound is the highest similarity a council can have that shares no weighted component,
// type or region with the one asked about: same nation and the same population.
const outsideBound = wProfile * (wPlace*nationCredit + wPop)

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func profile(a, b *Council) float64 {
	p := 0.0
	if a.Type != "" && a.Type == b.Type {
		p += wType
	}
	switch {
	case a.Region != "" && a.Region == b.Region:
		p += wPlace
	case a.Nation != "" && a.Nation == b.Nation:
		p += wPlace * nationCredit
	}
	if a.Population > 0 && b.Population > 0 {
		closeness := 1 - math.Abs(math.Log(float64(a.Population)/float64(b.Population)))/math.Ln10
		p += wPop * max(0, closeness)
	}
	return p
}

// peerScratch is per-query working memory indexed by council, reused through a sync.Pool so a
// query allocates nothing proportional to the number of councils.
type peerScratch struct {
	shared  []int64  // shared IDF weight with the council asked about
	touched []int32  // councils whose shared weight is non-zero
	mark    []uint32 // mark[c] == epoch once c has been scored
	epoch   uint32
}

func (e *Engine) getScratch() *peerScratch {
	sc, _ := e.scratch.Get().(*peerScratch)
	if sc == nil {
		sc = &peerScratch{}
	}
	if n := len(e.councils); len(sc.shared) < n {
		sc.shared = make([]int64, n+n/8)
		sc.mark = make([]uint32, n+n/8)
		sc.epoch = 0
	}
	sc.epoch++
	if sc.epoch == 0 { // wrapped: old marks could collide
		clear(sc.mark)
		sc.epoch = 1
	}
	sc.touched = sc.touched[:0]
	return sc
}

func (e *Engine) putScratch(sc *peerScratch) {
	for _, b := range sc.touched {
		sc.shared[b] = 0
	}
	e.scratch.Put(sc)
}

type scoredPeer struct {
	idx int32
	sim float64
}

// peers returns the council's most similar peers, best first (ties by code); limit <= 0 means all.
//
// Candidates come from two sparse indexes rather than from every council: the adopters of each
// component it runs (accumulating shared IDF weight as they are met) and the councils of its type
// and region. Anyone else can score at most outsideBound, so the rest are scanned only when the
// candidates do not already fill the list above that.
func (e *Engine) peers(a int32, limit int) []scoredPeer {
	ca := &e.councils[a]
	sc := e.getScratch()
	defer e.putScratch(sc)

	logN := fxLog(len(e.councils))
	for _, u := range ca.uses {
		adopters := e.comps[u.comp].adopters
		w := logN - fxLog(len(adopters))
		if w <= 0 {
			continue // used by every council: says nothing
		}
		for _, b := range adopters {
			if sc.shared[b] == 0 {
				sc.touched = append(sc.touched, b)
			}
			sc.shared[b] += w
		}
	}
	weightA := int64(len(ca.uses))*logN - ca.usesLog

	top := newTopK(limit, func(x, y scoredPeer) bool { // x ranks below y
		if x.sim != y.sim {
			return x.sim < y.sim
		}
		return e.councils[x.idx].Code > e.councils[y.idx].Code
	})
	score := func(b int32) {
		if sc.mark[b] == sc.epoch {
			return
		}
		sc.mark[b] = sc.epoch
		cb := &e.councils[b]
		if b == a || !cb.eligible() {
			return
		}
		adoption := 0.0
		if shared := sc.shared[b]; shared > 0 {
			weightB := int64(len(cb.uses))*logN - cb.usesLog
			adoption = float64(shared) / float64(weightA+weightB-shared)
		}
		sim := round4(wAdoption*adoption + wProfile*profile(&ca.Council, &cb.Council))
		if sim > 0 {
			top.push(scoredPeer{idx: b, sim: sim})
		}
	}
	for _, b := range sc.touched {
		score(b)
	}
	if ca.Type != "" {
		for _, b := range e.byType[ca.Type] {
			score(b)
		}
	}
	if ca.Region != "" {
		for _, b := range e.byRegion[ca.Region] {
			score(b)
		}
	}
	if limit <= 0 || top.len() < limit || top.worst().sim <= round4(outsideBound) {
		for b := range e.councils {
			score(int32(b))
		}
	}
	return top.sorted()
}

// knownCouncil finds the council with the given code, or says it is unknown.
func (e *Engine) knownCouncil(code string) (int32, *councilRec, error) {
	a, ok := e.councilIdx[code]
	if !ok || !e.councils[a].known {
		return 0, nil, fmt.Errorf("%w: %s", ErrUnknownCouncil, code)
	}
	return a, &e.councils[a], nil
}

// Peers returns up to limit councils most similar to the one with the given code, most similar
// first (ties by code); limit <= 0 means all. Former councils and bodies that do not deliver
// services are never returned.
func (e *Engine) Peers(code string, limit int) ([]Peer, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	a, ca, err := e.knownCouncil(code)
	if err != nil {
		return nil, err
	}
	ranked := e.peers(a, limit)
	out := make([]Peer, 0, len(ranked))
	for _, p := range ranked {
		cb := &e.councils[p.idx]
		out = append(out, Peer{
			Council:          CouncilRef{Code: cb.Code, Name: cb.Name},
			Similarity:       p.sim,
			SharedComponents: e.sharedComponents(ca, cb),
		})
	}
	return out, nil
}

// sharedComponents lists the components both councils have in use, rarest first, then by slug.
func (e *Engine) sharedComponents(a, b *councilRec) []string {
	var shared []int32
	i, j := 0, 0
	for i < len(a.uses) && j < len(b.uses) {
		switch {
		case a.uses[i].comp < b.uses[j].comp:
			i++
		case a.uses[i].comp > b.uses[j].comp:
			j++
		default:
			shared = append(shared, a.uses[i].comp)
			i++
			j++
		}
	}
	slices.SortFunc(shared, func(x, y int32) int {
		cx, cy := &e.comps[x], &e.comps[y]
		return cmp.Or(cmp.Compare(len(cx.adopters), len(cy.adopters)), cmp.Compare(cx.Slug, cy.Slug))
	})
	out := make([]string, len(shared))
	for k, c := range shared {
		out[k] = e.comps[c].Slug
	}
	return out
}

// topK keeps the k best items seen (all of them when k <= 0) in a min-heap whose root is the
// worst kept item.
type topK[T any] struct {
	k     int
	items []T
	less  func(x, y T) bool // x ranks below y
}

func newTopK[T any](k int, less func(x, y T) bool) *topK[T] {
	return &topK[T]{k: k, less: less}
}

func (t *topK[T]) len() int { return len(t.items) }
func (t *topK[T]) worst() T { return t.items[0] }

func (t *topK[T]) push(x T) {
	if t.k > 0 && len(t.items) == t.k {
		if !t.less(t.items[0], x) {
			return
		}
		t.items[0] = x
		t.down(0)
		return
	}
	t.items = append(t.items, x)
	for i := len(t.items) - 1; i > 0; {
		p := (i - 1) / 2
		if !t.less(t.items[i], t.items[p]) {
			break
		}
		t.items[i], t.items[p] = t.items[p], t.items[i]
		i = p
	}
}

func (t *topK[T]) down(i int) {
	n := len(t.items)
	for {
		m, l, r := i, 2*i+1, 2*i+2
		if l < n && t.less(t.items[l], t.items[m]) {
			m = l
		}
		if r < n && t.less(t.items[r], t.items[m]) {
			m = r
		}
		if m == i {
			return
		}
		t.items[i], t.items[m] = t.items[m], t.items[i]
		i = m
	}
}

// sorted returns the kept items best first.
func (t *topK[T]) sorted() []T {
	out := slices.Clone(t.items)
	slices.SortFunc(out, func(x, y T) int {
		switch {
		case t.less(y, x):
			return -1
		case t.less(x, y):
			return 1
		}
		return 0
	})
	return out
}
