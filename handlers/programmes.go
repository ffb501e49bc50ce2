package handlers

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
)

// ProgrammeStore reads programmes, commitments and the real projects.
type ProgrammeStore interface {
	ListProgrammes(ctx context.Context, p models.Page) (models.List[models.Programme], error)
	GetProgramme(ctx context.Context, slug string) (models.ProgrammeWithMembers, error)
	CouncilProgrammes(ctx context.Context, code string) ([]models.Membership, error)
	ListProjects(ctx context.Context, f models.ProjectFilter, p models.Page) (models.List[models.Project], error)
	CouncilProjects(ctx context.Context, code string, p models.Page) (models.List[models.Project], error)
}

// Programmes serves programmes and commitments (which councils join, not
// software they adopt) and real multi-council projects.
type Programmes struct {
	Store ProgrammeStore
}

// ListProgrammes godoc
//
//	@Summary		List programmes and commitments
//	@Description	Programmes councils take part in (Open Digital Planning) and commitments they sign (the Local Digital Declaration). They are not software, so they are not components and their members are not adoptions. member_count counts councils with current evidence. In slug order.
//	@Tags			programmes
//	@Produce		json
//	@Param			limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor	query		string	false	"opaque cursor from a previous page's next link"
//	@Success		200		{object}	ListBody[models.Programme]
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/programmes [get]
func (h *Programmes) ListProgrammes(c *gin.Context) {
	listPage(c, &query{c: c}, h.Store.ListProgrammes)
}

// GetProgramme godoc
//
//	@Summary		Get a programme or commitment, with its members
//	@Description	Every member council (current or former, in code order) with each piece of evidence for its membership, newest first; an item is current until a later harvest of its source no longer lists the council.
//	@Tags			programmes
//	@Produce		json
//	@Param			slug	path		string	true	"programme slug, e.g. open-digital-planning"
//	@Success		200		{object}	models.ProgrammeWithMembers
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/programmes/{slug} [get]
func (h *Programmes) GetProgramme(c *gin.Context) {
	getResource(c, pathKey("slug"), h.Store.GetProgramme)
}

// CouncilProgrammes godoc
//
//	@Summary	The programmes and commitments a council belongs to, with the evidence
//	@Tags		programmes
//	@Produce	json
//	@Param		code	path		string	true	"council GSS code"
//	@Param		limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor	query		string	false	"opaque cursor"
//	@Success	200		{object}	ListBody[models.Membership]
//	@Failure	404		{object}	Problem
//	@Router		/api/v1/councils/{code}/programmes [get]
func (h *Programmes) CouncilProgrammes(c *gin.Context) {
	ms, err := h.Store.CouncilProgrammes(c.Request.Context(), c.Param("code"))
	if err != nil {
		WriteError(c, err)
		return
	}
	writePage(c, ms)
}

// ListProjects godoc
//
//	@Summary		List real multi-council projects
//	@Description	Funding awards and shared services that named councils run together, each citing its source. Dates are as precise as the source publishes them (YYYY, YYYY-MM or YYYY-MM-DD); funding is the amount the source states as "GBP n", or null. A lead that is not one of the councils (a company, a partnership) has no code. In slug order.
//	@Tags			programmes
//	@Produce		json
//	@Param			council		query		string	false	"only projects this council (GSS code) takes part in"
//	@Param			component	query		string	false	"only projects about this component (slug)"
//	@Param			programme	query		string	false	"only projects of this programme (slug)"
//	@Param			limit		query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor		query		string	false	"opaque cursor from a previous page's next link"
//	@Success		200			{object}	ListBody[models.Project]
//	@Failure		400			{object}	Problem
//	@Router			/api/v1/projects [get]
func (h *Programmes) ListProjects(c *gin.Context) {
	q := query{c: c}
	f := models.ProjectFilter{Council: q.str("council"), Component: q.slug("component"), Programme: q.slug("programme")}
	listBy(c, &q, f, h.Store.ListProjects)
}

// CouncilProjects godoc
//
//	@Summary	The real projects a council takes part in
//	@Tags		programmes
//	@Produce	json
//	@Param		code	path		string	true	"council GSS code"
//	@Param		limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param		cursor	query		string	false	"opaque cursor"
//	@Success	200		{object}	ListBody[models.Project]
//	@Failure	404		{object}	Problem
//	@Router		/api/v1/councils/{code}/projects [get]
func (h *Programmes) CouncilProjects(c *gin.Context) {
	code := c.Param("code")
	listBy(c, &query{c: c}, code, h.Store.CouncilProjects)
}

// Collaboration kinds: groups the reuse engine computes, and real projects.
var collaborationKinds = []string{"computed", "project"}

// CollaborationItem is a group of councils that could, or do, work together
// on a capability: computed by the reuse engine (kind computed: needs and
// contract ends close in time, or a planned merger), or a real project they
// run together (kind project, window from its published dates, empty when
// not known, and the project named).
type CollaborationItem struct {
	Kind string `json:"kind" enums:"computed,project" example:"project"`
	reuse.Collaboration
	Project *models.ProjectRef `json:"project,omitempty"`
}

// collaborationItems lists the computed groups as the engine orders them,
// then the real projects as given, keeping only kind when it is set.
func collaborationItems(kind string, computed []reuse.Collaboration, projects []models.Project) []CollaborationItem {
	out := make([]CollaborationItem, 0, len(computed)+len(projects))
	if kind != "project" {
		for _, co := range computed {
			out = append(out, CollaborationItem{Kind: "computed", Collaboration: co})
		}
	}
	if kind == "computed" {
		return out
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	for _, p := range projects {
		if p.Capability == nil {
			continue // listed under no capability: only in /projects
		}
		ref := p.ProjectRef
		out = append(out, CollaborationItem{Kind: "project", Project: &ref, Collaboration: reuse.Collaboration{
			Capability: reuse.CapabilityRef{Slug: p.Capability.Slug, Name: p.Capability.Name},
			Councils:   p.Councils,
			Window:     reuse.Window{From: deref(p.StartedOn), To: deref(p.EndedOn)},
		}})
	}
	return out
}
