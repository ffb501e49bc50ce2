package models

import (
	"regexp"
	"sort"
	"time"
)

// Enumerations, kept in one place so validation, docs and filters agree.
var (
	Lifecycles    = []string{"alpha", "beta", "live", "deprecated", "retired"}
	HostingKinds  = []string{"saas", "self-hosted", "hybrid", "unknown"}
	PricingModels = []string{"free", "usage-based", "subscription", "licence-fee", "unknown"}
	VendorKinds   = []string{"public-sector", "commercial", "community", "non-profit", "in-house"}
)

// Council is a UK local authority, identified by its ONS GSS code.
type Council struct {
	Code              string   `json:"code" example:"E09000022"`
	Name              string   `json:"name" example:"London Borough of Lambeth"`
	ShortName         string   `json:"short_name" example:"Lambeth"`
	Type              string   `json:"type" example:"london-borough"`
	TypeName          string   `json:"type_name" example:"London borough"`
	Region            string   `json:"region" example:"London"`
	Nation            string   `json:"nation" example:"England"`
	AuthorityCode     string   `json:"local_authority_code" example:"LBH"`
	LowerOrUnitary    bool     `json:"lower_or_unitary" example:"true"`
	DeliversServices  bool     `json:"delivers_services" example:"true"` // lower tier, unitary or county: not combined authorities or the GLA
	Powers            string   `json:"powers,omitempty" example:"unitary"`
	County            *string  `json:"county" example:"E10000002" extensions:"x-nullable"`
	CombinedAuthority *string  `json:"combined_authority" extensions:"x-nullable"`
	Population        *int     `json:"population" example:"321813" extensions:"x-nullable"`
	Latitude          *float64 `json:"latitude" example:"51.4538" extensions:"x-nullable"`
	Longitude         *float64 `json:"longitude" example:"-0.1183" extensions:"x-nullable"`
	GovUKSlug         *string  `json:"gov_uk_slug" example:"lambeth" extensions:"x-nullable"`
	HomepageURL       *string  `json:"homepage_url" example:"https://www.lambeth.gov.uk" extensions:"x-nullable" format:"uri"`
	Status            string   `json:"status" example:"current"`
	StartDate         *string  `json:"start_date" extensions:"x-nullable" format:"date" example:"1965-04-01"`
	EndDate           *string  `json:"end_date" extensions:"x-nullable" format:"date"`
	Successors        []string `json:"successors"`
	Predecessors      []string `json:"predecessors"`
	FormerGSSCodes    []string `json:"former_gss_codes"`
	AdoptionCount     int      `json:"adoption_count" example:"12"`
}

// CouncilFilter narrows a council list. Empty fields do not filter.
type CouncilFilter struct {
	Type, Region, Nation, Q, Status string
}

// Vendor is an organisation that offers components: a company, a public body or a collaboration.
type Vendor struct {
	Slug        string    `json:"slug" example:"government-digital-service"`
	Name        string    `json:"name" example:"Government Digital Service"`
	Website     string    `json:"website" example:"https://www.gov.uk/government/organisations/government-digital-service" format:"uri"`
	Kind        string    `json:"kind" example:"public-sector"`
	Description string    `json:"description" example:"The Government Digital Service builds and runs shared components such as GOV.UK Pay, Notify and One Login."`
	CreatedAt   time.Time `json:"created_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	UpdatedAt   time.Time `json:"updated_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	Version     int       `json:"-"`
}

// VendorInput is the body of a vendor create or update; nil means "not sent".
type VendorInput struct {
	Slug        *string `json:"slug,omitempty" extensions:"x-nullable"`
	Name        *string `json:"name,omitempty" extensions:"x-nullable"`
	Website     *string `json:"website,omitempty" extensions:"x-nullable" format:"uri"`
	Kind        *string `json:"kind,omitempty" extensions:"x-nullable"`
	Description *string `json:"description,omitempty" extensions:"x-nullable"`
}

