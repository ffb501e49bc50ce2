package reuse

import (
	"github.com/council-components/registry/models"

	"fmt"
	"slices"
)

// PlannedReorganisation is a reorganisation admins have registered that has not vested yet.
type PlannedReorganisation = models.WorldReorganisation

// ReorganisationRef names the planned reorganisation behind a collaboration.
type ReorganisationRef struct {
	ID          int64  `json:"id" example:"4"`
	Successor   string `json:"successor" example:"North Example Council"`
	VestingDate string `json:"vesting_date" example:"2027-04-01" format:"date"`
}

// SetReorganisations replaces the planned reorganisations that Collaborations shows. Vested
// ones need no call: their predecessors are former councils and their adoptions the
// successor's, so peers and opportunities already treat them as one council.
func (e *Engine) SetReorganisations(rs []PlannedReorganisation) {
	cp := make([]PlannedReorganisation, len(rs))
	for i, r := range rs {
		cp[i] = r
		cp[i].Councils = slices.Clone(r.Councils)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.planned = cp
}

// reorganisationGroups returns, for each planned reorganisation and each capability for which its
// current councils have more than one component in use between them, the councils with any in
// use. The window runs from the earliest to the latest of vesting day and their contract ends
// for it after today (from): the span over which they must settle on one.
func (e *Engine) reorganisationGroups(from int32) []Collaboration {
	var out []Collaboration
	for _, r := range e.planned {
		type capUse struct {
			comps    []int32
			councils []string
			days     []int32
		}
		byCap := map[int32]*capUse{}
		var names []string
		for _, code := range r.Councils {
			ci, ok := e.councilIdx[code]
			if !ok || !e.councils[ci].known || !e.councils[ci].Current {
				continue
			}
			names = append(names, e.councils[ci].Name)
			for _, s := range e.councils[ci].adoptions {
				a := &e.adoptions[s]
				if !inUse(a.status) {
					continue
				}
				u := byCap[a.cap]
				if u == nil {
					u = &capUse{}
					byCap[a.cap] = u
				}
				if !slices.Contains(u.comps, a.comp) {
					u.comps = append(u.comps, a.comp)
				}
				if !slices.Contains(u.councils, code) {
					u.councils = append(u.councils, code)
				}
				if a.contractEnd != noDay && a.contractEnd > from {
					u.days = append(u.days, a.contractEnd)
				}
			}
		}
		vesting := dayOf(r.VestingDate)
		for capIdx, u := range byCap {
			if len(u.comps) < 2 || len(u.councils) < 2 {
				continue
			}
			slices.Sort(u.councils)
			lo, hi := vesting, vesting
			for _, d := range u.days {
				lo, hi = min(lo, d), max(hi, d)
			}
			capName := e.caps[capIdx].Name
			out = append(out, Collaboration{
				Capability: CapabilityRef{Slug: e.caps[capIdx].Slug, Name: capName},
				Councils:   u.councils,
				Window:     Window{From: formatDay(lo), To: formatDay(hi)},
				Reorganisation: &ReorganisationRef{ID: r.ID, Successor: r.Successor,
					VestingDate: formatDay(vesting)},
				Reasons: []Reason{{Kind: ReasonReorganisation, Detail: fmt.Sprintf(
					"%s merge into %s on %s (planned reorganisation %d) and run %d different components for %s",
					joinNames(names), r.Successor, formatDay(vesting), r.ID, len(u.comps), capName)}},
			})
		}
	}
	return out
}

// reorganisationID orders a collaboration group: ordinary groups (0) before those of reorganisations.
func reorganisationID(c Collaboration) int64 {
	if c.Reorganisation == nil {
		return 0
	}
	return c.Reorganisation.ID
}
