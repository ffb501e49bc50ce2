package web

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/models"
	"github.com/gin-gonic/gin"
)

// Components serves /components: search and filter. A search is most relevant
// first; otherwise products come before councils' in-house builds, each most
// used first, or all by name (?sort).
// It reads the query parameters q, capability, lifecycle, open_source, hosting, standard, sort, page, cursor.
func (s *Site) Components(c *gin.Context) { s.serve(c, "components", s.components) }

type componentsData struct {
	Q           string
	SearchError *fieldError // the search could not be made: what to fix
	Filtered    bool        // any filter or search is set
	Filters     []filterSelect
	Results     []componentResult
	Total       int
	Sort        string // adoptions or name; a search is by relevance
	SortError   *fieldError
	SortLinks   []sortHeading
	Pages       pagination
	Downloads   downloads
}

// filterSelect is one of the components page's filters: a select whose first
// option, Any, sets no filter.
type filterSelect struct {
	Name, Label, Any string
	Options          []option
	Full             bool // as wide as its column
}

type option struct {
	Value, Text string
	Selected    bool
}

type componentResult struct {
	C            models.Component
	VendorName   string
	Capabilities []models.Ref
}

func (s *Site) components(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	// The API's parsing, so a filter the API refuses is refused here the same way.
	q := handlers.NewQuery(c)
	f := models.ComponentFilter{
		Capability: q.Slug("capability"), Standard: q.Slug("standard"),
		Lifecycle: q.Enum("lifecycle", models.Lifecycles), Hosting: q.Enum("hosting", models.HostingKinds),
		OpenSource: q.Boolean("open_source"), Q: q.Search("q"),
	}
	n, cursor, searchErr, err := searchPage(c, q, "q")
	if err != nil {
		return meta{}, nil, err
	}
	sort, sortErr := sortParam(c, models.ComponentSorts, "Sort by most used or by name")
	caps, err := s.capabilities(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	standards, err := s.store.Standards(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	d := componentsData{
		Q:        f.Q,
		Filtered: f.Q != "" || f.Capability != "" || f.Lifecycle != "" || f.OpenSource != nil || f.Hosting != "" || f.Standard != "",
		Filters:  componentFilters(f, caps.list, standards),
		Sort:     sort, SortError: sortErr,
		SortLinks: sortHeadings(c, sort, []string{"Most used", "Name"}, models.ComponentSorts),
		Downloads: apiLinks(c, "/api/v1/components", "q", "capability", "lifecycle", "open_source", "hosting", "standard"),
	}
	list, pages, err := searchResults(c, n, cursor, searchErr, func(p models.Page) (models.List[models.Component], error) {
		return s.store.ListComponentsRanked(ctx, f, sort, p)
	})
	if err != nil {
		return meta{}, nil, err
	}
	slugs := make([]string, len(list.Items))
	for i, comp := range list.Items {
		slugs[i] = comp.Vendor
	}
	vendors, err := s.store.VendorsBySlug(ctx, slugs)
	if err != nil {
		return meta{}, nil, err
	}
	for _, comp := range list.Items {
		d.Results = append(d.Results, componentResult{C: comp, VendorName: vendors[comp.Vendor].Name, Capabilities: caps.refs(comp.Capabilities)})
	}
	d.Total, d.Pages = list.Total, pages
	title := "Components"
	if d.Q != "" && searchErr == nil {
		title = "Components matching ‘" + d.Q + "’"
	}
	m := withError(meta{Title: title, Section: "components"}, &d.SearchError, searchErr, sortErr)
	return m, d, nil
}

// componentFilters are the components page's selects, each showing what f chose.
func componentFilters(f models.ComponentFilter, caps []models.Capability, standards []string) []filterSelect {
	openSource := ""
	if f.OpenSource != nil {
		openSource = strconv.FormatBool(*f.OpenSource)
	}
	asIs := func(v string) string { return v }
	out := []filterSelect{
		{Name: "capability", Label: "Capability", Any: "Any capability", Options: options(caps,
			func(c models.Capability) string { return c.Slug }, func(c models.Capability) string { return c.Name }, f.Capability)},
		{Name: "lifecycle", Label: "Lifecycle", Any: "Any lifecycle", Options: options(models.Lifecycles, asIs, sentence, f.Lifecycle)},
		{Name: "open_source", Label: "Open source", Any: "Open source or not", Options: []option{
			{Value: "true", Text: "Open source only", Selected: openSource == "true"},
			{Value: "false", Text: "Not open source", Selected: openSource == "false"},
		}},
		{Name: "hosting", Label: "Hosting", Any: "Any hosting", Options: options(models.HostingKinds, asIs, label, f.Hosting)},
		{Name: "standard", Label: "Standard", Any: "Any standard", Options: options(standards, asIs, standardName, f.Standard)},
	}
	for i := range out { // in a narrow column beside the results
		out[i].Full = true
	}
	return out
}

// Councils serves /councils: find a council by name or code, filter by type,
// region, nation and status, sorted by name (A to Z) unless ?sort says otherwise.
// It reads the query parameters q, type, region, nation, status, sort, page, cursor.
func (s *Site) Councils(c *gin.Context) { s.serve(c, "councils", s.councils) }

type councilsData struct {
	Q           string
	SearchError *fieldError // the search could not be made, or the sort is unknown: what to fix
	Postcode    bool        // Q looks like a postcode, which the registry cannot search by
	Filters     []filterSelect
	Filtered    bool
	Status      string // current, former or all
	Results     []models.Council
	Total       int
	Sort        string
	SortName    string // the order in words
	Headings    []sortHeading
	Pages       pagination
	Downloads   downloads
}

// councilSortNames say each council order in words, for the table's caption.
var councilSortNames = map[string]string{"name": "by name, A to Z", "type": "by type", "region": "by region", "adoptions": "most adoptions first"}

func (s *Site) councils(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	regions, nations, err := s.store.CouncilPlaces(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	q := handlers.NewQuery(c)
	f := models.CouncilFilter{Q: q.Search("q"), Type: q.Enum("type", models.CouncilTypeSlugs()),
		Region: q.OneOf("region", regions), Nation: q.OneOf("nation", nations),
		Status: cmp.Or(q.Enum("status", models.CouncilStatuses), "current")}
	n, cursor, searchErr, err := searchPage(c, q, "council-q")
	if err != nil {
		return meta{}, nil, err
	}
	sort, sortErr := sortParam(c, models.CouncilSorts, "Sort by council, type, region or adoptions, using the column headings")
	asIs := func(v string) string { return v }
	types := models.CouncilTypeSlugs()
	typeName := map[string]string{}
	for _, t := range models.CouncilTypes {
		typeName[t.Slug] = t.Name
	}
	slices.SortFunc(types, func(x, y string) int { return cmp.Compare(typeName[x], typeName[y]) })
	d := councilsData{
		Q: f.Q, Postcode: postcodeLike.MatchString(f.Q), Status: f.Status, Sort: sort, SortName: councilSortNames[sort],
		Filtered: f.Q != "" || f.Type != "" || f.Region != "" || f.Nation != "" || f.Status != "current",
		Filters: []filterSelect{
			{Name: "type", Label: "Type", Any: "Any type", Options: options(types, asIs, func(t string) string { return typeName[t] }, f.Type)},
			{Name: "region", Label: "Region", Any: "Any region", Options: options(regions, asIs, asIs, f.Region)},
			{Name: "nation", Label: "Nation", Any: "Any nation", Options: options(nations, asIs, asIs, f.Nation)},
			{Name: "status", Label: "Status", Any: "Current councils", Options: []option{
				{Value: "former", Text: "Former councils", Selected: f.Status == "former"},
				{Value: "all", Text: "Current and former", Selected: f.Status == "all"},
			}},
		},
		Headings:  sortHeadings(c, sort, []string{"Council", "Type", "Region", "Adoptions"}, models.CouncilSorts, 3),
		Downloads: apiLinks(c, "/api/v1/councils", "q", "type", "region", "nation", "status"),
	}
	list, pages, err := searchResults(c, n, cursor, searchErr, func(p models.Page) (models.List[models.Council], error) {
		return s.store.ListCouncilsSorted(ctx, f, sort, p)
	})
	if err != nil {
		return meta{}, nil, err
	}
	d.Results, d.Total, d.Pages = list.Items, list.Total, pages
	m := withError(meta{Title: "Councils", Section: "councils"}, &d.SearchError, searchErr, sortErr)
	return m, d, nil
}

// Capabilities serves /capabilities: every capability by category, with how
// many councils have it live, by name or (?sort=councils) most councils first.
func (s *Site) Capabilities(c *gin.Context) { s.serve(c, "capabilities", s.capabilitiesPage) }

type capabilityCategory struct {
	Category string
	Items    []models.CoverageItem
}

type capabilitiesData struct {
	Categories []capabilityCategory
	SortError  *fieldError
	Headings   []sortHeading
	Downloads  downloads
}

// capabilitySorts are the capabilities page's orders within each category.
var capabilitySorts = []string{"name", "councils"}

func (s *Site) capabilitiesPage(c *gin.Context) (meta, any, error) {
	items, err := s.store.CapabilityCoverage(c.Request.Context())
	if err != nil {
		return meta{}, nil, err
	}
	sort, sortErr := sortParam(c, capabilitySorts, "Sort by capability or by councils live, using the column headings")
	d := capabilitiesData{SortError: sortErr, Downloads: apiLinks(c, "/api/v1/capabilities"),
		Headings: sortHeadings(c, sort, []string{"Capability", "Councils live", "Share of councils"}, []string{"name", "councils", ""}, 1, 2)}
	slices.SortStableFunc(items, func(x, y models.CoverageItem) int {
		byName := cmp.Compare(x.Capability.Name, y.Capability.Name)
		if sort == "councils" {
			byName = cmp.Or(cmp.Compare(y.LiveCouncils, x.LiveCouncils), byName)
		}
		return cmp.Or(cmp.Compare(x.Category, y.Category), byName)
	})
	for _, it := range items {
		if len(d.Categories) == 0 || d.Categories[len(d.Categories)-1].Category != it.Category {
			d.Categories = append(d.Categories, capabilityCategory{Category: it.Category})
		}
		d.Categories[len(d.Categories)-1].Items = append(d.Categories[len(d.Categories)-1].Items, it)
	}
	m := withError(meta{Title: "Capabilities", Section: "capabilities"}, &d.SortError, sortErr)
	return m, d, nil
}
