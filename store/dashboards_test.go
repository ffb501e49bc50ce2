package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store/storetest/testdb"
)

// TestDeclineMovesCountNoClaim: a council counts as having moved from a component in decline
// when its own record of the old one is retired and it runs another, never on a vendor's
// claim, unverified, that it once ran the old one.
func TestDeclineMovesCountNoClaim(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t, testdb.Seeded(t, false))
	st.Now = func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) }
	admin := models.Actor{Key: "ccr_admin", Role: models.RoleAdmin}
	vendor := models.Actor{Key: "ccr_vendor", Role: models.RoleVendor, Org: "decline-test"}
	str := func(s string) *string { return &s }
	const capability = "decline-test" // one no seeded adoption provides
	if _, err := st.CreateCapability(ctx, admin, models.CapabilityInput{Slug: str(capability), Name: str("Decline test"),
		Category: str("test"), Description: str("A capability for this test.")}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateVendor(ctx, admin, models.VendorInput{Slug: str("decline-test"), Name: str("Decline test"), Website: str("https://example.org")}); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"old-widget", "new-widget"} {
		if _, err := st.CreateComponent(ctx, admin, models.ComponentInput{Slug: str(slug), Name: str(slug), Summary: str("A widget"),
			Vendor: str("decline-test"), Capabilities: &[]string{capability}, Hosting: str("saas"), Pricing: str("free"), Lifecycle: str("live")}); err != nil {
			t.Fatal(err)
		}
	}
	adopt := func(by models.Actor, council, component string, statuses ...string) {
		t.Helper()
		a, err := st.CreateAdoption(ctx, by, models.AdoptionInput{Council: str(council), Component: str(component), Status: str(statuses[0])})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range statuses[1:] {
			if a, err = st.UpdateAdoption(ctx, by, a.ID, models.AdoptionInput{Status: str(s)}, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	adopt(admin, "E09000022", "old-widget", "live")                         // Lambeth still runs it
	adopt(vendor, "E09000032", "old-widget", "live", "retiring", "retired") // the vendor's claim Wandsworth left it...
	adopt(admin, "E09000032", "new-widget", "live")                         // ...for what Wandsworth runs
	adopt(admin, "E09000028", "old-widget", "live", "retiring", "retired")  // Southwark's own record of leaving it
	adopt(admin, "E09000028", "new-widget", "live")
	if _, err := st.UpdateComponent(ctx, admin, "old-widget", models.ComponentInput{Lifecycle: str("deprecated")}, nil); err != nil {
		t.Fatal(err)
	}

	moves, err := st.DeclineMoves(ctx, []string{"old-widget"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []models.DeclineMove{{From: "old-widget", To: "new-widget", ToName: "new-widget", Councils: 1}}; !reflect.DeepEqual(moves, want) {
		t.Errorf("moves %+v, want %+v: Southwark alone, not Wandsworth on the vendor's claim", moves, want)
	}
}
