package web

import (
	"cmp"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
)

// Dashboards serves /dashboards, the dashboards for central teams: coverage, consolidation, migrations and collaborations.
func (s *Site) Dashboards(c *gin.Context) {
	s.serve(c, "dashboards", func(*gin.Context) (meta, any, error) {
		return meta{Title: "Dashboards for central teams", Section: "dashboards"}, nil, nil
	})
}

// CoverageDashboard serves /dashboards/coverage, a heat map: for each capability and region, the share of councils running it live.
func (s *Site) CoverageDashboard(c *gin.Context) { s.serve(c, "coverage", s.coverage) }

type coverageData struct {
	Regions []models.CoverageGroup // column headers, with each region's council count
	Rows    []coverageRow
	Bands   []heatBand
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
	d := coverageData{Bands: heatBands}
	if len(items) > 0 {
		d.Regions = sortedGroups(items[0].Breakdown)
	}
	slices.SortStableFunc(items, func(x, y models.CoverageItem) int {
		return cmp.Or(cmp.Compare(y.Share, x.Share), cmp.Compare(x.Capability.Name, y.Capability.Name))
	})
	for _, it := range items {
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

type migrationRow struct {
	M        reuse.Migration
	Councils []models.Ref
}

func (s *Site) migrations(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	ms := eng.Migrations()
	named, err := s.store.CouncilsByCode(ctx, gather(ms, func(m reuse.Migration) []string { return m.Councils }))
	if err != nil {
		return meta{}, nil, err
	}
	rows := make([]migrationRow, len(ms))
	for i, m := range ms {
		rows[i] = migrationRow{M: m, Councils: councilRefs(m.Councils, named)}
	}
	return meta{Title: "Migrations", Section: "dashboards"}, rows, nil
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

// collaborationsPage holds the computed groups and the real projects beside them.
type collaborationsPage struct {
	Groups   []collaborationRow
	Projects []projectRow
}

func (s *Site) collaborations(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	cs := eng.Collaborations(reuse.DefaultCollaborationWindow, s.store.Today())
	ps, err := s.store.CollaborationProjects(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	codes := append(gather(cs, func(co reuse.Collaboration) []string { return co.Councils }),
		gather(ps, func(p models.Project) []string { return p.Councils })...)
	named, err := s.store.CouncilsByCode(ctx, codes)
	if err != nil {
		return meta{}, nil, err
	}
	page := collaborationsPage{Groups: make([]collaborationRow, len(cs)), Projects: make([]projectRow, len(ps))}
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
