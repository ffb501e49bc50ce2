// Package synth makes the synthetic world: made-up councils, vendors,
// components over a given capability taxonomy, adoptions and needs, decided
// entirely by the counts and a seed. `registry synth` writes it to the database
// (store.Synth) and the reuse engine's benchmarks build their engine from it,
// so both measure the same world.
//
// Every date is a day from Options.Today. Both callers pass Epoch, 1 November
// 2026 (the date `registry synth` has always anchored its worlds to), so a seed
// always gives the same bytes, and the benchmarks ask for opportunities and
// collaborations on the day the world's contract ends and needs are spread around.
package synth

import (
	"fmt"
	"time"

	"github.com/council-components/registry/models"
)

// Epoch is the "today" of every synthetic world the registry makes.
var Epoch = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Options sizes a world. The same options always make the same world.
type Options struct {
	Councils, Components, Adoptions int
	Seed                            uint64
	// Capabilities is the taxonomy components are built on (the real one from the seed data).
	Capabilities []models.Capability
	// Today is the day dates are spread around: Epoch, unless a test wants another.
	Today time.Time
}

// Validate refuses sizes no world can have: adoptions use each council and
// component pair once, and at most half of the pairs, so drawing them never stalls.
func (o Options) Validate() error {
	var p models.Problems
	if o.Councils < 1 {
		p.Add("councils", "must be at least 1")
	}
	if o.Components < 1 {
		p.Add("components", "must be at least 1")
	}
	if o.Adoptions < 0 {
		p.Add("adoptions", "must not be negative")
	}
	if len(o.Capabilities) == 0 {
		p.Add("capabilities", "a taxonomy is needed")
	}
	if o.Councils > 0 && o.Components > 0 && o.Adoptions > o.Councils*o.Components/2 {
		p.Add("adoptions", "at most half of councils × components (%d), so each pair is used once", o.Councils*o.Components/2)
	}
	return p.Err()
}

// VendorCount is how many vendors a world with this many components has.
func VendorCount(components int) int { return max(10, components/25) }

// NeedCount is how many needs a world with this many councils has.
func NeedCount(councils int) int { return councils / 2 }

// CouncilCode is the i-th council's code: "X" and eight digits, which no GSS code is.
func CouncilCode(i int) string { return fmt.Sprintf("X%08d", i) }

// ComponentSlug is the i-th component's slug.
func ComponentSlug(i int) string { return fmt.Sprintf("synth-component-%06d", i) }

// VendorSlug is the i-th vendor's slug.
func VendorSlug(i int) string { return fmt.Sprintf("synth-vendor-%05d", i) }

// World is a whole synthetic world as plain data. Adoptions and needs name
// councils, components and capabilities by their index in these slices.
type World struct {
	Today        time.Time
	Capabilities []models.Capability
	Councils     []Council
	Vendors      []Vendor
	Components   []Component
	Adoptions    []Adoption
	Needs        []Need
}

// Day is a date as days from World.Today, so millions of adoptions stay small.
type Day int16

// Date is the day d of the world.
func (w *World) Date(d Day) time.Time { return w.Today.AddDate(0, 0, int(d)) }

// Council is a made-up council.
type Council struct {
	Code, AuthorityCode, Name, ShortName string
	Type, TypeName, Region, Nation       string
	Powers                               string // "unitary", "county", "district" or "" (combined authorities)
	Current, DeliversServices            bool
	LowerOrUnitary                       bool
	Population                           int       // 0 = unknown
	EndDate                              time.Time // when a former council ended; zero while current
}

// Vendor is a made-up supplier; kind "in-house" is a council's own team.
type Vendor struct {
	Slug, Name, Kind, Website, Description string
}

// Component is a made-up product.
type Component struct {
	Slug, Name, Summary, Description string
	Vendor                           int  // index into World.Vendors
	InHouse                          bool // its vendor is a council's own team
	Lifecycle, Hosting, Pricing      string
	URL                              string
	Licence, RepositoryURL           *string // open source components only
	Capabilities                     []int   // indexes into World.Capabilities, the primary one first
	Standards                        []string
}

// Adoption is a council's use of a component for one of its capabilities.
type Adoption struct {
	Council, Component, Capability int32 // indexes into World's slices
	Status                         string
	Verified                       bool
	Started, Ended, ContractEnd    Day
	HasEnded, HasContract          bool // whether Ended and ContractEnd are set
}

// Need is a council's stated need for a capability by a date.
type Need struct {
	Council, Capability int32 // indexes into World's slices
	NeededBy            Day
	Status              string
}
