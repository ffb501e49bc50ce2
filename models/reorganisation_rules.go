package models

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// PlannedOnly refuses action ("changed", "withdrawn", "vested") on a
// reorganisation that is no longer planned: once vested or withdrawn it is history.
func PlannedOnly(id int64, status, action string) error {
	if status != "planned" {
		return Errorf(ECONFLICT, "reorganisation %d is %s; only a planned one can be %s", id, status, action)
	}
	return nil
}

// CheckSelfSuccession refuses a plan whose successor is one of its predecessors.
func (r Reorganisation) CheckSelfSuccession() error {
	if r.Successor == nil || r.Successor.Code == nil || !slices.Contains(r.Predecessors, *r.Successor.Code) {
		return nil
	}
	var p Problems
	p.Add("successor.code", "%s is also a predecessor; a council cannot succeed itself", *r.Successor.Code)
	return p.Err()
}

// SamePlan reports whether two versions of a plan agree on everything but
// their predecessors: its date, notes and successor.
func (r Reorganisation) SamePlan(o Reorganisation) bool {
	same := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return r.VestingDate == o.VestingDate && r.Notes == o.Notes && r.Successor.Name == o.Successor.Name &&
		r.Successor.Type == o.Successor.Type && same(r.Successor.Code, o.Successor.Code)
}

// CheckPlanCouncils checks a plan's councils against the register: found holds
// the predecessors that exist, by code; successor is the council with the
// successor's code, nil when there is no code or no such council yet (one is
// created on vesting).
func (r Reorganisation) CheckPlanCouncils(found map[string]Council, successor *Council) error {
	var p Problems
	for _, code := range r.Predecessors {
		c, ok := found[code]
		switch {
		case !ok:
			p.Add("predecessors", "no council has the code %q", code)
		case c.Status != "current":
			p.Add("predecessors", "%s (%s) is a former council; only current councils can be reorganised", code, c.Name)
		}
	}
	if c := successor; c != nil {
		code := *r.Successor.Code
		switch {
		case c.Status != "current":
			p.Add("successor.code", "%s (%s) is a former council; name a current council or a new code", code, c.Name)
		case r.Successor.Type != "":
			p.Add("successor.type", "is only for a new council; %s (%s) already exists as a %s", code, c.Name, c.TypeName)
		}
	}
	return p.ErrWithCode(EUNPROCESSABLE, "the reorganisation names councils that do not exist or cannot take part")
}

// CheckVest says whether a planned reorganisation may vest today (YYYY-MM-DD):
// on or after its vesting date, with a successor code, and with every
// predecessor (preds) still a current council.
func (r Reorganisation) CheckVest(preds []Council, today string) error {
	if r.VestingDate > today {
		return Errorf(ECONFLICT, "reorganisation %d vests on %s; it cannot vest before then (today is %s)", r.ID, r.VestingDate, today)
	}
	if r.Successor == nil || r.Successor.Code == nil {
		return Errorf(ECONFLICT, "reorganisation %d has no successor code yet; set successor.code before vesting", r.ID)
	}
	for _, p := range preds {
		if p.Status != "current" {
			return Errorf(ECONFLICT, "predecessor %s is no longer a current council; change the predecessors or withdraw reorganisation %d", p.Code, r.ID)
		}
	}
	return nil
}

// CheckSuccessor refuses to vest into an existing successor that is no longer current.
func (r Reorganisation) CheckSuccessor(c Council) error {
	if c.Status != "current" {
		return Errorf(ECONFLICT, "successor %s is a former council; change successor.code or withdraw reorganisation %d", c.Code, r.ID)
	}
	return nil
}

// NewSuccessorCouncil is the council a vesting plan creates when its successor
// code is new. It takes what the plan and its predecessors say and nothing
// more: the admin's name and type (else the type all predecessors share, else
// "unitary"), their region and nation where they all share one, start date =
// vesting date; population, location and web links stay unknown until the
// register lists it. Its authority code is its GSS code, as mySociety has not
// given it one yet.
func NewSuccessorCouncil(r Reorganisation, preds []Council) Council {
	typ := r.Successor.Type
	if typ == "" {
		typ = shared(preds, func(c Council) string { return c.Type })
	}
	if typ == "" {
		typ = "unitary"
	}
	typeName := typ
	for _, t := range CouncilTypes {
		if t.Slug == typ {
			typeName = t.Name
		}
	}
	nation := shared(preds, func(c Council) string { return c.Nation })
	region := shared(preds, func(c Council) string { return c.Region })
	if region == "" {
		region = nation
	}
	lower := typ != "county" && typ != "combined-authority" && typ != "strategic-regional-authority"
	code, start := *r.Successor.Code, r.VestingDate
	c := Council{Code: code, AuthorityCode: code, Name: r.Successor.Name, ShortName: r.Successor.Name,
		Type: typ, TypeName: typeName, Region: region, Nation: nation, LowerOrUnitary: lower,
		DeliversServices: lower || typ == "county", CombinedAuthority: sharedPtr(preds, func(c Council) *string { return c.CombinedAuthority }),
		Status: "current", StartDate: &start}
	if typ == "non-metropolitan-district" {
		c.County = sharedPtr(preds, func(c Council) *string { return c.County })
	}
	return c
}

// shared is the value every council in cs has, or "" when they differ (or there are none).
func shared(cs []Council, get func(Council) string) string {
	v := ""
	for i, c := range cs {
		if i > 0 && get(c) != v {
			return ""
		}
		v = get(c)
	}
	return v
}

