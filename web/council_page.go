package web

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
	"github.com/gin-gonic/gin"
)

// Council serves /councils/{code}: the components it uses, its needs, its closest peers and its reuse opportunities with their reasons.
func (s *Site) Council(c *gin.Context) { s.serve(c, "council", s.council) }

type councilData struct {
	C             models.Council
	Successors    []models.Council
	Predecessors  []models.Council
	Uses          []councilUse
	Needs         []councilNeed
	Peers         []councilPeer
	Opportunities []councilOpportunity
	HorizonMonths int
	Projects      []models.Project    // real multi-council projects it takes part in
	Programmes    []models.Membership // programmes and commitments it is a member of
}

type councilUse struct {
	Adoption   models.Adoption
	Component  models.Ref
	Capability models.Ref
}

type councilNeed struct {
	Need       models.Need
	Capability models.Ref
}

type councilPeer struct {
	Peer   reuse.Peer
	Shared []models.Ref
}

type councilOpportunity struct {
	O          reuse.Opportunity
	PeersUsing []models.Ref
}

// Peers and opportunities shown on a council's page, and the API's default horizon.
const councilPeers, councilOpportunities, opportunityHorizon = 10, 20, 12

func (s *Site) council(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	council, err := s.store.GetCouncil(ctx, c.Param("code"))
	if err != nil {
		return meta{}, nil, err
	}
	d := councilData{C: council, HorizonMonths: opportunityHorizon}
	if d.Successors, d.Predecessors, err = s.relatedCouncils(ctx, council); err != nil {
		return meta{}, nil, err
	}
	caps, err := s.capabilities(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	adoptions, err := s.allAdoptions(ctx, models.AdoptionFilter{Council: council.Code})
	if err != nil {
		return meta{}, nil, err
	}
	needs, err := s.allNeeds(ctx, council.Code)
	if err != nil {
		return meta{}, nil, err
	}
	for _, n := range needs {
		d.Needs = append(d.Needs, councilNeed{Need: n, Capability: caps.ref(n.Capability)})
	}
	peers, ops, err := s.councilReuse(ctx, council.Code)
	if err != nil {
		return meta{}, nil, err
	}
	if err := s.nameCouncilRows(ctx, &d, caps, adoptions, peers, ops); err != nil {
		return meta{}, nil, err
	}
	if d.Projects, d.Programmes, err = s.councilProjects(ctx, council.Code); err != nil {
		return meta{}, nil, err
	}
	return meta{Title: council.Name, Section: "councils"}, d, nil
}

// councilProjects are the real projects and programmes a council takes part in.
func (s *Site) councilProjects(ctx context.Context, code string) ([]models.Project, []models.Membership, error) {
	projects, err := walk(func(p models.Page) (models.List[models.Project], error) { return s.store.CouncilProjects(ctx, code, p) })
	if err != nil {
		return nil, nil, err
	}
	programmes, err := s.store.CouncilProgrammes(ctx, code)
	return projects, programmes, err
}

// relatedCouncils are the councils that succeeded and preceded council, in its order.
func (s *Site) relatedCouncils(ctx context.Context, council models.Council) (succ, pred []models.Council, err error) {
	related, err := s.store.CouncilsByCode(ctx, append(slices.Clone(council.Successors), council.Predecessors...))
	if err != nil {
		return nil, nil, err
	}
	for _, code := range council.Successors {
		succ = append(succ, related[code])
	}
	for _, code := range council.Predecessors {
		pred = append(pred, related[code])
	}
	return succ, pred, nil
}

// councilReuse is a council's closest peers and its opportunities; a council
// the engine does not know (one that has gone) has neither.
func (s *Site) councilReuse(ctx context.Context, code string) ([]reuse.Peer, []reuse.Opportunity, error) {
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return nil, nil, err
	}
	peers, err := eng.Peers(code, councilPeers)
	if err != nil && !errors.Is(err, reuse.ErrUnknownCouncil) {
		return nil, nil, err
	}
	ops, err := eng.Opportunities(code, opportunityHorizon, s.store.Today(), councilOpportunities)
	if err != nil && !errors.Is(err, reuse.ErrUnknownCouncil) {
		return nil, nil, err
	}
	return peers, ops, nil
}

// nameCouncilRows fills a council page's uses, peers and opportunities, with
// one lookup each for every component and council they name.
func (s *Site) nameCouncilRows(ctx context.Context, d *councilData, caps capabilitySet, adoptions []models.Adoption, peers []reuse.Peer, ops []reuse.Opportunity) error {
	compSlugs := append(gather(adoptions, func(a models.Adoption) []string { return []string{a.Component} }),
		gather(peers, func(p reuse.Peer) []string { return p.SharedComponents })...)
	comps, err := s.store.ComponentsBySlug(ctx, compSlugs)
	if err != nil {
		return err
	}
	named, err := s.store.CouncilsByCode(ctx, gather(ops, func(o reuse.Opportunity) []string { return o.PeersUsing }))
	if err != nil {
		return err
	}
	componentRef := func(slug string) models.Ref { return models.Ref{Slug: slug, Name: cmp.Or(comps[slug].Name, slug)} }
	sortUses(adoptions, caps)
	for _, a := range adoptions {
		d.Uses = append(d.Uses, councilUse{Adoption: a, Component: componentRef(a.Component), Capability: caps.ref(a.Capability)})
	}
	for _, p := range peers {
		cp := councilPeer{Peer: p}
		for _, slug := range p.SharedComponents {
			cp.Shared = append(cp.Shared, componentRef(slug))
		}
		d.Peers = append(d.Peers, cp)
	}
	for _, o := range ops {
		co := councilOpportunity{O: o}
		for _, code := range o.PeersUsing {
			co.PeersUsing = append(co.PeersUsing, models.Ref{Slug: code, Name: cmp.Or(named[code].Name, code)})
		}
		d.Opportunities = append(d.Opportunities, co)
	}
	return nil
}

// sortUses orders a council's adoptions: in use first (live, piloting,
// retiring), then exploring, then retired; by status, then capability name.
func sortUses(adoptions []models.Adoption, caps capabilitySet) {
	statusOrder := func(st string) int { return slices.Index(models.AdoptionStatuses, st) }
	slices.SortStableFunc(adoptions, func(x, y models.Adoption) int {
		return cmp.Or(cmp.Compare(useRank(x.Status), useRank(y.Status)), cmp.Compare(statusOrder(x.Status), statusOrder(y.Status)),
			cmp.Compare(caps.name(x.Capability), caps.name(y.Capability)))
	})
}

func useRank(status string) int {
	switch {
	case models.InUse(status):
		return 0
	case status == "exploring":
		return 1
	}
	return 2
}
