package handlers

import (
	"context"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// PrincipalKey is where the authentication middleware keeps the caller's API key.
const PrincipalKey = "principal"

// actor is the caller behind the request's key (the zero Actor when anonymous).
func actor(c *gin.Context) models.Actor {
	if k, ok := c.Get(PrincipalKey); ok {
		return models.ActorOf(k.(models.APIKey))
	}
	return models.Actor{}
}

// AdoptionStore is what the adoption handlers need from storage.
type AdoptionStore interface {
	ListAdoptions(ctx context.Context, f models.AdoptionFilter, p models.Page) (models.List[models.Adoption], error)
	GetAdoption(ctx context.Context, id int64) (models.Adoption, error)
	CreateAdoption(ctx context.Context, actor models.Actor, in models.AdoptionInput) (models.Adoption, error)
	UpdateAdoption(ctx context.Context, actor models.Actor, id int64, in models.AdoptionInput, ifVersion *int) (models.Adoption, error)
	VerifyAdoption(ctx context.Context, actor models.Actor, id int64) (models.Adoption, error)
	RejectAdoption(ctx context.Context, actor models.Actor, id int64, reason string) (models.Adoption, error)
	ConfirmAdoption(ctx context.Context, actor models.Actor, id int64) (models.Adoption, error)
	ClearRejection(ctx context.Context, actor models.Actor, id int64) (models.Adoption, error)
	AdoptionHistory(ctx context.Context, viewer models.Actor, id int64, p models.Page) (models.List[models.AdoptionEvent], error)
	GetCouncil(ctx context.Context, code string) (models.Council, error)
	GetComponent(ctx context.Context, slug string) (models.Component, error)

	ListNeeds(ctx context.Context, f models.NeedFilter, p models.Page) (models.List[models.Need], error)
	GetNeed(ctx context.Context, id int64) (models.Need, error)
	CreateNeed(ctx context.Context, actor models.Actor, in models.NeedInput) (models.Need, error)
	UpdateNeed(ctx context.Context, actor models.Actor, id int64, in models.NeedInput, ifVersion *int) (models.Need, error)
}

// Adoptions serves adoptions and needs.
type Adoptions struct {
	Store AdoptionStore
}

// adoptionFilter reads the adoption list filters.
func adoptionFilter(q *query) models.AdoptionFilter {
	return models.AdoptionFilter{
		Council: q.str("council"), Component: q.slug("component"), Capability: q.slug("capability"),
		Status: q.enum("status", models.AdoptionStatuses), Verified: q.boolean("verified"),
		Verification: q.enum("verification", models.Verifications), Fresh: q.boolean("fresh"),
	}
}

// ListAdoptions godoc
//
//	@Summary		List adoptions
//	@Description	Adoptions in id order. Rejected vendor claims are left out unless verification=rejected.
//	@Tags			adoptions
//	@Produce		json
//	@Param			council			query		string	false	"council GSS code"
//	@Param			component		query		string	false	"component slug"
//	@Param			capability		query		string	false	"capability slug"
//	@Param			status			query		string	false	"status"	Enums(exploring, piloting, live, retiring, retired)
//	@Param			verified		query		bool	false	"only verified (true) or unverified (false) adoptions"
//	@Param			verification	query		string	false	"pending, verified or rejected"	Enums(pending, verified, rejected)
//	@Param			fresh			query		bool	false	"only adoptions confirmed within the freshness window (true), or those due for reconfirmation (false)"
//	@Param			limit			query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor			query		string	false	"opaque cursor from a previous page's next link"
//	@Success		200				{object}	ListBody[models.Adoption]
//	@Failure		400				{object}	Problem
//	@Router			/api/v1/adoptions [get]
func (h *Adoptions) ListAdoptions(c *gin.Context) {
	q := &query{c: c}
	listBy(c, q, adoptionFilter(q), h.Store.ListAdoptions)
}

// ListCouncilAdoptions godoc
//
//	@Summary		A council's adoptions
//	@Description	With fresh=false: those whose newest confirmation (the council's verification or current evidence) is older than the freshness window, due for reconfirmation with POST /api/v1/adoptions/{id}/confirm.
//	@Tags			adoptions
//	@Produce		json
//	@Param		code			path		string	true	"council GSS code"
//	@Param		status			query		string	false	"status"	Enums(exploring, piloting, live, retiring, retired)
//	@Param		verified		query		bool	false	"only verified (true) or unverified (false) adoptions"
//	@Param		verification	query		string	false	"pending, verified or rejected"	Enums(pending, verified, rejected)
//	@Param		fresh			query		bool	false	"only fresh (true) or due for reconfirmation (false)"
//	@Param		limit			query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor			query		string	false	"opaque cursor"
//	@Success	200				{object}	ListBody[models.Adoption]
//	@Failure	404				{object}	Problem
//	@Router		/api/v1/councils/{code}/adoptions [get]
func (h *Adoptions) ListCouncilAdoptions(c *gin.Context) {
	listWithin(h, c, "code", h.Store.GetCouncil, func(f *models.AdoptionFilter, code string) { f.Council = code })
}

// ListComponentAdoptions godoc
//
//	@Summary	A component's adopters
//	@Tags		adoptions
//	@Produce	json
//	@Param		slug			path		string	true	"component slug"
//	@Param		status			query		string	false	"status"	Enums(exploring, piloting, live, retiring, retired)
//	@Param		verified		query		bool	false	"only verified (true) or unverified (false) adoptions"
//	@Param		verification	query		string	false	"pending, verified or rejected"	Enums(pending, verified, rejected)
//	@Param		limit			query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor			query		string	false	"opaque cursor"
//	@Success	200				{object}	ListBody[models.Adoption]
//	@Failure	404				{object}	Problem
//	@Router		/api/v1/components/{slug}/adoptions [get]
func (h *Adoptions) ListComponentAdoptions(c *gin.Context) {
	listWithin(h, c, "slug", h.Store.GetComponent, func(f *models.AdoptionFilter, slug string) { f.Component = slug })
}

// listWithin lists the adoptions of the council or component the path parameter
// param names, narrowed by narrow; 404 when there is no such record.
func listWithin[T any](h *Adoptions, c *gin.Context, param string, get func(context.Context, string) (T, error),
	narrow func(*models.AdoptionFilter, string)) {
	key := c.Param(param)
	if _, err := get(c.Request.Context(), key); err != nil {
		WriteError(c, err)
		return
	}
	q := &query{c: c}
	f := adoptionFilter(q)
	narrow(&f, key)
	listBy(c, q, f, h.Store.ListAdoptions)
}

// GetAdoption godoc
//
//	@Summary	Get an adoption
//	@Tags		adoptions
//	@Produce	json
//	@Param		id	path		int	true	"adoption id"
//	@Success	200	{object}	models.Adoption
//	@Failure	404	{object}	Problem
//	@Router		/api/v1/adoptions/{id} [get]
func (h *Adoptions) GetAdoption(c *gin.Context) {
	getResource(c, pathID, h.Store.GetAdoption)
}

// CreateAdoption godoc
//
//	@Summary		Record an adoption
//	@Description	A council key records its own council's adoptions, verified at once. A vendor key claims an adoption of one of its own components by a council; the claim stays unverified until that council or an admin verifies it. Admins may also set source and verified, but not source evidence (400): evidence comes from harvests, so only an adoption current evidence shows may have that source. capability may be left out when the component provides only one. public_contact (an email address or an https URL of a contact page) is the council's to publish: only its key or an admin may set it (a vendor's claim gets 403).
//	@Tags			adoptions
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			adoption	body		models.AdoptionInput	true	"council, component and status are required"
//	@Success		201			{object}	models.Adoption
//	@Header		201			{string}	Location "the new resource's path"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Failure		422			{object}	Problem
//	@Router			/api/v1/adoptions [post]
func (h *Adoptions) CreateAdoption(c *gin.Context) {
	createResource(c, h.Store.CreateAdoption, func(a models.Adoption) string { return "/api/v1/adoptions/" + strconv.FormatInt(a.ID, 10) })
}

// UpdateAdoption godoc
//
//	@Summary		Update an adoption
//	@Description	Status moves forward only: exploring → piloting → live → retiring → retired (a pilot or exploration may also end as retired). To start again, record a new adoption. An admin may set source evidence only on an adoption current public evidence shows (else 400 naming source). Only the council's key or an admin may set, change or remove public_contact (403 otherwise, nothing written); send null to remove it.
//	@Tags			adoptions
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		int						true	"adoption id"
//	@Param			If-Match	header		string					false	"ETag from a previous GET (compared strongly); a stale or weak one gets 412 and nothing is written"
//	@Param			adoption	body		models.AdoptionInput	true	"fields to change"
//	@Success		200			{object}	models.Adoption
//	@Failure		400			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		422			{object}	Problem
//	@Router			/api/v1/adoptions/{id} [patch]
func (h *Adoptions) UpdateAdoption(c *gin.Context) {
	updateResource(c, pathID, h.Store.GetAdoption, func(a models.Adoption) int { return a.Version }, h.Store.UpdateAdoption)
}

// VerifyAdoption godoc
//
//	@Summary	Verify a vendor's claim (the council it is about, or an admin)
//	@Tags		adoptions
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"adoption id"
//	@Success	200	{object}	models.Adoption
//	@Failure	403	{object}	Problem
//	@Failure	404	{object}	Problem
//	@Failure	409	{object}	Problem
//	@Router		/api/v1/adoptions/{id}/verify [post]
func (h *Adoptions) VerifyAdoption(c *gin.Context) { actOn(c, pathID, h.Store.VerifyAdoption) }

// ConfirmAdoption godoc
//
//	@Summary		Reconfirm an adoption (the council it is about, or an admin)
//	@Description	Records that the council has checked the adoption is still as recorded: it becomes verified and confirmed_on today, so fresh again.
//	@Tags			adoptions
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		int	true	"adoption id"
//	@Success		200	{object}	models.Adoption
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem
//	@Router			/api/v1/adoptions/{id}/confirm [post]
func (h *Adoptions) ConfirmAdoption(c *gin.Context) { actOn(c, pathID, h.Store.ConfirmAdoption) }

// ClearRejection godoc
//
//	@Summary		Let a rejected claim be filed again (the council it is about, or an admin)
//	@Description	A vendor cannot file again a claim the council rejected (409) until this is done. The rejected record stays as history.
//	@Tags			adoptions
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		int	true	"adoption id"
//	@Success		200	{object}	models.Adoption
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem
//	@Router			/api/v1/adoptions/{id}/clear-rejection [post]
func (h *Adoptions) ClearRejection(c *gin.Context) { actOn(c, pathID, h.Store.ClearRejection) }

// RejectionInput is the optional body of a rejection.
type RejectionInput struct {
	Reason *string `json:"reason,omitempty" extensions:"x-nullable"`
}

// RejectAdoption godoc
//
//	@Summary		Reject a vendor's claim (the council it is about, or an admin)
//	@Description	The claim is kept on record as rejected, with the reason, and stops counting as an adoption.
//	@Tags			adoptions
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		int				true	"adoption id"
//	@Param			rejection	body		RejectionInput	false	"why the claim is wrong"
//	@Success		200			{object}	models.Adoption
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Router			/api/v1/adoptions/{id}/reject [post]
func (h *Adoptions) RejectAdoption(c *gin.Context) {
	actOn(c, pathID, func(ctx context.Context, a models.Actor, id int64) (models.Adoption, error) {
		reason, err := rejectionReason(c)
		if err != nil {
			return models.Adoption{}, err
		}
		return h.Store.RejectAdoption(ctx, a, id, reason)
	})
}

// rejectionReason reads the optional body's reason: "" when none was sent.
func rejectionReason(c *gin.Context) (string, error) {
	var in RejectionInput
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &in); err != nil {
			return "", err
		}
	}
	if err := models.CheckRejectionReason(in.Reason); err != nil {
		return "", err
	}
	if in.Reason == nil {
		return "", nil
	}
	return *in.Reason, nil
}

