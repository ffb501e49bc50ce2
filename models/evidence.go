package models

import "time"

// EvidenceItem is one piece of public evidence that a council uses a
// component: where it was seen, what it says and the source's own date.
// Current is false once a later harvest of the same source no longer lists it.
type EvidenceItem struct {
	Source     string `json:"source" example:"govuk-pay-performance"`
	URL        string `json:"url" example:"https://github.com/alphagov/pay-product-page/blob/a9c97e9/data/performance.json" format:"uri"`
	Quote      string `json:"quote" example:"GOV.UK Pay lists 2 live services for Cornwall Council"`
	ObservedOn string `json:"observed_on" example:"2026-08-03" format:"date"`
	Current    bool   `json:"current" example:"true"`
	// Status is what the item shows: live, piloting or exploring.
	Status string `json:"-"`
}

// DefaultFreshMonths is how long a confirmation stays fresh unless
// --fresh-months says otherwise.
const DefaultFreshMonths = 24

// evidenceRank orders the statuses evidence can support, weakest first.
var evidenceRank = map[string]int{"exploring": 1, "piloting": 2, "live": 3}

// EvidenceStatus is the strongest status the current items support, and
// false when no item is current (the adoption keeps its status, flagged).
func EvidenceStatus(items []EvidenceItem) (string, bool) {
	best := ""
	for _, it := range items {
		if it.Current && evidenceRank[it.Status] > evidenceRank[best] {
			best = it.Status
		}
	}
	return best, best != ""
}

// SettledStatus is the status an adoption takes from its evidence: a record
// resting on evidence alone (source "evidence") that is not winding down
// (retiring or retired) takes the strongest status its current items support;
// a council's or vendor's own record, or one with no current item, keeps status.
func SettledStatus(source, status string, items []EvidenceItem) string {
	if best, ok := EvidenceStatus(items); ok && source == "evidence" && status != "retiring" && status != "retired" {
		return best
	}
	return status
}

// ConfirmedOn is the newest of the council's own verification and the
// current evidence's dates, or nil when there is neither.
func ConfirmedOn(verifiedOn *string, items []EvidenceItem) *string {
	var newest string
	if verifiedOn != nil {
		newest = *verifiedOn
	}
	for _, it := range items {
		if it.Current && it.ObservedOn > newest {
			newest = it.ObservedOn
		}
	}
	if newest == "" {
		return nil
	}
	return &newest
}

// FreshSince is the oldest confirmation date that is still fresh on today.
func FreshSince(today time.Time, months int) string {
	return today.AddDate(0, -months, 0).Format(time.DateOnly)
}

// IsFresh reports whether an adoption confirmed on confirmedOn is still fresh.
func IsFresh(confirmedOn *string, today time.Time, months int) bool {
	return confirmedOn != nil && *confirmedOn >= FreshSince(today, months)
}

// Counts reports whether an adoption counts in adoption_count, coverage,
// statistics and the reuse engine: a vendor's claim that the council has not
// verified, and a rejected claim, never do (they are claimed_count).
func Counts(source string, verified, rejected bool) bool {
	return !rejected && (verified || source != "vendor")
}

// Pending reports whether an adoption is a vendor's claim awaiting the council.
func Pending(source string, verified, rejected bool) bool {
	return !rejected && !verified && source == "vendor"
}

// VerificationOf names where an adoption stands with its council: rejected,
// verified, or pending, which is any adoption the council has not verified (a
// wider set than Pending, which is a vendor's claim only). The list filter of
// the same name finds the same adoptions.
func VerificationOf(verified, rejected bool) string {
	switch {
	case rejected:
		return "rejected"
	case verified:
		return "verified"
	}
	return "pending"
}

// Strength is how much the registry knows about an adoption, which the reuse
// engine weighs: verified by the council > fresh evidence > stale evidence.
type Strength uint8

// Strengths. StrengthRecorded is a record with neither a council's
// verification nor evidence (an admin's unverified entry); it vouches for
// nothing. StrengthIllustrative is demo data, which plays verified use so the
// demo world shows what a real one would.
const (
	StrengthRecorded Strength = iota
	StrengthStaleEvidence
	StrengthFreshEvidence
	StrengthVerified
	StrengthIllustrative
)

// StrengthOf grades an adoption by who vouches for it: the council's
// verification first, then evidence, fresh when confirmed within months.
func StrengthOf(source string, verified bool, confirmedOn *string, hasEvidence bool, today time.Time, months int) Strength {
	switch {
	case source == "demo":
		return StrengthIllustrative
	case verified:
		return StrengthVerified
	case hasEvidence && IsFresh(confirmedOn, today, months):
		return StrengthFreshEvidence
	case hasEvidence:
		return StrengthStaleEvidence
	}
	return StrengthRecorded
}

// EvidenceSourceNames are the sources' names for people, by source id.
var EvidenceSourceNames = map[string]string{
	"govuk-pay-performance":             "GOV.UK Pay performance data",
	"govuk-notify-domains":              "GOV.UK Notify organisation list (2019)",
	"fixmystreet-cobrand":               "FixMyStreet council cobrands",
	"planx-config":                      "PlanX production configuration",
	"bops-config":                       "BOPS production configuration",
	"digital-land-project-organisation": "planning.data.gov.uk project membership",
	"digital-land-award":                "planning.data.gov.uk funding awards",
	"localgov-drupal-docs":              "LocalGov Drupal documentation",
	"open-referral-uk":                  "Open Referral UK case studies",
	"web-page":                          "published web pages",
}

// EvidenceSourceSummary is what the registry holds from one evidence source.
type EvidenceSourceSummary struct {
	Source       string `json:"source"`
	Name         string `json:"name"`
	Items        int    `json:"items"`
	CurrentItems int    `json:"current_items"`
	Adoptions    int    `json:"adoptions"`
	Newest       string `json:"newest"`
}
