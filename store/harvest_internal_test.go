package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// harvestWorld is a database of made-up councils ("Test council N", codes
// E99000001 on) and one component, and a harvest run listing the first n of
// them as its users.
func harvestWorld(t *testing.T, councils, n int) (*Store, models.HarvestRun) {
	t.Helper()
	ctx := context.Background()
	st := openBlank(t)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return time.Date(2026, 9, 2, 12, 0, 0, 0, time.UTC) }
	d := SeedData{
		Vendors:      []SeedVendor{{Vendor: models.Vendor{Slug: "acme", Name: "Acme", Website: "https://acme.example", Kind: "commercial"}}},
		Capabilities: []models.Capability{{Slug: "online-card-payments", Name: "Online card payments", Category: "payments", Description: "Take card payments."}},
		Components: []SeedComponent{{Component: models.Component{Slug: "pay-widget", Name: "Pay widget", Summary: "Card payments.",
			Vendor: "acme", Capabilities: []string{"online-card-payments"}, Lifecycle: "live", Hosting: "saas", Pricing: "free"}}},
	}
	for i := range councils {
		d.Councils = append(d.Councils, models.Council{Code: fmt.Sprintf("E99%06d", i+1), AuthorityCode: fmt.Sprintf("T%05d", i+1), Name: fmt.Sprintf("Test council %d", i+1),
			ShortName: fmt.Sprintf("Test %d", i+1), Type: "UA", TypeName: "Unitary authority", Nation: "England", Status: "current",
			LowerOrUnitary: true, DeliversServices: true})
	}
	if _, err := st.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	run := models.HarvestRun{Source: "test-list", File: "test-list-2026-09-01.json", SHA256: "00", ObservedOn: "2026-09-01",
		Components: []string{"pay-widget"}, Matched: map[string][]string{}}
	for i := range n {
		code := fmt.Sprintf("E99%06d", i+1)
		run.Observations = append(run.Observations, models.HarvestObservation{Council: code, Component: "pay-widget", Kind: "adoption",
			Evidence: models.EvidenceItem{Source: "test-list", URL: "https://example.org/test-list.json",
				Quote: "The test list names " + code, ObservedOn: "2026-09-01", Status: "live"}})
	}
	return st, run
}

// harvested counts what harvests have written.
func harvested(t *testing.T, st *Store) string {
	t.Helper()
	var out string
	for _, table := range []string{"adoptions", "adoption_evidence", "adoption_events", "audit_log", "harvests"} {
		var n int64
		if err := st.r.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf("%s=%d ", table, n)
	}
	return out
}

// TestHarvestStoppedMidwayIsCompletedByRunningAgain: a harvest writes in
// steps and records itself last, so one stopped after its first step, run
// again, ends where an uninterrupted run ends.
func TestHarvestStoppedMidwayIsCompletedByRunningAgain(t *testing.T) {
	ctx := context.Background()
	whole, run := harvestWorld(t, 120, 120)
	if _, err := whole.ApplyHarvest(ctx, run); err != nil {
		t.Fatal(err)
	}
	st, _ := harvestWorld(t, 120, 120)
	plan, err := planHarvest(st.r, run)
	if err != nil {
		t.Fatal(err)
	}
	err = st.write(ctx, func(tx *gorm.DB) error { // the first step, and no more
		for _, k := range plan.order[:harvestStep] {
			if _, err := applyListed(tx, run.Source, k, plan.pairs[k], plan.capabilities[k.component], st.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := st.ApplyHarvest(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 120-harvestStep || rep.Unchanged != harvestStep {
		t.Errorf("the second run: %d created, %d unchanged; want %d and %d", rep.Created, rep.Unchanged, 120-harvestStep, harvestStep)
	}
	if got, want := harvested(t, st), harvested(t, whole); got != want {
		t.Errorf("stopped and run again: %s; uninterrupted: %s", got, want)
	}
	again, err := st.ApplyHarvest(ctx, run)
	if err != nil || again.Created+again.Updated+again.NoLongerListed != 0 {
		t.Errorf("a third run: %+v, %v; want nothing changed", again, err)
	}
}

// TestHarvestLetsOtherWritersIn: while a harvest of 1,500 councils runs, another
// writer's edits complete, some while the harvest is partly written, and a
// dry run writes nothing.
func TestHarvestLetsOtherWritersIn(t *testing.T) {
	ctx := context.Background()
	const n = 1500
	st, run := harvestWorld(t, n, n)
	dry := run
	dry.DryRun = true
	before := harvested(t, st)
	rep, err := st.ApplyHarvest(ctx, dry)
	if err != nil || rep.Created != n {
		t.Fatalf("dry run: %d created, %v", rep.Created, err)
	}
	if after := harvested(t, st); after != before {
		t.Fatalf("a dry run wrote: %s → %s", before, after)
	}

	admin := models.Actor{Key: "ccr_test", Role: models.RoleAdmin}
	done := make(chan error, 1)
	go func() {
		_, err := st.ApplyHarvest(ctx, run)
		done <- err
	}()
	var slowest time.Duration
	edits, midway := 0, 0
	for harvesting := true; harvesting; edits++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			harvesting = false
		case <-time.After(10 * time.Millisecond):
		}
		description := fmt.Sprintf("edited during a harvest (%d)", edits)
		start := time.Now()
		if _, err := st.UpdateVendor(ctx, admin, "acme", models.VendorInput{Description: &description}, nil); err != nil {
			t.Fatal(err)
		}
		slowest = max(slowest, time.Since(start))
		var created int64
		if err := st.r.Table("adoptions").Count(&created).Error; err != nil {
			t.Fatal(err)
		}
		if harvesting && created > 0 && created < n {
			midway++
		}
	}
	t.Logf("%d edits during a %d-council harvest (%d while it was partly written), the slowest %s", edits, n, midway, slowest)
	if midway == 0 {
		t.Error("no edit completed while the harvest was partly written")
	}
	if slowest >= 2*time.Second {
		t.Errorf("an edit waited %s for the harvest", slowest)
	}
}
