package web

import (
	"cmp"
	"context"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// listPageSize is the API's default page, so a page of results here is a page there.
const listPageSize = models.DefaultPageSize

// Home serves /: search, headline numbers and the most-adopted components by capability.
func (s *Site) Home(c *gin.Context) { s.serve(c, "home", s.home) }

type homeData struct {
	Councils, Components, Capabilities, LiveAdoptions, OpenNeeds int
	Leaders                                                      []capabilityLeaders
}

// capabilityLeaders are the components most councils run live for one capability.
type capabilityLeaders struct {
	Capability models.Ref
	Components []models.ComponentUse
}

// homeLeaders is how many capabilities the home page lists, and how many components for each.
const homeLeaders, homeLeadersPer = 12, 3

func (s *Site) home(c *gin.Context) (meta, any, error) {
	ctx := c.Request.Context()
	var d homeData
	one := models.Page{Limit: 1}
	councils, err := s.store.ListCouncils(ctx, models.CouncilFilter{}, one)
	if err != nil {
		return meta{}, nil, err
	}
	comps, err := s.store.ListComponents(ctx, models.ComponentFilter{}, one)
	if err != nil {
		return meta{}, nil, err
	}
	caps, err := s.store.ListCapabilities(ctx, models.CapabilityFilter{}, one)
	if err != nil {
		return meta{}, nil, err
	}
	live, err := s.store.LiveAdoptions(ctx)
	if err != nil {
		return meta{}, nil, err
	}
	needs, err := s.store.ListNeeds(ctx, models.NeedFilter{Status: "open"}, one)
	if err != nil {
		return meta{}, nil, err
	}
	d.Councils, d.Components, d.Capabilities, d.LiveAdoptions, d.OpenNeeds = councils.Total, comps.Total, caps.Total, live, needs.Total
	uses, err := s.store.LiveUse(ctx, "")
	if err != nil {
		return meta{}, nil, err
	}
	d.Leaders = leaders(uses, homeLeaders, homeLeadersPer)
	return meta{Title: "Find and reuse council digital components", Section: "home"}, d, nil
}

// leaders groups live use by capability, capabilities in the order of their
// most-used component (uses come most councils first), keeping per of each.
func leaders(uses []models.ComponentUse, n, per int) []capabilityLeaders {
	var out []capabilityLeaders
	index := map[string]int{}
	for _, u := range uses {
		i, ok := index[u.Capability.Slug]
		if !ok {
			if len(out) == n {
				continue
			}
			i = len(out)
			index[u.Capability.Slug] = i
			out = append(out, capabilityLeaders{Capability: u.Capability})
		}
		if len(out[i].Components) < per {
			out[i].Components = append(out[i].Components, u)
		}
	}
	return out
}

// options offers each item as its value, written as text; the chosen value is selected.
func options[T any](items []T, value, text func(T) string, chosen string) []option {
	out := make([]option, len(items))
	for i, it := range items {
		out[i] = option{Value: value(it), Text: text(it), Selected: value(it) == chosen}
	}
	return out
}

// capabilitySet is every capability, for names and filters.
type capabilitySet struct {
	list   []models.Capability
	bySlug map[string]models.Capability
}

func (cs capabilitySet) name(slug string) string { return cmp.Or(cs.bySlug[slug].Name, slug) }

func (cs capabilitySet) ref(slug string) models.Ref {
	return models.Ref{Slug: slug, Name: cs.name(slug)}
}

func (cs capabilitySet) refs(slugs []string) []models.Ref {
	out := make([]models.Ref, len(slugs))
	for i, s := range slugs {
		out[i] = cs.ref(s)
	}
	slices.SortFunc(out, func(x, y models.Ref) int { return cmp.Compare(x.Name, y.Name) })
	return out
}

func (s *Site) capabilities(ctx context.Context) (capabilitySet, error) {
	all, err := walk(func(p models.Page) (models.List[models.Capability], error) {
		return s.store.ListCapabilities(ctx, models.CapabilityFilter{}, p)
	})
	if err != nil {
		return capabilitySet{}, err
	}
	slices.SortFunc(all, func(x, y models.Capability) int { return cmp.Compare(x.Name, y.Name) })
	cs := capabilitySet{list: all, bySlug: make(map[string]models.Capability, len(all))}
	for _, c := range all {
		cs.bySlug[c.Slug] = c
	}
	return cs, nil
}

func (s *Site) allAdoptions(ctx context.Context, f models.AdoptionFilter) ([]models.Adoption, error) {
	return walk(func(p models.Page) (models.List[models.Adoption], error) { return s.store.ListAdoptions(ctx, f, p) })
}

func (s *Site) allNeeds(ctx context.Context, council string) ([]models.Need, error) {
	return walk(func(p models.Page) (models.List[models.Need], error) {
		return s.store.ListNeeds(ctx, models.NeedFilter{Council: council}, p)
	})
}

func (s *Site) allComponents(ctx context.Context, f models.ComponentFilter) ([]models.Component, error) {
	return walk(func(p models.Page) (models.List[models.Component], error) { return s.store.ListComponents(ctx, f, p) })
}

// walk follows a list's cursors to the end, a full page at a time.
func walk[T any](list func(models.Page) (models.List[T], error)) ([]T, error) {
	var out []T
	p := models.Page{Limit: models.MaxPageSize}
	for {
		l, err := list(p)
		if err != nil {
			return nil, err
		}
		out = append(out, l.Items...)
		if l.Next == "" {
			return out, nil
		}
		p.Cursor = l.Next
	}
}

// gather is every code or slug the items list, in their order, for a page
// to look them all up in one call.
func gather[T any](items []T, listed func(T) []string) []string {
	var out []string
	for _, it := range items {
		out = append(out, listed(it)...)
	}
	return out
}
