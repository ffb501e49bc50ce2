package models

import (
	"fmt"
	"slices"
	"strings"
)

// InUseStatuses are the adoption statuses that mean the council runs the
// component. The store builds its SQL lists from this slice.
var InUseStatuses = []string{"piloting", "live", "retiring"}

// InUse reports whether a status means the council runs the component.
func InUse(status string) bool { return slices.Contains(InUseStatuses, status) }

// WasLiveStatuses are the adoption statuses the adoptions-over-time statistics
// count as live (from the start to the end of the adoption): live, and the two
// that follow it in the lifecycle, retiring and retired. The status alone does
// not record the path, so a retiring or retired adoption that was never live
// (exploring → retired, piloting → retiring or retired, a piloting one retired
// when its council's reorganisation vested) counts as well.
var WasLiveStatuses = []string{"live", "retiring", "retired"}

// CurrentAdoption reports whether an adoption is its council's current record
// of the component: not retired and not a rejected claim. A council has at
// most one current adoption of each component (the adoptions_current_pair
// index); a retired or rejected record stays as history beside it.
func CurrentAdoption(status string, rejected bool) bool {
	return status != "retired" && !rejected
}

// statusMoves lists where each adoption status may go next. Going back to
// exploring (or anywhere from retired) means starting a new record.
var statusMoves = map[string][]string{
	"exploring": {"piloting", "live", "retired"},
	"piloting":  {"live", "retiring", "retired"},
	"live":      {"retiring", "retired"},
	"retiring":  {"retired"},
	"retired":   {},
}

