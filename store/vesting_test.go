package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store/storetest/testdb"
)

// TestVestIntoAnExistingSuccessor vests a plan whose successor is an existing council that
// already has the component open: its record takes in the predecessors' (status raised where
// the lifecycle allows, contract end filled in), and theirs retire the day before vesting.
func TestVestIntoAnExistingSuccessor(t *testing.T) {
	ctx := context.Background()
	st := testdb.New(t)
	st.Now = func() time.Time { return time.Date(2027, 4, 2, 9, 0, 0, 0, time.UTC) }
	ref, err := seed.Embedded().Read()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Seed(ctx, ref); err != nil {
		t.Fatal(err)
	}
	admin := models.Actor{Key: "ccr_test", Role: models.RoleAdmin}
	str := func(s string) *string { return &s }
	capability := ref.Capabilities[0].Slug
	if _, err := st.CreateVendor(ctx, admin, models.VendorInput{Slug: str("vest-test"), Name: str("Vest test"), Website: str("https://example.org")}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateComponent(ctx, admin, models.ComponentInput{Slug: str("vest-widget"), Name: str("Widget"), Summary: str("A widget"),
		Vendor: str("vest-test"), Capabilities: &[]string{capability}, Hosting: str("saas"), Pricing: str("free"), Lifecycle: str("live")}); err != nil {
		t.Fatal(err)
	}
	adopt := func(council, status string, contract *string) models.Adoption {
		t.Helper()
		a, err := st.CreateAdoption(ctx, admin, models.AdoptionInput{Council: str(council), Component: str("vest-widget"),
			Status: str(status), StartedOn: models.NullString{Set: true, Value: str("2024-01-01")},
			ContractEndOn: models.NullString{Set: contract != nil, Value: contract}})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	const succ = "E09000028" // Southwark takes in Lambeth and Wandsworth
	lambeth := adopt("E09000022", "live", str("2029-03-31"))
	wandsworth := adopt("E09000032", "retiring", str("2030-06-30"))
	southwark := adopt(succ, "piloting", nil)

	inUse := 0 // every adoption in use at the predecessors carries, the seed's evidence too
	for _, code := range []string{"E09000022", "E09000032"} {
		list, err := st.ListAdoptions(ctx, models.AdoptionFilter{Council: code}, models.Page{Limit: models.MaxPageSize})
		if err != nil || list.Next != "" {
			t.Fatal(err, list.Next)
		}
		for _, a := range list.Items {
			if models.InUse(a.Status) {
				inUse++
			}
		}
	}

	r, err := st.CreateReorganisation(ctx, admin, models.ReorganisationInput{Predecessors: &[]string{"E09000022", "E09000032"},
		Successor:   &models.SuccessorInput{Code: models.NullString{Set: true, Value: str(succ)}, Name: str("Southwark")},
		VestingDate: str("2027-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	if r, err = st.VestReorganisation(ctx, admin, r.ID); err != nil {
		t.Fatal(err)
	}
	if r.CarriedOver != inUse {
		t.Errorf("carried over %d, want %d", r.CarriedOver, inUse)
	}
	got, err := st.GetAdoption(ctx, southwark.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "live" || got.ContractEndOn == nil || *got.ContractEndOn != "2030-06-30" || got.Version != 2 {
		t.Errorf("successor's adoption: %s, contract %v, version %d; want live, 2030-06-30, 2", got.Status, got.ContractEndOn, got.Version)
	}
	for _, a := range []models.Adoption{lambeth, wandsworth} {
		p, err := st.GetAdoption(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != "retired" || p.EndedOn == nil || *p.EndedOn != "2027-03-31" {
			t.Errorf("predecessor adoption %d: %s ending %v, want retired ending 2027-03-31", a.ID, p.Status, p.EndedOn)
		}
	}
	hist, err := st.AdoptionHistory(ctx, admin, southwark.ID, models.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Items) != 3 || hist.Items[1].Action != "carried_over" || hist.Items[1].Changes["status"].To != "live" ||
		hist.Items[2].Changes["carried_from"].From == nil || hist.Items[2].Changes["status"].To != nil {
		t.Errorf("successor's history %+v: want created, then one carried_over per predecessor, the first with the changes", hist.Items)
	}
}
