package web

import (
	"cmp"
	"context"
	"maps"
	"net/url"
	"slices"
	"strconv"

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
	Groups       []adopterGroup // every status with adopters, this page's of each
	Adopters     int
	Longest      int // adopters of the commonest status, which the pages run to
	InUse        int
	Contacts     bool // whether any adopter has published a contact, so the tables have the column
	Pages        pagination
	Downloads    downloads
	Chart        chart
	Map          ukMap
	Impact       *reuse.Impact // what retiring it would touch, when it is deprecated or retired (market.go)
}

// adopterGroup is the councils with one adoption status.
type adopterGroup struct {
	Status   string
	Count    int       // every council with the status
	First    int       // the position of Adopters[0] among them
	Adopters []adopter // this page's, none when the status has fewer pages
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
	n, _, err := pageNumber(c, "")
	if err != nil {
		return meta{}, nil, err
	}
	d, err := s.componentSummary(ctx, comp)
	if err != nil {
		return meta{}, nil, err
	}
	background, err := s.councilPoints(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	if err := s.adopterPage(ctx, &d, n, background); err != nil {
		return meta{}, nil, err
	}
	d.Pages = paginateBy(c, n, d.Longest, adopterPageSize)
	d.Downloads = componentDownloads(comp.Slug)

	using, err := s.componentUsers(ctx, comp.Slug, background)
	if err != nil {
		return meta{}, nil, err
	}
	d.InUse = len(using)
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

// adopterPage fills in d's adopter tables on page n: adopterPageSize adopters of
// each status, by council name, and the counts. A page past the last of
// every status is not found.
func (s *Site) adopterPage(ctx context.Context, d *componentData, n int, current []models.Council) error {
	counts, err := s.store.ComponentAdopterCounts(ctx, d.C.Slug)
	if err != nil {
		return err
	}
	var adoptions []models.Adoption
	for _, status := range adopterStatuses {
		i := slices.IndexFunc(counts, func(a models.AdopterCount) bool { return a.Status == status })
		if i < 0 {
			continue
		}
		count := counts[i]
		d.Adopters += count.Count
		d.Longest = max(d.Longest, count.Count)
		d.Contacts = d.Contacts || count.Contacts
		g := adopterGroup{Status: status, Count: count.Count}
		if offset := (n - 1) * adopterPageSize; offset < count.Count {
			as, err := s.store.ComponentAdoptionsPage(ctx, d.C.Slug, status, adopterPageSize, offset)
			if err != nil {
				return err
			}
			adoptions = append(adoptions, as...)
			g.First = offset + 1
			g.Adopters = make([]adopter, len(as))
			for j, a := range as {
				g.Adopters[j] = adopter{Adoption: a, Evidence: evidenceForPage(a.Evidence), Contact: contactOf(a)}
			}
		}
		d.Groups = append(d.Groups, g)
	}
	if n > 1 && (n-1)*adopterPageSize >= d.Longest {
		return noSuchPage(n)
	}
	councils, err := s.adopterCouncils(ctx, adoptionCouncils(adoptions), current)
	for _, g := range d.Groups {
		for j := range g.Adopters {
			g.Adopters[j].Council = councils[g.Adopters[j].Adoption.Council]
		}
	}
	return err
}

// adopterPageSize is how many adopters of each status a page of a
// component's shows.
const adopterPageSize = 50

// adopterStatuses are the adoption statuses in the order the page lists them.
var adopterStatuses = []string{"live", "piloting", "exploring", "retiring", "retired"}

// componentUsers are the councils using a component, for its map: only their
// councils (from current, or the store for former ones) and whether verified.
func (s *Site) componentUsers(ctx context.Context, slug string, current []models.Council) ([]adopter, error) {
	users, err := s.store.ComponentUsers(ctx, slug)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(users))
	for i, u := range users {
		codes[i] = u.Council
	}
	councils, err := s.adopterCouncils(ctx, codes, current)
	out := make([]adopter, len(users))
	for i, u := range users {
		out[i] = adopter{Council: councils[u.Council], Adoption: models.Adoption{Council: u.Council, Verified: u.Verified}}
	}
	return out, err
}

// componentDownloads links every adoption of a component in the API.
func componentDownloads(slug string) downloads {
	q := url.Values{"component": {slug}, "limit": {strconv.Itoa(models.MaxPageSize)}}
	json := (&url.URL{Path: "/api/v1/adoptions", RawQuery: q.Encode()}).String()
	q.Set("format", "csv")
	return downloads{CSV: (&url.URL{Path: "/api/v1/adoptions", RawQuery: q.Encode()}).String(), JSON: json}
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

// adopterCouncils are the councils with codes, by code: the current ones
// from current (every current council, as the map has them), the rest (former
// councils) read from the store.
func (s *Site) adopterCouncils(ctx context.Context, codes []string, current []models.Council) (map[string]models.Council, error) {
	out := make(map[string]models.Council, len(current))
	for _, c := range current {
		out[c.Code] = c
	}
	var former []string
	for _, code := range codes {
		if _, ok := out[code]; !ok {
			former = append(former, code)
		}
	}
	rest, err := s.store.CouncilsByCode(ctx, former)
	maps.Copy(out, rest)
	return out, err
}
