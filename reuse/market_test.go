package reuse

import (
	"reflect"
	"testing"
)

// The store refuses dependency cycles, but data loaded from elsewhere may hold one: the impact
// of retiring a component reports it and still ends.
func TestImpactReportsCyclesWithoutLooping(t *testing.T) {
	comps := []Component{
		{Slug: "base", Name: "Base", Lifecycle: "deprecated", Vendor: "v", Capabilities: []string{"k"}},
		{Slug: "a", Name: "A", Lifecycle: "live", Vendor: "v", Capabilities: []string{"k"}, DependsOn: []string{"base", "b"}},
		{Slug: "b", Name: "B", Lifecycle: "live", Vendor: "v", Capabilities: []string{"k"}, DependsOn: []string{"a"}},
		{Slug: "self", Name: "Self", Lifecycle: "live", Vendor: "v", Capabilities: []string{"k"}, DependsOn: []string{"self", "b"}},
	}
	e := New(nil, []Capability{{Slug: "k", Name: "K"}}, comps, nil, nil)
	got, err := e.Impact("base")
	if err != nil {
		t.Fatal(err)
	}
	var deps [][]string
	for _, d := range got.Dependents {
		deps = append(deps, d.Path)
	}
	if want := [][]string{{"a", "base"}, {"b", "a", "base"}, {"self", "b", "a", "base"}}; !reflect.DeepEqual(deps, want) {
		t.Errorf("dependents %v, want %v", deps, want)
	}
	if want := [][]string{{"a", "b", "a"}, {"self", "self"}}; !reflect.DeepEqual(got.Cycles, want) {
		t.Errorf("cycles %v, want %v", got.Cycles, want)
	}
	if _, err := e.Impact("nothing"); err == nil {
		t.Error("an unknown component has an impact")
	}
}

// An engine fed one adoption at a time (with some replaced and deleted on the way) answers the
// market queries exactly as one built fresh from the same data.
func TestMarketQueriesIncrementalMatchFresh(t *testing.T) {
	w := synthWorld(300, 80, 3000, 3)
	e := New(w.councils, w.caps, w.comps, nil, w.needs)
	for i, a := range w.adoptions {
		if i%7 == 0 { // first with another date and status, then as it is
			b := a
			b.Status, b.ContractEndOn = "piloting", synthToday.AddDate(0, i%30, 0)
			e.PutAdoption(b)
		}
		e.PutAdoption(a)
	}
	e.PutAdoption(Adoption{ID: 1 << 40, Council: w.councils[0].Code, Component: w.comps[0].Slug, Capability: w.caps[0].Slug,
		Status: "live", ContractEndOn: synthToday.AddDate(0, 1, 0)})
	e.DeleteAdoption(1 << 40)
	// A component moves to another vendor, and another becomes an in-house build.
	moved, own := w.comps[0], w.comps[1]
	moved.Vendor, moved.VendorName = w.comps[2].Vendor, w.comps[2].VendorName
	own.Vendor, own.InHouse = "a-council-team", true
	e.PutComponent(moved)
	e.PutComponent(own)
	w.comps[0], w.comps[1] = moved, own
	fresh := w.engine()
	for _, q := range []struct {
		name string
		run  func(*Engine) any
	}{
		{"national renewals", func(x *Engine) any { r, n := x.Renewals(synthToday, 18, 0, 0); return []any{r, n} }},
		{"a page of them", func(x *Engine) any { r, n := x.Renewals(synthToday, 18, 37, 20); return []any{r, n} }},
		{"a council's", func(x *Engine) any { r, _ := x.CouncilRenewals(w.councils[5].Code, synthToday, 18); return r }},
		{"concentration", func(x *Engine) any { return x.Concentration("", "", synthToday, 18) }},
		{"a region's", func(x *Engine) any { return x.Concentration(w.councils[0].Region, "", synthToday, 18) }},
		{"impact", func(x *Engine) any { r, _ := x.Impact(w.comps[1].Slug); return r }},
	} {
		if got, want := q.run(e), q.run(fresh); !reflect.DeepEqual(got, want) {
			t.Errorf("%s differ:\nincremental %+v\nfresh       %+v", q.name, got, want)
		}
	}
	all, n := fresh.Renewals(synthToday, 18, 0, 0)
	page, _ := fresh.Renewals(synthToday, 18, 37, 20)
	if n == 0 || len(all) != n || !reflect.DeepEqual(page, all[37:57]) {
		t.Errorf("a page is not its part of the whole list (%d renewals)", n)
	}
}
