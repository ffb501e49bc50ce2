package web

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
)

// Dashboards serves /dashboards, the dashboards for central teams: headline
// figures, then coverage, consolidation, migrations and collaborations.
func (s *Site) Dashboards(c *gin.Context) { s.serve(c, "dashboards", s.dashboards) }

// dashboardsData are the headline figures, each counted from the same rows as
// the dashboard it links to.
type dashboardsData struct {
	Councils, CouncilsWithUse int // current councils; those with any recorded adoption
	LiveAdoptions             int
	Capabilities, Uncovered   int // capabilities; those no council runs anything live for
	Declining, StillRunning   int // components in decline still in use; the councils running them
}

func (s *Site) dashboards(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	var d dashboardsData
	councils, err := s.store.ListCouncils(ctx, models.CouncilFilter{}, models.Page{Limit: 1})
	if err != nil {
		return meta{}, nil, err
	}
	live, err := s.store.LiveAdoptions(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	if d.CouncilsWithUse, err = s.store.CouncilsWithUse(ctx); err != nil {
		return meta{}, nil, err
	}
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	d.Councils, d.LiveAdoptions = councils.Total, live
	for _, it := range eng.Consolidation() {
		d.Capabilities++
		if it.Councils == 0 {
			d.Uncovered++
		}
	}
	ms := eng.Migrations()
	d.Declining = len(ms)
	d.StillRunning = len(distinct(gather(ms, func(m reuse.Migration) []string { return m.Councils })))
	return meta{Title: "Dashboards for central teams", Section: "dashboards"}, d, nil
}

// councilsNamed finds councils by code: current ones from the map's list, read
// once per database version, and only the rest (former councils) from the store.
func (s *Site) councilsNamed(ctx context.Context, codes []string) (map[string]models.Council, error) {
	all, err := s.councilPoints(ctx)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]models.Council, len(all))
	for _, c := range all {
		byCode[c.Code] = c
	}
	out := make(map[string]models.Council, len(codes))
	var missing []string
	for _, code := range codes {
		if c, ok := byCode[code]; ok {
			out[code] = c
		} else {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		rest, err := s.store.CouncilsByCode(ctx, missing)
		if err != nil {
			return nil, err
		}
		for code, c := range rest {
			out[code] = c
		}
	}
	return out, nil
}

// distinct sorts codes and drops repeats, so a lookup asks for each once.
func distinct(codes []string) []string {
	slices.Sort(codes)
	return slices.Compact(codes)
}

// CoverageDashboard serves /dashboards/coverage, a heat map: for each capability and region, the share of councils running it live.
func (s *Site) CoverageDashboard(c *gin.Context) { s.serve(c, "coverage", s.coverage) }

type coverageData struct {
	Regions []models.CoverageGroup // column headers, with each region's council count
	Rows    []coverageRow
	Bands   []heatBand
	All     bool // ?all=1: rows with no live use anywhere shown too
	Hidden  int  // rows left out because no council runs the capability live
	Total   int  // every capability's row
}

type coverageRow struct {
	Capability models.Ref
	Overall    heatCell
	Cells      []heatCell
}

type heatCell struct {
	Live, Of int
	Share    float64
	Band     int
}

// heatBand is one colour of the heat map and the shares it covers.
type heatBand struct {
	Class, Label string
}

// heatBands are the heat map's colours, lowest share first; the cell text
// always gives the number too, so colour is never the only signal.
var heatBands = []heatBand{
	{"app-heat-0", "none"},
	{"app-heat-1", "under 10%"},
	{"app-heat-2", "10% to under 25%"},
	{"app-heat-3", "25% to under 50%"},
	{"app-heat-4", "50% or more"},
}

func bandOf(share float64, live int) int {
	switch {
	case live == 0:
		return 0
	case share < 0.10:
		return 1
	case share < 0.25:
		return 2
	case share < 0.50:
		return 3
	}
	return 4
}

func cellOf(live, of int, share float64) heatCell {
	return heatCell{Live: live, Of: of, Share: share, Band: bandOf(share, live)}
}

