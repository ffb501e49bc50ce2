package models

import (
	"encoding/json"
	"time"
)

// Adoption statuses in lifecycle order, and where adoptions come from.
var (
	AdoptionStatuses = []string{"exploring", "piloting", "live", "retiring", "retired"}
	AdoptionSources  = []string{"council", "vendor", "admin", "evidence", "demo", "synthetic"}
	Verifications    = []string{"pending", "verified", "rejected"}
	NeedStatuses     = []string{"open", "met", "withdrawn"}
)

// Adoption records that a council uses (or is trying) a component for a capability.
type Adoption struct {
	ID              int64   `json:"id" example:"42"`
	Council         string  `json:"council" example:"E09000022"`
	Component       string  `json:"component" example:"localgov-drupal"`
	Capability      string  `json:"capability" example:"website-content-management"`
	Status          string  `json:"status" example:"live"`
	StartedOn       *string `json:"started_on" example:"2021-05-10" extensions:"x-nullable" format:"date"`
	EndedOn         *string `json:"ended_on" extensions:"x-nullable" format:"date"`
	ContractEndOn   *string `json:"contract_end_on" extensions:"x-nullable" format:"date"`
	Notes           string  `json:"notes"`
	EvidenceURL     *string `json:"evidence_url" extensions:"x-nullable" format:"uri" example:"https://github.com/alphagov/pay-product-page/blob/a9c97e9/data/performance.json"` // the first evidence item's URL
	Source          string  `json:"source" example:"council"`
	Verified        bool    `json:"verified" example:"true"`
	Verification    string  `json:"verification" example:"verified"` // pending, verified or rejected
	RejectionReason string  `json:"rejection_reason,omitempty"`
	// PublicContact is how the public may reach the council about this
	// adoption, an email address or an https URL of a contact page; only the
	// council (or an admin) sets it. Null when the council has published none.
	PublicContact *string `json:"public_contact" extensions:"x-nullable" maxLength:"500" example:"digital@example.gov.uk"`
	// The contract's value in whole pounds, its supplier when not the component's vendor (a
	// vendor slug, such as a reseller's) and the council's reference for it: optional, as
	// published under the Local Government Transparency Code (models/contract.go).
	ContractValueGBP  *int64  `json:"contract_value_gbp" extensions:"x-nullable" example:"120000"`
	ContractSupplier  *string `json:"contract_supplier" extensions:"x-nullable" example:"acme-resellers"`
	ContractReference *string `json:"contract_reference" extensions:"x-nullable" example:"CT-2024-017"`
	// VerifiedOn is when the council (or an admin) last verified the adoption.
	VerifiedOn *string `json:"-" swaggerignore:"true"`
	// Evidence is what public sources say, oldest first; ConfirmedOn the newest of the
	// council's verification and the current evidence's dates; Fresh whether that is
	// within the registry's freshness window (--fresh-months, default 24).
	Evidence    []EvidenceItem `json:"evidence"`
	ConfirmedOn *string        `json:"confirmed_on" example:"2026-08-03" extensions:"x-nullable" format:"date"`
	Fresh       bool           `json:"fresh" example:"true"`
	CreatedAt   time.Time      `json:"created_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	UpdatedAt   time.Time      `json:"updated_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	Version     int            `json:"-"`
}

