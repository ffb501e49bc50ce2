package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
)

// listPageSize is the API's default page, so a page of results here is a page there.
const listPageSize = models.DefaultPageSize

// Home serves /: search, headline numbers and the most-adopted components by capability.
func (s *Site) Home(c *gin.Context) { s.serve(c, "home", s.home) }

type homeData struct {
	Councils, Components, Capabilities, LiveAdoptions, OpenNeeds int
	Leaders                                                      []capabilityLeaders
}

// capabilityLeaders are the components most councils run live for one capability.
type capabilityLeaders struct {
	Capability models.Ref
	Components []models.ComponentUse
}

// homeLeaders is how many capabilities the home page lists, and how many components for each.
const homeLeaders, homeLeadersPer = 12, 3

func (s *Site) home(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	var d homeData
	one := models.Page{Limit: 1}
	councils, err := s.store.ListCouncils(ctx, models.CouncilFilter{}, one)
	if err != nil {
		return meta{}, nil, err
	}
	comps, err := s.store.ListComponents(ctx, models.ComponentFilter{}, one)
	if err != nil {
		return meta{}, nil, err
	}
	caps, err := s.store.ListCapabilities(ctx, models.CapabilityFilter{}, one)
	if err != nil {
		return meta{}, nil, err
	}
	live, err := s.store.ListAdoptions(ctx, models.AdoptionFilter{Status: "live"}, one)
	if err != nil {
		return meta{}, nil, err
	}
	needs, err := s.store.ListNeeds(ctx, models.NeedFilter{Status: "open"}, one)
	if err != nil {
		return meta{}, nil, err
	}
	d.Councils, d.Components, d.Capabilities, d.LiveAdoptions, d.OpenNeeds = councils.Total, comps.Total, caps.Total, live.Total, needs.Total
	uses, err := s.store.LiveUse(ctx, "")
	if err != nil {
		return meta{}, nil, err
	}
	d.Leaders = leaders(uses, homeLeaders, homeLeadersPer)
	return meta{Title: "Find and reuse council digital components", Section: "home"}, d, nil
}

// leaders groups live use by capability, capabilities in the order of their
// most-used component (uses come most councils first), keeping per of each.
func leaders(uses []models.ComponentUse, n, per int) []capabilityLeaders {
	var out []capabilityLeaders
	index := map[string]int{}
	for _, u := range uses {
		i, ok := index[u.Capability.Slug]
		if !ok {
			if len(out) == n {
				continue
			}
			i = len(out)
			index[u.Capability.Slug] = i
			out = append(out, capabilityLeaders{Capability: u.Capability})
		}
		if len(out[i].Components) < per {
			out[i].Components = append(out[i].Components, u)
		}
	}
	return out
}

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

// options offers each item as its value, written as text; the chosen value is selected.
func options[T any](items []T, value, text func(T) string, chosen string) []option {
	out := make([]option, len(items))
	for i, it := range items {
		out[i] = option{Value: value(it), Text: text(it), Selected: value(it) == chosen}
	}
	return out
}

