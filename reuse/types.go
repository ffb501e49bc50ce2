package reuse

import (
	"errors"

	"github.com/council-components/registry/models"
)

// ErrUnknownCouncil is returned (wrapped with the code) when a query names a council the engine
// does not know.
var ErrUnknownCouncil = errors.New("unknown council")

// The engine is built from the plain facts the store reads (models.World*).
type (
	Council    = models.WorldCouncil
	Capability = models.WorldCapability
	Component  = models.WorldComponent
	Adoption   = models.WorldAdoption
	Need       = models.WorldNeed
)

// CouncilRef names a council in results.
type CouncilRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// CapabilityRef names a capability in results.
type CapabilityRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// ComponentRef names a component in results.
type ComponentRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Peer is a council similar to the one asked about.
type Peer struct {
	Council          CouncilRef `json:"council"`
	Similarity       float64    `json:"similarity"`        // 0..1
	SharedComponents []string   `json:"shared_components"` // in-use by both, rarest first
}

// Reason explains one part of an opportunity. Kind is one of the Reason* constants.
type Reason struct {
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
}

// Reason kinds, as named in the contract.
const (
	ReasonPeerAdoption      = "peer_adoption"
	ReasonGap               = "gap"
	ReasonContractEnding    = "contract_ending"
	ReasonComponentRetiring = "component_retiring"
	ReasonInHouse           = "in_house"
	ReasonNeed              = "need"
)

// Opportunity is a component a council could reuse for a capability, with why.
type Opportunity struct {
	Capability CapabilityRef `json:"capability"`
	Component  ComponentRef  `json:"component"`
	Score      float64       `json:"score"`
	Reasons    []Reason      `json:"reasons"`
	PeersUsing []string      `json:"peers_using"` // codes of close peers running it live, verified or on public evidence
}

// ConsolidationItem says how fragmented the live adoptions for one capability are.
type ConsolidationItem struct {
	Capability         CapabilityRef `json:"capability"`
	DistinctComponents int           `json:"distinct_components"` // components in live use for it
	Councils           int           `json:"councils"`            // councils with a live adoption for it
	Concentration      float64       `json:"concentration"`       // Herfindahl-Hirschman index, 0..1
	InHouseShare       float64       `json:"in_house_share"`      // share of live adoptions that are in-house builds
}

// Migration is a deprecated or retired component that councils still run.
type Migration struct {
	Component ComponentRef `json:"component"`
	Lifecycle string       `json:"lifecycle"`
	Councils  []string     `json:"councils"`
}

// Window is a date range, both ends inclusive, as YYYY-MM-DD.
type Window struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Collaboration is a group of councils that need the same capability at about the same time.
// A group formed because the councils are merging names the planned reorganisation and says why.
type Collaboration struct {
	Capability     CapabilityRef      `json:"capability"`
	Councils       []string           `json:"councils"`
	Window         Window             `json:"window"`
	Reorganisation *ReorganisationRef `json:"reorganisation,omitempty"`
	Reasons        []Reason           `json:"reasons,omitempty"`
}
