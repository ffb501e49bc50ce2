package web

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
	"github.com/gin-gonic/gin"
)

// Component serves /components/{slug}: summary, vendor, licence, capabilities, standards, links, adopters by status, live adoptions over time and a map of the councils using it.
func (s *Site) Component(c *gin.Context) { s.serve(c, "component", s.component) }

type componentData struct {
	C            models.Component
	Vendor       models.Vendor
	Capabilities []models.Ref
	DependsOn    []models.Ref
	Groups       []adopterGroup
	Adopters     int
	InUse        int
	Contacts     bool // whether any adopter has published a contact, so the tables have the column
	Chart        chart
	Map          ukMap
	Impact       *reuse.Impact // what retiring it would touch, when it is deprecated or retired (market.go)
}

// adopterGroup is the councils with one adoption status.
type adopterGroup struct {
	Status   string
	Adopters []adopter
}

type adopter struct {
	Council  models.Council
	Adoption models.Adoption
	// Evidence is the adoption's evidence as the page lists it: what the
	// sources still say first, then the newest first.
	Evidence []models.EvidenceItem
	Contact  *contactRoute // nil unless the council has published one
}

// contactRoute is how to reach a council about an adoption: an email address
// (Href a mailto: link) or a contact page.
type contactRoute struct {
	Href, Email string // Email is "" for a contact page
}

// contactOf is an adoption's public contact as a link, or nil.
func contactOf(a models.Adoption) *contactRoute {
	if a.PublicContact == nil {
		return nil
	}
	if c := *a.PublicContact; models.IsEmail(c) {
		return &contactRoute{Href: "mailto:" + c, Email: c}
	}
	return &contactRoute{Href: *a.PublicContact}
}

func (s *Site) component(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	comp, err := s.store.GetComponent(ctx, c.Param("slug"))
	if err != nil {
		return meta{}, nil, err
	}
	d, err := s.componentSummary(ctx, comp)
	if err != nil {
		return meta{}, nil, err
	}

	adoptions, err := s.store.ComponentAdoptions(ctx, comp.Slug)
	if err != nil {
		return meta{}, nil, err
	}
	background, err := s.councilPoints(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	councils, err := s.adopterCouncils(ctx, adoptions, background)
	if err != nil {
		return meta{}, nil, err
	}
	var using []adopter
	d.Groups, using = adopterGroups(adoptions, councils)
	d.Adopters, d.InUse = len(adoptions), len(using)
	d.Contacts = slices.ContainsFunc(adoptions, func(a models.Adoption) bool { return a.PublicContact != nil })

	months, err := s.store.AdoptionsOverTime(ctx, comp.Slug, "")
	if err != nil {
		return meta{}, nil, err
	}
	d.Chart = lineChart(months, comp.Name)
	d.Map = councilMap(background, using, comp.Name)
	if d.Impact, err = s.impactOf(ctx, comp); err != nil {
		return meta{}, nil, err
	}
	return meta{Title: comp.Name, Section: "components"}, d, nil
}

// componentSummary is what a component's page says before its adopters: its
// vendor, and its capabilities and dependencies by name.
func (s *Site) componentSummary(ctx context.Context, comp models.Component) (componentData, error) {
	vendor, err := s.store.GetVendor(ctx, comp.Vendor)
	if err != nil {
		return componentData{}, err
	}
	caps, err := s.capabilities(ctx)
	if err != nil {
		return componentData{}, err
	}
	deps, err := s.store.ComponentsBySlug(ctx, comp.DependsOn)
	if err != nil {
		return componentData{}, err
	}
	d := componentData{C: comp, Vendor: vendor, Capabilities: caps.refs(comp.Capabilities)}
	for _, slug := range comp.DependsOn {
		d.DependsOn = append(d.DependsOn, models.Ref{Slug: slug, Name: cmp.Or(deps[slug].Name, slug)})
	}
	return d, nil
}

// adopterGroups are a component's adopters by status, in the page's order of
// statuses and each by council name; using is those in use, for the map.
func adopterGroups(adoptions []models.Adoption, councils map[string]models.Council) (groups []adopterGroup, using []adopter) {
	for _, status := range []string{"live", "piloting", "exploring", "retiring", "retired"} {
		g := adopterGroup{Status: status}
		for _, a := range adoptions {
			if a.Status == status {
				ad := adopter{Council: councils[a.Council], Adoption: a, Evidence: evidenceForPage(a.Evidence), Contact: contactOf(a)}
				g.Adopters = append(g.Adopters, ad)
				if models.InUse(status) {
					using = append(using, ad)
				}
			}
		}
		slices.SortFunc(g.Adopters, func(x, y adopter) int { return cmp.Compare(x.Council.Name, y.Council.Name) })
		if len(g.Adopters) > 0 {
			groups = append(groups, g)
		}
	}
	return groups, using
}

// evidenceForPage is items, current ones first, each part newest first.
func evidenceForPage(items []models.EvidenceItem) []models.EvidenceItem {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(x, y models.EvidenceItem) int {
		if x.Current != y.Current {
			if x.Current {
				return -1
			}
			return 1
		}
		return cmp.Compare(y.ObservedOn, x.ObservedOn)
	})
	return out
}

func adoptionCouncils(as []models.Adoption) []string {
	codes := make([]string, 0, len(as))
	for _, a := range as {
		codes = append(codes, a.Council)
	}
	return codes
}

// adopterCouncils are the councils of adoptions by code: the current ones
// from current (every current council, as the map has them), the rest (former
// councils) read from the store.
func (s *Site) adopterCouncils(ctx context.Context, adoptions []models.Adoption, current []models.Council) (map[string]models.Council, error) {
	out := make(map[string]models.Council, len(current))
	for _, c := range current {
		out[c.Code] = c
	}
	var former []string
	for _, a := range adoptions {
		if _, ok := out[a.Council]; !ok {
			former = append(former, a.Council)
		}
	}
	rest, err := s.store.CouncilsByCode(ctx, former)
	maps.Copy(out, rest)
	return out, err
}