// Validate checks the input; create requires every mandatory field.
func (in VendorInput) Validate(create bool) error {
	var p Problems
	checkKeySlug(&p, in.Slug, create, "vendor")
	checkMandatoryText(&p, "name", in.Name, create, 200)
	checkURL(&p, "website", in.Website, create)
	checkEnum(&p, "kind", in.Kind, false, VendorKinds)
	checkProse(&p, "description", in.Description, false, 5000)
	return p.Err()
}

// Apply copies the sent fields onto v.
func (in VendorInput) Apply(v *Vendor) {
	set(&v.Slug, in.Slug)
	set(&v.Name, in.Name)
	set(&v.Website, in.Website)
	set(&v.Kind, in.Kind)
	set(&v.Description, in.Description)
}

// Capability is something councils need done, such as taking card payments.
type Capability struct {
	Slug        string    `json:"slug" example:"online-card-payments"`
	Name        string    `json:"name" example:"Online card payments"`
	Category    string    `json:"category" example:"payments"`
	Description string    `json:"description" example:"Take card payments online for council services."`
	LGSLCodes   []int     `json:"lgsl_codes"`
	CreatedAt   time.Time `json:"created_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	UpdatedAt   time.Time `json:"updated_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	Version     int       `json:"-"`
}

// CapabilityInput is the body of a capability create or update.
type CapabilityInput struct {
	Slug        *string `json:"slug,omitempty" extensions:"x-nullable"`
	Name        *string `json:"name,omitempty" extensions:"x-nullable"`
	Category    *string `json:"category,omitempty" extensions:"x-nullable"`
	Description *string `json:"description,omitempty" extensions:"x-nullable"`
	LGSLCodes   *[]int  `json:"lgsl_codes,omitempty" extensions:"x-nullable"`
}

// Validate checks the input; create requires every mandatory field.
func (in CapabilityInput) Validate(create bool) error {
	var p Problems
	checkKeySlug(&p, in.Slug, create, "capability")
	checkMandatoryText(&p, "name", in.Name, create, 200)
	checkSlug(&p, "category", in.Category, create)
	checkMandatoryProse(&p, "description", in.Description, create, 5000)
	if in.LGSLCodes != nil {
		for _, c := range *in.LGSLCodes {
			if c <= 0 {
				p.Add("lgsl_codes", "%d is not an LGSL service code (a positive integer)", c)
			}
		}
	}
	return p.Err()
}

// Apply copies the sent fields onto c.
func (in CapabilityInput) Apply(c *Capability) {
	set(&c.Slug, in.Slug)
	set(&c.Name, in.Name)
	set(&c.Category, in.Category)
	set(&c.Description, in.Description)
	if in.LGSLCodes != nil {
		c.LGSLCodes = append([]int{}, *in.LGSLCodes...)
	}
}

// CapabilityFilter narrows a capability list.
type CapabilityFilter struct {
	Category string
}

