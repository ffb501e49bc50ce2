package web

import (
	"cmp"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/models"
)

// Vendors serves /vendors: every vendor with its kind, how many components it
// lists and how many councils use them, sortable by name or by councils.
// It reads the query parameters kind, sort, page, cursor.
func (s *Site) Vendors(c *gin.Context) { s.serve(c, "vendors", s.vendors) }

// vendorKinds say what each kind of vendor is, in plain words.
var vendorKinds = map[string]string{
	"public-sector": "Public sector body", "commercial": "Company", "community": "Community project",
	"non-profit": "Charity or non-profit", "in-house": "Council in-house team",
}

func vendorKind(kind string) string { return cmp.Or(vendorKinds[kind], label(kind)) }

// vendorListRow is one vendor on the vendors page, its kind in words.
type vendorListRow struct {
	models.VendorUse
	Kind string
}

type vendorsData struct {
	Kind      filterSelect
	Sort      string // "name" or "councils"
	Filtered  bool
	SortError *fieldError // the sort is unknown: what to do
	Results   []vendorListRow
	Total     int
	Headings  []sortHeading // the column headings, linking to this list in each order, from its first page
	Pages     pagination
	Downloads downloads
}

func (s *Site) vendors(c *gin.Context) (meta, any, error) {
	q := handlers.NewQuery(c)
	f := models.VendorFilter{Kind: q.Enum("kind", models.VendorKinds)}
	n, cursor, err := pageNumber(c, q.Cursor())
	if err != nil {
		return meta{}, nil, err
	}
	if err := q.Err(); err != nil {
		return meta{}, nil, err
	}
	var sortErr *fieldError
	f.Sort, sortErr = sortParam(c, models.VendorSorts, "Sort by vendor name or by councils using them, using the column headings")
	d := vendorsData{
		Kind: filterSelect{Name: "kind", Label: "Kind of vendor", Any: "Any kind",
			Options: options(models.VendorKinds, func(k string) string { return k }, vendorKind, f.Kind)},
		Sort: f.Sort, Filtered: f.Kind != "", SortError: sortErr,
		Headings: sortHeadings(c, f.Sort, []string{"Vendor", "Kind", "Components", "Councils using them"},
			[]string{"name", "", "", "councils"}, 2, 3),
		Downloads: apiLinks(c, "/api/v1/vendors"),
	}
	list, pages, err := resultsPage(c, n, cursor, func(p models.Page) (models.List[models.VendorUse], error) {
		return s.store.ListVendorUse(c.Request.Context(), f, p)
	})
	if err != nil {
		return meta{}, nil, err
	}
	d.Total, d.Pages = list.Total, pages
	for _, u := range list.Items {
		d.Results = append(d.Results, vendorListRow{VendorUse: u, Kind: vendorKind(u.Vendor.Kind)})
	}
	m := withError(meta{Title: "Vendors", Section: "vendors"}, &d.SortError, sortErr) // the list in its usual order, the error above it
	return m, d, nil
}

// sortedBy is this page's list in another order, from its first page: a
// page's offset means nothing in another order.
func sortedBy(c *gin.Context, sort string) string {
	q := c.Request.URL.Query()
	q.Del("cursor")
	q.Del("page")
	q.Set("sort", sort)
	u := url.URL{Path: c.Request.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

// Vendor serves /vendors/{slug}: what the vendor offers, and which councils
// use each of its components, with how each use is vouched for.
func (s *Site) Vendor(c *gin.Context) { s.serve(c, "vendor", s.vendor) }

type vendorData struct {
	V         models.Vendor
	Kind      string // V.Kind in words
	Offers    []vendorOffer
	Councils  int           // councils using one or more of its components (claims awaiting the council not counted)
	Claims    []vendorClaim // its claims awaiting the councils, by component and council
	Claimants int           // councils those claims name
}

// vendorClaim is the vendor's claim that a council uses one of its components, not yet verified.
type vendorClaim struct {
	Component models.Ref
	adopter
}

// vendorOffer is one of a vendor's components with the councils using it on
// record, evidence or their own verification.
type vendorOffer struct {
	C            models.Component
	Capabilities []models.Ref
	Users        []adopter // by council name
}

func (s *Site) vendor(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	v, err := s.store.GetVendor(ctx, c.Param("slug"))
	if err != nil {
		return meta{}, nil, err
	}
	comps, err := s.allComponents(ctx, models.ComponentFilter{Vendor: v.Slug})
	if err != nil {
		return meta{}, nil, err
	}
	adoptions, err := s.store.VendorAdoptions(ctx, v.Slug)
	if err != nil {
		return meta{}, nil, err
	}
	councils, err := s.store.CouncilsByCode(ctx, adoptionCouncils(adoptions))
	if err != nil {
		return meta{}, nil, err
	}
	caps, err := s.capabilities(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	d := vendorData{V: v, Kind: vendorKind(v.Kind)}
	names := map[string]string{}
	for _, comp := range comps {
		names[comp.Slug] = comp.Name
	}
	users := map[string][]adopter{}
	using, claiming := map[string]bool{}, map[string]bool{}
	for _, a := range adoptions {
		ad := adopter{Council: councils[a.Council], Adoption: a}
		if models.Pending(a.Source, a.Verified, false) { // rejected claims are not read
			d.Claims = append(d.Claims, vendorClaim{Component: models.Ref{Slug: a.Component, Name: names[a.Component]}, adopter: ad})
			claiming[a.Council] = true
			continue
		}
		users[a.Component] = append(users[a.Component], ad)
		using[a.Council] = true
	}
	d.Councils, d.Claimants = len(using), len(claiming)
	byCouncilName := func(x, y adopter) int { return cmp.Compare(x.Council.Name, y.Council.Name) }
	slices.SortStableFunc(d.Claims, func(x, y vendorClaim) int {
		return cmp.Or(cmp.Compare(x.Component.Name, y.Component.Name), byCouncilName(x.adopter, y.adopter))
	})
	for _, comp := range comps {
		o := vendorOffer{C: comp, Capabilities: caps.refs(comp.Capabilities), Users: users[comp.Slug]}
		slices.SortFunc(o.Users, byCouncilName)
		d.Offers = append(d.Offers, o)
	}
	// Most used first: what councils rely on most is what a reader looks for.
	slices.SortStableFunc(d.Offers, func(x, y vendorOffer) int {
		return cmp.Or(cmp.Compare(y.C.AdoptionCount, x.C.AdoptionCount), cmp.Compare(x.C.Name, y.C.Name))
	})
	return meta{Title: v.Name, Section: "vendors"}, d, nil
}

// ListYourComponent serves /list-your-component: how a vendor gets a key,
// lists a component (or imports its publiccode.yml) and claims an adoption.
func (s *Site) ListYourComponent(c *gin.Context) {
	s.serve(c, "list_your_component", func(*gin.Context) (meta, any, error) {
		return meta{Title: "List your component", Section: "vendors"}, nil, nil
	})
}
