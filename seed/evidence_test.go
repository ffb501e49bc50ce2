package seed_test

import (
	"context"
	"testing"

	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store/storetest/testdb"
)

// TestTheRegistryRunsOnCitedEvidence seeds the shipped data as `registry serve`
// does and checks the adoptions against the evidence file, read here on its own.
func TestTheRegistryRunsOnCitedEvidence(t *testing.T) {
	st := testdb.New(t)
	ctx := context.Background()
	rep, err := seed.Load(ctx, st, false)
	if err != nil {
		t.Fatal(err)
	}

	// The evidence file's own pairs of council and component, leaving out programmes
	// (memberships, not adoptions) and the two rows with no council code.
	pairs, noCode := map[[2]string]bool{}, 0
	for _, r := range testdb.SeedCSV(t, "evidence/adoption_evidence.csv") {
		code, component := r["gss_code"], r["component"]
		switch {
		case component == "open-digital-planning" || component == "local-digital-declaration":
		case code == "":
			noCode++
		default:
			pairs[[2]string{code, component}] = true
		}
	}
	if len(rep.Unmatched) != noCode || noCode != 2 {
		t.Errorf("the seed reported %d unmatched rows (%v), want the %d without a code", len(rep.Unmatched), rep.Unmatched, noCode)
	}
	// Every pair is an adoption (LocalGov Drupal's own statements add a few more).
	got := count(t, st, `SELECT count(*) FROM adoptions a JOIN adoption_evidence e ON e.adoption_id = a.id
		WHERE e.source <> 'localgov-drupal-docs' AND a.id NOT IN (SELECT to_adoption_id FROM reorganisation_carryovers)`)
	if got < len(pairs) {
		t.Errorf("%d evidence items outside carry-over, want at least one per pair: %d", got, len(pairs))
	}
	for query, want := range map[string]int{
		"SELECT count(*) FROM adoptions WHERE source <> 'evidence'": 0,
		"SELECT count(*) FROM adoptions a WHERE NOT EXISTS (SELECT 1 FROM adoption_evidence e WHERE e.adoption_id = a.id AND e.url LIKE 'http%' AND e.observed_on <> '')": 0,
		"SELECT count(*) FROM adoptions WHERE verified":                 0,
		"SELECT count(*) FROM adoptions a WHERE a.evidence_url IS NULL": 0,
	} {
		if n := count(t, st, query); n != want {
			t.Errorf("%s = %d, want %d", query, n, want)
		}
	}
	// The floor: 600 adoptions in use across 300 current councils.
	if n := count(t, st, `SELECT count(*) FROM adoptions a JOIN councils c ON c.id = a.council_id
		WHERE c.status = 'current' AND a.status <> 'retired'`); n < 600 {
		t.Errorf("%d evidence adoptions on current councils, want at least 600", n)
	}
	if n := count(t, st, `SELECT count(DISTINCT a.council_id) FROM adoptions a JOIN councils c ON c.id = a.council_id
		WHERE c.status = 'current' AND a.status <> 'retired'`); n < 300 {
		t.Errorf("evidence covers %d current councils, want at least 300", n)
	}
	// A council's GOV.UK Pay adoption quotes GOV.UK Pay's own list.
	if n := count(t, st, `SELECT count(*) FROM adoptions a JOIN councils c ON c.id = a.council_id
		JOIN components p ON p.id = a.component_id JOIN adoption_evidence e ON e.adoption_id = a.id
		WHERE c.code = 'E06000052' AND p.slug = 'govuk-pay' AND e.source = 'govuk-pay-performance' AND a.status = 'live'`); n != 1 {
		t.Errorf("Cornwall's GOV.UK Pay adoption has %d items from GOV.UK Pay's list, want 1", n)
	}

	// Seeding again changes nothing.
	again, err := seed.Load(ctx, st, false)
	if err != nil {
		t.Fatal(err)
	}
	for kind, n := range again.Created {
		if n != 0 || again.Updated[kind] != 0 {
			t.Errorf("second seed: %s %d created, %d updated", kind, n, again.Updated[kind])
		}
	}
}
