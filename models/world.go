package models

import "time"

// The reuse world: the plain facts the reuse engine is built from, as the
// store reads them. They live here, not in the reuse package, so that the
// store can hand them over without depending on the engine.

// WorldCouncil is what the reuse engine knows about a council.
type WorldCouncil struct {
	Code       string // GSS code, unique
	Name       string
	Type       string // e.g. "london-borough", "county", "unitary"
	Region     string // e.g. "London", "North West", "Scotland"
	Nation     string
	Population int  // 0 = unknown
	Current    bool // false for former councils: never a peer, never given opportunities
	// DeliversServices is false for combined authorities and the GLA, which are not councils in
	// the usual sense and so are never offered as peers.
	DeliversServices bool
}

// WorldCapability is one thing a council needs done (payments, booking, ...).
type WorldCapability struct{ Slug, Name string }

// WorldComponent is a product or build that provides capabilities.
type WorldComponent struct {
	Slug, Name   string
	Lifecycle    string   // alpha, beta, live, deprecated, retired
	InHouse      bool     // a council's own build (vendor kind "in-house")
	Capabilities []string // slugs it provides
	Vendor       string   // the vendor's slug
	VendorName   string
	DependsOn    []string // slugs of the components it depends on
}

// WorldAdoption records that a council uses (or tries) a component for a capability.
type WorldAdoption struct {
	ID            int64
	Council       string // code
	Component     string // slug
	Capability    string // slug
	Status        string // exploring, piloting, live, retiring, retired
	Verified      bool
	ContractEndOn time.Time // zero = none
	// ContractSupplier is the vendor (slug) the contract is with when not the component's own; "" = the component's.
	ContractSupplier string
	// Strength is who vouches for it (StrengthRecorded with Verified set counts
	// as verified, so plain worlds need not say); Evidence, for evidenced ones,
	// is the newest current item as a reason would quote it.
	Strength Strength
	Evidence string
}

// WorldNeed is a council's stated need for a capability by a date.
type WorldNeed struct {
	ID         int64
	Council    string
	Capability string
	NeededBy   time.Time
	Status     string // open, met, withdrawn
}

// WorldReorganisation is a reorganisation admins have registered that has not vested yet.
type WorldReorganisation struct {
	ID          int64
	Successor   string   // the successor's name
	Councils    []string // the merging councils: the predecessors, and the successor if it exists already
	VestingDate time.Time
}

// MergingUse is one adoption of a council in a reorganisation, as input to harmonisation.
type MergingUse struct {
	Council, Component, Capability, Status string
	ContractEndOn                          time.Time // zero = none
}

// World is everything the reuse engine is built from. Rejected adoptions are
// not in it.
type World struct {
	Councils     []WorldCouncil
	Capabilities []WorldCapability
	Components   []WorldComponent
	Adoptions    []WorldAdoption
	Needs        []WorldNeed
	Planned      []WorldReorganisation
}

// WorldChanges is what changed in the world between two database versions.
// Rebuild means a change (a reseed, reference data, a reorganisation) is too
// broad to apply piecemeal: load the world again instead.
type WorldChanges struct {
	Rebuild          bool
	Capabilities     []WorldCapability
	Components       []WorldComponent // in the order they changed; a deleted one comes back retired
	Adoptions        []WorldAdoption
	DeletedAdoptions []int64 // gone, or rejected
	Needs            []WorldNeed
	DeletedNeeds     []int64
}