// AdoptionInput is the body of an adoption create or update. The fields a
// caller may never set (id, timestamps) are here only so they can be refused
// by name; source and verified are for admins alone.
type AdoptionInput struct {
	Council       *string    `json:"council,omitempty" extensions:"x-nullable"`
	Component     *string    `json:"component,omitempty" extensions:"x-nullable"`
	Capability    *string    `json:"capability,omitempty" extensions:"x-nullable"`
	Status        *string    `json:"status,omitempty" extensions:"x-nullable"`
	StartedOn     NullString `json:"started_on,omitempty" swaggertype:"string" extensions:"x-nullable"`
	EndedOn       NullString `json:"ended_on,omitempty" swaggertype:"string" extensions:"x-nullable"`
	ContractEndOn NullString `json:"contract_end_on,omitempty" swaggertype:"string" extensions:"x-nullable"`
	Notes         *string    `json:"notes,omitempty" extensions:"x-nullable"`
	EvidenceURL   NullString `json:"evidence_url,omitempty" swaggertype:"string" extensions:"x-nullable"`
	Source        *string    `json:"source,omitempty" extensions:"x-nullable"`
	Verified      *bool      `json:"verified,omitempty" extensions:"x-nullable"`
	PublicContact NullString `json:"public_contact,omitempty" swaggertype:"string" extensions:"x-nullable" maxLength:"500"` // an email address or an https URL; the council's key or an admin only
	// The contract's value in whole pounds (0 to 1,000,000,000,000), its supplier (a vendor slug)
	// and the council's reference for it (at most 200 characters); null removes one.
	ContractValueGBP  NullInt64       `json:"contract_value_gbp,omitempty" swaggertype:"integer" extensions:"x-nullable"`
	ContractSupplier  NullString      `json:"contract_supplier,omitempty" swaggertype:"string" extensions:"x-nullable"`
	ContractReference NullString      `json:"contract_reference,omitempty" swaggertype:"string" extensions:"x-nullable" maxLength:"200"`
	ID                json.RawMessage `json:"id,omitempty" swaggerignore:"true"`
	CreatedAt         json.RawMessage `json:"created_at,omitempty" swaggerignore:"true"`
	UpdatedAt         json.RawMessage `json:"updated_at,omitempty" swaggerignore:"true"`
}

// Validate checks the input's shape for create or update; the store checks
// references, ownership and the status move against the stored record.
func (in AdoptionInput) Validate(create bool) error {
	var p Problems
	for field, raw := range map[string]json.RawMessage{"id": in.ID, "created_at": in.CreatedAt, "updated_at": in.UpdatedAt} {
		if raw != nil {
			p.Add(field, "is set by the registry and cannot be sent")
		}
	}
	if create {
		checkText(&p, "council", in.Council, true, 20)
		checkSlug(&p, "component", in.Component, true)
	} else {
		refuseKey(&p, "council", in.Council, "record a new adoption")
		refuseKey(&p, "component", in.Component, "record a new adoption")
	}
	checkSlug(&p, "capability", in.Capability, false)
	checkEnum(&p, "status", in.Status, create, AdoptionStatuses)
	for field, v := range map[string]NullString{"started_on": in.StartedOn, "ended_on": in.EndedOn, "contract_end_on": in.ContractEndOn} {
		if v.Set && v.Value != nil {
			checkDate(&p, field, v.Value)
		}
	}
	checkProse(&p, "notes", in.Notes, false, 5000)
	checkNullURL(&p, "evidence_url", in.EvidenceURL)
	checkEnum(&p, "source", in.Source, false, AdoptionSources)
	checkPublicContact(&p, in.PublicContact)
	checkContract(&p, in.ContractValueGBP, in.ContractSupplier, in.ContractReference)
	return p.Err()
}

// Apply copies the sent fields onto a.
func (in AdoptionInput) Apply(a *Adoption) {
	set(&a.Council, in.Council)
	set(&a.Component, in.Component)
	set(&a.Capability, in.Capability)
	set(&a.Status, in.Status)
	setNull(&a.StartedOn, in.StartedOn)
	setNull(&a.EndedOn, in.EndedOn)
	setNull(&a.ContractEndOn, in.ContractEndOn)
	set(&a.Notes, in.Notes)
	setNull(&a.EvidenceURL, in.EvidenceURL)
	setNull(&a.PublicContact, in.PublicContact)
	if in.ContractValueGBP.Set {
		a.ContractValueGBP = in.ContractValueGBP.Value
	}
	setNull(&a.ContractSupplier, in.ContractSupplier)
	setNull(&a.ContractReference, in.ContractReference)
}

// CheckDates reports dates that contradict each other or the status.
func (a Adoption) CheckDates() error {
	var p Problems
	if a.StartedOn != nil && a.EndedOn != nil && *a.EndedOn < *a.StartedOn {
		p.Add("ended_on", "is before started_on (%s)", *a.StartedOn)
	}
	if a.EndedOn != nil && a.Status != "retiring" && a.Status != "retired" {
		p.Add("ended_on", "is only for retiring or retired adoptions; this one is %s", a.Status)
	}
	if a.ContractEndOn != nil && a.StartedOn != nil && *a.ContractEndOn < *a.StartedOn {
		p.Add("contract_end_on", "is before started_on (%s)", *a.StartedOn)
	}
	return p.Err()
}

