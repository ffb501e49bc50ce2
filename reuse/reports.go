package reuse

import (
	"cmp"
	"slices"
	"time"
)

// DefaultCollaborationWindow is how close in time needs and contract ends must fall to be grouped
// when the caller gives no window (about six months).
const DefaultCollaborationWindow = 183 * 24 * time.Hour

// Consolidation reports, per capability, how fragmented its live adoptions are: most fragmented
// first (lowest Herfindahl-Hirschman concentration, then most distinct components, then most
// councils), and capabilities nobody runs anything live for at the end.
func (e *Engine) Consolidation() []ConsolidationItem {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]ConsolidationItem, 0, len(e.caps))
	for i := range e.caps {
		c := &e.caps[i]
		item := ConsolidationItem{
			Capability:         CapabilityRef{Slug: c.Slug, Name: c.Name},
			DistinctComponents: int(c.distinct),
			Councils:           int(c.liveCouncils),
		}
		if c.liveAdoptions > 0 {
			total := float64(c.liveAdoptions)
			item.Concentration = float64(c.sumSq) / (total * total)
			item.InHouseShare = float64(c.inHouseLive) / total
		}
		out = append(out, item)
	}
	slices.SortFunc(out, func(x, y ConsolidationItem) int {
		return cmp.Or(
			unusedLast(x.Councils, y.Councils),
			cmp.Compare(x.Concentration, y.Concentration),
			cmp.Compare(y.DistinctComponents, x.DistinctComponents),
			cmp.Compare(y.Councils, x.Councils),
			cmp.Compare(x.Capability.Slug, y.Capability.Slug),
		)
	})
	return out
}

// unusedLast orders a capability no council runs anything live for (x or y councils, 0) after
// one some council does; 0 when both or neither are.
func unusedLast(x, y int) int {
	switch {
	case (x == 0) == (y == 0):
		return 0
	case x == 0:
		return 1
	}
	return -1
}

// Migrations lists deprecated or retired components that current councils still have in use
// (piloting, live or retiring), with those councils sorted by code: most councils first.
func (e *Engine) Migrations() []Migration {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := []Migration{}
	for i := range e.comps {
		c := &e.comps[i]
		if !c.obsolete || len(c.adopters) == 0 {
			continue
		}
		codes := make([]string, 0, len(c.adopters))
		for _, b := range c.adopters {
			if cb := &e.councils[b]; !cb.known || cb.Current {
				codes = append(codes, cb.Code)
			}
		}
		if len(codes) == 0 {
			continue
		}
		slices.Sort(codes)
		out = append(out, Migration{
			Component: ComponentRef{Slug: c.Slug, Name: c.Name},
			Lifecycle: c.Lifecycle,
			Councils:  codes,
		})
	}
	slices.SortFunc(out, func(x, y Migration) int {
		return cmp.Or(cmp.Compare(len(y.Councils), len(x.Councils)), cmp.Compare(x.Component.Slug, y.Component.Slug))
	})
	return out
}

// event is a date on which a council will want something for a capability.
type event struct {
	day     int32
	council int32
}

// Collaborations groups councils whose open needs, or contract ends after today on components
// they have in use, for the same capability fall within window of each other (window <= 0 means
// DefaultCollaborationWindow). Per capability the dates are swept in order: each group starts at
// the earliest date of a council not yet grouped and takes every other ungrouped council with a
// date within window of it, so groups never overlap. Groups of at least two current councils
// are returned, largest first, then by capability slug and start date.
//
// Councils merging in a planned reorganisation (SetReorganisations) also appear together, once per
// capability for which they run different components, whatever their dates: such a group names
// the reorganisation and gives the reason, and may overlap the groups above.
func (e *Engine) Collaborations(window time.Duration, today time.Time) []Collaboration {
	if window <= 0 {
		window = DefaultCollaborationWindow
	}
	span := int32((window + 24*time.Hour - 1) / (24 * time.Hour))

	e.mu.RLock()
	defer e.mu.RUnlock()
	from := dayOf(today)
	byCap := e.datedEvents(from)

	out := []Collaboration{}
	// grouped[c] == capability+1 once council c is in a group for that capability;
	// member[c] == attempt while c is in the group being formed.
	grouped := make([]int32, len(e.councils))
	member := make([]int32, len(e.councils))
	attempt := int32(0)
	for ci, events := range byCap {
		if len(events) < 2 {
			continue
		}
		capMark := int32(ci) + 1
		slices.SortFunc(events, func(x, y event) int {
			return cmp.Or(cmp.Compare(x.day, y.day), cmp.Compare(e.councils[x.council].Code, e.councils[y.council].Code))
		})
		for i, start := range events {
			if grouped[start.council] == capMark {
				continue
			}
			attempt++
			member[start.council] = attempt
			members := []int32{start.council}
			last := start.day
			for _, ev := range events[i+1:] {
				if ev.day > start.day+span {
					break
				}
				if grouped[ev.council] == capMark || member[ev.council] == attempt {
					continue
				}
				member[ev.council] = attempt
				members = append(members, ev.council)
				last = ev.day
			}
			if len(members) < 2 {
				continue
			}
			codes := make([]string, len(members))
			for k, m := range members {
				grouped[m] = capMark
				codes[k] = e.councils[m].Code
			}
			slices.Sort(codes)
			out = append(out, Collaboration{
				Capability: CapabilityRef{Slug: e.caps[ci].Slug, Name: e.caps[ci].Name},
				Councils:   codes,
				Window:     Window{From: formatDay(start.day), To: formatDay(last)},
			})
		}
	}
	out = append(out, e.reorganisationGroups(from)...)
	slices.SortFunc(out, func(x, y Collaboration) int {
		return cmp.Or(
			cmp.Compare(len(y.Councils), len(x.Councils)),
			cmp.Compare(x.Capability.Slug, y.Capability.Slug),
			cmp.Compare(x.Window.From, y.Window.From),
			cmp.Compare(reorganisationID(x), reorganisationID(y)),
		)
	})
	return out
}

// datedEvents are, per capability, the current councils' contract ends after
// from and open needs: the dates that could bring councils together.
func (e *Engine) datedEvents(from int32) [][]event {
	byCap := make([][]event, len(e.caps))
	current := func(ci int32) bool { c := &e.councils[ci]; return c.known && c.Current }
	for i := range e.adoptions {
		r := &e.adoptions[i]
		if r.council >= 0 && inUse(r.status) && r.contractEnd != noDay && r.contractEnd > from && current(r.council) {
			byCap[r.cap] = append(byCap[r.cap], event{day: r.contractEnd, council: r.council})
		}
	}
	for i := range e.needs {
		n := &e.needs[i]
		if n.council >= 0 && n.status == needOpen && n.neededBy != noDay && current(n.council) {
			byCap[n.cap] = append(byCap[n.cap], event{day: n.neededBy, council: n.council})
		}
	}
	return byCap
}