// AdoptionHistory godoc
//
//	@Summary		An adoption's history: every change of status, dates or verification, with who made it
//	@Description	Who made each change is given by role and organisation, as in the change feed. Only an admin's key also sees actor.key, the visible prefix of the key behind the change (or the harvest or seed run), to trace or revoke it.
//	@Tags			adoptions
//	@Produce		json
//	@Param			id		path		int		true	"adoption id"
//	@Param			limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor	query		string	false	"opaque cursor"
//	@Success		200		{object}	ListBody[models.AdoptionEvent]
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/adoptions/{id}/history [get]
func (h *Adoptions) AdoptionHistory(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	listPage(c, &query{c: c}, func(ctx context.Context, p models.Page) (models.List[models.AdoptionEvent], error) {
		return h.Store.AdoptionHistory(ctx, actor(c), id, p)
	})
}

// ListNeeds godoc
//
//	@Summary	List needs
//	@Tags		needs
//	@Produce	json
//	@Param		council		query		string	false	"council GSS code"
//	@Param		capability	query		string	false	"capability slug"
//	@Param		status		query		string	false	"status"	Enums(open, met, withdrawn)
//	@Param		needed_from	query		string	false	"needed_by on or after this date (YYYY-MM-DD)"
//	@Param		needed_to	query		string	false	"needed_by on or before this date (YYYY-MM-DD)"
//	@Param		limit		query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor		query		string	false	"opaque cursor"
//	@Success	200			{object}	ListBody[models.Need]
//	@Failure	400			{object}	Problem
//	@Router		/api/v1/needs [get]
func (h *Adoptions) ListNeeds(c *gin.Context) {
	q := query{c: c}
	f := models.NeedFilter{Council: q.str("council"), Capability: q.slug("capability"),
		Status: q.enum("status", models.NeedStatuses), NeededFrom: q.date("needed_from"), NeededTo: q.date("needed_to")}
	listBy(c, &q, f, h.Store.ListNeeds)
}

