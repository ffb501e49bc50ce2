package seed_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
	"github.com/council-components/registry/store/storetest/testdb"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// loaded is a fresh database into which this test has loaded the reference
// data (and the demo world when demo is set).
func loaded(t *testing.T, demo bool) *store.Store {
	t.Helper()
	st := testdb.New(t)
	if _, err := seed.Reference().Load(context.Background(), st, demo); err != nil {
		t.Fatal(err)
	}
	return st
}

func count(t *testing.T, st *store.Store, query string) int {
	t.Helper()
	db, _ := st.SQLDB()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCouncilsAreTheRealOnes(t *testing.T) {
	ctx := context.Background()
	st := loaded(t, false)
	for q, want := range map[string]int{
		"SELECT count(*) FROM councils WHERE status = 'current'":                           397,
		"SELECT count(*) FROM councils WHERE status = 'former'":                            73,
		"SELECT count(*) FROM councils WHERE status = 'current' AND lower_or_unitary":      361,
		"SELECT count(*) FROM councils WHERE status = 'current' AND nation = 'England'":    332,
		"SELECT count(*) FROM councils WHERE status = 'current' AND type = 'county'":       21,
		"SELECT count(*) FROM councils WHERE status = 'current' AND NOT delivers_services": 15, // 14 combined authorities and the GLA
		"SELECT count(*) FROM capabilities":                                                90,
		"SELECT count(*) FROM components":                                                  17,
		"SELECT count(*) FROM adoptions WHERE source <> 'evidence'":                        0,
	} {
		if got := count(t, st, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}

	lambeth, err := st.GetCouncil(ctx, "E09000022")
	if err != nil {
		t.Fatal(err)
	}
	check := func(c models.Council, field, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s %s = %q, want %q", c.Code, field, got, want)
		}
	}
	check(lambeth, "name", lambeth.Name, "London Borough of Lambeth")
	check(lambeth, "short_name", lambeth.ShortName, "Lambeth")
	check(lambeth, "type", lambeth.Type, "london-borough")
	check(lambeth, "region", lambeth.Region, "London")
	check(lambeth, "nation", lambeth.Nation, "England")
	check(lambeth, "gov_uk_slug", *lambeth.GovUKSlug, "lambeth")
	check(lambeth, "homepage_url", *lambeth.HomepageURL, "http://www.lambeth.gov.uk/")
	if lambeth.Population == nil || *lambeth.Population != 321813 || lambeth.Latitude == nil || *lambeth.Latitude < 51.4 || *lambeth.Latitude > 51.5 {
		t.Errorf("Lambeth population/latitude %v %v", lambeth.Population, lambeth.Latitude)
	}
	if !lambeth.DeliversServices || lambeth.Status != "current" {
		t.Errorf("Lambeth delivers_services %v status %q", lambeth.DeliversServices, lambeth.Status)
	}

	// A two-tier district knows its county; the county delivers services though it is not lower tier.
	lewes, err := st.GetCouncil(ctx, "E07000063")
	if err != nil {
		t.Fatal(err)
	}
	check(lewes, "name", lewes.Name, "Lewes District Council")
	check(lewes, "type", lewes.Type, "non-metropolitan-district")
	if lewes.County == nil || *lewes.County != "E10000011" {
		t.Errorf("Lewes county = %v, want East Sussex E10000011", lewes.County)
	}
	eastSussex, _ := st.GetCouncil(ctx, "E10000011")
	if eastSussex.LowerOrUnitary || !eastSussex.DeliversServices || eastSussex.Type != "county" {
		t.Errorf("East Sussex %+v", eastSussex)
	}
	// A combined authority is listed but does not deliver council services.
	gmca, _ := st.GetCouncil(ctx, "E47000001")
	if gmca.Type != "combined-authority" || gmca.DeliversServices {
		t.Errorf("Greater Manchester CA %+v", gmca)
	}
	glasgow, _ := st.GetCouncil(ctx, "S12000049")
	check(glasgow, "name", glasgow.Name, "Glasgow City Council")
	check(glasgow, "type", glasgow.Type, "scottish-unitary")
	check(glasgow, "region", glasgow.Region, "Scotland")
	// GOV.UK lists Glasgow under an older GSS code: the homepage is matched through former codes.
	if glasgow.HomepageURL == nil {
		t.Error("Glasgow has no homepage: former GSS codes were not used to match GOV.UK's file")
	}
	belfast, _ := st.GetCouncil(ctx, "N09000003")
	check(belfast, "type", belfast.Type, "ni-district")
	check(belfast, "nation", belfast.Nation, "Northern Ireland")

	// Former councils link to their successors both ways: Cumbria split in two.
	cumbria, err := st.GetCouncil(ctx, "E10000006")
	if err != nil {
		t.Fatal(err)
	}
	if cumbria.Status != "former" || cumbria.EndDate == nil || strings.Join(cumbria.Successors, ",") != "E06000063,E06000064" {
		t.Errorf("Cumbria %s ended %v successors %v", cumbria.Status, cumbria.EndDate, cumbria.Successors)
	}
	cumberland, _ := st.GetCouncil(ctx, "E06000063")
	if !contains(cumberland.Predecessors, "E10000006") {
		t.Errorf("Cumberland predecessors %v", cumberland.Predecessors)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestComponentsAndEvidence(t *testing.T) {
	ctx := context.Background()
	st := loaded(t, false)
	pay, err := st.GetComponent(ctx, "govuk-pay")
	if err != nil {
		t.Fatal(err)
	}
	if pay.Name != "GOV.UK Pay" || pay.Vendor != "government-digital-service" || pay.Licence == nil || *pay.Licence != "MIT" ||
		!pay.OpenSource || !contains(pay.Capabilities, "online-card-payments") || !contains(pay.DependsOn, "govuk-notify") {
		t.Errorf("GOV.UK Pay %+v", pay)
	}
	list, err := st.ListComponents(ctx, models.ComponentFilter{Q: "payments"}, models.Page{})
	if err != nil || len(list.Items) == 0 || list.Items[0].Slug != "govuk-pay" {
		t.Fatalf("q=payments: %v %+v", err, list.Items)
	}
	// Evidence: one adoption per council named in LocalGov Drupal's own publications, no stronger than stated.
	if n := count(t, st, "SELECT count(*) FROM adoptions"); n != 11 {
		t.Errorf("%d evidence adoptions, want 11 (10 current councils and the former Cumbria; London Councils is not a council)", n)
	}
	if n := count(t, st, `SELECT count(*) FROM adoptions a JOIN councils c ON c.id = a.council_id
		WHERE c.code = 'E09000022' AND a.status = 'live' AND a.evidence_url LIKE 'https://localgovdrupal.org/%' AND NOT a.verified`); n != 1 {
		t.Error("Lambeth's launched LocalGov Drupal site is not a live, unverified evidence adoption")
	}
	if n := count(t, st, `SELECT count(*) FROM adoptions a JOIN councils c ON c.id = a.council_id
		WHERE c.code = 'E09000031' AND a.status = 'exploring'`); n != 1 {
		t.Error("Waltham Forest only joined the collaboration: its adoption must be exploring")
	}
}

func TestSeedIsIdempotent(t *testing.T) {
	ctx := context.Background()
	st := loaded(t, true)
	tables := []string{"councils", "council_successions", "vendors", "capabilities", "components", "component_capabilities", "adoptions", "needs", "component_search"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = count(t, st, "SELECT count(*) FROM "+tb)
	}
	versions := count(t, st, "SELECT sum(version) FROM components") + count(t, st, "SELECT sum(version) FROM adoptions")
	rep, err := seed.Reference().Load(ctx, st, true)
	if err != nil {
		t.Fatal(err)
	}
	testdb.WantNothingNew(t, rep, "second run")
	for _, tb := range tables {
		if n := count(t, st, "SELECT count(*) FROM "+tb); n != before[tb] {
			t.Errorf("%s: %d rows after second run, %d before", tb, n, before[tb])
		}
	}
	if v := count(t, st, "SELECT sum(version) FROM components") + count(t, st, "SELECT sum(version) FROM adoptions"); v != versions {
		t.Error("second run bumped versions")
	}
}

func TestDemoRowsAreLabelled(t *testing.T) {
	st := loaded(t, true)
	demo := count(t, st, "SELECT count(*) FROM adoptions WHERE source = 'demo'")
	if demo < 500 {
		t.Errorf("only %d demo adoptions", demo)
	}
	if n := count(t, st, "SELECT count(*) FROM adoptions WHERE source NOT IN ('demo', 'evidence')"); n != 0 {
		t.Errorf("%d adoptions are neither demo nor evidence", n)
	}
	if n := count(t, st, "SELECT count(*) FROM adoptions WHERE source = 'evidence'"); n != 11 {
		t.Errorf("the demo world changed evidence adoptions: %d", n)
	}
	// Any adoption of a synthetic component, and every need, is demo.
	if n := count(t, st, `SELECT count(*) FROM adoptions a JOIN components c ON c.id = a.component_id WHERE c.synthetic AND a.source <> 'demo'`); n != 0 {
		t.Errorf("%d adoptions of synthetic components are not labelled demo", n)
	}
	if n := count(t, st, "SELECT count(*) FROM needs WHERE source <> 'demo'"); n != 0 {
		t.Errorf("%d needs are not labelled demo", n)
	}
	if n := count(t, st, "SELECT count(*) FROM adoptions WHERE source = 'demo' AND notes NOT LIKE 'Illustrative demo data%'"); n != 0 {
		t.Errorf("%d demo adoptions do not say they are illustrative", n)
	}
	if n := count(t, st, "SELECT count(*) FROM components WHERE synthetic AND name NOT LIKE '%(demo)'"); n != 0 {
		t.Errorf("%d synthetic components are not named (demo)", n)
	}
	// The world has the shapes the reuse engine needs.
	if n := count(t, st, `SELECT count(*) FROM adoptions a JOIN components c ON c.id = a.component_id WHERE c.lifecycle = 'deprecated' AND a.status = 'live'`); n == 0 {
		t.Error("no deprecated product is still in use")
	}
	if n := count(t, st, `SELECT count(*) FROM adoptions WHERE contract_end_on < '2027-11-01'`); n == 0 {
		t.Error("no contract ends within a year")
	}
}

// editedFiles is the shipped data, every folder included, with one file edited.
func editedFiles(t *testing.T, file string, edit func(string) string) seed.Files {
	t.Helper()
	base := seed.Embedded().FS
	m := fstest.MapFS{}
	err := fs.WalkDir(base, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(base, path)
		if path == file {
			b = []byte(edit(string(b)))
		}
		m[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return seed.Files{FS: m}
}

func TestBadFileStopsWithFileAndLine(t *testing.T) {
	for _, tc := range []struct {
		name, file, old, new, want string
	}{
		{"council type", "mysociety_uk_local_authorities_past_and_current.csv", ",LBO,London borough,", ",XXX,London borough,", "mysociety_uk_local_authorities_past_and_current.csv line "},
		{"broken quote", "localgov_drupal_adoption_evidence.csv", `Croydon,CRY`, `"Croydon,CRY`, "localgov_drupal_adoption_evidence.csv line "},
		{"json syntax", "capabilities.json", `"categories": [`, `"categories": [,`, "capabilities.json line 2"},
		{"unknown capability", "components.json", `"online-card-payments"`, `"telepathy"`, "components.json line "},
		{"project date", "evidence/collaborations.csv", ",2022-03-01,,https://github.com/digital-land", ",March 2022,,https://github.com/digital-land", "evidence/collaborations.csv line 2: start_date"},
		{"project column", "evidence/collaborations.csv", "gss_codes,", "codes,", "evidence/collaborations.csv line 1"},
		{"project source", "evidence/collaborations.csv", "," + awardURL + ",", ",award.csv,", "evidence/collaborations.csv line 2: source_url"},
		{"member date", "evidence/adoption_evidence.csv", `dpif-round-4.2,2026-01-12""",2026-08-21`, `dpif-round-4.2,2026-01-12""",21/08/2026`, "evidence/adoption_evidence.csv line 622: evidence_url"},
		{"programme json", "evidence/new_components.json", `"id": "local-digital-declaration",`, `"id": "local-digital-declaration",,`, "evidence/new_components.json line 208"},
		{"programme url", "evidence/new_components.json", `"url": "https://localdigital.gov.uk/what-is-the-declaration/",`, `"url": "localdigital",`, "evidence/new_components.json line 208"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := editedFiles(t, tc.file, func(s string) string {
				if !strings.Contains(s, tc.old) {
					t.Fatalf("%s does not hold %q", tc.file, tc.old)
				}
				return strings.Replace(s, tc.old, tc.new, 1)
			})
			st := testdb.New(t)
			_, err := files.Load(context.Background(), st, false)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %q", err, tc.want)
			}
			if n := count(t, st, "SELECT count(*) FROM councils"); n != 0 {
				t.Fatalf("%d councils written despite the bad file", n)
			}
		})
	}
}

func TestFailedSeedRollsBack(t *testing.T) {
	ctx := context.Background()
	st := loaded(t, false)
	d, err := seed.Embedded().Read()
	if err != nil {
		t.Fatal(err)
	}
	before := count(t, st, "SELECT count(*) FROM vendors") + count(t, st, "SELECT count(*) FROM adoptions")
	// A new vendor, then an adoption that names a component that does not exist: the vendor must not stay.
	d.Vendors = append(d.Vendors, store.SeedVendor{Vendor: models.Vendor{Slug: "half-written", Name: "Half", Website: "https://h.example"}})
	d.Adoptions = append(d.Adoptions, models.Adoption{Council: "E09000022", Component: "no-such-component", Capability: "online-card-payments", Status: "live", Source: "evidence"})
	if _, err := st.Seed(ctx, d); err == nil {
		t.Fatal("seeding a broken adoption succeeded")
	}
	if after := count(t, st, "SELECT count(*) FROM vendors") + count(t, st, "SELECT count(*) FROM adoptions"); after != before {
		t.Fatalf("a failed seed left %d rows changed", after-before)
	}
}
