package models

import "sort"

// HarvestRun is one source's file, read and matched, to apply as evidence.
// Observations of programme membership (Kind "membership") are not adoptions:
// the store records them as programme membership items.
type HarvestRun struct {
	Source     string // e.g. govuk-pay-performance
	File       string // the path or URL read
	SHA256     string // of the file's bytes
	ObservedOn string // YYYY-MM-DD: the source's own date
	// Components are those the source speaks for: an item of this source on one
	// of them that the file no longer lists stops being current.
	Components   []string
	Observations []HarvestObservation
	Matched      map[string][]string // name as published → council codes
	Skipped      []string            // names that are not principal councils
	Unmatched    []UnmatchedName
	DryRun       bool
}

// HarvestObservation is what the source says about one council and component.
type HarvestObservation struct {
	Council   string
	Component string
	Kind      string // adoption or membership
	Evidence  EvidenceItem
}

// UnmatchedName is a name a harvest could not place, with the closest councils.
type UnmatchedName struct {
	Name       string   `json:"name"`
	Reason     string   `json:"reason"`
	Candidates []string `json:"candidates"`
}

// HarvestReport is what a harvest did. A second run of the same file creates
// and updates nothing.
type HarvestReport struct {
	Source     string `json:"source"`
	File       string `json:"file"`
	ObservedOn string `json:"observed_on" format:"date"`
	DryRun     bool   `json:"dry_run"`
	Created    int    `json:"created"`   // adoptions the evidence created
	Updated    int    `json:"updated"`   // adoptions whose evidence gained, refreshed or lost an item
	Unchanged  int    `json:"unchanged"` // adoptions listed again as they were
	// NoLongerListed are adoptions whose evidence from this source the file no
	// longer lists: kept and flagged (current: false), never deleted.
	NoLongerListed int `json:"no_longer_listed"`
	Memberships    int `json:"memberships"` // programme memberships read (not adoptions)
	// MembershipsChanged are members whose items were added or refreshed;
	// MembershipsNoLongerListed members of the file's programmes it no longer lists.
	MembershipsChanged        int                 `json:"memberships_changed"`
	MembershipsNoLongerListed int                 `json:"memberships_no_longer_listed"`
	Matched                   map[string]string   `json:"matched"` // name → council code
	MatchedJoint              map[string][]string `json:"matched_joint"`
	Skipped                   []string            `json:"skipped"`
	Unmatched                 []UnmatchedName     `json:"unmatched"`
}

// NewHarvestReport starts a run's report: a name matched to one council goes
// in Matched, a joint name ("Adur & Worthing Councils") in MatchedJoint.
func NewHarvestReport(run HarvestRun) HarvestReport {
	r := HarvestReport{Source: run.Source, File: run.File, ObservedOn: run.ObservedOn, DryRun: run.DryRun,
		Matched: map[string]string{}, MatchedJoint: map[string][]string{},
		Skipped: append([]string{}, run.Skipped...), Unmatched: append([]UnmatchedName{}, run.Unmatched...)}
	for name, codes := range run.Matched {
		switch len(codes) {
		case 0:
		case 1:
			r.Matched[name] = codes[0]
		default:
			r.MatchedJoint[name] = codes
		}
	}
	sort.Strings(r.Skipped)
	for i := range r.Unmatched {
		if r.Unmatched[i].Candidates == nil {
			r.Unmatched[i].Candidates = []string{}
		}
	}
	return r
}

// HarvestTooOld refuses a file older than the newest one applied from its
// source: an older file never overrides newer evidence.
func HarvestTooOld(source, file, observedOn, newest string) error {
	if newest == "" || observedOn >= newest {
		return nil
	}
	return Errorf(ECONFLICT, "%s is dated %s, older than the newest %s file applied (%s): an older file never overrides newer evidence",
		file, observedOn, source, newest)
}
