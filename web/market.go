package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
)

// Market intelligence pages: a council's renewal calendar, the supplier concentration
// dashboard, and (on the component page) what retiring a component would touch.

// renewalWindows are the windows a council's renewal page offers, in months.
var renewalWindows = []int{6, 12, 18, 24, 36}

// CouncilRenewalsPage serves /councils/{code}/renewals: the council's contracts ending in the
// window, each with what its closest peers run instead and who could procure with it.
func (s *Site) CouncilRenewalsPage(c *gin.Context) { s.serve(c, "renewals", s.councilRenewals) }

type renewalsData struct {
	C       models.Council
	Months  int
	Windows []int
	Items   []reuse.Renewal
	Error   *fieldError
}

func (s *Site) councilRenewals(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	council, err := s.store.GetCouncil(ctx, c.Param("code"))
	if err != nil {
		return meta{}, nil, err
	}
	d := renewalsData{C: council, Windows: renewalWindows}
	m := meta{Title: "Contract renewals: " + council.Name, Section: "councils"}
	q := handlers.NewQuery(c)
	if d.Months = q.RenewalMonths(); q.Err() != nil {
		d.Error = &fieldError{ID: "window_months", Message: "Choose a window from 1 to 60 months"}
		m.Status = http.StatusBadRequest
		return m, d, nil
	}
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	if d.Items, err = eng.CouncilRenewals(council.Code, s.store.Today(), d.Months); err != nil {
		return meta{}, nil, err
	}
	return m, d, nil
}

// ConcentrationDashboard serves /dashboards/concentration: per capability, how concentrated
// supply is among vendors, nationally or in one region.
func (s *Site) ConcentrationDashboard(c *gin.Context) { s.serve(c, "concentration", s.concentration) }

// dashboardSingleSourced is how many single-sourced councils the dashboard names per capability.
const dashboardSingleSourced = 3

// concentrationLabels name the dashboard's fields in its error messages.
var concentrationLabels = map[string]string{"region": "Region", "capability": "Capability", "horizon_months": "Horizon",
	"limit": "Page size", "cursor": "Page", "format": "Format"}

type concentrationData struct {
	Region  string
	Regions []string
	Horizon string // as the form shows it: the horizon answered for, or as entered when refused
	Items   []reuse.Concentration
	Error   *fieldError
}

func (s *Site) concentration(c *gin.Context) (meta, any, error) {
	eng, err := s.store.Engine(c.Request.Context())
	if err != nil {
		return meta{}, nil, err
	}
	m := meta{Title: "Supplier concentration", Section: "dashboards"}
	d := concentrationData{Region: c.Query("region"), Regions: eng.Regions()}
	items, horizon, err := handlers.ConcentrationQuery(c, eng, s.store.Today())
	d.Horizon = strconv.Itoa(horizon)
	var me *models.Error
	if errors.As(err, &me) && len(me.Fields) > 0 { // the API's problem, said on the form
		if v := c.Query("horizon_months"); v != "" {
			d.Horizon = v // shown as entered, to be put right
		}
		f := me.Fields[0]
		d.Error = &fieldError{ID: f.Field, Message: concentrationLabels[f.Field] + ": " + f.Message}
		m.Status = http.StatusBadRequest
		return m, d, nil
	}
	if err != nil {
		return meta{}, nil, err
	}
	for _, it := range items {
		if it.Councils > 0 {
			it.SingleSourced = it.SingleSourced[:min(len(it.SingleSourced), dashboardSingleSourced)] // the rest are counted
			d.Items = append(d.Items, it)
		}
	}
	return m, d, nil
}

// impactOf is what retiring comp would touch, shown on its page (the _impact partial) when it
// is deprecated or retired; nil otherwise.
func (s *Site) impactOf(ctx context.Context, comp models.Component) (*reuse.Impact, error) {
	if !models.Obsolete(comp.Lifecycle) {
		return nil, nil
	}
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return nil, err
	}
	impact, err := eng.Impact(comp.Slug)
	if err != nil {
		return nil, err
	}
	return &impact, nil
}

// concentrationOf is how concentrated the capability's supply is nationally, for its page;
// nil when no council runs anything live for it.
func (s *Site) concentrationOf(ctx context.Context, capability string) (*reuse.Concentration, error) {
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return nil, err
	}
	items := eng.Concentration("", capability, s.store.Today(), reuse.DefaultRenewalMonths)
	if len(items) != 1 || items[0].Councils == 0 {
		return nil, nil
	}
	return &items[0], nil
}