// GetNeed godoc
//
//	@Summary	Get a need
//	@Tags		needs
//	@Produce	json
//	@Param		id	path		int	true	"need id"
//	@Success	200	{object}	models.Need
//	@Failure	404	{object}	Problem
//	@Router		/api/v1/needs/{id} [get]
func (h *Adoptions) GetNeed(c *gin.Context) {
	getResource(c, pathID, h.Store.GetNeed)
}

// CreateNeed godoc
//
//	@Summary	State a council's need for a capability by a date (its own council's key, or an admin)
//	@Tags		needs
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		need	body		models.NeedInput	true	"council, capability and needed_by are required"
//	@Success	201		{object}	models.Need
//	@Header	201		{string}	Location "the new resource's path"
//	@Failure	400		{object}	Problem
//	@Failure	403		{object}	Problem
//	@Failure	422		{object}	Problem
//	@Router		/api/v1/needs [post]
func (h *Adoptions) CreateNeed(c *gin.Context) {
	createResource(c, h.Store.CreateNeed, func(n models.Need) string { return "/api/v1/needs/" + strconv.FormatInt(n.ID, 10) })
}

// UpdateNeed godoc
//
//	@Summary	Update a need: its date, notes, or status (met or withdrawn)
//	@Tags		needs
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id			path		int					true	"need id"
//	@Param		If-Match	header		string				false	"ETag from a previous GET (compared strongly); a stale or weak one gets 412 and nothing is written"
//	@Param		need		body		models.NeedInput	true	"fields to change"
//	@Success	200			{object}	models.Need
//	@Failure	400			{object}	Problem
//	@Failure	403			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Router		/api/v1/needs/{id} [patch]
func (h *Adoptions) UpdateNeed(c *gin.Context) {
	updateResource(c, pathID, h.Store.GetNeed, func(n models.Need) int { return n.Version }, h.Store.UpdateNeed)
}

// pathID reads a positive integer :id, answering 404 for anything else.
func pathID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		WriteProblem(c, models.ENOTFOUND, "there is no record with the id "+strconv.Quote(c.Param("id")), nil)
		return 0, false
	}
	return id, true
}
