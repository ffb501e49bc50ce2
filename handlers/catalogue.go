package handlers

import (
	"context"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// CatalogueStore is what the catalogue handlers need from storage.
type CatalogueStore interface {
	ListCouncils(ctx context.Context, f models.CouncilFilter, p models.Page) (models.List[models.Council], error)
	CouncilPlaces(ctx context.Context) (regions, nations []string, err error)
	GetCouncil(ctx context.Context, code string) (models.Council, error)

	ListVendors(ctx context.Context, p models.Page) (models.List[models.Vendor], error)
	GetVendor(ctx context.Context, slug string) (models.Vendor, error)
	CreateVendor(ctx context.Context, actor models.Actor, in models.VendorInput) (models.Vendor, error)
	UpdateVendor(ctx context.Context, actor models.Actor, slug string, in models.VendorInput, ifVersion *int) (models.Vendor, error)
	DeleteVendor(ctx context.Context, actor models.Actor, slug string, ifVersion *int) error

	ListCapabilities(ctx context.Context, f models.CapabilityFilter, p models.Page) (models.List[models.Capability], error)
	GetCapability(ctx context.Context, slug string) (models.Capability, error)
	CreateCapability(ctx context.Context, actor models.Actor, in models.CapabilityInput) (models.Capability, error)
	UpdateCapability(ctx context.Context, actor models.Actor, slug string, in models.CapabilityInput, ifVersion *int) (models.Capability, error)
	DeleteCapability(ctx context.Context, actor models.Actor, slug string, ifVersion *int) error

	ListComponents(ctx context.Context, f models.ComponentFilter, p models.Page) (models.List[models.Component], error)
	GetComponent(ctx context.Context, slug string) (models.Component, error)
	CreateComponent(ctx context.Context, actor models.Actor, in models.ComponentInput) (models.Component, error)
	UpdateComponent(ctx context.Context, actor models.Actor, slug string, in models.ComponentInput, ifVersion *int) (models.Component, error)
	DeleteComponent(ctx context.Context, actor models.Actor, slug string, ifVersion *int) error
}

// Catalogue serves councils, vendors, capabilities and components.
type Catalogue struct {
	Store CatalogueStore
}

// ListCouncils godoc
//
//	@Summary		List councils
//	@Description	UK local authorities from mySociety's register, in GSS code order. Current councils only unless status says otherwise.
//	@Tags			councils
//	@Produce		json
//	@Param			type	query		string	false	"council type slug, e.g. london-borough"
//	@Param			region	query		string	false	"region, e.g. London or Scotland (any case); one no current council is in is 400"
//	@Param			nation	query		string	false	"England, Scotland, Wales or Northern Ireland (any case)"
//	@Param			q		query		string	false	"part of the council's name, or its code"
//	@Param			status	query		string	false	"current (default), former or all"	Enums(current, former, all)
//	@Param			limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor	query		string	false	"opaque cursor from a previous page's next link"
//	@Success		200		{object}	ListBody[models.Council]
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/councils [get]
func (h *Catalogue) ListCouncils(c *gin.Context) {
	var regions, nations []string // read only when a place is asked for
	if strings.TrimSpace(c.Query("region")+c.Query("nation")) != "" {
		var err error
		if regions, nations, err = h.Store.CouncilPlaces(c.Request.Context()); err != nil {
			WriteError(c, err)
			return
		}
	}
	q := query{c: c}
	f := models.CouncilFilter{
		Type: q.enum("type", models.CouncilTypeSlugs()), Region: q.oneOf("region", regions), Nation: q.oneOf("nation", nations),
		Q: q.search("q"), Status: q.enum("status", models.CouncilStatuses),
	}
	listBy(c, &q, f, scopedList(c, h.Store.ListCouncils))
}

// GetCouncil godoc
//
//	@Summary	Get a council
//	@Tags		councils
//	@Produce	json
//	@Param		code	path		string	true	"ONS GSS code, e.g. E09000022"
//	@Success	200		{object}	models.Council
//	@Failure	404		{object}	Problem
//	@Router		/api/v1/councils/{code} [get]
func (h *Catalogue) GetCouncil(c *gin.Context) {
	getResource(c, pathKey("code"), scoped(c, h.Store.GetCouncil))
}

// ListVendors godoc
//
//	@Summary	List vendors
//	@Tags		vendors
//	@Produce	json
//	@Param		limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor	query		string	false	"opaque cursor from a previous page's next link"
//	@Success	200		{object}	ListBody[models.Vendor]
//	@Failure	400		{object}	Problem
//	@Router		/api/v1/vendors [get]
func (h *Catalogue) ListVendors(c *gin.Context) {
	listPage(c, &query{c: c}, h.Store.ListVendors)
}

// GetVendor godoc
//
//	@Summary	Get a vendor
//	@Tags		vendors
//	@Produce	json
//	@Param		slug	path		string	true	"vendor slug"
//	@Success	200		{object}	models.Vendor
//	@Failure	404		{object}	Problem
//	@Router		/api/v1/vendors/{slug} [get]
func (h *Catalogue) GetVendor(c *gin.Context) {
	getResource(c, pathKey("slug"), h.Store.GetVendor)
}

// CreateVendor godoc
//
//	@Summary	Create a vendor
//	@Tags		vendors
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		vendor	body		models.VendorInput	true	"slug, name and website are required"
//	@Success	201		{object}	models.Vendor
//	@Header	201		{string}	Location "the new resource's path"
//	@Failure	400		{object}	Problem
//	@Failure	401		{object}	Problem
//	@Failure	409		{object}	Problem
//	@Failure	413		{object}	Problem
//	@Router		/api/v1/vendors [post]
func (h *Catalogue) CreateVendor(c *gin.Context) {
	createResource(c, h.Store.CreateVendor, func(v models.Vendor) string { return "/api/v1/vendors/" + v.Slug })
}

// UpdateVendor godoc
//
//	@Summary	Update a vendor
//	@Tags		vendors
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		slug		path		string				true	"vendor slug"
//	@Param		If-Match	header		string				false	"ETag from a previous GET (compared strongly); a stale or weak one gets 412 and nothing is written"
//	@Param		vendor		body		models.VendorInput	true	"fields to change"
//	@Success	200			{object}	models.Vendor
//	@Failure	400			{object}	Problem
//	@Failure	401			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Router		/api/v1/vendors/{slug} [patch]
func (h *Catalogue) UpdateVendor(c *gin.Context) {
	updateResource(c, pathKey("slug"), h.Store.GetVendor, func(v models.Vendor) int { return v.Version }, h.Store.UpdateVendor)
}

// DeleteVendor godoc
//
//	@Summary	Delete a vendor that lists no components
//	@Tags		vendors
//	@Security	BearerAuth
//	@Param		slug		path	string	true	"vendor slug"
//	@Param		If-Match	header	string	false	"ETag from a previous GET (compared strongly); a stale or weak one gets 412 and nothing is deleted"
//	@Success	204
//	@Failure	401	{object}	Problem
//	@Failure	404	{object}	Problem
//	@Failure	409	{object}	Problem
//	@Failure	412	{object}	Problem
//	@Router		/api/v1/vendors/{slug} [delete]
func (h *Catalogue) DeleteVendor(c *gin.Context) {
	deleteResource(c, pathKey("slug"), h.Store.GetVendor, func(v models.Vendor) int { return v.Version }, h.Store.DeleteVendor)
}

// ListCapabilities godoc
//
//	@Summary	List capabilities
//	@Tags		capabilities
//	@Produce	json
//	@Param		category	query		string	false	"category slug, e.g. payments"
//	@Param		limit		query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor		query		string	false	"opaque cursor from a previous page's next link"
//	@Success	200			{object}	ListBody[models.Capability]
//	@Failure	400			{object}	Problem
//	@Router		/api/v1/capabilities [get]
func (h *Catalogue) ListCapabilities(c *gin.Context) {
	q := query{c: c}
	f := models.CapabilityFilter{Category: q.slug("category")}
	listBy(c, &q, f, h.Store.ListCapabilities)
}

// GetCapability godoc
//
//	@Summary	Get a capability
//	@Tags		capabilities
//	@Produce	json
//	@Param		slug	path		string	true	"capability slug"
//	@Success	200		{object}	models.Capability
//	@Failure	404		{object}	Problem
//	@Router		/api/v1/capabilities/{slug} [get]
func (h *Catalogue) GetCapability(c *gin.Context) {
	getResource(c, pathKey("slug"), h.Store.GetCapability)
}

// CreateCapability godoc
//
//	@Summary	Create a capability
//	@Tags		capabilities
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		capability	body		models.CapabilityInput	true	"slug, name, category and description are required"
//	@Success	201			{object}	models.Capability
//	@Header	201			{string}	Location "the new resource's path"
//	@Failure	400			{object}	Problem
//	@Failure	401			{object}	Problem
//	@Failure	409			{object}	Problem
//	@Router		/api/v1/capabilities [post]
func (h *Catalogue) CreateCapability(c *gin.Context) {
	createResource(c, h.Store.CreateCapability, func(v models.Capability) string { return "/api/v1/capabilities/" + v.Slug })
}

// UpdateCapability godoc
//
//	@Summary	Update a capability
//	@Tags		capabilities
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		slug		path		string					true	"capability slug"
//	@Param		If-Match	header		string					false	"ETag from a previous GET (compared strongly); a stale or weak one gets 412 and nothing is written"
//	@Param		capability	body		models.CapabilityInput	true	"fields to change"
//	@Success	200			{object}	models.Capability
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Router		/api/v1/capabilities/{slug} [patch]
func (h *Catalogue) UpdateCapability(c *gin.Context) {
	updateResource(c, pathKey("slug"), h.Store.GetCapability, func(v models.Capability) int { return v.Version }, h.Store.UpdateCapability)
}

// DeleteCapability godoc
//
//	@Summary	Delete a capability nothing refers to
//	@Tags		capabilities
//	@Security	BearerAuth
//	@Param		slug		path	string	true	"capability slug"
//	@Param		If-Match	header	string	false	"ETag from a previous GET (compared strongly); a stale or weak one gets 412 and nothing is deleted"
//	@Success	204
//	@Failure	404	{object}	Problem
//	@Failure	409	{object}	Problem
//	@Failure	412	{object}	Problem
//	@Router		/api/v1/capabilities/{slug} [delete]
func (h *Catalogue) DeleteCapability(c *gin.Context) {
	deleteResource(c, pathKey("slug"), h.Store.GetCapability, func(v models.Capability) int { return v.Version }, h.Store.DeleteCapability)
}

// ListComponents godoc
//
//	@Summary		List or search components
//	@Description	Without q, components in slug order. With q, a full-text search over name, summary, description, capability and vendor names, best match first (an exact name match ranks first).
//	@Tags			components
//	@Produce		json
//	@Param			capability	query		string	false	"capability slug"
//	@Param			vendor		query		string	false	"vendor slug"
//	@Param			lifecycle	query		string	false	"lifecycle"	Enums(alpha, beta, live, deprecated, retired)
//	@Param			open_source	query		bool	false	"only open-source (true) or closed (false) components"
//	@Param			hosting		query		string	false	"hosting"	Enums(saas, self-hosted, hybrid, unknown)
//	@Param			standard	query		string	false	"standard slug the component implements, e.g. open-referral-uk"
//	@Param			q			query		string	false	"full-text query"
//	@Param			limit		query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor		query		string	false	"opaque cursor from a previous page's next link"
//	@Success		200			{object}	ListBody[models.Component]
//	@Failure		400			{object}	Problem
//	@Router			/api/v1/components [get]
func (h *Catalogue) ListComponents(c *gin.Context) {
	q := query{c: c}
	f := models.ComponentFilter{
		Capability: q.slug("capability"), Vendor: q.slug("vendor"), Standard: q.slug("standard"),
		Lifecycle: q.enum("lifecycle", models.Lifecycles), Hosting: q.enum("hosting", models.HostingKinds),
		OpenSource: q.boolean("open_source"), Q: q.search("q"),
	}
	list := h.Store.ListComponents
	if f.Q == "" { // search ranks by adopters: any adoption may reorder it
		list = scopedList(c, list, models.ComponentsScope)
	}
	listBy(c, &q, f, list)
}

// GetComponent godoc
//
//	@Summary	Get a component
//	@Tags		components
//	@Produce	json
//	@Param		slug	path		string	true	"component slug"
//	@Success	200		{object}	models.Component
//	@Failure	404		{object}	Problem
//	@Router		/api/v1/components/{slug} [get]
func (h *Catalogue) GetComponent(c *gin.Context) {
	getResource(c, pathKey("slug"), scoped(c, h.Store.GetComponent))
}

// CreateComponent godoc
//
//	@Summary		Create a component
//	@Description	Unknown vendor, capability or depends_on slugs are 422; malformed fields, and a component depending on itself, are 400.
//	@Tags			components
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			component	body		models.ComponentInput	true	"slug, name, summary, vendor, capabilities and lifecycle are required"
//	@Success		201			{object}	models.Component
//	@Header		201			{string}	Location "the new resource's path"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Failure		413			{object}	Problem
//	@Failure		422			{object}	Problem
//	@Router			/api/v1/components [post]
func (h *Catalogue) CreateComponent(c *gin.Context) {
	createResource(c, h.Store.CreateComponent, func(v models.Component) string { return "/api/v1/components/" + v.Slug })
}

// UpdateComponent godoc
//
//	@Summary		Update a component
//	@Description	depends_on naming the component itself is 400; naming a component that already depends on this one, however indirectly, is 409, with the cycle it would make.
//	@Tags			components
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			slug		path		string					true	"component slug"
//	@Param			If-Match	header		string					false	"ETag from a previous GET (compared strongly); a stale or weak one gets 412 and nothing is written"
//	@Param			component	body		models.ComponentInput	true	"fields to change; null clears licence and URLs"
//	@Success		200			{object}	models.Component
//	@Failure		400			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem	"depends_on would make a dependency cycle"
//	@Failure		412			{object}	Problem
//	@Failure		422			{object}	Problem
//	@Router			/api/v1/components/{slug} [patch]
func (h *Catalogue) UpdateComponent(c *gin.Context) {
	updateResource(c, pathKey("slug"), h.Store.GetComponent, func(v models.Component) int { return v.Version }, h.Store.UpdateComponent)
}

// DeleteComponent godoc
//
//	@Summary	Delete a component nobody has adopted or depends on
//	@Tags		components
//	@Security	BearerAuth
//	@Param		slug		path	string	true	"component slug"
//	@Param		If-Match	header	string	false	"ETag from a previous GET (compared strongly); a stale or weak one gets 412 and nothing is deleted"
//	@Success	204
//	@Failure	404	{object}	Problem
//	@Failure	409	{object}	Problem
//	@Failure	412	{object}	Problem
//	@Router		/api/v1/components/{slug} [delete]
func (h *Catalogue) DeleteComponent(c *gin.Context) {
	deleteResource(c, pathKey("slug"), h.Store.GetComponent, func(v models.Component) int { return v.Version }, h.Store.DeleteComponent)
}
