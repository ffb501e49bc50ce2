package reuse

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/council-components/registry/models"
)

// Opportunity scoring. For a component c offered for capability k:
//
//	score = wPeers·(sum of similarity × strength of the top peerK peers running c live for k
//	                / sum of similarity of all top peerK peers)
//
// where strength is who vouches for the peer's use (strengthWeights): the council's verification
// 1, fresh public evidence 0.8, stale evidence 0.5, an unverified record 0.
//   - wTakeUp·ln(1+L)/ln(1+N)   (L = councils running c live for k, N = current councils)
//
// rounded to 4 decimals. Peers dominate because they are councils like this one; national
// take-up breaks ties and ranks options when no peer has an answer yet. A component with no live
// use anywhere has nothing behind it and is not offered.
const (
	peerK   = 10
	wPeers  = 0.7
	wTakeUp = 0.3

	// relevantShare is the share of councils of the same type that must cover a capability
	// before a gap in it is worth raising unprompted (5%).
	relevantShare = 20
)

// capState is what one council has for one capability.
type capState struct {
	live      bool    // some live adoption
	goodLive  bool    // a live adoption of a current, shared (not in-house) component
	involved  bool    // any adoption or need at all
	used      []int32 // components it has an adoption of for this capability, any status
	obsolete  []int32 // live components that are deprecated or retired
	inHouse   []int32 // live in-house builds
	ending    []ending
	needs     []int32 // open needs' needed-by days
	peerCover bool    // a top peer runs something live for it
}

type ending struct {
	comp int32
	day  int32
}

type peerUse struct {
	weight float64
	peers  []int32 // peer indexes (into the ranked list), closest first
	// evidence is what the closest peer whose use rests on public evidence
	// (not the council's verification) shows, and how fresh it is.
	evidence string
	stale    bool
}

// noteEvidence keeps the first (closest) peer's evidence for the reason.
func (u *peerUse) noteEvidence(r *adoptionRec, quote string) {
	if u.evidence != "" || quote == "" || r.strength == models.StrengthVerified || r.strength == models.StrengthIllustrative {
		return
	}
	u.evidence, u.stale = quote, r.strength == models.StrengthStaleEvidence
}

// evidenceClause says what backs a peer's use when it rests on evidence.
func (u *peerUse) evidenceClause() string {
	switch {
	case u.evidence == "":
		return ""
	case u.stale:
		return "; older evidence, not confirmed recently: " + u.evidence
	}
	return "; evidence: " + u.evidence
}

type candidate struct {
	cap, comp int32
	score     float64
}

// Opportunities returns up to limit components the council could reuse, best first (ties by
// capability then component slug); limit <= 0 means all. A capability is considered when the
// council has no live component for it (and councils like it do), only a deprecated or retired
// one, only an in-house build, a contract for it ending within horizonMonths of today, or an open
// need. Former councils get none.
func (e *Engine) Opportunities(code string, horizonMonths int, today time.Time, limit int) ([]Opportunity, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	a, ca, err := e.knownCouncil(code)
	if err != nil {
		return nil, err
	}
	if !ca.Current {
		return []Opportunity{}, nil
	}
	horizonMonths = max(horizonMonths, 0)
	states := e.capStates(ca, dayOf(today), dayOf(today.AddDate(0, horizonMonths, 0)))
	peers := e.peers(a, peerK)
	use, simSum := e.peerUses(peers, states)
	chosen := e.rankOffers(ca, states, use, simSum, limit)
	return e.explain(chosen, states, use, peers), nil
}

// capStates is what the council has for each capability: adoptions, contracts
// ending between from and until, and needs.
func (e *Engine) capStates(ca *councilRec, from, until int32) []capState {
	states := make([]capState, len(e.caps))
	for _, s := range ca.adoptions {
		r := &e.adoptions[s]
		st := &states[r.cap]
		st.involved = true
		st.used = append(st.used, r.comp)
		comp := &e.comps[r.comp]
		if r.status == stLive {
			st.live = true
			switch {
			case comp.obsolete:
				st.obsolete = append(st.obsolete, r.comp)
			case comp.InHouse:
				st.inHouse = append(st.inHouse, r.comp)
			default:
				st.goodLive = true
			}
		}
		if inUse(r.status) && r.contractEnd != noDay && r.contractEnd >= from && r.contractEnd <= until {
			st.ending = append(st.ending, ending{comp: r.comp, day: r.contractEnd})
		}
	}
	for _, s := range ca.needs {
		n := &e.needs[s]
		states[n.cap].involved = true
		if n.status == needOpen {
			states[n.cap].needs = append(states[n.cap].needs, n.neededBy)
		}
	}

	return states
}

// peerUses weighs, per capability and component, the closest peers running it
// live, by similarity and by who vouches for their use; simSum is all peers' similarity.
func (e *Engine) peerUses(peers []scoredPeer, states []capState) (map[[2]int32]*peerUse, float64) {
	simSum := 0.0
	use := map[[2]int32]*peerUse{}
	for pi, p := range peers {
		simSum += p.sim
		for _, s := range e.councils[p.idx].adoptions {
			r := &e.adoptions[s]
			if r.status != stLive {
				continue
			}
			states[r.cap].peerCover = true
			if !r.vouched() {
				continue
			}
			key := [2]int32{r.cap, r.comp}
			u := use[key]
			if u == nil {
				u = &peerUse{}
				use[key] = u
			}
			if len(u.peers) == 0 || u.peers[len(u.peers)-1] != int32(pi) {
				u.weight += p.sim * r.weight()
				u.peers = append(u.peers, int32(pi))
				u.noteEvidence(r, e.evidence[r.id])
			}
		}
	}

	return use, simSum
}

