package web

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
	"github.com/gin-gonic/gin"
)

// Council serves /councils/{code}: the components it uses, its needs, its closest peers and its reuse opportunities with their reasons.
func (s *Site) Council(c *gin.Context) { s.serve(c, "council", s.council) }

type councilData struct {
	C                 models.Council
	Successors        []models.Council
	Predecessors      []models.Council
	County            *models.Council // the county council of a district's area
	CombinedAuthority *models.Council
	Uses              []councilUse
	Needs             []councilNeed
	Peers             []councilPeer
	Opportunities     []councilOpportunity
	LeftOut           []models.Ref // capabilities of opportunities its tier does not provide
	Migrations        []councilMigration
	Popular           []councilOpportunity // for a council with nothing recorded: what most of its peers run
	HorizonMonths     int
	Projects          []projectRow        // real multi-council projects it takes part in
	Programmes        []models.Membership // programmes and commitments it is a member of
}

// councilMigration is a deprecated or retired component the council still
// runs: what councils like it use instead, and the others running it who
// could move with it.
type councilMigration struct {
	Component  models.Ref
	Lifecycle  string
	Capability models.Ref
	Instead    []councilOpportunity // its opportunities for the same capability
	Others     int                  // other current councils still running it
	Nearby     []models.Ref         // those of them most like it, closest first, up to migrationNearby
}