// Component is a reusable product, service or standard that provides capabilities.
type Component struct {
	Slug          string   `json:"slug" example:"govuk-pay"`
	Name          string   `json:"name" example:"GOV.UK Pay"`
	Summary       string   `json:"summary" example:"Online card payments and refunds for UK public sector services, run by GDS as part of Government as a Platform."`
	Description   string   `json:"description"`
	Vendor        string   `json:"vendor" example:"government-digital-service"`
	Capabilities  []string `json:"capabilities" example:"online-card-payments"`
	Licence       *string  `json:"licence" example:"MIT" extensions:"x-nullable"`
	OpenSource    bool     `json:"open_source" example:"true"`
	Hosting       string   `json:"hosting" example:"saas"`
	Pricing       string   `json:"pricing" example:"free"`
	Lifecycle     string   `json:"lifecycle" example:"live"`
	Standards     []string `json:"standards"`
	URL           *string  `json:"url" example:"https://www.payments.service.gov.uk/" extensions:"x-nullable" format:"uri"`
	RepositoryURL *string  `json:"repository_url" extensions:"x-nullable" format:"uri" example:"https://github.com/alphagov/pay-connector"`
	DocsURL       *string  `json:"docs_url" extensions:"x-nullable" format:"uri"`
	DependsOn     []string `json:"depends_on" example:"govuk-notify"`
	// HarvestMissingSince is when a publiccode.yml harvest first failed to find
	// the file this component was harvested from; null while it is found.
	HarvestMissingSince *time.Time `json:"harvest_missing_since" format:"date-time" extensions:"x-nullable"`
	// AdoptionCount counts councils using it (piloting, live or retiring) on
	// record, evidence or verified claims; ClaimedCount the vendors' claims the
	// council has not verified yet, which count nowhere else.
	AdoptionCount int       `json:"adoption_count" example:"196"`
	ClaimedCount  int       `json:"claimed_count" example:"0"`
	CreatedAt     time.Time `json:"created_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	UpdatedAt     time.Time `json:"updated_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	Version       int       `json:"-"`
}

// ComponentInput is the body of a component create or update.
type ComponentInput struct {
	Slug          *string    `json:"slug,omitempty" extensions:"x-nullable"`
	Name          *string    `json:"name,omitempty" extensions:"x-nullable"`
	Summary       *string    `json:"summary,omitempty" extensions:"x-nullable"`
	Description   *string    `json:"description,omitempty" extensions:"x-nullable"`
	Vendor        *string    `json:"vendor,omitempty" extensions:"x-nullable"`
	Capabilities  *[]string  `json:"capabilities,omitempty" extensions:"x-nullable"`
	Licence       NullString `json:"licence,omitempty" swaggertype:"string" extensions:"x-nullable"`
	OpenSource    *bool      `json:"open_source,omitempty" extensions:"x-nullable"`
	Hosting       *string    `json:"hosting,omitempty" extensions:"x-nullable"`
	Pricing       *string    `json:"pricing,omitempty" extensions:"x-nullable"`
	Lifecycle     *string    `json:"lifecycle,omitempty" extensions:"x-nullable"`
	Standards     *[]string  `json:"standards,omitempty" extensions:"x-nullable"`
	URL           NullString `json:"url,omitempty" swaggertype:"string" extensions:"x-nullable"`
	RepositoryURL NullString `json:"repository_url,omitempty" swaggertype:"string" extensions:"x-nullable"`
	DocsURL       NullString `json:"docs_url,omitempty" swaggertype:"string" extensions:"x-nullable"`
	DependsOn     *[]string  `json:"depends_on,omitempty" extensions:"x-nullable"`
}

// Validate checks the input's shape; the store checks that references exist.
func (in ComponentInput) Validate(create bool) error {
	var p Problems
	checkKeySlug(&p, in.Slug, create, "component")
	checkMandatoryText(&p, "name", in.Name, create, 200)
	checkMandatoryText(&p, "summary", in.Summary, create, 500)
	checkProse(&p, "description", in.Description, false, 20000)
	checkSlug(&p, "vendor", in.Vendor, create)
	checkSlugList(&p, "capabilities", in.Capabilities, create, 50)
	if in.Capabilities != nil && len(*in.Capabilities) == 0 {
		p.Add("capabilities", "must list at least one capability the component provides")
	}
	if in.Licence.Set && in.Licence.Value != nil && !validSPDX(*in.Licence.Value) {
		p.Add("licence", "must be an SPDX licence identifier such as MIT or GPL-2.0-or-later, or null")
	}
	checkEnum(&p, "hosting", in.Hosting, false, HostingKinds)
	checkEnum(&p, "pricing", in.Pricing, false, PricingModels)
	checkEnum(&p, "lifecycle", in.Lifecycle, create, Lifecycles)
	checkSlugList(&p, "standards", in.Standards, false, 50)
	checkNullURL(&p, "url", in.URL)
	checkNullURL(&p, "repository_url", in.RepositoryURL)
	checkNullURL(&p, "docs_url", in.DocsURL)
	checkSlugList(&p, "depends_on", in.DependsOn, false, 50)
	if in.Slug != nil && in.DependsOn != nil {
		for _, d := range *in.DependsOn {
			if d == *in.Slug {
				p.Add("depends_on", "a component cannot depend on itself")
			}
		}
	}
	return p.Err()
}

