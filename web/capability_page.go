package web

import (
	"cmp"
	"slices"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
	"github.com/gin-gonic/gin"
)

// Capability serves /capabilities/{slug}: components ranked by live adoption, and coverage by nation and region.
func (s *Site) Capability(c *gin.Context) { s.serve(c, "capability", s.capability) }

type capabilityData struct {
	Cap     models.Capability
	Ranked  []models.ComponentUse
	Unused  []models.Component // provide it, but no council runs them live for it
	Overall models.CoverageItem
	Nations []models.CoverageGroup
	Regions []models.CoverageGroup
	// Concentration is how concentrated its supply is among vendors (market.go).
	Concentration *reuse.Concentration
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
	if d.Concentration, err = s.concentrationOf(ctx, capability.Slug); err != nil {
		return meta{}, nil, err
	}
	return meta{Title: capability.Name, Section: "capabilities"}, d, nil
}

func sortedGroups(gs []models.CoverageGroup) []models.CoverageGroup {
	gs = slices.Clone(gs)
	slices.SortFunc(gs, func(x, y models.CoverageGroup) int { return cmp.Compare(x.Group, y.Group) })
	return gs
}
