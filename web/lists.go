package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/models"
	"github.com/gin-gonic/gin"
)

// Components serves /components: search and filter, with the API's ranking and pagination.
// It reads the query parameters q, capability, lifecycle, open_source, hosting, standard, cursor.
func (s *Site) Components(c *gin.Context) { s.serve(c, "components", s.components) }

type componentsData struct {
	Q                 string
	SearchError       *fieldError // the search could not be made: what to fix
	Filtered          bool        // any filter or search is set
	Filters           []filterSelect
	Results           []componentResult
	Total             int
	NextURL, FirstURL string
}

// filterSelect is one of the components page's filters: a select whose first
// option, Any, sets no filter.
type filterSelect struct {
	Name, Label, Any string
	Options          []option
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
		OpenSource: q.Boolean("open_source"), Q: strings.TrimSpace(q.Search("q")),
	}
	cursor := q.Cursor()
	searchErr, err := searchError(q.Err(), "q")
	if err != nil {
		return meta{}, nil, err
	}
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
	}
	if searchErr != nil {
		d.SearchError = searchErr
		return meta{Title: "Components", Section: "components", Status: http.StatusBadRequest}, d, nil
	}
	list, err := s.store.ListComponents(ctx, f, models.Page{Limit: listPageSize, Cursor: cursor})
	if err != nil {
		return meta{}, nil, err
	}
	vendors := map[string]string{}
	for _, comp := range list.Items {
		if _, ok := vendors[comp.Vendor]; !ok {
			v, err := s.store.GetVendor(ctx, comp.Vendor)
			if err != nil {
				return meta{}, nil, err
			}
			vendors[comp.Vendor] = v.Name
		}
		d.Results = append(d.Results, componentResult{C: comp, VendorName: vendors[comp.Vendor], Capabilities: caps.refs(comp.Capabilities)})
	}
	d.Total = list.Total
	if list.Next != "" {
		d.NextURL = withQuery(c, "cursor", list.Next)
	}
	if cursor != "" {
		d.FirstURL = withQuery(c, "cursor", "")
	}
	title := "Components"
	if d.Q != "" {
		title = "Components matching ‘" + d.Q + "’"
	}
	return meta{Title: title, Section: "components"}, d, nil
}

// componentFilters are the components page's selects, each showing what f chose.
func componentFilters(f models.ComponentFilter, caps []models.Capability, standards []string) []filterSelect {
	openSource := ""
	if f.OpenSource != nil {
		openSource = strconv.FormatBool(*f.OpenSource)
	}
	asIs := func(v string) string { return v }
	return []filterSelect{
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
}

// Councils serves /councils: find a council by name or code.
// It reads the query parameters q, cursor.
func (s *Site) Councils(c *gin.Context) { s.serve(c, "councils", s.councils) }

type councilsData struct {
	Q                 string
	SearchError       *fieldError // the search could not be made: what to fix
	Results           []models.Council
	Total             int
	NextURL, FirstURL string
}

func (s *Site) councils(c *gin.Context) (meta, any, error) {
	q := handlers.NewQuery(c)
	d := councilsData{Q: strings.TrimSpace(q.Search("q"))}
	cursor := q.Cursor()
	searchErr, err := searchError(q.Err(), "council-q")
	if err != nil {
		return meta{}, nil, err
	}
	if searchErr != nil {
		d.SearchError = searchErr
		return meta{Title: "Councils", Section: "councils", Status: http.StatusBadRequest}, d, nil
	}
	list, err := s.store.ListCouncils(c.Request.Context(), models.CouncilFilter{Q: d.Q}, models.Page{Limit: listPageSize, Cursor: cursor})
	if err != nil {
		return meta{}, nil, err
	}
	d.Results, d.Total = list.Items, list.Total
	if list.Next != "" {
		d.NextURL = withQuery(c, "cursor", list.Next)
	}
	if cursor != "" {
		d.FirstURL = withQuery(c, "cursor", "")
	}
	return meta{Title: "Councils", Section: "councils"}, d, nil
}

// Capabilities serves /capabilities: every capability by category, with how many councils have it live.
func (s *Site) Capabilities(c *gin.Context) { s.serve(c, "capabilities", s.capabilitiesPage) }

type capabilityCategory struct {
	Category string
	Items    []models.CoverageItem
}

func (s *Site) capabilitiesPage(c *gin.Context) (meta, any, error) {
	items, err := s.store.Coverage(c.Request.Context(), "", "")
	if err != nil {
		return meta{}, nil, err
	}
	var out []capabilityCategory
	slices.SortStableFunc(items, func(x, y models.CoverageItem) int {
		return cmp.Or(cmp.Compare(x.Category, y.Category), cmp.Compare(x.Capability.Name, y.Capability.Name))
	})
	for _, it := range items {
		if len(out) == 0 || out[len(out)-1].Category != it.Category {
			out = append(out, capabilityCategory{Category: it.Category})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, it)
	}
	return meta{Title: "Capabilities", Section: "capabilities"}, out, nil
}
