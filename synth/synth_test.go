package synth_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/synth"
)

func options() synth.Options {
	var caps []models.Capability
	for i := range 12 {
		caps = append(caps, models.Capability{Slug: fmt.Sprintf("cap-%02d", i), Name: fmt.Sprintf("Capability %d", i),
			Description: "Does a thing."})
	}
	return synth.Options{Councils: 70, Components: 90, Adoptions: 1200, Seed: 4, Capabilities: caps, Today: synth.Epoch}
}

func mustNew(t *testing.T, o synth.Options) *synth.World {
	t.Helper()
	w, err := synth.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestNewIsDeterministicForASeed(t *testing.T) {
	o := options()
	w := mustNew(t, o)
	if !reflect.DeepEqual(w, mustNew(t, o)) {
		t.Fatal("the same options made two different worlds")
	}
	o.Seed++
	if reflect.DeepEqual(w, mustNew(t, o)) {
		t.Fatal("another seed made the same world")
	}
	o.Seed--
	o.Today = synth.Epoch.AddDate(0, 1, 0)
	moved := mustNew(t, o)
	if !reflect.DeepEqual(w.Adoptions, moved.Adoptions) || !moved.Date(0).Equal(o.Today) {
		t.Fatal("another today should move the dates, not change the draws")
	}
}

func TestNewRespectsTheCounts(t *testing.T) {
	o := options()
	w := mustNew(t, o)
	for name, got := range map[string][2]int{
		"councils":     {len(w.Councils), o.Councils},
		"vendors":      {len(w.Vendors), synth.VendorCount(o.Components)},
		"capabilities": {len(w.Capabilities), len(o.Capabilities)},
		"components":   {len(w.Components), o.Components},
		"adoptions":    {len(w.Adoptions), o.Adoptions},
		"needs":        {len(w.Needs), synth.NeedCount(o.Councils)},
	} {
		if got[0] != got[1] {
			t.Errorf("%d %s, want %d", got[0], name, got[1])
		}
	}
	if w.Councils[42].Code != "X00000042" || w.Components[42].Slug != "synth-component-000042" || w.Vendors[3].Slug != "synth-vendor-00003" {
		t.Errorf("names moved: %s, %s, %s", w.Councils[42].Code, w.Components[42].Slug, w.Vendors[3].Slug)
	}
	pairs := map[[2]int32]bool{}
	for _, a := range w.Adoptions {
		if pairs[[2]int32{a.Council, a.Component}] {
			t.Fatalf("council %d adopts component %d twice", a.Council, a.Component)
		}
		pairs[[2]int32{a.Council, a.Component}] = true
		if !slices.Contains(w.Components[a.Component].Capabilities, int(a.Capability)) {
			t.Fatalf("%+v: the component does not provide that capability", a)
		}
		if !w.Councils[a.Council].Current && a.Status != "retired" {
			t.Fatalf("%+v: a former council's adoption is not retired", a)
		}
		if a.HasContract && a.Status == "retired" || a.HasEnded != (a.Status == "retired") {
			t.Fatalf("%+v: dates do not fit the status", a)
		}
	}
}

func TestValidateRefusesImpossibleSizes(t *testing.T) {
	for name, change := range map[string]func(*synth.Options){
		"no councils":        func(o *synth.Options) { o.Councils = 0 },
		"no components":      func(o *synth.Options) { o.Components = 0 },
		"negative adoptions": func(o *synth.Options) { o.Adoptions = -1 },
		"no taxonomy":        func(o *synth.Options) { o.Capabilities = nil },
		"too many pairs":     func(o *synth.Options) { o.Adoptions = o.Councils*o.Components/2 + 1 },
	} {
		o := options()
		change(&o)
		if _, err := synth.New(o); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	o := options()
	o.Adoptions = o.Councils * o.Components / 2
	if w := mustNew(t, o); len(w.Adoptions) != o.Adoptions {
		t.Errorf("%d adoptions at the limit, want %d", len(w.Adoptions), o.Adoptions)
	}
}
