package seed

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
)

// demoToday anchors the demo world's dates, so every run writes the same rows.
var demoToday = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// demoNote starts every demo row's notes: these adoptions did not happen.
const demoNote = "Illustrative demo data, not a statement about this council."

type demoProduct struct {
	slug, name, vendor, summary, lifecycle, hosting, pricing string
	capabilities                                             []string
}

// Fictional vendors and products that fill out the market around the real
// shared components. Every one is flagged synthetic and named "(demo)".
var demoVendors = []models.Vendor{
	{Slug: "demo-civic-transactions", Name: "Civic Transactions Co (demo)", Kind: "commercial"},
	{Slug: "demo-harbour-software", Name: "Harbour Software (demo)", Kind: "commercial"},
	{Slug: "demo-meridian-systems", Name: "Meridian Systems (demo)", Kind: "commercial"},
	{Slug: "demo-oakfield-digital", Name: "Oakfield Digital (demo)", Kind: "commercial"},
	{Slug: "demo-legacy-revenues", Name: "Legacy Revenues Ltd (demo)", Kind: "commercial"},
	{Slug: "demo-in-house", Name: "Council in-house teams (demo)", Kind: "in-house"},
}

var demoProducts = []demoProduct{
	{"demo-civicpay", "CivicPay (demo)", "demo-civic-transactions", "Card payment gateway with hosted checkout pages for councils.", "live", "saas", "usage-based", []string{"online-card-payments", "payment-refunds"}},
	{"demo-harbour-crm", "Harbour CRM (demo)", "demo-harbour-software", "Customer relationship management and case handling for council contact centres.", "live", "saas", "subscription", []string{"customer-relationship-management", "case-management"}},
	{"demo-harbour-bookings", "Harbour Bookings (demo)", "demo-harbour-software", "Appointment and venue booking with reminders.", "live", "saas", "subscription", []string{"appointment-booking", "room-and-venue-hire"}},
	{"demo-meridian-case", "Meridian Case (demo)", "demo-meridian-systems", "Case management for regulatory and social care services.", "live", "hybrid", "licence-fee", []string{"case-management", "complaints-handling"}},
	{"demo-meridian-planning", "Meridian Planning (demo)", "demo-meridian-systems", "Planning and building control application handling.", "live", "hybrid", "licence-fee", []string{"planning-applications", "building-control"}},
	{"demo-oakfield-forms", "Oakfield Forms (demo)", "demo-oakfield-digital", "Drag-and-drop online forms with workflow.", "live", "saas", "subscription", []string{"online-form-building", "form-submission-processing"}},
	{"demo-oakfield-accounts", "Oakfield Accounts (demo)", "demo-oakfield-digital", "Resident accounts portal with request tracking.", "beta", "saas", "subscription", []string{"resident-online-accounts", "request-status-tracking"}},
	{"demo-legacy-ctax", "Legacy Council Tax Suite (demo)", "demo-legacy-revenues", "On-premises council tax and business rates system, no longer developed.", "deprecated", "self-hosted", "licence-fee", []string{"council-tax-account-management", "business-rates-management"}},
}

// demoCapabilitiesBuiltInHouse are capabilities some councils build themselves: the long tail.
var demoCapabilitiesBuiltInHouse = []string{"appointment-booking", "bin-collection-day-lookup", "customer-relationship-management", "parking-permits"}

// Demo adds a deterministic synthetic world to d: fictional vendors and
// products, adoptions of real and fictional components across the real
// councils (a few platforms used widely, regional clusters, a long tail of
// in-house builds, contracts ending soon, a deprecated product still in use),
// and open needs. Every adoption and need it adds has source "demo".
func Demo(d *store.SeedData) {
	w := demoWorld{d: d, rng: rand.New(rand.NewPCG(2026, 11)), evidence: map[string]bool{}}
	w.catalogue()
	for _, a := range d.Adoptions {
		w.evidence[a.Council+"|"+a.Component] = true
	}
	for _, c := range d.Councils {
		if c.Status != "current" || !c.DeliversServices {
			continue
		}
		w.shared(c)
		w.regional(c)
		w.longTail(c)
		w.need(c)
	}
}

// demoWorld draws the demo world from one random sequence, so the same seed
// data always gives the same world: the order of the draws is the world.
type demoWorld struct {
	d        *store.SeedData
	rng      *rand.Rand
	evidence map[string]bool // council|component pairs real evidence covers
}

// catalogue adds the fictional vendors and products.
func (w *demoWorld) catalogue() {
	for _, v := range demoVendors {
		v.Website = "https://example.org/" + v.Slug
		v.Description = "Fictional vendor in the demo world."
		w.d.Vendors = append(w.d.Vendors, store.SeedVendor{Vendor: v, Synthetic: true})
	}
	for _, p := range demoProducts {
		w.d.Components = append(w.d.Components, store.SeedComponent{Synthetic: true, Component: models.Component{
			Slug: p.slug, Name: p.name, Summary: p.summary, Description: "Fictional product in the demo world.",
			Vendor: p.vendor, Capabilities: p.capabilities, Hosting: p.hosting, Pricing: p.pricing, Lifecycle: p.lifecycle,
			Standards: []string{}, DependsOn: []string{},
		}})
	}
}

