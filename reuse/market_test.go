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