// withQuery is this page's path and query with one parameter set (or removed when empty).
func withQuery(c *gin.Context, key, value string) string {
	q := c.Request.URL.Query()
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	u := url.URL{Path: c.Request.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

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
	Chart        chart
	Map          ukMap
}

// adopterGroup is the councils with one adoption status.
type adopterGroup struct {
	Status   string
	Adopters []adopter
}

type adopter struct {
	Council  models.Council
	Adoption models.Adoption
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

	adoptions, err := s.allAdoptions(ctx, models.AdoptionFilter{Component: comp.Slug})
	if err != nil {
		return meta{}, nil, err
	}
	councils, err := s.store.CouncilsByCode(ctx, adoptionCouncils(adoptions))
	if err != nil {
		return meta{}, nil, err
	}
	var using []adopter
	d.Groups, using = adopterGroups(adoptions, councils)
	d.Adopters, d.InUse = len(adoptions), len(using)

	months, err := s.store.AdoptionsOverTime(ctx, comp.Slug, "")
	if err != nil {
		return meta{}, nil, err
	}
	d.Chart = lineChart(months, comp.Name)
	background, err := s.councilPoints(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	d.Map = councilMap(background, using, comp.Name)
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
				ad := adopter{Council: councils[a.Council], Adoption: a}
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

func adoptionCouncils(as []models.Adoption) []string {
	codes := make([]string, 0, len(as))
	for _, a := range as {
		codes = append(codes, a.Council)
	}
	return codes
}

// Council serves /councils/{code}: the components it uses, its needs, its closest peers and its reuse opportunities with their reasons.
func (s *Site) Council(c *gin.Context) { s.serve(c, "council", s.council) }

type councilData struct {
	C             models.Council
	Successors    []models.Council
	Predecessors  []models.Council
	Uses          []councilUse
	Needs         []councilNeed
	Peers         []councilPeer
	Opportunities []councilOpportunity
	HorizonMonths int
	Projects      []models.Project    // real multi-council projects it takes part in
	Programmes    []models.Membership // programmes and commitments it is a member of
}

type councilUse struct {
	Adoption   models.Adoption
	Component  models.Ref
	Capability models.Ref
}

type councilNeed struct {
	Need       models.Need
	Capability models.Ref
}

type councilPeer struct {
	Peer   reuse.Peer
	Shared []models.Ref
}

type councilOpportunity struct {
	O          reuse.Opportunity
	PeersUsing []models.Ref
}

// Peers and opportunities shown on a council's page, and the API's default horizon.
const councilPeers, councilOpportunities, opportunityHorizon = 10, 20, 12

func (s *Site) council(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	council, err := s.store.GetCouncil(ctx, c.Param("code"))
	if err != nil {
		return meta{}, nil, err
	}
	d := councilData{C: council, HorizonMonths: opportunityHorizon}
	if d.Successors, d.Predecessors, err = s.relatedCouncils(ctx, council); err != nil {
		return meta{}, nil, err
	}
	caps, err := s.capabilities(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	adoptions, err := s.allAdoptions(ctx, models.AdoptionFilter{Council: council.Code})
	if err != nil {
		return meta{}, nil, err
	}
	needs, err := s.allNeeds(ctx, council.Code)
	if err != nil {
		return meta{}, nil, err
	}
	for _, n := range needs {
		d.Needs = append(d.Needs, councilNeed{Need: n, Capability: caps.ref(n.Capability)})
	}
	peers, ops, err := s.councilReuse(ctx, council.Code)
	if err != nil {
		return meta{}, nil, err
	}
	if err := s.nameCouncilRows(ctx, &d, caps, adoptions, peers, ops); err != nil {
		return meta{}, nil, err
	}
	if d.Projects, d.Programmes, err = s.councilProjects(ctx, council.Code); err != nil {
		return meta{}, nil, err
	}
	return meta{Title: council.Name, Section: "councils"}, d, nil
}

// councilProjects are the real projects and programmes a council takes part in.
func (s *Site) councilProjects(ctx context.Context, code string) ([]models.Project, []models.Membership, error) {
	projects, err := walk(func(p models.Page) (models.List[models.Project], error) { return s.store.CouncilProjects(ctx, code, p) })
	if err != nil {
		return nil, nil, err
	}
	programmes, err := s.store.CouncilProgrammes(ctx, code)
	return projects, programmes, err
}

// relatedCouncils are the councils that succeeded and preceded council, in its order.
func (s *Site) relatedCouncils(ctx context.Context, council models.Council) (succ, pred []models.Council, err error) {
	related, err := s.store.CouncilsByCode(ctx, append(slices.Clone(council.Successors), council.Predecessors...))
	if err != nil {
		return nil, nil, err
	}
	for _, code := range council.Successors {
		succ = append(succ, related[code])
	}
	for _, code := range council.Predecessors {
		pred = append(pred, related[code])
	}
	return succ, pred, nil
}

// councilReuse is a council's closest peers and its opportunities; a council
// the engine does not know (one that has gone) has neither.
func (s *Site) councilReuse(ctx context.Context, code string) ([]reuse.Peer, []reuse.Opportunity, error) {
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return nil, nil, err
	}
	peers, err := eng.Peers(code, councilPeers)
	if err != nil && !errors.Is(err, reuse.ErrUnknownCouncil) {
		return nil, nil, err
	}
	ops, err := eng.Opportunities(code, opportunityHorizon, s.store.Today(), councilOpportunities)
	if err != nil && !errors.Is(err, reuse.ErrUnknownCouncil) {
		return nil, nil, err
	}
	return peers, ops, nil
}

// nameCouncilRows fills a council page's uses, peers and opportunities, with
// one lookup each for every component and council they name.
func (s *Site) nameCouncilRows(ctx context.Context, d *councilData, caps capabilitySet, adoptions []models.Adoption, peers []reuse.Peer, ops []reuse.Opportunity) error {
	compSlugs := append(gather(adoptions, func(a models.Adoption) []string { return []string{a.Component} }),
		gather(peers, func(p reuse.Peer) []string { return p.SharedComponents })...)
	comps, err := s.store.ComponentsBySlug(ctx, compSlugs)
	if err != nil {
		return err
	}
	named, err := s.store.CouncilsByCode(ctx, gather(ops, func(o reuse.Opportunity) []string { return o.PeersUsing }))
	if err != nil {
		return err
	}
	componentRef := func(slug string) models.Ref { return models.Ref{Slug: slug, Name: cmp.Or(comps[slug].Name, slug)} }
	sortUses(adoptions, caps)
	for _, a := range adoptions {
		d.Uses = append(d.Uses, councilUse{Adoption: a, Component: componentRef(a.Component), Capability: caps.ref(a.Capability)})
	}
	for _, p := range peers {
		cp := councilPeer{Peer: p}
		for _, slug := range p.SharedComponents {
			cp.Shared = append(cp.Shared, componentRef(slug))
		}
		d.Peers = append(d.Peers, cp)
	}
	for _, o := range ops {
		co := councilOpportunity{O: o}
		for _, code := range o.PeersUsing {
			co.PeersUsing = append(co.PeersUsing, models.Ref{Slug: code, Name: cmp.Or(named[code].Name, code)})
		}
		d.Opportunities = append(d.Opportunities, co)
	}
	return nil
}

// sortUses orders a council's adoptions: in use first (live, piloting,
// retiring), then exploring, then retired; by status, then capability name.
func sortUses(adoptions []models.Adoption, caps capabilitySet) {
	statusOrder := func(st string) int { return slices.Index(models.AdoptionStatuses, st) }
	slices.SortStableFunc(adoptions, func(x, y models.Adoption) int {
		return cmp.Or(cmp.Compare(useRank(x.Status), useRank(y.Status)), cmp.Compare(statusOrder(x.Status), statusOrder(y.Status)),
			cmp.Compare(caps.name(x.Capability), caps.name(y.Capability)))
	})
}

func useRank(status string) int {
	switch {
	case models.InUse(status):
		return 0
	case status == "exploring":
		return 1
	}
	return 2
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

// Capability serves /capabilities/{slug}: components ranked by live adoption, and coverage by nation and region.
func (s *Site) Capability(c *gin.Context) { s.serve(c, "capability", s.capability) }

type capabilityData struct {
	Cap     models.Capability
	Ranked  []models.ComponentUse
	Unused  []models.Component // provide it, but no council runs them live for it
	Overall models.CoverageItem
	Nations []models.CoverageGroup
	Regions []models.CoverageGroup
}

func (s *Site) capability(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	capability, err := s.store.GetCapability(ctx, c.Param("slug"))
	if err != nil {
		return meta{}, nil, err
	}
	d := capabilityData{Cap: capability}
	if d.Ranked, err = s.store.LiveUse(ctx, capability.Slug); err != nil {
		return meta{}, nil, err
	}
	ranked := map[string]bool{}
	for _, u := range d.Ranked {
		ranked[u.Component.Slug] = true
	}
	providers, err := s.allComponents(ctx, models.ComponentFilter{Capability: capability.Slug})
	if err != nil {
		return meta{}, nil, err
	}
	for _, p := range providers {
		if !ranked[p.Slug] {
			d.Unused = append(d.Unused, p)
		}
	}
	byNation, err := s.store.Coverage(ctx, "nation", capability.Slug)
	if err != nil {
		return meta{}, nil, err
	}
	byRegion, err := s.store.Coverage(ctx, "region", capability.Slug)
	if err != nil {
		return meta{}, nil, err
	}
	d.Overall, d.Nations, d.Regions = byNation[0], sortedGroups(byNation[0].Breakdown), sortedGroups(byRegion[0].Breakdown)
	return meta{Title: capability.Name, Section: "capabilities"}, d, nil
}

func sortedGroups(gs []models.CoverageGroup) []models.CoverageGroup {
	gs = slices.Clone(gs)
	slices.SortFunc(gs, func(x, y models.CoverageGroup) int { return cmp.Compare(x.Group, y.Group) })
	return gs
}

// capabilitySet is every capability, for names and filters.
type capabilitySet struct {
	list   []models.Capability
	bySlug map[string]models.Capability
}

func (cs capabilitySet) name(slug string) string { return cmp.Or(cs.bySlug[slug].Name, slug) }

func (cs capabilitySet) ref(slug string) models.Ref {
	return models.Ref{Slug: slug, Name: cs.name(slug)}
}

func (cs capabilitySet) refs(slugs []string) []models.Ref {
	out := make([]models.Ref, len(slugs))
	for i, s := range slugs {
		out[i] = cs.ref(s)
	}
	slices.SortFunc(out, func(x, y models.Ref) int { return cmp.Compare(x.Name, y.Name) })
	return out
}

func (s *Site) capabilities(ctx context.Context) (capabilitySet, error) {
	all, err := walk(func(p models.Page) (models.List[models.Capability], error) {
		return s.store.ListCapabilities(ctx, models.CapabilityFilter{}, p)
	})
	if err != nil {
		return capabilitySet{}, err
	}
	slices.SortFunc(all, func(x, y models.Capability) int { return cmp.Compare(x.Name, y.Name) })
	cs := capabilitySet{list: all, bySlug: make(map[string]models.Capability, len(all))}
	for _, c := range all {
		cs.bySlug[c.Slug] = c
	}
	return cs, nil
}

func (s *Site) allAdoptions(ctx context.Context, f models.AdoptionFilter) ([]models.Adoption, error) {
	return walk(func(p models.Page) (models.List[models.Adoption], error) { return s.store.ListAdoptions(ctx, f, p) })
}

func (s *Site) allNeeds(ctx context.Context, council string) ([]models.Need, error) {
	return walk(func(p models.Page) (models.List[models.Need], error) {
		return s.store.ListNeeds(ctx, models.NeedFilter{Council: council}, p)
	})
}

func (s *Site) allComponents(ctx context.Context, f models.ComponentFilter) ([]models.Component, error) {
	return walk(func(p models.Page) (models.List[models.Component], error) { return s.store.ListComponents(ctx, f, p) })
}

// walk follows a list's cursors to the end, a full page at a time.
func walk[T any](list func(models.Page) (models.List[T], error)) ([]T, error) {
	var out []T
	p := models.Page{Limit: models.MaxPageSize}
	for {
		l, err := list(p)
		if err != nil {
			return nil, err
		}
		out = append(out, l.Items...)
		if l.Next == "" {
			return out, nil
		}
		p.Cursor = l.Next
	}
}

// gather is every code or slug the items list, in their order, for a page
// to look them all up in one call.
func gather[T any](items []T, listed func(T) []string) []string {
	var out []string
	for _, it := range items {
		out = append(out, listed(it)...)
	}
	return out
}