// Apply copies the sent fields onto c. New components default to unknown
// hosting and pricing rather than guessing.
func (in ComponentInput) Apply(c *Component) {
	set(&c.Slug, in.Slug)
	set(&c.Name, in.Name)
	set(&c.Summary, in.Summary)
	set(&c.Description, in.Description)
	set(&c.Vendor, in.Vendor)
	setList(&c.Capabilities, in.Capabilities)
	setNull(&c.Licence, in.Licence)
	if in.OpenSource != nil {
		c.OpenSource = *in.OpenSource
	}
	set(&c.Hosting, in.Hosting)
	set(&c.Pricing, in.Pricing)
	set(&c.Lifecycle, in.Lifecycle)
	setList(&c.Standards, in.Standards)
	setNull(&c.URL, in.URL)
	setNull(&c.RepositoryURL, in.RepositoryURL)
	setNull(&c.DocsURL, in.DocsURL)
	setList(&c.DependsOn, in.DependsOn)
	if c.Hosting == "" {
		c.Hosting = "unknown"
	}
	if c.Pricing == "" {
		c.Pricing = "unknown"
	}
	if c.Standards == nil {
		c.Standards = []string{}
	}
	if c.DependsOn == nil {
		c.DependsOn = []string{}
	}
}

// ComponentFilter narrows a component list; Q is a full-text query ranked by relevance.
type ComponentFilter struct {
	Capability, Vendor, Lifecycle, Hosting, Standard, Q string
	OpenSource                                          *bool
}

var spdxPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.+-]*( (AND|OR|WITH) [A-Za-z0-9][A-Za-z0-9.+-]*)*$`)

// validSPDX accepts an SPDX identifier or simple expression, e.g. "MIT" or "GPL-2.0-or-later".
func validSPDX(s string) bool { return len(s) <= 100 && spdxPattern.MatchString(s) }

func set(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

func setList(dst *[]string, v *[]string) {
	if v != nil {
		*dst = append([]string{}, *v...)
	}
}

func setNull(dst **string, v NullString) {
	if v.Set {
		*dst = v.Value
	}
}

// CouncilTypes maps mySociety's local-authority-type codes to the registry's
// type slugs and names.
var CouncilTypes = map[string]struct{ Slug, Name string }{
	"CC":   {"city-corporation", "City corporation"},
	"COMB": {"combined-authority", "Combined authority"},
	"CTY":  {"county", "County council"},
	"LBO":  {"london-borough", "London borough"},
	"MD":   {"metropolitan-district", "Metropolitan district"},
	"NID":  {"ni-district", "Northern Ireland district"},
	"NMD":  {"non-metropolitan-district", "Non-metropolitan district"},
	"SCO":  {"scottish-unitary", "Scottish unitary authority"},
	"SRA":  {"strategic-regional-authority", "Strategic regional authority"},
	"UA":   {"unitary", "Unitary authority"},
	"WPA":  {"welsh-unitary", "Welsh unitary authority"},
}

// CouncilTypeSlugs lists the type slugs, for validating filters.
func CouncilTypeSlugs() []string {
	out := make([]string, 0, len(CouncilTypes))
	for _, t := range CouncilTypes {
		out = append(out, t.Slug)
	}
	sort.Strings(out)
	return out
}

// CouncilStatuses are the values of the council list's status filter.
var CouncilStatuses = []string{"current", "former", "all"}