// A council page names up to migrationNearby councils running the same
// deprecated product, the closest first among its migrationCircle closest peers.
const migrationNearby, migrationCircle = 8, 50

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
	Strength   string // matchStrength: "Strong match", ...
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
	if err = s.relatedCouncils(ctx, &d); err != nil {
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
	eng, err := s.store.Engine(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	circle, ops, err := councilReuse(eng, council.Code, s.store.Today())
	if err != nil {
		return meta{}, nil, err
	}
	peers := circle[:min(councilPeers, len(circle))]
	tiers, err := s.store.ServiceTiers()
	if err != nil {
		return meta{}, nil, err
	}
	ops, d.LeftOut = providedOnly(council, ops, caps, tiers)
	if err := s.nameCouncilRows(ctx, &d, caps, adoptions, peers, ops); err != nil {
		return meta{}, nil, err
	}
	d.Migrations = councilMigrations(eng, &d, circle)
	if len(d.Uses) == 0 {
		d.Popular = mostUsedByPeers(d.Opportunities, 3)
	}
	if d.Projects, d.Programmes, err = s.councilProjects(ctx, council.Code); err != nil {
		return meta{}, nil, err
	}
	return meta{Title: council.Name, Section: "councils"}, d, nil
}

// providedOnly leaves out the opportunities for capabilities the council's
// tier does not provide (a district does not assess care needs), by GOV.UK's
// providing tier of the capabilities' LGSL services; one the council has a
// reason of its own for (a need, a contract, a product it runs) stays.
func providedOnly(council models.Council, ops []reuse.Opportunity, caps capabilitySet, tiers map[int]string) (kept []reuse.Opportunity, leftOut []models.Ref) {
	for _, o := range ops {
		if models.ServiceApplies(council.Powers, caps.bySlug[o.Capability.Slug].LGSLCodes, tiers) || ownReason(o) {
			kept = append(kept, o)
		} else if !slices.ContainsFunc(leftOut, func(r models.Ref) bool { return r.Slug == o.Capability.Slug }) {
			leftOut = append(leftOut, models.Ref{Slug: o.Capability.Slug, Name: o.Capability.Name})
		}
	}
	return kept, leftOut
}

// ownReason reports whether an opportunity rests on something the council
// itself has: more than a gap its peers fill.
func ownReason(o reuse.Opportunity) bool {
	return slices.ContainsFunc(o.Reasons, func(r reuse.Reason) bool {
		return r.Kind != reuse.ReasonGap && r.Kind != reuse.ReasonPeerAdoption
	})
}

// mostUsedByPeers are the n opportunities most of the council's peers run
// live, most first.
func mostUsedByPeers(ops []councilOpportunity, n int) []councilOpportunity {
	var out []councilOpportunity
	for _, o := range ops {
		if len(o.PeersUsing) > 0 {
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(x, y councilOpportunity) int { return cmp.Compare(len(y.PeersUsing), len(x.PeersUsing)) })
	return out[:min(n, len(out))]
}

// councilMigrations are the deprecated or retired components the council
// still runs (the migrations dashboard's, reuse.Engine.Migrations), each with
// what councils like it use instead and the councils most like it on it
// (from circle, its closest peers), who could move with it.
func councilMigrations(eng *reuse.Engine, d *councilData, circle []reuse.Peer) []councilMigration {
	var out []councilMigration
	var runs []reuse.Migration
	for _, m := range eng.Migrations() {
		if _, runs := slices.BinarySearch(m.Councils, d.C.Code); !runs {
			continue
		}
		cm := councilMigration{Component: models.Ref{Slug: m.Component.Slug, Name: m.Component.Name}, Lifecycle: m.Lifecycle, Others: len(m.Councils) - 1}
		for _, u := range d.Uses {
			if u.Component.Slug == m.Component.Slug && models.InUse(u.Adoption.Status) {
				cm.Capability = u.Capability
				break
			}
		}
		for _, o := range d.Opportunities {
			if o.O.Capability.Slug == cm.Capability.Slug {
				cm.Instead = append(cm.Instead, o)
			}
		}
		out = append(out, cm)
		runs = append(runs, m)
	}
	for i, m := range runs {
		for _, p := range circle {
			if _, on := slices.BinarySearch(m.Councils, p.Council.Code); on && len(out[i].Nearby) < migrationNearby {
				out[i].Nearby = append(out[i].Nearby, models.Ref{Slug: p.Council.Code, Name: p.Council.Name})
			}
		}
	}
	return out
}

// councilProjects are the real projects, their councils named, and the
// programmes a council takes part in.
func (s *Site) councilProjects(ctx context.Context, code string) ([]projectRow, []models.Membership, error) {
	projects, err := walk(func(p models.Page) (models.List[models.Project], error) { return s.store.CouncilProjects(ctx, code, p) })
	if err != nil {
		return nil, nil, err
	}
	named, err := s.store.CouncilsByCode(ctx, gather(projects, func(p models.Project) []string { return p.Councils }))
	if err != nil {
		return nil, nil, err
	}
	rows := make([]projectRow, len(projects))
	for i, p := range projects {
		rows[i] = projectRow{P: p, Councils: councilRefs(p.Councils, named)}
	}
	programmes, err := s.store.CouncilProgrammes(ctx, code)
	return rows, programmes, err
}

// relatedCouncils names the councils that succeeded and preceded the page's
// council, in its order, and its county and combined authority.
func (s *Site) relatedCouncils(ctx context.Context, d *councilData) error {
	c := d.C
	codes := append(slices.Clone(c.Successors), c.Predecessors...)
	for _, code := range []*string{c.County, c.CombinedAuthority} {
		if code != nil {
			codes = append(codes, *code)
		}
	}
	related, err := s.store.CouncilsByCode(ctx, codes)
	if err != nil {
		return err
	}
	for _, code := range c.Successors {
		d.Successors = append(d.Successors, related[code])
	}
	for _, code := range c.Predecessors {
		d.Predecessors = append(d.Predecessors, related[code])
	}
	named := func(code *string) *models.Council {
		if code == nil {
			return nil
		}
		if r, ok := related[*code]; ok {
			return &r
		}
		return nil
	}
	d.County, d.CombinedAuthority = named(c.County), named(c.CombinedAuthority)
	return nil
}

// councilReuse is a council's closest peers (migrationCircle of them, the
// page showing the first councilPeers) and its opportunities; a council
// the engine does not know (one that has gone) has neither.
func councilReuse(eng *reuse.Engine, code string, today time.Time) ([]reuse.Peer, []reuse.Opportunity, error) {
	peers, err := eng.Peers(code, migrationCircle)
	if err != nil && !errors.Is(err, reuse.ErrUnknownCouncil) {
		return nil, nil, err
	}
	ops, err := eng.Opportunities(code, opportunityHorizon, today, councilOpportunities)
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
	similarity := map[string]float64{}
	for _, p := range peers {
		similarity[p.Council.Code] = p.Similarity
	}
	for _, o := range ops {
		co := councilOpportunity{O: o}
		closest := 0.0
		for _, code := range o.PeersUsing {
			co.PeersUsing = append(co.PeersUsing, models.Ref{Slug: code, Name: cmp.Or(named[code].Name, code)})
			closest = max(closest, similarity[code])
		}
		co.Strength = matchStrength(o.Score, closest)
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
