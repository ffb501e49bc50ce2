package store

import (
	"cmp"
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/council-components/registry/models"
)

// The list pages' use counts follow writes to components and vendors one by one, as they
// follow adoptions: after each step the tally brought up to date from the audit log makes the
// same counts as a tally read afresh, and it never falls back to reading every adoption again.
func TestUseTallyFollowsCatalogueWritesOneByOne(t *testing.T) {
	st := auditWorld(t)
	ctx := context.Background()
	admin := models.Actor{Key: "ccr_tally", Role: models.RoleAdmin, Org: "tally"}
	v, err := st.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tally, err := st.readTally(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	step := func(what string, writes ...func() error) {
		t.Helper()
		for _, write := range writes {
			if err := write(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		v, err := st.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ok, err := st.updateTally(ctx, tally, v)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !ok {
			t.Fatalf("%s: the tally read every adoption again", what)
		}
		fresh, err := st.readTally(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := comparableCounts(tally.counts()), comparableCounts(fresh.counts()); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: brought up to date\n%+v\nread afresh\n%+v", what, got, want)
		}
	}
	ptr := func(s string) *string { return &s }
	var adopted []int64
	adopt := func(council, component string) func() error {
		return func() error {
			a, err := st.CreateAdoption(ctx, admin, models.AdoptionInput{Council: ptr(council), Component: ptr(component), Status: ptr("live")})
			adopted = append(adopted, a.ID)
			return err
		}
	}
	setStatus := func(i int, status string) func() error {
		return func() error {
			_, err := st.UpdateAdoption(ctx, admin, adopted[i], models.AdoptionInput{Status: ptr(status)}, nil)
			return err
		}
	}
	newComponent := func(slug, name, vendor string) func() error {
		return func() error {
			_, err := st.CreateComponent(ctx, admin, models.ComponentInput{Slug: ptr(slug), Name: ptr(name), Summary: ptr("s"),
				Vendor: ptr(vendor), Capabilities: &[]string{"online-card-payments"}, Lifecycle: ptr("live")})
			return err
		}
	}
	updateComponent := func(slug string, in models.ComponentInput) func() error {
		return func() error {
			_, err := st.UpdateComponent(ctx, admin, slug, in, nil)
			return err
		}
	}

	step("adoptions", adopt("E99000001", "pay"), adopt("E99000002", "pay"), adopt("E99000002", "base-a"))
	step("a new component adopted before the tally hears of either",
		newComponent("new-pay", "New pay", "zeta"), adopt("E99000001", "new-pay"))
	step("a component renamed to the end of the order by name", updateComponent("pay", models.ComponentInput{Name: ptr("Zz pay")}))
	step("a used component moved to another vendor", updateComponent("pay", models.ComponentInput{Vendor: ptr("zeta")}))
	step("a vendor become an in-house team", func() error {
		_, err := st.UpdateVendor(ctx, admin, "zeta", models.VendorInput{Kind: ptr("in-house")}, nil)
		return err
	})
	step("a spare component", newComponent("spare", "Spare", "acme"))
	step("the spare deleted", func() error { return st.DeleteComponent(ctx, admin, "spare", nil) })
	step("a spare made and deleted, and its slug taken by a new one",
		newComponent("spare", "Spare", "acme"),
		func() error { return st.DeleteComponent(ctx, admin, "spare", nil) },
		newComponent("spare", "Aardvark spare", "zeta"), adopt("E99000002", "spare"))
	step("a council's two live payment adoptions retiring", setStatus(0, "retiring"), setStatus(3, "retiring"))
	step("one of them retired, and another council's retiring", setStatus(0, "retired"), setStatus(1, "retiring"))
	step("a capability renamed", func() error {
		_, err := st.UpdateCapability(ctx, admin, "appointments", models.CapabilityInput{Name: ptr("Booking a slot")}, nil)
		return err
	})
}

// countsSeen is what readers see of a useCounts, in a form reflect.DeepEqual compares.
type countsSeen struct {
	Version                    int64
	Component, Council, Vendor map[int64]int
	Ranked, ByName             map[int64]int
	ServiceCouncils            int
	CapabilityLive             map[int64]int
	LiveCouncils               map[int64][]int64
	LiveUse                    map[int64][]liveUse
}

// comparableCounts is what readers see of c, without what does not change it: counts of
// zero, and the order in which councils and components were added to its lists.
func comparableCounts(c *useCounts) countsSeen {
	nonZero := func(m map[int64]int) map[int64]int {
		out := maps.Clone(m)
		maps.DeleteFunc(out, func(_ int64, n int) bool { return n == 0 })
		return out
	}
	out := countsSeen{Version: c.version, Component: nonZero(c.component), Council: nonZero(c.council), Vendor: nonZero(c.vendor),
		Ranked: c.rankedPlaces(), ByName: c.byName, ServiceCouncils: c.serviceCouncils, CapabilityLive: nonZero(c.capabilityLive),
		LiveCouncils: map[int64][]int64{}, LiveUse: map[int64][]liveUse{}}
	for k, ids := range c.liveCouncils {
		out.LiveCouncils[k] = slices.Sorted(slices.Values(ids))
	}
	for k, uses := range c.liveUse {
		out.LiveUse[k] = slices.SortedFunc(slices.Values(uses), func(a, b liveUse) int { return cmp.Compare(a.component, b.component) })
	}
	return out
}

// A reader that read the version before another reader brought the counts past it is served
// those newer counts as they are: they have seen every write it could expect, and reading
// every adoption again for it would only make the counts it waits for older.
func TestUseCountsServeAnEarlierVersionTheNewerCounts(t *testing.T) {
	st := auditWorld(t)
	ctx := context.Background()
	before, err := st.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	council, component := "E99000001", "pay"
	if _, err := st.CreateAdoption(ctx, models.Actor{Key: "k", Role: models.RoleAdmin}, models.AdoptionInput{Council: &council, Component: &component}); err != nil {
		t.Fatal(err)
	}
	newer, err := st.useCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tally := st.lists.tally
	got, err := st.useCountsAt(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	if got != newer || st.lists.tally != tally {
		t.Errorf("a reader at version %d was given counts at %d, the tally read again: %v", before, got.version, st.lists.tally != tally)
	}
}
