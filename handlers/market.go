package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
)

// Market intelligence: what retiring a component touches, the contracts coming up for renewal
// with what peers run instead, and how concentrated each capability's supply is.

// Impact godoc
//
//	@Summary		What retiring a component would touch
//	@Description	The components that depend on it through depends_on (transitively; any dependency loop met is reported in cycles, never followed twice), the in-use adoptions of it and its dependents by current councils with their status and contract end, and the capabilities those councils would be left without any live component for, each with what their closest peers run live instead.
//	@Tags			market
//	@Produce		json
//	@Param			slug	path		string	true	"component slug"
//	@Success		200		{object}	reuse.Impact
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/components/{slug}/impact [get]
func (h *Reuse) Impact(c *gin.Context) {
	eng := h.engineFor(c)
	if eng == nil {
		return
	}
	slug := c.Param("slug")
	impact, err := eng.Impact(slug)
	if errors.Is(err, reuse.ErrUnknownComponent) {
		err = models.NotFound("component", slug)
	}
	if err != nil {
		WriteError(c, err)
		return
	}
	c.JSON(http.StatusOK, impact)
}

// renewalMonths reads the renewal window: 1 to 60 months, 18 by default.
func renewalMonths(q *query) int {
	return q.intIn("window_months", reuse.DefaultRenewalMonths, 1, 60)
}

// CouncilRenewals godoc
//
//	@Summary		A council's contracts ending soon, with the alternatives and a procurement group
//	@Description	The council's in-use adoptions whose contract ends between today and window_months ahead, soonest first. Each lists what the council's closest peers run live and vouched for (verified, or on public evidence) for that capability instead, and the other councils whose contracts for it end within six months of it. JSON, or CSV with Accept: text/csv or format=csv.
//	@Tags			market
//	@Produce		json
//	@Produce		text/csv
//	@Param			code			path		string	true	"council GSS code"
//	@Param			window_months	query		int		false	"how far ahead, 1 to 60 months (default 18)"
//	@Param			format			query		string	false	"json or csv (overrides Accept)"	Enums(json, csv)
//	@Success		200				{object}	ListBody[reuse.Renewal]
//	@Failure		400				{object}	Problem
//	@Failure		404				{object}	Problem
//	@Router			/api/v1/councils/{code}/renewals [get]
func (h *Reuse) CouncilRenewals(c *gin.Context) {
	q := query{c: c}
	months := renewalMonths(&q)
	q.enum("format", formats)
	ranked(h, c, &q, func(eng *reuse.Engine, code string) ([]reuse.Renewal, error) {
		return eng.CouncilRenewals(code, h.Store.Today(), months)
	})
}

// CouncilRenewalsICS godoc
//
//	@Summary		A council's contracts ending soon, as an iCalendar feed
//	@Description	The renewals of /api/v1/councils/{code}/renewals as all-day events (RFC 5545) on each contract's end date, each describing the alternatives and the procurement group.
//	@Tags			market
//	@Produce		text/calendar
//	@Param			code			path		string	true	"council GSS code"
//	@Param			window_months	query		int		false	"how far ahead, 1 to 60 months (default 18)"
//	@Success		200				{string}	string	"the iCalendar feed"
//	@Failure		400				{object}	Problem
//	@Failure		404				{object}	Problem
//	@Router			/api/v1/councils/{code}/renewals.ics [get]
func (h *Reuse) CouncilRenewalsICS(c *gin.Context) {
	q := query{c: c}
	months := renewalMonths(&q)
	eng := h.engineAfter(c, &q)
	if eng == nil {
		return
	}
	code := c.Param("code")
	items, err := eng.CouncilRenewals(code, h.Store.Today(), months)
	if err != nil {
		WriteError(c, engineError(code, err))
		return
	}
	h.writeCalendar(c, "Contract renewals: "+code, items)
}

// Renewals godoc
//
//	@Summary		Every council's contracts ending soon, with the alternatives and procurement groups
//	@Description	All current councils' in-use adoptions whose contract ends between today and window_months ahead, soonest first (then by council, capability and component), each described as in /api/v1/councils/{code}/renewals. Paged. JSON, or CSV with Accept: text/csv or format=csv.
//	@Tags			market
//	@Produce		json
//	@Produce		text/csv
//	@Param			window_months	query		int		false	"how far ahead, 1 to 60 months (default 18)"
//	@Param			limit			query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor			query		string	false	"opaque cursor"
//	@Param			format			query		string	false	"json or csv (overrides Accept)"	Enums(json, csv)
//	@Success		200				{object}	ListBody[reuse.Renewal]
//	@Failure		400				{object}	Problem
//	@Router			/api/v1/market/renewals [get]
func (h *Reuse) Renewals(c *gin.Context) {
	q := query{c: c}
	months := renewalMonths(&q)
	p := q.page()
	eng := h.engineAfter(c, &q)
	if eng == nil {
		return
	}
	offset, limit, err := pageBounds(p)
	if err != nil {
		WriteError(c, err)
		return
	}
	items, total := eng.Renewals(h.Store.Today(), months, offset, limit)
	list := models.List[reuse.Renewal]{Items: items, Total: total}
	if end := offset + len(items); end < total {
		list.Next = models.OffsetCursor(end)
	}
	writeList(c, list)
}