func (s *Site) coverage(c *gin.Context) (meta, any, error) {
	items, err := s.store.Coverage(c.Request.Context(), "region", "")
	if err != nil {
		return meta{}, nil, err
	}
	d := coverageData{Bands: heatBands, All: c.Query("all") == "1", Total: len(items)}
	if len(items) > 0 {
		d.Regions = sortedGroups(items[0].Breakdown)
	}
	slices.SortStableFunc(items, func(x, y models.CoverageItem) int {
		return cmp.Or(cmp.Compare(y.Share, x.Share), cmp.Compare(x.Capability.Name, y.Capability.Name))
	})
	for _, it := range items {
		if it.LiveCouncils == 0 && !d.All {
			d.Hidden++
			continue
		}
		row := coverageRow{Capability: it.Capability, Overall: cellOf(it.LiveCouncils, it.Councils, it.Share)}
		byGroup := map[string]models.CoverageGroup{}
		for _, g := range it.Breakdown {
			byGroup[g.Group] = g
		}
		for _, r := range d.Regions {
			g := byGroup[r.Group]
			row.Cells = append(row.Cells, cellOf(g.LiveCouncils, r.Councils, g.Share))
		}
		d.Rows = append(d.Rows, row)
	}
	return meta{Title: "Coverage by capability and region", Section: "dashboards"}, d, nil
}

// ConsolidationDashboard serves /dashboards/consolidation: capabilities where councils run the most different components, most fragmented first.
func (s *Site) ConsolidationDashboard(c *gin.Context) {
	s.serve(c, "consolidation", func(c *gin.Context) (meta, any, error) {
		eng, err := s.store.Engine(c.Request.Context())
		if err != nil {
			return meta{}, nil, err
		}
		var items []reuse.ConsolidationItem
		for _, it := range eng.Consolidation() {
			if it.Councils > 0 { // nobody runs anything live: nothing to consolidate
				items = append(items, it)
			}
		}
		return meta{Title: "Consolidation", Section: "dashboards"}, items, nil
	})
}

// MigrationsDashboard serves /dashboards/migrations: deprecated or retired components that councils still run, and which councils.
func (s *Site) MigrationsDashboard(c *gin.Context) { s.serve(c, "migrations", s.migrations) }

// migrationRow is a component in decline, the councils still running it
// (soonest contract end first) and what councils that left it moved to.
type migrationRow struct {
	M            reuse.Migration
	Capabilities []models.Ref
	Councils     []declineCouncil // the soonest contract ends first, at most councilsShown
	More         []models.Ref     // the other councils, by name
	Moves        []models.DeclineMove
}

type declineCouncil struct {
	Council     models.Ref
	Region      string
	ContractEnd string // YYYY-MM-DD, or empty when none is recorded
}

// noEnd sorts councils with no recorded contract end after those with one.
func noEnd(d declineCouncil) int {
	if d.ContractEnd == "" {
		return 1
	}
	return 0
}

// migrationsPage is one page of the migrations, most councils first.
type migrationsPage struct {
	Rows  []migrationRow
	Pager pager
}

// DashboardPageSize is how many collaboration groups a page shows, migrationsPageSize how many migrations.
const DashboardPageSize, migrationsPageSize = 10, 10

// movesShown is how many replacements a migration lists, councilsShown how many councils.
const movesShown, councilsShown = 3, 25

func (s *Site) migrations(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	ms := eng.Migrations()
	pg := pageFor(c, len(ms), migrationsPageSize)
	ms = ms[pg.from():pg.to()]
	slugs := make([]string, len(ms))
	for i, m := range ms {
		slugs[i] = m.Component.Slug
	}
	if len(slugs) == 0 {
		return meta{Title: "Migrations", Section: "dashboards"}, migrationsPage{Pager: pg}, nil
	}
	uses, err := s.store.DeclineUses(ctx, slugs)
	if err != nil {
		return meta{}, nil, err
	}
	moves, err := s.store.DeclineMoves(ctx, slugs)
	if err != nil {
		return meta{}, nil, err
	}
	named, err := s.councilsNamed(ctx, distinct(gather(ms, func(m reuse.Migration) []string { return m.Councils })))
	if err != nil {
		return meta{}, nil, err
	}
	ends := map[[2]string]string{}
	caps := map[string][]models.Ref{}
	for _, u := range uses {
		if u.ContractEndOn != nil {
			key := [2]string{u.Component, u.Council}
			if old, ok := ends[key]; !ok || *u.ContractEndOn < old {
				ends[key] = *u.ContractEndOn
			}
		}
		ref := models.Ref{Slug: u.Capability, Name: u.CapabilityName}
		if !slices.Contains(caps[u.Component], ref) {
			caps[u.Component] = append(caps[u.Component], ref)
		}
	}
	movedTo := map[string][]models.DeclineMove{}
	for _, m := range moves {
		if len(movedTo[m.From]) < movesShown {
			movedTo[m.From] = append(movedTo[m.From], m)
		}
	}
	rows := make([]migrationRow, len(ms))
	for i, m := range ms {
		row := migrationRow{M: m, Capabilities: caps[m.Component.Slug], Moves: movedTo[m.Component.Slug]}
		for _, ref := range councilRefs(m.Councils, named) {
			row.Councils = append(row.Councils, declineCouncil{Council: ref, Region: named[ref.Slug].Region,
				ContractEnd: ends[[2]string{m.Component.Slug, ref.Slug}]})
		}
		slices.SortStableFunc(row.Councils, func(x, y declineCouncil) int { // soonest contract end first, none last
			return cmp.Or(cmp.Compare(noEnd(x), noEnd(y)), cmp.Compare(x.ContractEnd, y.ContractEnd))
		})
		if len(row.Councils) > councilsShown {
			for _, d := range row.Councils[councilsShown:] {
				row.More = append(row.More, d.Council)
			}
			slices.SortFunc(row.More, func(x, y models.Ref) int { return cmp.Compare(x.Name, y.Name) })
			row.Councils = row.Councils[:councilsShown]
		}
		rows[i] = row
	}
	return meta{Title: "Migrations", Section: "dashboards"}, migrationsPage{Rows: rows, Pager: pg}, nil
}