// sharedPtr is shared for an optional value: nil unless every council has the same one.
func sharedPtr(cs []Council, get func(Council) *string) *string {
	v := shared(cs, func(c Council) string {
		if p := get(c); p != nil {
			return *p
		}
		return ""
	})
	if v == "" {
		return nil
	}
	return &v
}

// MergingSuccessor is the code of the existing council whose own uses join the
// predecessors' when their harmonisation is worked out, and whether there is
// one to look for: only before the plan vests (planned, or withdrawn and so
// never vested), and only a successor named by code. The store adds it if that
// council is current. Once vested, what the successor took over is in the
// carry-overs instead.
func (r Reorganisation) MergingSuccessor() (string, bool) {
	if (r.Status != "planned" && r.Status != "withdrawn") || r.Successor == nil || r.Successor.Code == nil {
		return "", false
	}
	return *r.Successor.Code, true
}

// SucceededBy is c once a vested plan has replaced it by succ: a current council becomes former
// from the day before vesting and lists succ among its successors; a former one stays as it is.
func (c Council) SucceededBy(succ, vesting string) Council {
	if c.Status != "current" {
		return c
	}
	end := DayBefore(vesting)
	c.Status, c.EndDate = "former", &end
	if !slices.Contains(c.Successors, succ) {
		c.Successors = append(slices.Clone(c.Successors), succ)
	}
	return c
}

// HistoricGroup is one reorganisation in mySociety's register: the predecessors replaced on one
// vesting date by successors, linked through replaced-by. Councils linked directly or through
// each other on the same date form one group, so Cumbria, its six districts, Cumberland and
// Westmorland and Furness are one reorganisation with two successors.
type HistoricGroup struct {
	Vesting string
	Preds   []string
	Succs   []string
	Edges   map[string][]string // predecessor → its successors
}

// Key is the group's natural key: "historic:<vesting date>:<successor codes>".
func (g HistoricGroup) Key() string {
	return "historic:" + g.Vesting + ":" + strings.Join(g.Succs, ",")
}

type succession struct{ pred, succ string }

// HistoricGroups derives reorganisations from the register, in key order. The vesting date is
// the successors' start date; where the register gives none, the day after the predecessor's
// end date. (mySociety's end dates are the last day for some reorganisations and vesting day for
// others, so the start date is the better witness.) Former councils with no successor in the
// register, such as Northern Ireland's districts before 2015, make no reorganisation.
func HistoricGroups(councils []Council) []HistoricGroup {
	var out []HistoricGroup
	for date, edges := range successionsByDate(councils) {
		out = append(out, groupSuccessions(date, edges)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// successionsByDate lists each replaced-by link in the register under its vesting date.
func successionsByDate(councils []Council) map[string][]succession {
	byCode := map[string]Council{}
	for _, c := range councils {
		byCode[c.Code] = c
	}
	byDate := map[string][]succession{}
	for _, c := range councils {
		for _, s := range c.Successors {
			date := ""
			if sc, ok := byCode[s]; ok && sc.StartDate != nil {
				date = *sc.StartDate
			} else if c.EndDate != nil {
				if t, err := time.Parse(time.DateOnly, *c.EndDate); err == nil {
					date = t.AddDate(0, 0, 1).Format(time.DateOnly)
				}
			}
			if date != "" {
				byDate[date] = append(byDate[date], succession{c.Code, s})
			}
		}
	}
	return byDate
}

// groupSuccessions joins one date's links into groups: union-find over the councils,
// predecessors and successors kept apart by role.
func groupSuccessions(date string, edges []succession) []HistoricGroup {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if parent[x] == "" || parent[x] == x {
			parent[x] = x
			return x
		}
		parent[x] = find(parent[x])
		return parent[x]
	}
	for _, e := range edges {
		parent[find("p:"+e.pred)] = find("s:" + e.succ)
	}
	groups := map[string]*HistoricGroup{}
	for _, e := range edges {
		root := find("p:" + e.pred)
		g := groups[root]
		if g == nil {
			g = &HistoricGroup{Vesting: date, Edges: map[string][]string{}}
			groups[root] = g
		}
		if !slices.Contains(g.Preds, e.pred) {
			g.Preds = append(g.Preds, e.pred)
		}
		if !slices.Contains(g.Succs, e.succ) {
			g.Succs = append(g.Succs, e.succ)
		}
		g.Edges[e.pred] = append(g.Edges[e.pred], e.succ)
	}
	out := make([]HistoricGroup, 0, len(groups))
	for _, g := range groups {
		slices.Sort(g.Preds)
		slices.Sort(g.Succs)
		out = append(out, *g)
	}
	return out
}

// WithoutPlanned drops the historic groups that record a reorganisation first entered as a
// plan (one sharing a predecessor and vesting date with a plan in vested): the plan stays the record.
func WithoutPlanned(groups []HistoricGroup, vested []Reorganisation) []HistoricGroup {
	taken := map[string]bool{} // predecessor and vesting date of a vested plan
	for _, r := range vested {
		for _, p := range r.Predecessors {
			taken[p+"|"+r.VestingDate] = true
		}
	}
	var kept []HistoricGroup
	for _, g := range groups {
		dup := false
		for _, p := range g.Preds {
			dup = dup || taken[p+"|"+g.Vesting]
		}
		if !dup {
			kept = append(kept, g)
		}
	}
	return kept
}
