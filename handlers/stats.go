package handlers

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// StatsStore is what the statistics handlers need from storage.
type StatsStore interface {
	Coverage(ctx context.Context, by, capability string) ([]models.CoverageItem, error)
	AdoptionsOverTime(ctx context.Context, component, capability string) ([]models.MonthCount, error)
}

// Stats serves adoption statistics for central teams.
type Stats struct {
	Store StatsStore
}

// CoverageBody is the coverage report.
type CoverageBody struct {
	By    string                `json:"by,omitempty" example:"nation"`
	Items []models.CoverageItem `json:"items"`
}

// Coverage godoc
//
//	@Summary		Coverage: for each capability, how many councils have it live
//	@Description	Counted over current councils that deliver services (not combined authorities or the GLA), with a share of them, optionally broken down by nation, region or council type. Send Accept: text/csv for CSV.
//	@Tags			statistics
//	@Produce		json
//	@Produce		text/csv
//	@Param			by			query		string	false	"breakdown"	Enums(nation, region, type)
//	@Param			capability	query		string	false	"just this capability"
//	@Success		200			{object}	CoverageBody
//	@Failure		400			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Router			/api/v1/stats/coverage [get]
func (h *Stats) Coverage(c *gin.Context) {
	q := query{c: c}
	by, capability := q.enum("by", models.CoverageBreakdowns), q.slug("capability")
	q.enum("format", formats)
	items, ok := read(c, &q, func(ctx context.Context) ([]models.CoverageItem, error) { return h.Store.Coverage(ctx, by, capability) })
	if !ok {
		return
	}
	if wantsCSV(c) {
		rows := [][]string{{"capability", "capability_name", "category", "group", "live_councils", "councils", "share"}}
		for _, it := range items {
			rows = append(rows, []string{it.Capability.Slug, it.Capability.Name, it.Category, "all",
				strconv.Itoa(it.LiveCouncils), strconv.Itoa(it.Councils), formatShare(it.Share)})
			for _, g := range it.Breakdown {
				rows = append(rows, []string{it.Capability.Slug, it.Capability.Name, it.Category, g.Group,
					strconv.Itoa(g.LiveCouncils), strconv.Itoa(g.Councils), formatShare(g.Share)})
			}
		}
		writeCSV(c, "coverage.csv", rows)
		return
	}
	c.JSON(http.StatusOK, CoverageBody{By: by, Items: items})
}

// AdoptionsOverTimeBody is live adoptions per month.
type AdoptionsOverTimeBody struct {
	Component  string              `json:"component,omitempty"`
	Capability string              `json:"capability,omitempty"`
	Items      []models.MonthCount `json:"items"`
}

// AdoptionsOverTime godoc
//
//	@Summary		Live adoptions per month, for a component or a capability
//	@Description	For each month from the first adoption to now, how many adoptions were live during it. Send Accept: text/csv for CSV.
//	@Tags			statistics
//	@Produce		json
//	@Produce		text/csv
//	@Param			component	query		string	false	"component slug (this or capability is required)"
//	@Param			capability	query		string	false	"capability slug"
//	@Success		200			{object}	AdoptionsOverTimeBody
//	@Failure		400			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Router			/api/v1/stats/adoptions [get]
func (h *Stats) AdoptionsOverTime(c *gin.Context) {
	q := query{c: c}
	component, capability := q.slug("component"), q.slug("capability")
	q.enum("format", formats)
	if (component == "") == (capability == "") && q.err() == nil {
		for _, name := range []string{"component", "capability"} { // either would mend it
			q.p.Add(name, "give exactly one of component or capability")
		}
	}
	months, ok := read(c, &q, func(ctx context.Context) ([]models.MonthCount, error) {
		return h.Store.AdoptionsOverTime(ctx, component, capability)
	})
	if !ok {
		return
	}
	if wantsCSV(c) {
		rows := [][]string{{"month", "live"}}
		for _, m := range months {
			rows = append(rows, []string{m.Month, strconv.Itoa(m.Live)})
		}
		writeCSV(c, "adoptions.csv", rows)
		return
	}
	c.JSON(http.StatusOK, AdoptionsOverTimeBody{Component: component, Capability: capability, Items: months})
}

func formatShare(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
