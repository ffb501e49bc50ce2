package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
)

// ReorganisationStore is what the reorganisation handlers need from storage.
type ReorganisationStore interface {
	ListReorganisations(ctx context.Context, f models.ReorganisationFilter, p models.Page) (models.List[models.Reorganisation], error)
	GetReorganisation(ctx context.Context, id int64) (models.Reorganisation, error)
	CreateReorganisation(ctx context.Context, actor models.Actor, in models.ReorganisationInput) (models.Reorganisation, error)
	UpdateReorganisation(ctx context.Context, actor models.Actor, id int64, in models.ReorganisationInput, ifVersion *int) (models.Reorganisation, error)
	WithdrawReorganisation(ctx context.Context, actor models.Actor, id int64) (models.Reorganisation, error)
	VestReorganisation(ctx context.Context, actor models.Actor, id int64) (models.Reorganisation, error)
	MergingUses(ctx context.Context, id int64) (models.Reorganisation, []string, []models.MergingUse, error)
	Engine(ctx context.Context) (*reuse.Engine, error)
}

// Reorganisations serves councils merging and splitting: historic ones from the register,
// planned ones admins register, and what merging councils must harmonise.
type Reorganisations struct {
	Store ReorganisationStore
}

// ListReorganisations godoc
//
//	@Summary		List reorganisations
//	@Description	Historic reorganisations derived from mySociety's register (grouped by vesting date and successor; a county split between two successors is one reorganisation), and planned ones registered by admins (source "admin": a plan, not a fact from the register). In id order.
//	@Tags			reorganisations
//	@Produce		json
//	@Param			status	query		string	false	"status"	Enums(historic, planned, vested, withdrawn)
//	@Param			council	query		string	false	"only those with this council (GSS code) as a predecessor or successor"
//	@Param			limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor	query		string	false	"opaque cursor"
//	@Success		200		{object}	ListBody[models.Reorganisation]
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/reorganisations [get]
func (h *Reorganisations) ListReorganisations(c *gin.Context) {
	q := query{c: c}
	f := models.ReorganisationFilter{Status: q.enum("status", models.ReorganisationStatuses), Council: q.str("council")}
	listBy(c, &q, f, h.Store.ListReorganisations)
}

// GetReorganisation godoc
//
//	@Summary	A reorganisation
//	@Tags		reorganisations
//	@Produce	json
//	@Param		id	path		int	true	"reorganisation id"
//	@Success	200	{object}	models.Reorganisation
//	@Failure	404	{object}	Problem
//	@Router		/api/v1/reorganisations/{id} [get]
func (h *Reorganisations) GetReorganisation(c *gin.Context) {
	getResource(c, pathID, h.Store.GetReorganisation)
}

// CreateReorganisation godoc
//
//	@Summary		Register a planned reorganisation (admins)
//	@Description	The predecessors must be current councils. The successor is an existing current council, or a new one created on vesting with the code and name given (code may be null until it is known; type defaults to the type all predecessors share, else unitary). The record is labelled source "admin".
//	@Tags			reorganisations
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			reorganisation	body		models.ReorganisationInput	true	"predecessors, successor.name and vesting_date are required"
//	@Success		201				{object}	models.Reorganisation
//	@Header		201				{string}	Location "the new resource's path"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		403				{object}	Problem
//	@Failure		422				{object}	Problem
//	@Router			/api/v1/reorganisations [post]
func (h *Reorganisations) CreateReorganisation(c *gin.Context) {
	createResource(c, h.Store.CreateReorganisation, func(r models.Reorganisation) string {
		return "/api/v1/reorganisations/" + strconv.FormatInt(r.ID, 10)
	})
}

// UpdateReorganisation godoc
//
//	@Summary		Change a planned reorganisation (admins)
//	@Description	Only while it is planned: once vested or withdrawn it is history (409).
//	@Tags			reorganisations
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		int							true	"reorganisation id"
//	@Param			If-Match		header		string						false	"ETag from a previous GET; a stale one gets 412"
//	@Param			reorganisation	body		models.ReorganisationInput	true	"fields to change"
//	@Success		200				{object}	models.Reorganisation
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		403				{object}	Problem
//	@Failure		404				{object}	Problem
//	@Failure		409				{object}	Problem
//	@Failure		412				{object}	Problem
//	@Failure		422				{object}	Problem
//	@Router			/api/v1/reorganisations/{id} [patch]
func (h *Reorganisations) UpdateReorganisation(c *gin.Context) {
	updateResource(c, pathID, h.Store.GetReorganisation, func(r models.Reorganisation) int { return r.Version }, h.Store.UpdateReorganisation)
}

