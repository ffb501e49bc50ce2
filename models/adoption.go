package models

import "time"

// Adoption statuses in lifecycle order, and where adoptions come from.
var (
	AdoptionStatuses = []string{"exploring", "piloting", "live", "retiring", "retired"}
	AdoptionSources  = []string{"council", "vendor", "admin", "evidence", "demo", "synthetic"}
	NeedStatuses     = []string{"open", "met", "withdrawn"}
)

// Adoption records that a council uses (or is trying) a component for a capability.
type Adoption struct {
	ID            int64     `json:"id" example:"42"`
	Council       string    `json:"council" example:"E09000022"`
	Component     string    `json:"component" example:"localgov-drupal"`
	Capability    string    `json:"capability" example:"website-content-management"`
	Status        string    `json:"status" example:"live"`
	StartedOn     *string   `json:"started_on" example:"2021-05-10"`
	EndedOn       *string   `json:"ended_on"`
	ContractEndOn *string   `json:"contract_end_on"`
	Notes         string    `json:"notes"`
	EvidenceURL   *string   `json:"evidence_url"`
	Source        string    `json:"source" example:"council"`
	Verified      bool      `json:"verified"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	Version       int       `json:"-"`
}

// AdoptionFilter narrows an adoption list.
type AdoptionFilter struct {
	Council, Component, Capability, Status string
	Verified                               *bool
}

// Need records that a council needs a capability by a date.
type Need struct {
	ID         int64     `json:"id" example:"7"`
	Council    string    `json:"council" example:"E09000022"`
	Capability string    `json:"capability" example:"online-booking"`
	NeededBy   string    `json:"needed_by" example:"2027-04-01"`
	Status     string    `json:"status" example:"open"`
	Notes      string    `json:"notes"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int       `json:"-"`
}

// Page asks for one page of a list: at most Limit items after the opaque Cursor.
type Page struct {
	Limit  int
	Cursor string
}

// Page size bounds shared by every list.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// List is one page of items, the total matching the filter, and the cursor of
// the next page ("" on the last page).
type List[T any] struct {
	Items []T
	Total int
	Next  string
}
