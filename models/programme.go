package models

import (
	"regexp"
	"time"
)

// ProgrammeKinds: a programme councils take part in (Open Digital Planning), or a
// commitment they sign (the Local Digital Declaration). Neither is software, so
// neither is a component: councils are members, not adopters.
var ProgrammeKinds = []string{"programme", "commitment"}

// Programme is a programme or commitment, with how many councils are members.
type Programme struct {
	Slug      string `json:"slug" example:"open-digital-planning"`
	Name      string `json:"name" example:"Open Digital Planning (ODP)"`
	Kind      string `json:"kind" enums:"programme,commitment" example:"programme"`
	Owner     string `json:"owner" example:"Ministry of Housing, Communities and Local Government (MHCLG) - digital planning programme"`
	Summary   string `json:"summary"`
	URL       string `json:"url" example:"https://opendigitalplanning.org/" format:"uri"`
	SourceURL string `json:"source_url" example:"https://github.com/digital-land/specification/blob/5e802e8eb6f80a76dbcf085b26c74f1fe7b33599/content/project/open-digital-planning.md" format:"uri"`
	// MemberCount counts councils with at least one current item of evidence.
	MemberCount int `json:"member_count" example:"217"`
}

// ProgrammeWithMembers is one programme and every member, current or not.
type ProgrammeWithMembers struct {
	Programme
	Members []ProgrammeMember `json:"members"`
}

// CouncilRef names a council by its GSS code.
type CouncilRef struct {
	Code string `json:"code" example:"E07000096"`
	Name string `json:"name" example:"Dacorum Borough Council"`
}

// ProgrammeMember is a council's membership of a programme: one council with
// every piece of evidence for it, newest first.
type ProgrammeMember struct {
	Council CouncilRef     `json:"council"`
	Items   []EvidenceItem `json:"items"`
}

// ProgrammeRef names a programme.
type ProgrammeRef struct {
	Slug string `json:"slug" example:"open-digital-planning"`
	Name string `json:"name" example:"Open Digital Planning (ODP)"`
	Kind string `json:"kind" enums:"programme,commitment" example:"programme"`
}

// Membership is one programme a council belongs to, with the evidence.
type Membership struct {
	Programme ProgrammeRef   `json:"programme"`
	Items     []EvidenceItem `json:"items"`
}

// ProjectLead is who leads a project: a council (Code set) or another body named as published.
type ProjectLead struct {
	Code *string `json:"code" example:"E07000096" extensions:"x-nullable"`
	Name string  `json:"name" example:"Dacorum Borough Council"`
}

// ProjectRef is what a collaboration item says about the real project behind it.
// Dates are as the source publishes them: YYYY, YYYY-MM or YYYY-MM-DD.
type ProjectRef struct {
	Slug      string       `json:"slug" example:"proptech-innovation-fund-round-2-award-41"`
	Name      string       `json:"name" example:"PropTech Innovation Fund Round 2 - award 41"`
	Lead      *ProjectLead `json:"lead" extensions:"x-nullable"`
	Funding   *string      `json:"funding" example:"GBP 121750" extensions:"x-nullable"` // null when the source states no amount
	SourceURL string       `json:"source_url" example:"https://github.com/digital-land/specification/blob/5e802e8eb6f80a76dbcf085b26c74f1fe7b33599/specification/award.csv" format:"uri"`
	StartedOn *string      `json:"started_on" example:"2022-03-01" extensions:"x-nullable"`
	EndedOn   *string      `json:"ended_on" extensions:"x-nullable"`
}

// Project is a real multi-council project (a funding award, a shared service),
// citing its source. Capability is what it is listed under among collaborations.
type Project struct {
	ProjectRef
	Councils   []string `json:"councils" example:"E07000096,E07000102"`
	Component  *string  `json:"component" example:"planx" extensions:"x-nullable"`
	Programme  *string  `json:"programme" example:"open-digital-planning" extensions:"x-nullable"`
	Capability *Ref     `json:"capability" extensions:"x-nullable"`
	Theme      string   `json:"theme" example:"engagement"`
	Quote      string   `json:"quote"`
	Notes      string   `json:"notes"`
}

// ProjectFilter narrows a project list. Empty fields do not filter.
type ProjectFilter struct {
	Council, Component, Programme string
}

// ValidDatePrefix reports whether s is a date as precise as its source:
// YYYY, YYYY-MM or YYYY-MM-DD.
func ValidDatePrefix(s string) bool {
	for _, layout := range []string{"2006", "2006-01", time.DateOnly} {
		if len(s) == len(layout) {
			_, err := time.Parse(layout, s)
			return err == nil
		}
	}
	return false
}

var fundingPattern = regexp.MustCompile(`\bGBP ([0-9]+(\.[0-9]{1,2})?)\b`)

// FundingFromQuote is the amount a quote states as "GBP n", or "" when it states none.
func FundingFromQuote(quote string) string {
	if m := fundingPattern.FindStringSubmatch(quote); m != nil {
		return "GBP " + m[1]
	}
	return ""
}