// add records an illustrative adoption, unless real evidence covers the pair.
func (w *demoWorld) add(c models.Council, component, capability, status string, contractYears float64) {
	if w.evidence[c.Code+"|"+component] {
		return // published evidence already covers this pair
	}
	rng := w.rng
	started := demoToday.AddDate(0, -rng.IntN(96)-3, -rng.IntN(28))
	rng.Float64() // once decided verification; still drawn so the demo world stays as it was
	a := models.Adoption{
		Council: c.Code, Component: component, Capability: capability, Status: status,
		StartedOn: date(started), Source: "demo", // never verified: it is made up
		Notes: demoNote, CreatedAt: started,
	}
	if status == "retired" {
		a.EndedOn = date(demoToday.AddDate(0, -rng.IntN(12)-1, 0))
	}
	if contractYears > 0 {
		a.ContractEndOn = date(demoToday.AddDate(0, int(contractYears*12*rng.Float64())+1, 0))
	}
	w.d.Adoptions = append(w.d.Adoptions, a)
}

// status draws live with probability live, else piloting or exploring.
func (w *demoWorld) status(live float64) string {
	switch r := w.rng.Float64(); {
	case r < live:
		return "live"
	case r < live+0.1:
		return "piloting"
	default:
		return "exploring"
	}
}

// shared adds the widely shared platforms.
func (w *demoWorld) shared(c models.Council) {
	rng := w.rng
	if rng.Float64() < 0.75 {
		w.add(c, "govuk-notify", "email-notifications", w.status(0.85), 0)
	}
	switch r := rng.Float64(); {
	case r < 0.5:
		w.add(c, "govuk-pay", "online-card-payments", w.status(0.8), 0)
	case r < 0.8:
		w.add(c, "demo-civicpay", "online-card-payments", "live", 4)
	}
	if rng.Float64() < 0.2 {
		w.add(c, "govuk-forms", "online-form-building", w.status(0.5), 0)
	} else if rng.Float64() < 0.3 {
		w.add(c, "demo-oakfield-forms", "online-form-building", "live", 3)
	}
	if rng.Float64() < 0.08 {
		w.add(c, "govuk-one-login", "user-authentication", "exploring", 0)
	}
	if rng.Float64() < 0.25 {
		w.add(c, "fixmystreet", "street-fault-reporting", "live", 0)
	}
	if rng.Float64() < 0.1 {
		w.add(c, "mapit", "postcode-to-area-lookup", "live", 0)
	}
}

// regional adds the regional clusters (LocalGov Drupal in the south, Harbour
// CRM in the north) and the fictional products, the deprecated one included.
func (w *demoWorld) regional(c models.Council) {
	rng := w.rng
	south := c.Region == "London" || c.Region == "South East"
	north := c.Region == "North West" || c.Region == "Yorkshire and The Humber" || c.Region == "North East"
	if south && rng.Float64() < 0.35 || !south && rng.Float64() < 0.08 {
		w.add(c, "localgov-drupal", "website-content-management", w.status(0.7), 0)
	}
	switch r := rng.Float64(); {
	case north && r < 0.5, !north && r < 0.12:
		w.add(c, "demo-harbour-crm", "customer-relationship-management", "live", 3)
	case r < 0.6:
		w.add(c, "demo-meridian-case", "case-management", "live", 5)
	}
	if rng.Float64() < 0.15 {
		w.add(c, "demo-harbour-bookings", "appointment-booking", "live", 3)
	}
	if c.Type != "county" && rng.Float64() < 0.2 {
		w.add(c, "demo-meridian-planning", "planning-applications", "live", 5)
	}
	if c.Type != "county" && rng.Float64() < 0.18 {
		// The deprecated product, still run by councils whose contracts end soon.
		w.add(c, "demo-legacy-ctax", "council-tax-account-management", "live", 2)
	}
	if rng.Float64() < 0.1 {
		w.add(c, "demo-oakfield-accounts", "resident-online-accounts", "piloting", 2)
	}
}

// longTail adds, now and then, a council's own in-house build.
func (w *demoWorld) longTail(c models.Council) {
	if w.rng.Float64() >= 0.12 {
		return
	}
	capability := demoCapabilitiesBuiltInHouse[w.rng.IntN(len(demoCapabilitiesBuiltInHouse))]
	slug := "demo-in-house-" + strings.ToLower(c.Code) + "-" + capability
	w.d.Components = append(w.d.Components, store.SeedComponent{Synthetic: true, Component: models.Component{
		Slug: slug, Name: fmt.Sprintf("%s in-house %s (demo)", c.ShortName, strings.ReplaceAll(capability, "-", " ")),
		Summary: "A fictional in-house build, one council's own.", Description: "Fictional in-house build in the demo world.",
		Vendor: "demo-in-house", Capabilities: []string{capability}, Hosting: "self-hosted", Pricing: "unknown",
		Lifecycle: "live", Standards: []string{}, DependsOn: []string{},
	}})
	w.add(c, slug, capability, "live", 0)
}

// need adds, now and then, an open need, bunched into two procurement windows
// so that collaborations show.
func (w *demoWorld) need(c models.Council) {
	rng := w.rng
	if rng.Float64() >= 0.12 {
		return
	}
	capability := []string{"appointment-booking", "case-management", "resident-online-accounts", "online-card-payments"}[rng.IntN(4)]
	window := []time.Time{time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 10, 1, 0, 0, 0, 0, time.UTC)}[rng.IntN(2)]
	w.d.Needs = append(w.d.Needs, store.SeedNeed{Source: "demo", Need: models.Need{
		Council: c.Code, Capability: capability, NeededBy: *date(window.AddDate(0, 0, rng.IntN(90))),
		Status: "open", Notes: demoNote, CreatedAt: demoToday,
	}})
}

func date(t time.Time) *string {
	s := t.Format(time.DateOnly)
	return &s
}
