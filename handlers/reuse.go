package handlers

import (
	"context"
	"errors"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
)

// ReuseStore gives the reuse engine, current with the database, and the date it runs on.
type ReuseStore interface {
	Engine(ctx context.Context) (*reuse.Engine, error)
	GetCouncil(ctx context.Context, code string) (models.Council, error)
	CollaborationProjects(ctx context.Context) ([]models.Project, error)
	Today() time.Time
}

// Reuse serves reuse opportunities computed by the engine.
type Reuse struct {
	Store ReuseStore
}

// engineFor returns the engine, or writes the error and returns nil.
func (h *Reuse) engineFor(c *gin.Context) *reuse.Engine {
	eng, err := h.Store.Engine(c.Request.Context())
	if err != nil {
		WriteError(c, err)
		return nil
	}
	return eng
}

// engineAfter is engineFor once the query q has read is sound.
func (h *Reuse) engineAfter(c *gin.Context, q *query) *reuse.Engine {
	if err := q.err(); err != nil {
		WriteError(c, err)
		return nil
	}
	return h.engineFor(c)
}

func engineError(code string, err error) error {
	if errors.Is(err, reuse.ErrUnknownCouncil) {
		return models.NotFound("council", code)
	}
	return err
}

// Peers godoc
//
//	@Summary		Councils most like this one
//	@Description	Similarity in 0..1 from the components both use (rare ones count for more than a platform everyone uses) and from who they are (type, region or nation, population). A council with no adoptions still gets peers by profile.
//	@Tags			reuse
//	@Produce		json
//	@Param			code	path		string	true	"council GSS code"
//	@Param			limit	query		int		false	"how many, 1 to 100 (default 10)"
//	@Success		200		{object}	ListBody[reuse.Peer]
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/councils/{code}/peers [get]
func (h *Reuse) Peers(c *gin.Context) {
	q := query{c: c}
	limit := q.size("limit", 10)
	ranked(h, c, &q, func(eng *reuse.Engine, code string) ([]reuse.Peer, error) { return eng.Peers(code, limit) })
}

// Opportunities godoc
//
//	@Summary		Reuse opportunities for a council, best first
//	@Description	For each capability where the council has no live coverage, only a deprecated or retired component, an in-house build, a contract ending within the horizon, or an open need: the components that provide it, scored by how many of its closest peers use them live and verified and by national take-up. Each says why, in reasons.
//	@Tags			reuse
//	@Produce		json
//	@Param			code			path		string	true	"council GSS code"
//	@Param			horizon_months	query		int		false	"how far ahead to look for ending contracts, 1 to 120 (default 12)"
//	@Param			limit			query		int		false	"how many, 1 to 100 (default 20)"
//	@Success		200				{object}	ListBody[reuse.Opportunity]
//	@Failure		400				{object}	Problem
//	@Failure		404				{object}	Problem
//	@Router			/api/v1/councils/{code}/opportunities [get]
func (h *Reuse) Opportunities(c *gin.Context) {
	q := query{c: c}
	horizon := q.intIn("horizon_months", 12, 1, 120)
	limit := q.size("limit", 20)
	ranked(h, c, &q, func(eng *reuse.Engine, code string) ([]reuse.Opportunity, error) {
		return eng.Opportunities(code, horizon, h.Store.Today(), limit)
	})
}

// ranked answers with the list rank makes for the council the path names, once
// the query q has read is sound.
func ranked[T any](h *Reuse, c *gin.Context, q *query, rank func(eng *reuse.Engine, code string) ([]T, error)) {
	eng := h.engineAfter(c, q)
	if eng == nil {
		return
	}
	code := c.Param("code")
	items, err := rank(eng, code)
	if err != nil {
		WriteError(c, engineError(code, err))
		return
	}
	writeList(c, models.List[T]{Items: items, Total: len(items)})
}

// Consolidation godoc
//
//	@Summary		Where a shared component would save the most duplicated effort
//	@Description	Per capability: how many distinct components councils run live for it, how many councils, the Herfindahl-Hirschman concentration of those adoptions (1 = everyone uses one component) and the share of in-house builds. Most fragmented first; capabilities nobody covers are listed last, not dropped.
//	@Tags			reuse
//	@Produce		json
//	@Param			limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor	query		string	false	"opaque cursor"
//	@Success		200		{object}	ListBody[reuse.ConsolidationItem]
//	@Router			/api/v1/opportunities/consolidation [get]
func (h *Reuse) Consolidation(c *gin.Context) {
	if eng := h.engineFor(c); eng != nil {
		writePage(c, eng.Consolidation())
	}
}

// Migrations godoc
//
//	@Summary	Deprecated or retired components that councils still run, with those councils
//	@Tags		reuse
//	@Produce	json
//	@Param		limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor	query		string	false	"opaque cursor"
//	@Success	200		{object}	ListBody[reuse.Migration]
//	@Router		/api/v1/opportunities/migrations [get]
func (h *Reuse) Migrations(c *gin.Context) {
	if eng := h.engineFor(c); eng != nil {
		writePage(c, eng.Migrations())
	}
}

// Collaborations godoc
//
//	@Summary		Councils that could procure or build together, and real projects they run together
//	@Description	Computed groups (kind computed) first: councils whose open needs or ending contracts for the same capability fall within window_months of each other, or that merge in a planned reorganisation. Then real multi-council projects (kind project, newest first), each with its project (lead, funding, source, dates as published) and listed under its component's main capability or, for a programme's project, the capability that fits the programme.
//	@Tags			reuse
//	@Produce		json
//	@Param			window_months	query		int		false	"how close the dates must be, 1 to 24 (default 6)"
//	@Param			kind			query		string	false	"only computed groups or only real projects"	Enums(computed, project)
//	@Param			limit			query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor			query		string	false	"opaque cursor"
//	@Success		200				{object}	ListBody[CollaborationItem]
//	@Failure		400				{object}	Problem
//	@Router			/api/v1/opportunities/collaborations [get]
func (h *Reuse) Collaborations(c *gin.Context) {
	q := query{c: c}
	months := q.intIn("window_months", 6, 1, 24)
	kind := q.enum("kind", collaborationKinds)
	eng := h.engineAfter(c, &q)
	if eng == nil {
		return
	}
	projects, err := h.Store.CollaborationProjects(c.Request.Context())
	if err != nil {
		WriteError(c, err)
		return
	}
	window := time.Duration(months) * 30 * 24 * time.Hour
	if months == 6 {
		window = reuse.DefaultCollaborationWindow
	}
	writePage(c, collaborationItems(kind, eng.Collaborations(window, h.Store.Today()), projects))
}

// pageBounds is where a page of a list computed in memory starts, from its offset cursor, and
// how long it is.
func pageBounds(p models.Page) (offset, limit int, err error) {
	if offset, err = models.CursorOffset(p.Cursor); err != nil {
		return 0, 0, err
	}
	if limit = p.Limit; limit == 0 {
		limit = models.DefaultPageSize
	}
	return offset, limit, nil
}

// writePage sends one page of a list computed in memory, with an offset cursor.
func writePage[T any](c *gin.Context, all []T) {
	q := query{c: c}
	p := q.page()
	if err := q.err(); err != nil {
		WriteError(c, err)
		return
	}
	offset, limit, err := pageBounds(p)
	if err != nil {
		WriteError(c, err)
		return
	}
	start := min(offset, len(all))
	end := min(start+limit, len(all))
	list := models.List[T]{Items: all[start:end], Total: len(all)}
	if end < len(all) {
		list.Next = models.OffsetCursor(end)
	}
	writeList(c, list)
}