// AdoptionFilter narrows an adoption list. Rejected claims are left out
// unless Verification asks for them.
type AdoptionFilter struct {
	Council, Component, Capability, Status, Verification string
	Verified                                             *bool
	// Fresh, when set, keeps adoptions confirmed within the freshness window (true) or not (false).
	Fresh *bool
}

// AdoptionEvent is one entry in an adoption's history.
type AdoptionEvent struct {
	At      time.Time         `json:"at" format:"date-time"`
	Actor   EventActor        `json:"actor"`
	Action  string            `json:"action" example:"updated"` // created, updated, verified, rejected, seeded
	Changes map[string]Change `json:"changes"`
}

// Change is one field's move in an adoption event.
type Change struct {
	From any `json:"from" extensions:"x-nullable"`
	To   any `json:"to" extensions:"x-nullable"`
}

// Actor is who makes a change: an API key's visible prefix, role and owner.
type Actor struct {
	Key  string `json:"key" example:"ccr_k3j9x2ab"`
	Role string `json:"role" example:"council"`
	Org  string `json:"org,omitempty" example:"E09000022"`
	// Former is set when the actor is the key of an abolished council (see FormerCouncil).
	Former *FormerCouncil `json:"-" swaggerignore:"true"`
}

// ActorOf is the actor behind an API key.
func ActorOf(k APIKey) Actor { return Actor{Key: k.Prefix, Role: k.Role, Org: k.Org, Former: k.Former} }

// Need records that a council needs a capability by a date.
type Need struct {
	ID         int64     `json:"id" example:"7"`
	Council    string    `json:"council" example:"E09000022"`
	Capability string    `json:"capability" example:"appointment-booking"`
	NeededBy   string    `json:"needed_by" example:"2027-04-01" format:"date"`
	Status     string    `json:"status" example:"open"`
	Notes      string    `json:"notes"`
	Source     string    `json:"source" example:"council"`
	CreatedAt  time.Time `json:"created_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	UpdatedAt  time.Time `json:"updated_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	Version    int       `json:"-"`
}

// NeedInput is the body of a need create or update.
type NeedInput struct {
	Council    *string `json:"council,omitempty" extensions:"x-nullable"`
	Capability *string `json:"capability,omitempty" extensions:"x-nullable"`
	NeededBy   *string `json:"needed_by,omitempty" extensions:"x-nullable" format:"date"`
	Status     *string `json:"status,omitempty" extensions:"x-nullable"`
	Notes      *string `json:"notes,omitempty" extensions:"x-nullable"`
}

// Validate checks the input's shape for create or update.
func (in NeedInput) Validate(create bool) error {
	var p Problems
	if create {
		checkText(&p, "council", in.Council, true, 20)
		checkSlug(&p, "capability", in.Capability, true)
		checkText(&p, "needed_by", in.NeededBy, true, 10)
	} else {
		refuseKey(&p, "council", in.Council, "state a new need")
		refuseKey(&p, "capability", in.Capability, "state a new need")
	}
	checkDate(&p, "needed_by", in.NeededBy)
	checkEnum(&p, "status", in.Status, false, NeedStatuses)
	checkProse(&p, "notes", in.Notes, false, 5000)
	return p.Err()
}

// Apply copies the sent fields onto n; a new need is open.
func (in NeedInput) Apply(n *Need) {
	set(&n.Council, in.Council)
	set(&n.Capability, in.Capability)
	set(&n.NeededBy, in.NeededBy)
	set(&n.Status, in.Status)
	set(&n.Notes, in.Notes)
	if n.Status == "" {
		n.Status = "open"
	}
}

// NeedFilter narrows a need list; NeededFrom and NeededTo bound needed_by (inclusive).
type NeedFilter struct {
	Council, Capability, Status, NeededFrom, NeededTo string
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