// rankOffers scores every component offered for a capability the council
// should look at, and keeps the best limit.
func (e *Engine) rankOffers(ca *councilRec, states []capState, use map[[2]int32]*peerUse, simSum float64, limit int) []candidate {
	typeTotal := e.typeCount[ca.Type]
	takeUpNorm := math.Log1p(float64(max(e.eligible, 1)))
	top := newTopK(limit, func(x, y candidate) bool { // x ranks below y
		if x.score != y.score {
			return x.score < y.score
		}
		if x.cap != y.cap {
			return e.caps[x.cap].Slug > e.caps[y.cap].Slug
		}
		return e.comps[x.comp].Slug > e.comps[y.comp].Slug
	})
	for ci := range states {
		st := &states[ci]
		if !e.triggered(st, int32(ci), ca.Type, typeTotal) {
			continue
		}
		for _, o := range e.caps[ci].offers {
			k := o.comp
			if o.skip || slices.Contains(st.used, k) {
				continue
			}
			peerShare := 0.0
			if u := use[[2]int32{int32(ci), k}]; u != nil && simSum > 0 {
				peerShare = u.weight / simSum
			}
			takeUp := min(1, math.Log1p(float64(o.live))/takeUpNorm)
			if score := round4(wPeers*peerShare + wTakeUp*takeUp); score > 0 {
				top.push(candidate{cap: int32(ci), comp: k, score: score})
			}
		}
	}

	return top.sorted()
}

// explain turns the chosen candidates into opportunities with their reasons.
func (e *Engine) explain(chosen []candidate, states []capState, use map[[2]int32]*peerUse, peers []scoredPeer) []Opportunity {
	out := make([]Opportunity, 0, len(chosen))
	for _, c := range chosen {
		st := &states[c.cap]
		capRef := CapabilityRef{Slug: e.caps[c.cap].Slug, Name: e.caps[c.cap].Name}
		o := Opportunity{
			Capability: capRef,
			Component:  ComponentRef{Slug: e.comps[c.comp].Slug, Name: e.comps[c.comp].Name},
			Score:      c.score,
			Reasons:    []Reason{},
			PeersUsing: []string{},
		}
		if u := use[[2]int32{c.cap, c.comp}]; u != nil {
			names := make([]string, 0, 2)
			for _, pi := range u.peers {
				cb := &e.councils[peers[pi].idx]
				o.PeersUsing = append(o.PeersUsing, cb.Code)
				if len(names) < 2 {
					names = append(names, cb.Name)
				}
			}
			o.Reasons = append(o.Reasons, Reason{Kind: ReasonPeerAdoption, Detail: peerSentence(len(u.peers), len(peers), names) + u.evidenceClause()})
		}
		o.Reasons = append(o.Reasons, e.capReasons(st, capRef)...)
		out = append(out, o)
	}
	return out
}

// triggered reports whether a capability is worth offering components for, and sorts the state's
// lists so that reasons come out in a stable order however the data arrived.
func (e *Engine) triggered(st *capState, ci int32, councilType string, typeTotal int32) bool {
	slices.SortFunc(st.obsolete, e.bySlug)
	slices.SortFunc(st.inHouse, e.bySlug)
	slices.SortFunc(st.ending, func(x, y ending) int {
		return cmp.Or(cmp.Compare(x.day, y.day), e.bySlug(x.comp, y.comp))
	})
	slices.Sort(st.needs)
	if len(st.ending) > 0 || len(st.needs) > 0 {
		return true
	}
	if st.live {
		return !st.goodLive && (len(st.obsolete) > 0 || len(st.inHouse) > 0)
	}
	// A gap matters only where councils like this one fill it, or the council has shown interest.
	return st.involved || st.peerCover ||
		(typeTotal > 0 && e.caps[ci].liveByType[councilType]*relevantShare >= typeTotal)
}

func (e *Engine) bySlug(x, y int32) int { return cmp.Compare(e.comps[x].Slug, e.comps[y].Slug) }

// capReasons explains why a capability is open for this council, in a fixed order.
func (e *Engine) capReasons(st *capState, capRef CapabilityRef) []Reason {
	var out []Reason
	if !st.live {
		out = append(out, Reason{Kind: ReasonGap, Detail: "you have no live component for " + capRef.Name})
	}
	if st.live && !st.goodLive {
		for _, k := range st.obsolete {
			out = append(out, Reason{Kind: ReasonComponentRetiring,
				Detail: fmt.Sprintf("%s, which you run for %s, is %s", e.comps[k].Name, capRef.Name, e.comps[k].Lifecycle)})
		}
		for _, k := range st.inHouse {
			out = append(out, Reason{Kind: ReasonInHouse,
				Detail: fmt.Sprintf("you run your own build, %s, for %s", e.comps[k].Name, capRef.Name)})
		}
	}
	for _, en := range st.ending {
		out = append(out, Reason{Kind: ReasonContractEnding,
			Detail: fmt.Sprintf("your contract for %s ends %s", e.comps[en.comp].Name, formatDay(en.day))})
	}
	for _, d := range st.needs {
		detail := "you stated a need for " + capRef.Name
		if d != noDay {
			detail += " by " + formatDay(d)
		}
		out = append(out, Reason{Kind: ReasonNeed, Detail: detail})
	}
	return out
}

// peerSentence says how many of the closest peers run a component, naming the closest of them.
func peerSentence(using, of int, names []string) string {
	switch {
	case using == 1:
		return fmt.Sprintf("used live by %s, one of your %d closest peers", names[0], of)
	case using == 2:
		return fmt.Sprintf("used live by 2 of your %d closest peers, %s and %s", of, names[0], names[1])
	}
	return fmt.Sprintf("used live by %d of your %d closest peers, including %s and %s", using, of, names[0], names[1])
}
