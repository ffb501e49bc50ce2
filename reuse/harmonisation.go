package reuse

import (
	"github.com/council-components/registry/models"

	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Reason kinds for reorganisations, beside the opportunity kinds in types.go.
const (
	ReasonMergingCouncils = "merging_councils" // how many of the merging councils use a component
	ReasonTakeUp          = "take_up"          // how many councils run it live nationally
	ReasonReorganisation  = "reorganisation"   // a reorganisation is why these councils appear together
)

// MergingUse is one adoption of a council in a reorganisation, as input to Harmonisation.
type MergingUse = models.MergingUse

// HarmonisationUse is what one merging council uses for a capability.
type HarmonisationUse struct {
	Council       string  `json:"council" example:"E07000163"`
	Component     string  `json:"component" example:"govuk-pay"`
	Status        string  `json:"status" example:"live"`
	ContractEndOn *string `json:"contract_end_on" example:"2027-03-31" extensions:"x-nullable" format:"date"`
}

// Suggestion is the component the merging councils could converge on, and when.
type Suggestion struct {
	Component string   `json:"component" example:"govuk-pay"`
	SwitchOn  string   `json:"switch_on" example:"2028-06-30" format:"date"`
	Reasons   []Reason `json:"reasons"`
}

// HarmonisationItem says, for one capability, what the merging councils use and
// whether they already agree; where they do not, it suggests where to converge.
type HarmonisationItem struct {
	Capability CapabilityRef      `json:"capability"`
	Agree      bool               `json:"agree"`
	Uses       []HarmonisationUse `json:"uses"`
	Suggestion *Suggestion        `json:"suggestion" extensions:"x-nullable"`
}

// harmCandidate is a component scored for convergence.
type harmCandidate struct {
	slug, name    string
	partiesLive   int // merging councils running it live for the capability
	partiesUsing  int // merging councils with it in use (piloting, live or retiring)
	peersLive     int // their closest peers (not merging) running it live and verified
	takeUp        int // councils running it live for the capability, nationally
	inHouse       bool
	livePartyName []string
}

// Harmonisation reports, per capability that any of councils has in use in uses, what each
// uses, whether they agree (every council uses the same one component), and otherwise a
// suggested convergence:
//
//   - the candidates are the components they use that are not deprecated or retired, ranked by
//     how many of the councils run each live, then how many use it at all, then how many of
//     their closest peers (peerK per council, not counting the merging councils) run it live
//     and verified, then national live take-up, then a shared component before an in-house
//     build, then slug;
//   - when every component they use is deprecated or retired (including all agreeing on one),
//     the candidates are the catalogue's other components for the capability, as for
//     opportunities: live somewhere, not obsolete, not in-house;
//   - switch_on is the latest contract end among the adoptions of the components being
//     replaced, so that no contract is broken; with none recorded, the vesting date.
//
// Items come out disagreements first, then by capability slug. Uses in other statuses, or of
// councils not in councils, are ignored.
func (e *Engine) Harmonisation(councils []string, uses []MergingUse, vesting time.Time) []HarmonisationItem {
	e.mu.RLock()
	defer e.mu.RUnlock()

	parties := slices.Clone(councils)
	slices.Sort(parties)
	parties = slices.Compact(parties)
	isParty := map[string]bool{}
	for _, p := range parties {
		isParty[p] = true
	}
	byCap := map[string][]MergingUse{}
	for _, u := range uses {
		if isParty[u.Council] && inUse(parseStatus(u.Status)) {
			byCap[u.Capability] = append(byCap[u.Capability], u)
		}
	}
	peerLive, peerTotal, peerNames := e.mergingPeers(parties, isParty)

	out := make([]HarmonisationItem, 0, len(byCap))
	for capSlug, us := range byCap {
		slices.SortFunc(us, func(x, y MergingUse) int {
			return cmp.Or(cmp.Compare(x.Council, y.Council), cmp.Compare(x.Component, y.Component))
		})
		item := HarmonisationItem{Capability: e.capRef(capSlug), Uses: make([]HarmonisationUse, len(us))}
		comps := map[string]bool{}
		users := map[string]bool{}
		for i, u := range us {
			item.Uses[i] = HarmonisationUse{Council: u.Council, Component: u.Component, Status: u.Status}
			if !u.ContractEndOn.IsZero() {
				d := u.ContractEndOn.Format(time.DateOnly)
				item.Uses[i].ContractEndOn = &d
			}
			comps[u.Component] = true
			users[u.Council] = true
		}
		item.Agree = len(comps) == 1 && len(users) == len(parties)
		if !item.Agree || e.isObsolete(us[0].Component) {
			item.Suggestion = e.suggest(capSlug, parties, us, peerLive[capSlug], peerTotal, peerNames, vesting)
		}
		out = append(out, item)
	}
	slices.SortFunc(out, func(x, y HarmonisationItem) int {
		if x.Agree != y.Agree {
			if x.Agree {
				return 1
			}
			return -1
		}
		return cmp.Compare(x.Capability.Slug, y.Capability.Slug)
	})
	return out
}

// mergingPeers finds the closest peers of the merging councils (not themselves merging) and,
// per capability and component, which of them run it live and verified, closest first.
func (e *Engine) mergingPeers(parties []string, isParty map[string]bool) (map[string]map[string][]int32, int, func([]int32) []string) {
	best := map[int32]float64{}
	for _, code := range parties {
		a, ok := e.councilIdx[code]
		if !ok || !e.councils[a].known {
			continue
		}
		for _, p := range e.peers(a, peerK) {
			if !isParty[e.councils[p.idx].Code] && p.sim > best[p.idx] {
				best[p.idx] = p.sim
			}
		}
	}
	order := make([]int32, 0, len(best))
	for b := range best {
		order = append(order, b)
	}
	slices.SortFunc(order, func(x, y int32) int {
		return cmp.Or(cmp.Compare(best[y], best[x]), cmp.Compare(e.councils[x].Code, e.councils[y].Code))
	})
	live := map[string]map[string][]int32{}
	for _, b := range order {
		seen := map[[2]int32]bool{}
		for _, s := range e.councils[b].adoptions {
			r := &e.adoptions[s]
			if r.status != stLive || !r.vouched() || seen[[2]int32{r.cap, r.comp}] {
				continue
			}
			seen[[2]int32{r.cap, r.comp}] = true
			capSlug, compSlug := e.caps[r.cap].Slug, e.comps[r.comp].Slug
			if live[capSlug] == nil {
				live[capSlug] = map[string][]int32{}
			}
			live[capSlug][compSlug] = append(live[capSlug][compSlug], b)
		}
	}
	names := func(idx []int32) []string {
		out := make([]string, 0, 2)
		for _, b := range idx[:min(2, len(idx))] {
			out = append(out, e.councils[b].Name)
		}
		return out
	}
	return live, len(order), names
}

func (e *Engine) suggest(capSlug string, parties []string, us []MergingUse, peerLive map[string][]int32, peerTotal int,
	peerNames func([]int32) []string, vesting time.Time) *Suggestion {
	capRef := e.capRef(capSlug)
	cands, fromCatalogue := e.harmCandidates(capSlug, us, peerLive)
	if len(cands) == 0 {
		return nil
	}
	slices.SortFunc(cands, func(x, y harmCandidate) int {
		return cmp.Or(cmp.Compare(y.partiesLive, x.partiesLive), cmp.Compare(y.partiesUsing, x.partiesUsing),
			cmp.Compare(y.peersLive, x.peersLive), cmp.Compare(y.takeUp, x.takeUp),
			cmp.Compare(boolInt(x.inHouse), boolInt(y.inHouse)), cmp.Compare(x.slug, y.slug))
	})
	pick := cands[0]
	s := &Suggestion{Component: pick.slug, Reasons: []Reason{}}
	switch {
	case fromCatalogue:
		s.add(ReasonComponentRetiring, "none of the merging councils' components for %s is current, so %s is suggested from the catalogue", capRef.Name, pick.name)
	case pick.partiesLive > 0:
		s.add(ReasonMergingCouncils, "used live by %d of the %d merging councils: %s", pick.partiesLive, len(parties), joinNames(pick.livePartyName))
	default:
		s.add(ReasonMergingCouncils, "used by %d of the %d merging councils, though not yet live", pick.partiesUsing, len(parties))
	}
	if ps := peerLive[pick.slug]; len(ps) > 0 {
		s.add(ReasonPeerAdoption, "%s", mergingPeerSentence(len(ps), peerTotal, peerNames(ps)))
	}
	if pick.takeUp > 0 {
		s.add(ReasonTakeUp, "used live for %s by %d %s nationally", capRef.Name, pick.takeUp, plural(pick.takeUp, "council", "councils"))
	}
	e.replacing(s, capRef, parties, us, vesting)
	return s
}

func (s *Suggestion) add(kind, format string, args ...any) {
	s.Reasons = append(s.Reasons, Reason{Kind: kind, Detail: fmt.Sprintf(format, args...)})
}

// harmCandidates are the current components the merging councils use for a
// capability, or, when all they use is obsolete, the catalogue's with live use.
func (e *Engine) harmCandidates(capSlug string, us []MergingUse, peerLive map[string][]int32) ([]harmCandidate, bool) {
	var cands []harmCandidate
	index := map[string]int{}
	// Keyed by component and council; us is sorted by council, so live councils are named in code order.
	using, live := map[[2]string]bool{}, map[[2]string]bool{}
	for _, u := range us {
		if e.isObsolete(u.Component) {
			continue
		}
		i, ok := index[u.Component]
		if !ok {
			i = len(cands)
			index[u.Component] = i
			cands = append(cands, e.candidate(capSlug, u.Component, peerLive))
		}
		c, key := &cands[i], [2]string{u.Component, u.Council}
		if !using[key] {
			using[key] = true
			c.partiesUsing++
		}
		if u.Status == "live" && !live[key] {
			live[key] = true
			c.partiesLive++
			c.livePartyName = append(c.livePartyName, e.councilName(u.Council))
		}
	}
	if len(cands) > 0 {
		return cands, false
	}
	if ci, ok := e.capIdx[capSlug]; ok {
		for _, o := range e.caps[ci].offers {
			if !o.skip && o.live > 0 {
				cands = append(cands, e.candidate(capSlug, e.comps[o.comp].Slug, peerLive))
			}
		}
	}
	return cands, true
}

// replacing says what the suggestion replaces and why it may go, and when to
// switch: the last contract end among what is replaced, else vesting day.
func (e *Engine) replacing(s *Suggestion, capRef CapabilityRef, parties []string, us []MergingUse, vesting time.Time) {
	var last *MergingUse
	obsoleteSeen, inHouseSeen, users := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i := range us {
		u := &us[i]
		users[u.Council] = true
		if u.Component == s.Component {
			continue
		}
		if e.isObsolete(u.Component) && !obsoleteSeen[u.Component] {
			obsoleteSeen[u.Component] = true
			s.add(ReasonComponentRetiring, "%s, which %s %s for %s, is %s", e.compName(u.Component),
				joinNames(e.usersOf(us, u.Component)), plural(len(e.usersOf(us, u.Component)), "uses", "use"), capRef.Name, e.lifecycle(u.Component))
		}
		if e.isInHouse(u.Component) && !inHouseSeen[u.Component] {
			inHouseSeen[u.Component] = true
			s.add(ReasonInHouse, "%s runs its own build, %s, for %s", e.councilName(u.Council), e.compName(u.Component), capRef.Name)
		}
		if !u.ContractEndOn.IsZero() && (last == nil || u.ContractEndOn.After(last.ContractEndOn)) {
			last = u
		}
	}
	for _, p := range parties {
		if !users[p] {
			s.add(ReasonGap, "%s has no component in use for %s", e.councilName(p), capRef.Name)
		}
	}
	if last != nil {
		s.SwitchOn = last.ContractEndOn.Format(time.DateOnly)
		s.add(ReasonContractEnding, "the last contract to end among those being replaced, %s at %s, ends %s",
			e.compName(last.Component), e.councilName(last.Council), s.SwitchOn)
	} else {
		s.SwitchOn = vesting.Format(time.DateOnly)
		s.add(ReasonReorganisation, "no contract end is recorded for what is being replaced, so vesting day, %s, is the natural switch date", s.SwitchOn)
	}
}

func (e *Engine) candidate(capSlug, slug string, peerLive map[string][]int32) harmCandidate {
	c := harmCandidate{slug: slug, name: e.compName(slug), peersLive: len(peerLive[slug]), inHouse: e.isInHouse(slug)}
	if k, ok := e.compIdx[slug]; ok {
		if ci, ok := e.capIdx[capSlug]; ok {
			c.takeUp = int(e.comps[k].liveFor(ci))
		}
	}
	return c
}

// usersOf names the councils in us that use a component.
func (e *Engine) usersOf(us []MergingUse, comp string) []string {
	var out []string
	for _, u := range us {
		if u.Component == comp && !slices.Contains(out, e.councilName(u.Council)) {
			out = append(out, e.councilName(u.Council))
		}
	}
	return out
}

// The lookups below never add placeholders: they run under the read lock.

func (e *Engine) capRef(slug string) CapabilityRef {
	if i, ok := e.capIdx[slug]; ok {
		return CapabilityRef{Slug: slug, Name: e.caps[i].Name}
	}
	return CapabilityRef{Slug: slug, Name: slug}
}

func (e *Engine) councilName(code string) string {
	if i, ok := e.councilIdx[code]; ok {
		return e.councils[i].Name
	}
	return code
}

func (e *Engine) compName(slug string) string {
	if i, ok := e.compIdx[slug]; ok {
		return e.comps[i].Name
	}
	return slug
}

func (e *Engine) isObsolete(slug string) bool {
	i, ok := e.compIdx[slug]
	return ok && e.comps[i].obsolete
}

func (e *Engine) isInHouse(slug string) bool {
	i, ok := e.compIdx[slug]
	return ok && e.comps[i].InHouse
}

func (e *Engine) lifecycle(slug string) string {
	if i, ok := e.compIdx[slug]; ok {
		return e.comps[i].Lifecycle
	}
	return "unknown"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// joinNames lists names as "A", "A and B" or "A, B and C".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func mergingPeerSentence(using, of int, names []string) string {
	switch using {
	case 1:
		return fmt.Sprintf("used live by %s, one of the merging councils' %d closest peers", names[0], of)
	case 2:
		return fmt.Sprintf("used live by 2 of the merging councils' %d closest peers, %s and %s", of, names[0], names[1])
	}
	return fmt.Sprintf("used live by %d of the merging councils' %d closest peers, including %s and %s", using, of, names[0], names[1])
}