// CollaborationsDashboard serves /dashboards/collaborations: councils that need the same capability at about the same time and could procure or build together.
func (s *Site) CollaborationsDashboard(c *gin.Context) {
	s.serve(c, "collaborations", s.collaborations)
}

type collaborationRow struct {
	C        reuse.Collaboration
	Councils []models.Ref
}

// projectRow is a real multi-council project, its councils named.
type projectRow struct {
	P        models.Project
	Councils []models.Ref
}

// collaborationsPage holds one page of the computed groups and the real projects beside them.
type collaborationsPage struct {
	Groups   []collaborationRow
	Pager    pager
	Projects []projectRow
}

func (s *Site) collaborations(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	cs := eng.Collaborations(reuse.DefaultCollaborationWindow, s.store.Today())
	pg := pageFor(c, len(cs), DashboardPageSize)
	cs = cs[pg.from():pg.to()]
	ps, err := s.store.CollaborationProjects(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	codes := append(gather(cs, func(co reuse.Collaboration) []string { return co.Councils }),
		gather(ps, func(p models.Project) []string { return p.Councils })...)
	named, err := s.councilsNamed(ctx, distinct(codes))
	if err != nil {
		return meta{}, nil, err
	}
	page := collaborationsPage{Pager: pg, Groups: make([]collaborationRow, len(cs)), Projects: make([]projectRow, len(ps))}
	for i, co := range cs {
		page.Groups[i] = collaborationRow{C: co, Councils: councilRefs(co.Councils, named)}
	}
	for i, p := range ps {
		page.Projects[i] = projectRow{P: p, Councils: councilRefs(p.Councils, named)}
	}
	return meta{Title: "Collaborations", Section: "dashboards"}, page, nil
}

// councilRefs names councils by code, in name order.
func councilRefs(codes []string, named map[string]models.Council) []models.Ref {
	out := make([]models.Ref, len(codes))
	for i, code := range codes {
		out[i] = models.Ref{Slug: code, Name: cmp.Or(named[code].Name, code)}
	}
	slices.SortFunc(out, func(x, y models.Ref) int { return cmp.Compare(x.Name, y.Name) })
	return out
}

// pager is a dashboard's page of a list computed in memory: ?page=N, from 1.
type pager struct {
	Page, Pages, Total, Size int
	Path                     string
}

// pageFor reads ?page; anything not a page number in range shows the nearest page.
func pageFor(c *gin.Context, total, size int) pager {
	p := pager{Total: total, Size: size, Pages: max(1, (total+size-1)/size), Path: c.Request.URL.Path}
	n, err := strconv.Atoi(c.Query("page"))
	if err != nil {
		n = 1
	}
	p.Page = min(max(n, 1), p.Pages)
	return p
}

func (p pager) from() int { return min((p.Page-1)*p.Size, p.Total) }
func (p pager) to() int   { return min(p.Page*p.Size, p.Total) }

// Numbers are the page links to show: the first, the last and two either side of this one; 0 is a gap.
func (p pager) Numbers() []int {
	var out []int
	for n := 1; n <= p.Pages; n++ {
		switch {
		case n == 1 || n == p.Pages || (n >= p.Page-2 && n <= p.Page+2):
			out = append(out, n)
		case len(out) > 0 && out[len(out)-1] != 0:
			out = append(out, 0)
		}
	}
	return out
}

// First and Last are the ordinal positions of this page's rows, for "20 to 40 of 502".
func (p pager) First() int { return p.from() + 1 }
func (p pager) Last() int  { return p.to() }