// WithdrawReorganisation godoc
//
//	@Summary	Withdraw a planned reorganisation (admins); it stays on record as withdrawn
//	@Tags		reorganisations
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"reorganisation id"
//	@Success	200	{object}	models.Reorganisation
//	@Failure	401	{object}	Problem
//	@Failure	403	{object}	Problem
//	@Failure	404	{object}	Problem
//	@Failure	409	{object}	Problem
//	@Router		/api/v1/reorganisations/{id}/withdraw [post]
func (h *Reorganisations) WithdrawReorganisation(c *gin.Context) {
	actOn(c, pathID, h.Store.WithdrawReorganisation)
}

// VestReorganisation godoc
//
//	@Summary		Vest a planned reorganisation (admins)
//	@Description	On or after its vesting date, and once the successor has a code: creates the successor council if it is new, makes the predecessors former councils linked to it, and carries their adoptions in use over to it as new adoptions (source kept, one per component: duplicates are merged), each with a carried_over history event naming where it came from. The predecessors' records are retired with ended_on the day before vesting and stay as history. One transaction.
//	@Tags			reorganisations
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		int	true	"reorganisation id"
//	@Success		200	{object}	models.Reorganisation
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem
//	@Router			/api/v1/reorganisations/{id}/vest [post]
func (h *Reorganisations) VestReorganisation(c *gin.Context) {
	actOn(c, pathID, h.Store.VestReorganisation)
}

// HarmonisationBody is the harmonisation report of one reorganisation.
type HarmonisationBody struct {
	Reorganisation models.Reorganisation     `json:"reorganisation"`
	Items          []reuse.HarmonisationItem `json:"items"`
}

// Harmonisation godoc
//
//	@Summary		What the merging councils must harmonise
//	@Description	Per capability any of them has in use: what each uses (component, status, contract end), whether they agree (all use the same one), and otherwise a suggested component to converge on, with reasons: the one most of them run live, then most used by their closest peers, then national take-up; never a deprecated or retired one. switch_on is the latest contract end among what is replaced, else the vesting date. Before vesting, the councils are the predecessors (and an existing successor); after, the adoptions carried over from the predecessors. Send Accept: text/csv for CSV, one row per use.
//	@Tags			reorganisations
//	@Produce		json
//	@Produce		text/csv
//	@Param			id	path		int	true	"reorganisation id"
//	@Success		200	{object}	HarmonisationBody
//	@Failure		404	{object}	Problem
//	@Router			/api/v1/reorganisations/{id}/harmonisation [get]
func (h *Reorganisations) Harmonisation(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	q := query{c: c}
	q.enum("format", formats)
	if err := q.err(); err != nil {
		WriteError(c, err)
		return
	}
	r, items, err := h.harmonisation(c.Request.Context(), id)
	if err != nil {
		WriteError(c, err)
		return
	}
	if wantsCSV(c) {
		rows := [][]string{{"capability", "capability_name", "agree", "council", "component", "status", "contract_end_on",
			"suggestion", "switch_on", "reasons"}}
		for _, it := range items {
			var sugg, switchOn, reasons string
			if s := it.Suggestion; s != nil {
				sugg, switchOn = s.Component, s.SwitchOn
				parts := make([]string, len(s.Reasons))
				for i, rs := range s.Reasons {
					parts[i] = rs.Kind + ": " + rs.Detail
				}
				reasons = strings.Join(parts, "; ")
			}
			for _, u := range it.Uses {
				end := ""
				if u.ContractEndOn != nil {
					end = *u.ContractEndOn
				}
				rows = append(rows, []string{it.Capability.Slug, it.Capability.Name, strconv.FormatBool(it.Agree), u.Council,
					u.Component, u.Status, end, sugg, switchOn, reasons})
			}
		}
		writeCSV(c, "harmonisation-"+strconv.FormatInt(id, 10)+".csv", rows)
		return
	}
	if items == nil {
		items = []reuse.HarmonisationItem{}
	}
	c.JSON(http.StatusOK, HarmonisationBody{Reorganisation: r, Items: items})
}

// harmonisation asks the reuse engine to compare what the merging councils use.
func (h *Reorganisations) harmonisation(ctx context.Context, id int64) (models.Reorganisation, []reuse.HarmonisationItem, error) {
	r, parties, uses, err := h.Store.MergingUses(ctx, id)
	if err != nil {
		return r, nil, err
	}
	eng, err := h.Store.Engine(ctx)
	if err != nil {
		return r, nil, err
	}
	vesting, _ := time.Parse(time.DateOnly, r.VestingDate) // validated when stored
	return r, eng.Harmonisation(parties, uses, vesting), nil
}