// CanMove reports whether an adoption may go from one status to another.
func CanMove(from, to string) bool {
	if from == to {
		return true
	}
	for _, s := range statusMoves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// statusRank orders statuses for merging: a component live at any predecessor
// is live at the successor. Statuses not listed rank with exploring.
var statusRank = map[string]int{"exploring": 0, "retiring": 1, "piloting": 2, "live": 3}

// StatusRank is a status's weight when adoptions merge; the higher wins.
func StatusRank(status string) int { return statusRank[status] }

// CheckUpdate refuses an update of a rejected claim, or a status move the
// lifecycle does not allow, from a (stored) to next.
func (a Adoption) CheckUpdate(next Adoption) error {
	if a.Verification == "rejected" {
		return Errorf(ECONFLICT, "adoption %d was rejected; record a new one instead", a.ID)
	}
	var p Problems
	if !CanMove(a.Status, next.Status) {
		p.Add("status", "cannot move from %s to %s; to start again, record a new adoption", a.Status, next.Status)
	}
	return p.Err()
}

// FinishDates gives a retired adoption with no end today's date (YYYY-MM-DD),
// then checks its dates.
func (a *Adoption) FinishDates(today string) error {
	if a.Status == "retired" && a.EndedOn == nil {
		a.EndedOn = &today
	}
	return a.CheckDates()
}

// CheckRejectionReason refuses a reason for rejecting a claim that is too long
// or holds control characters other than tabs and line breaks.
func CheckRejectionReason(reason *string) error {
	var p Problems
	checkProse(&p, "reason", reason, false, 2000)
	return p.Err()
}

// CanSettle reports whether settling a as action ("verified" or "rejected")
// changes it. A rejected claim stays rejected; a verified one can be verified
// again (a no-op) but not rejected.
func (a Adoption) CanSettle(action string) (bool, error) {
	if a.Verification == "rejected" {
		return false, Errorf(ECONFLICT, "adoption %d was already rejected", a.ID)
	}
	if a.Verified {
		if action == "verified" {
			return false, nil
		}
		return false, Errorf(ECONFLICT, "adoption %d is verified; to end it, set its status to retired", a.ID)
	}
	return true, nil
}

// CanConfirm refuses the council's reconfirmation of a rejected claim: it
// stays rejected, and the use is recorded again instead.
func (a Adoption) CanConfirm() error {
	if a.Verification == "rejected" {
		return Errorf(ECONFLICT, "adoption %d was rejected; record it again instead of confirming it", a.ID)
	}
	return nil
}

// A vendor may not file again a claim the council rejected until the council
// or an admin clears the rejection.

// RefilingChecked reports whether a new adoption from source is refused while
// a rejected claim of the same component by the same council stands: only a
// vendor's claim is.
func RefilingChecked(source string) bool { return source == "vendor" }

// BarsRefiling reports whether a stored adoption (its source, whether the
// council rejected it and whether that rejection was cleared) stops a vendor
// filing the same claim again.
func BarsRefiling(source string, rejected, cleared bool) bool {
	return source == "vendor" && rejected && !cleared
}

// CanClearRejection refuses to clear adoption id's rejection unless it was
// rejected and not yet cleared.
func CanClearRejection(id int64, rejected, cleared bool) error {
	if !rejected || cleared {
		return Errorf(ECONFLICT, "adoption %d has no rejection to clear", id)
	}
	return nil
}

// How adoptions carry over when a reorganisation vests. The store groups the
// predecessors' adoptions in use by successor and component; each group is
// srcs below, Council holding each one's council code. A vendor's claim the
// council had not verified vouches for nothing beside use that counts: where
// any of a group counts, only those decide what the successor's adoption
// says, and a group of claims alone carries as a claim.

// counts reports whether a counts (Counts, for an adoption).
func (a Adoption) counts() bool { return Counts(a.Source, a.Verified, a.Verification == "rejected") }

// deciding reports whether src decides a carried adoption among srcs: it
// counts, or none of them does.
func deciding(src Adoption, srcs []Adoption) bool {
	return src.counts() || !slices.ContainsFunc(srcs, Adoption.counts)
}

// BestAdoption is the index in srcs of the adoption whose status carries: the
// first with the highest rank among those deciding. Its capability, evidence
// and source carry with it.
func BestAdoption(srcs []Adoption) int {
	best := -1
	for i, a := range srcs {
		if deciding(a, srcs) && (best < 0 || StatusRank(a.Status) > StatusRank(srcs[best].Status)) {
			best = i
		}
	}
	return best
}

// LatestContractEnd is the latest contract end among the deciding srcs, or nil if none has one.
func LatestContractEnd(srcs []Adoption) *string {
	var out *string
	for _, a := range srcs {
		if deciding(a, srcs) && a.ContractEndOn != nil && (out == nil || *a.ContractEndOn > *out) {
			out = a.ContractEndOn
		}
	}
	return out
}

// MergeAdoptions is the successor's new adoption made from its predecessors'
// adoptions of one component: of those deciding, the best status, the earliest
// start, the latest contract end, verified if any was, and the capability,
// evidence and source of the best; and notes naming every one it came from.
// names maps council codes to names. Council is left for the caller to set.
func MergeAdoptions(srcs []Adoption, names map[string]string, vesting string) Adoption {
	best := srcs[BestAdoption(srcs)]
	out := Adoption{Component: best.Component, Capability: best.Capability, Status: best.Status,
		ContractEndOn: LatestContractEnd(srcs), EvidenceURL: best.EvidenceURL, Source: best.Source}
	from := make([]string, len(srcs))
	for i, a := range srcs {
		from[i] = fmt.Sprintf("%s (%s, adoption %d)", names[a.Council], a.Council, a.ID)
		if !deciding(a, srcs) {
			continue
		}
		out.Verified = out.Verified || a.Verified
		if a.StartedOn != nil && (out.StartedOn == nil || *a.StartedOn < *out.StartedOn) {
			out.StartedOn = a.StartedOn
		}
	}
	out.Notes = fmt.Sprintf("Carried over on %s, when the reorganisation vested, from %s.", vesting, joinAnd(from))
	if best.Notes != "" {
		out.Notes += "\n\n" + best.Notes
	}
	return out
}

// MergeFrom is a, an adoption the successor already has open, once srcs are
// carried into it: its status raised to the best deciding one where the
// lifecycle allows, and its contract end filled in if it had none. Claims
// alone change nothing in a record that counts.
func (a Adoption) MergeFrom(srcs []Adoption) Adoption {
	if a.counts() && !slices.ContainsFunc(srcs, Adoption.counts) {
		return a
	}
	best := srcs[BestAdoption(srcs)]
	if StatusRank(best.Status) > StatusRank(a.Status) && CanMove(a.Status, best.Status) {
		a.Status = best.Status
	}
	if a.ContractEndOn == nil {
		a.ContractEndOn = LatestContractEnd(srcs)
	}
	return a
}

// RetiredByVesting is a predecessor's adoption once carried over: retired,
// ending the day before vesting, or the day it started if that is later.
func (a Adoption) RetiredByVesting(vesting string) Adoption {
	end := DayBefore(vesting)
	if a.StartedOn != nil && *a.StartedOn > end {
		end = *a.StartedOn
	}
	a.Status, a.EndedOn = "retired", &end
	return a
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(ss []string) string {
	if len(ss) < 2 {
		return strings.Join(ss, "")
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
}