// RenewalsICS godoc
//
//	@Summary		Every council's contracts ending soon, as an iCalendar feed
//	@Description	The national renewal calendar of /api/v1/market/renewals as all-day events (RFC 5545), soonest first: the first limit of them, as a calendar cannot be paged.
//	@Tags			market
//	@Produce		text/calendar
//	@Param			window_months	query		int		false	"how far ahead, 1 to 60 months (default 18)"
//	@Param			limit			query		int		false	"how many events, 1 to 1000 (default 500)"
//	@Success		200				{string}	string	"the iCalendar feed"
//	@Failure		400				{object}	Problem
//	@Router			/api/v1/market/renewals.ics [get]
func (h *Reuse) RenewalsICS(c *gin.Context) {
	q := query{c: c}
	months := renewalMonths(&q)
	limit := q.intIn("limit", 500, 1, 1000)
	eng := h.engineAfter(c, &q)
	if eng == nil {
		return
	}
	items, _ := eng.Renewals(h.Store.Today(), months, 0, limit)
	h.writeCalendar(c, "Contract renewals: all councils", items)
}

// writeCalendar sends renewals as an iCalendar feed: one all-day event per contract end.
func (h *Reuse) writeCalendar(c *gin.Context, name string, items []reuse.Renewal) {
	cal := ics.NewCalendarFor("UK Council Components Registry")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	stamp := h.Store.Today()
	for _, r := range items {
		end, err := time.Parse(time.DateOnly, r.ContractEndOn)
		if err != nil {
			WriteError(c, err)
			return
		}
		ev := cal.AddEvent(fmt.Sprintf("adoption-%d-contract-end@%s", r.AdoptionID, c.Request.Host))
		ev.SetDtStampTime(stamp)
		ev.SetAllDayStartAt(end)
		ev.SetAllDayEndAt(end.AddDate(0, 0, 1))
		ev.SetSummary(fmt.Sprintf("%s: %s contract for %s ends", r.Council.Name, r.Component.Name, r.Capability.Name))
		ev.SetDescription(RenewalDescription(r))
		ev.SetURL(origin(c) + "/councils/" + r.Council.Code + "/renewals")
	}
	c.Header("Content-Type", "text/calendar; charset=utf-8")
	c.Status(http.StatusOK)
	_ = cal.SerializeTo(c.Writer)
}

// RenewalDescription says in words what peers run instead and who could procure together.
func RenewalDescription(r reuse.Renewal) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s's contract for %s (%s, from %s) ends on %s.\n", r.Council.Name, r.Capability.Name, r.Component.Name, r.Vendor.Name, r.ContractEndOn)
	if len(r.Alternatives) == 0 {
		b.WriteString("Alternatives: none of its closest peers runs another component live for this.\n")
	} else {
		names := make([]string, len(r.Alternatives))
		for i, a := range r.Alternatives {
			names[i] = fmt.Sprintf("%s (%d of its closest peers)", a.Component.Name, len(a.Peers))
		}
		b.WriteString("Alternatives: " + strings.Join(names, "; ") + ".\n")
	}
	if r.GroupSize > 0 {
		names := make([]string, len(r.Group))
		for i, g := range r.Group {
			names[i] = fmt.Sprintf("%s (%s)", g.Council.Name, g.ContractEndOn)
		}
		fmt.Fprintf(&b, "Procurement group: %d other councils' contracts end within six months: %s.\n", r.GroupSize, strings.Join(names, ", "))
	}
	return b.String()
}

// Concentration godoc
//
//	@Summary		How concentrated each capability's supply is among vendors
//	@Description	Per capability, over the current councils (of one region, if given) that run something live for it: each vendor's share of those councils (in-house builds counted apart; an adoption's contract_supplier, where set, counts in place of its component's vendor), the Herfindahl-Hirschman index over vendors (0 to 10,000), the largest vendor's share, and the councils single-sourced for it whose contract ends within horizon_months. Most concentrated first. Paged. JSON, or CSV with Accept: text/csv or format=csv.
//	@Tags			market
//	@Produce		json
//	@Produce		text/csv
//	@Param			region			query		string	false	"only councils of this region, e.g. London"
//	@Param			capability		query		string	false	"only this capability (slug)"
//	@Param			horizon_months	query		int		false	"how far ahead single-sourced contracts count, 1 to 120 months (default 18)"
//	@Param			limit			query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor			query		string	false	"opaque cursor"
//	@Param			format			query		string	false	"json or csv (overrides Accept)"	Enums(json, csv)
//	@Success		200				{object}	ListBody[reuse.Concentration]
//	@Failure		400				{object}	Problem
//	@Router			/api/v1/market/concentration [get]
func (h *Reuse) Concentration(c *gin.Context) {
	eng := h.engineFor(c)
	if eng == nil {
		return
	}
	items, _, err := ConcentrationQuery(c, eng, h.Store.Today())
	if err != nil {
		WriteError(c, err)
		return
	}
	writePage(c, items)
}

// ConcentrationQuery reads region, capability and horizon_months as the API does and answers
// them, so the dashboard page gives the same answers and the same problems. horizon is the
// horizon answered for (the default when horizon_months is absent or refused).
func ConcentrationQuery(c *gin.Context, eng *reuse.Engine, today time.Time) (items []reuse.Concentration, horizon int, err error) {
	q := query{c: c}
	region := q.str("region")
	capability := q.slug("capability")
	horizon = q.intIn("horizon_months", reuse.DefaultRenewalMonths, 1, 120)
	if region != "" && !eng.HasRegion(region) {
		q.p.Add("region", "no council is in region %q", region)
	}
	if capability != "" && !eng.HasCapability(capability) {
		q.p.Add("capability", "no capability has the slug %q", capability)
	}
	if err := q.err(); err != nil {
		return nil, horizon, err
	}
	return eng.Concentration(region, capability, today, horizon), horizon, nil
}
