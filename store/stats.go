package store

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/council-components/registry/models"
)

// serviceCouncils are the councils coverage is measured against: current
// bodies that deliver council services (not combined authorities or the GLA).
const serviceCouncils = "councils.status = 'current' AND councils.delivers_services"

// Coverage reports, for each capability (or just one), how many councils have
// it live, as a count and a share, broken down by nation, region or type when by is set.
func (s *Store) Coverage(ctx context.Context, by, capability string) ([]models.CoverageItem, error) {
	db := s.r.WithContext(ctx)
	var caps []capabilityRow
	q := db.Order("slug")
	if capability != "" {
		q = q.Where("slug = ?", capability)
	}
	if err := q.Find(&caps).Error; err != nil {
		return nil, translate(err)
	}
	if capability != "" && len(caps) == 0 {
		return nil, models.NotFound("capability", capability)
	}
	// Without a breakdown every council is in one group, named "".
	group := "''"
	if by != "" {
		group = by // one of models.CoverageBreakdowns, checked by the caller
	}
	var councils []struct {
		ID  int64
		Grp string
	}
	if err := db.Raw("SELECT id, " + group + " AS grp FROM councils WHERE " + serviceCouncils).Scan(&councils).Error; err != nil {
		return nil, translate(err)
	}
	// The live councils of each capability come from the list pages' counts
	// in memory, which count what SQL would: counted live adoptions of
	// current service councils.
	counts, err := s.useCounts(ctx)
	if err != nil {
		return nil, err
	}
	groupOf := make(map[int64]string, len(councils))
	sizes := map[string]int{}
	for _, c := range councils {
		groupOf[c.ID] = c.Grp
		sizes[c.Grp]++
	}
	type groupSize struct {
		Grp string
		N   int
	}
	var denominators []groupSize // in group order
	for _, g := range slices.Sorted(maps.Keys(sizes)) {
		denominators = append(denominators, groupSize{g, sizes[g]})
	}
	total := len(councils)
	byCap := map[int64]map[string]int{}
	for _, c := range caps {
		byCap[c.ID] = map[string]int{}
		for _, council := range counts.liveCouncils[c.ID] {
			if g, ok := groupOf[council]; ok {
				byCap[c.ID][g]++
			}
		}
	}
	out := make([]models.CoverageItem, len(caps))
	for i, c := range caps {
		item := models.CoverageItem{Capability: models.Ref{Slug: c.Slug, Name: c.Name}, Category: c.Category,
			Councils: total, Breakdown: []models.CoverageGroup{}}
		for _, d := range denominators {
			n := byCap[c.ID][d.Grp]
			item.LiveCouncils += n
			if by != "" {
				item.Breakdown = append(item.Breakdown, models.CoverageGroup{Group: d.Grp, LiveCouncils: n, Councils: d.N, Share: share(n, d.N)})
			}
		}
		item.Share = share(item.LiveCouncils, total)
		out[i] = item
	}
	return out, nil
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(int(float64(n)/float64(of)*10000+0.5)) / 10000 // four decimal places
}

// AdoptionsOverTime counts, for each month from the first adoption to now, the
// adoptions of a component (or for a capability) that were live during it.
// An adoption without a start date counts from when it was recorded.
func (s *Store) AdoptionsOverTime(ctx context.Context, component, capability string) ([]models.MonthCount, error) {
	db := s.r.WithContext(ctx)
	q := db.Table("adoptions a").Select("a.started_on, a.created_at, a.ended_on").
		Where("a.status IN ? AND "+counted("a"), models.WasLiveStatuses)
	switch {
	case component != "":
		if _, err := s.GetComponent(ctx, component); err != nil {
			return nil, err
		}
		q = q.Where("a.component_id = (SELECT id FROM components WHERE slug = ?)", component)
	case capability != "":
		if _, err := s.GetCapability(ctx, capability); err != nil {
			return nil, err
		}
		q = q.Where("a.capability_id = (SELECT id FROM capabilities WHERE slug = ?)", capability)
	}
	var rows []struct {
		StartedOn *string
		CreatedAt time.Time
		EndedOn   *string
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	spans := make([]span, len(rows))
	for i, r := range rows {
		spans[i] = span{Started: r.CreatedAt.UTC().Format(time.DateOnly), Ended: r.EndedOn}
		if r.StartedOn != nil {
			spans[i].Started = *r.StartedOn
		}
	}
	return monthlyLive(spans, s.Now()), nil
}

// span is when an adoption was live: from Started to Ended (nil: still live).
type span struct {
	Started string
	Ended   *string
}

func monthlyLive(spans []span, now time.Time) []models.MonthCount {
	out := []models.MonthCount{}
	if len(spans) == 0 {
		return out
	}
	first := now
	for _, sp := range spans {
		if t, err := time.Parse(time.DateOnly, sp.Started); err == nil && t.Before(first) {
			first = t
		}
	}
	end := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	for m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(end); m = m.AddDate(0, 1, 0) {
		from, to := m.Format(time.DateOnly), m.AddDate(0, 1, -1).Format(time.DateOnly)
		n := 0
		for _, sp := range spans {
			if sp.Started <= to && (sp.Ended == nil || *sp.Ended >= from) {
				n++
			}
		}
		out = append(out, models.MonthCount{Month: m.Format("2006-01"), Live: n})
	}
	return out
}
