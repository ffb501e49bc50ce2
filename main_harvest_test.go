package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/api/apitest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
)

const upstream = "seed/data/evidence/upstream/"

var (
	payFile      = upstream + "govuk-pay-performance-2026-08-03.json"
	projectsFile = upstream + "digital-land-project-organisation-2026-08-21.csv"
	orgsFile     = upstream + "digital-land-local-authority-2025-02-20.csv"
)

// withStore opens the database for a look, and closes it again.
func withStore(t *testing.T, db string, fn func(st *store.Store)) {
	t.Helper()
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fn(st)
}

func countRows(t *testing.T, db, query string, args ...any) int {
	t.Helper()
	var n int
	withStore(t, db, func(st *store.Store) {
		sqlDB, err := st.SQLDB()
		if err != nil {
			t.Fatal(err)
		}
		if err := sqlDB.QueryRow(storetest.Rebind(query), args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	})
	return n
}

// rowCounts are the tables a harvest writes, to check that nothing was.
func rowCounts(t *testing.T, db string) string {
	t.Helper()
	var parts []string
	for _, table := range []string{"adoptions", "adoption_evidence", "adoption_events", "audit_log", "harvests"} {
		parts = append(parts, fmt.Sprintf("%s=%d", table, countRows(t, db, "SELECT count(*) FROM "+table)))
	}
	parts = append(parts, fmt.Sprintf("current=%d", countRows(t, db, "SELECT count(*) FROM adoption_evidence WHERE current = ?", true)))
	return strings.Join(parts, " ")
}

// harvestJSON runs a harvest with --json and reads its one object.
func harvestJSON(t *testing.T, args ...string) models.HarvestReport {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), append([]string{"harvest"}, append(args, "--json")...), noEnv, &out, io.Discard); err != nil {
		t.Fatalf("harvest %v: %v", args, err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &keys); err != nil {
		t.Fatalf("--json output is not one JSON object: %v\n%s", err, out.String())
	}
	for _, k := range []string{"created", "updated", "unchanged", "no_longer_listed", "matched", "skipped", "unmatched"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("--json output lacks %q", k)
		}
	}
	var rep models.HarvestReport
	dec := json.NewDecoder(&out)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil || dec.More() {
		t.Fatalf("--json output: %v", err)
	}
	return rep
}

// adoptionOf is the id of the council's current adoption of component, or 0.
func adoptionOf(t *testing.T, db, council, component string) int {
	t.Helper()
	return countRows(t, db, `SELECT coalesce(max(adoptions.id), 0) FROM adoptions JOIN councils ON councils.id = adoptions.council_id
		JOIN components ON components.id = adoptions.component_id WHERE councils.code = ? AND components.slug = ? AND adoptions.rejected_at IS NULL`,
		council, component)
}

// apiAdoption reads an adoption through the real router.
func apiAdoption(t *testing.T, db string, id int) models.Adoption {
	t.Helper()
	var a models.Adoption
	withStore(t, db, func(st *store.Store) {
		r, err := api.NewRouter(st, api.Config{Log: quietLog()})
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		apitest.Validated(t, r).ServeHTTP(w, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/adoptions/%d", id), nil))
		if w.Code != http.StatusOK {
			t.Fatalf("GET adoption %d = %d: %s", id, w.Code, w.Body.String())
		}
		if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
	})
	return a
}

// itemsOf are the adoption's evidence items from source.
func itemsOf(a models.Adoption, source string) []models.EvidenceItem {
	var out []models.EvidenceItem
	for _, it := range a.Evidence {
		if it.Source == source {
			out = append(out, it)
		}
	}
	return out
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	dorset = "E06000059" // listed in the shipped file, dropped from the newer one
	torbay = "E06000027" // not in the shipped file, added in the newer one
)

// newerPayFile is the shipped file a month on: Dorset Council gone, Torbay Council added.
func newerPayFile(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(payFile)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]any
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	counts := top["serviceCountByOrganisation"].(map[string]any)
	if _, ok := counts["Dorset Council"]; !ok {
		t.Fatal("the shipped file no longer lists Dorset Council")
	}
	delete(counts, "Dorset Council")
	counts["Torbay Council"] = 1
	top["dateUpdated"] = "1 September 2026"
	out, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, "performance.json", out)
}

func TestHarvestGovUKPay(t *testing.T) {
	db, _ := seededDB(t)
	const source = "govuk-pay-performance"

	before := rowCounts(t, db)
	dry := harvestJSON(t, "govuk-pay", payFile, "--dry-run", "--db", db)
	if after := rowCounts(t, db); after != before || !dry.DryRun {
		t.Fatalf("a dry run wrote: %s → %s", before, after)
	}
	first := harvestJSON(t, "govuk-pay", "--db", db, payFile)
	// The seed read this very file through the same code, so its first harvest
	// changes nothing: its 127 councils are 124 adoptions, as the former councils
	// it still names (Allerdale, Cumbria, Somerset and Somerset West and Taunton)
	// were carried over to successors it also lists.
	if first.Created != dry.Created || first.Updated != dry.Updated || first.Created != 0 || first.Updated != 0 ||
		first.Unchanged != 124 || first.NoLongerListed != 0 || len(first.Matched)+len(first.MatchedJoint) != 128 {
		t.Errorf("first run %d created, %d updated, %d unchanged, %d no longer listed; dry run %d, %d, %d: want 0, 0, 124, 0 on the seeded database",
			first.Created, first.Updated, first.Unchanged, first.NoLongerListed, dry.Created, dry.Updated, dry.Unchanged)
	}
	if first.Matched["Cornwall Council"] != "E06000052" || len(first.MatchedJoint["Adur & Worthing Councils"]) != 2 ||
		!slices.Contains(first.Skipped, "Devon and Cornwall Police") || len(first.Unmatched) != 48 || first.Unmatched[0].Candidates == nil {
		t.Errorf("names: %v %v, %d skipped, %d unmatched", first.Matched["Cornwall Council"], first.MatchedJoint, len(first.Skipped), len(first.Unmatched))
	}
	if n := countRows(t, db, "SELECT count(*) FROM harvests WHERE source = ?", source); n != 1 {
		t.Errorf("%d harvests recorded, want 1", n)
	}
	again := harvestJSON(t, "govuk-pay", payFile, "--db", db)
	if again.Created != 0 || again.Updated != 0 || again.NoLongerListed != 0 {
		t.Errorf("the same file again changed something: %d created, %d updated, %d no longer listed", again.Created, again.Updated, again.NoLongerListed)
	}

	hadTorbay := adoptionOf(t, db, torbay, "govuk-pay") != 0
	newer := newerPayFile(t)
	rep := harvestJSON(t, "govuk-pay", newer, "--db", db)
	if rep.NoLongerListed != 1 || (!hadTorbay && rep.Created != 1) || rep.ObservedOn != "2026-09-01" {
		t.Errorf("newer file: %d created, %d no longer listed, on %s; want Torbay created and Dorset no longer listed", rep.Created, rep.NoLongerListed, rep.ObservedOn)
	}
	d := apiAdoption(t, db, adoptionOf(t, db, dorset, "govuk-pay"))
	if items := itemsOf(d, source); len(items) == 0 || slices.ContainsFunc(items, func(it models.EvidenceItem) bool { return it.Current }) {
		t.Errorf("Dorset's GOV.UK Pay evidence after the newer file: %+v, want kept and current: false", items)
	}
	if d.Status != "live" {
		t.Errorf("Dorset's adoption is %s, want its status kept", d.Status)
	}
	tb := apiAdoption(t, db, adoptionOf(t, db, torbay, "govuk-pay"))
	items := itemsOf(tb, source)
	if len(items) != 1 || !items[0].Current || items[0].URL == "" || items[0].ObservedOn != "2026-09-01" || tb.EvidenceURL == nil {
		t.Errorf("Torbay's adoption: %+v, want one current item with a URL and the newer file's date", tb)
	}
	if tb.ConfirmedOn == nil || *tb.ConfirmedOn != "2026-09-01" || !strings.Contains(items[0].Quote, "Torbay Council") {
		t.Errorf("Torbay's adoption confirmed on %v, quote %q", tb.ConfirmedOn, items[0].Quote)
	}
	if n := countRows(t, db, "SELECT count(*) FROM audit_log WHERE entity = 'adoption' AND entity_key = ? AND action = 'harvested'", fmt.Sprint(d.ID)); n != 1 {
		t.Errorf("Dorset's flagging has %d audit entries, want 1", n)
	}

	again = harvestJSON(t, "govuk-pay", newer, "--db", db)
	if again.Created != 0 || again.Updated != 0 || again.NoLongerListed != 0 {
		t.Errorf("the newer file again changed something: %d created, %d updated, %d no longer listed", again.Created, again.Updated, again.NoLongerListed)
	}
	before = rowCounts(t, db)
	err := run(context.Background(), []string{"harvest", "govuk-pay", payFile, "--db", db}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "older than the newest") || !strings.Contains(err.Error(), payFile) {
		t.Errorf("the older file again: %v, want it refused", err)
	}
	if after := rowCounts(t, db); after != before {
		t.Errorf("a refused file wrote: %s → %s", before, after)
	}
}

// ensureLandCharges makes sure the database has HM Land Registry's service,
// which the seed may not yet load.
func ensureLandCharges(t *testing.T, db string) {
	t.Helper()
	ctx := context.Background()
	withStore(t, db, func(st *store.Store) {
		if _, err := st.GetComponent(ctx, "hmlr-local-land-charges"); err == nil {
			return
		}
		str := func(s string) *string { return &s }
		if _, err := st.GetVendor(ctx, "hm-land-registry"); err != nil {
			if _, err := st.CreateVendor(ctx, cliActor, models.VendorInput{Slug: str("hm-land-registry"), Name: str("HM Land Registry"),
				Website: str("https://www.gov.uk/government/organisations/land-registry"), Kind: str("government")}); err != nil {
				t.Fatal(err)
			}
		}
		caps := []string{"planning-register-search"}
		if _, err := st.CreateComponent(ctx, cliActor, models.ComponentInput{Slug: str("hmlr-local-land-charges"),
			Name: str("HM Land Registry Local Land Charges"), Summary: str("The national local land charges register."),
			Vendor: str("hm-land-registry"), Capabilities: &caps}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestHarvestDigitalLand(t *testing.T) {
	db, _ := seededDB(t)
	ensureLandCharges(t, db)
	const source = "digital-land-project-organisation"
	args := func(projects string, more ...string) []string {
		return append([]string{"digital-land", projects, "--organisations", orgsFile, "--db", db}, more...)
	}

	before := rowCounts(t, db)
	dry := harvestJSON(t, args(projectsFile, "--dry-run")...)
	if after := rowCounts(t, db); after != before {
		t.Fatalf("a dry run wrote: %s → %s", before, after)
	}
	first := harvestJSON(t, args(projectsFile)...)
	// The seed read the same land-charge rows through the same code: nothing is new
	// (154 rows are 148 adoptions: rows about former councils fold into successors).
	// The evidence file's LocalGov Drupal listing came from an older version of the
	// project list that this one no longer holds, so those 60 items are retired.
	if first.Created != dry.Created || first.Memberships != 217 || first.Created != 0 || first.Updated != 0 ||
		first.Unchanged != 148 || first.NoLongerListed != 60 || first.Matched["local-authority:ASH"] != "E07000170" {
		t.Errorf("first run: %d created, %d updated, %d unchanged, %d no longer listed, %d memberships; ASH → %s",
			first.Created, first.Updated, first.Unchanged, first.NoLongerListed, first.Memberships, first.Matched["local-authority:ASH"])
	}
	if n := countRows(t, db, "SELECT count(*) FROM adoptions JOIN components ON components.id = adoptions.component_id WHERE components.slug = 'open-digital-planning'"); n != 0 {
		t.Errorf("%d adoptions of Open Digital Planning: a programme membership is not an adoption", n)
	}
	// Memberships are recorded too: the first harvest adds its own wording for each of
	// the 217 members (the seed quotes the evidence file's rows), then nothing changes.
	members := "SELECT count(*) FROM programme_members WHERE source = '" + source + "' AND current"
	if first.MembershipsChanged != 217 || countRows(t, db, members) < 217 {
		t.Errorf("first run changed %d memberships, want 217", first.MembershipsChanged)
	}
	again := harvestJSON(t, args(projectsFile)...)
	if again.Created != 0 || again.Updated != 0 || again.NoLongerListed != 0 || again.MembershipsChanged != 0 || again.MembershipsNoLongerListed != 0 {
		t.Errorf("the same files again changed something: %d created, %d updated, %d no longer listed, memberships %d changed, %d no longer listed",
			again.Created, again.Updated, again.NoLongerListed, again.MembershipsChanged, again.MembershipsNoLongerListed)
	}

	b, err := os.ReadFile(projectsFile)
	if err != nil {
		t.Fatal(err)
	}
	const ashfield = "local-land-charges,local-authority:ASH,,2025-08-01,,\r\n" // Ashfield, E07000170
	if !bytes.Contains(b, []byte(ashfield)) {
		t.Fatal("the shipped file no longer lists Ashfield's land charges")
	}
	odpLine := regexp.MustCompile(`(?m)^open-digital-planning,local-authority:DAC,[^\n]*\n`) // Dacorum's membership
	if !odpLine.Match(b) {
		t.Fatal("the shipped file no longer lists Dacorum in Open Digital Planning")
	}
	newer := writeTemp(t, "project-organisation-2026-09-01.csv", odpLine.ReplaceAll(bytes.Replace(b, []byte(ashfield), nil, 1), nil))
	rep := harvestJSON(t, args(newer)...)
	if rep.NoLongerListed != 1 || rep.Created != 0 || rep.ObservedOn != "2026-09-01" || rep.MembershipsNoLongerListed != 1 {
		t.Errorf("newer file: %d created, %d no longer listed, %d memberships no longer listed, on %s; want Ashfield's land charges and Dacorum's membership no longer listed",
			rep.Created, rep.NoLongerListed, rep.MembershipsNoLongerListed, rep.ObservedOn)
	}
	if n := countRows(t, db, `SELECT count(*) FROM programme_members m JOIN councils c ON c.id = m.council_id
		WHERE c.code = 'E07000096' AND m.source = ? AND NOT m.current`, source); n == 0 {
		t.Error("Dacorum's membership evidence was not kept and flagged")
	}
	a := apiAdoption(t, db, adoptionOf(t, db, "E07000170", "hmlr-local-land-charges"))
	if items := itemsOf(a, source); len(items) != 1 || items[0].Current {
		t.Errorf("Ashfield's land charges evidence: %+v, want kept and current: false", items)
	}
	again = harvestJSON(t, args(newer)...)
	if again.Created != 0 || again.Updated != 0 || again.NoLongerListed != 0 {
		t.Errorf("the newer file again changed something: %d created, %d updated, %d no longer listed", again.Created, again.Updated, again.NoLongerListed)
	}
}

func TestHarvestTextReport(t *testing.T) {
	db, _ := seededDB(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"harvest", "govuk-pay", payFile, "--dry-run", "--db", db}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"govuk-pay-performance 2026-08-03", "(dry run, nothing written)", "447 skipped", "unmatched: Achieving for Children"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestHarvestBadInput(t *testing.T) {
	db, _ := seededDB(t)
	pay, err := os.ReadFile(payFile)
	if err != nil {
		t.Fatal(err)
	}
	truncated := writeTemp(t, "truncated.json", pay[:2000])
	wrongShape := writeTemp(t, "shape.json", []byte("{\n  \"dateUpdated\": \"3 August 2026\",\n  \"organisations\": {}\n}\n"))
	noCohort := writeTemp(t, "project-organisation-2026-09-01.csv", []byte("project,organisation,start-date,end-date\nlocal-land-charges,local-authority:ASH,2025-08-01,\n"))
	badOrgs := writeTemp(t, "orgs.csv", []byte("organisation,name\nlocal-authority:ASH,Ashfield\n"))
	missing := filepath.Join(t.TempDir(), "missing.json")
	for _, tc := range []struct {
		name string
		args []string
		want []string // in the error
	}{
		{"truncated JSON", []string{"govuk-pay", truncated}, []string{truncated, "line"}},
		{"wrong shape", []string{"govuk-pay", wrongShape}, []string{wrongShape, `"serviceCountByOrganisation"`}},
		{"CSV missing a column", []string{"digital-land", noCohort, "--organisations", orgsFile}, []string{noCohort, "line 1", `"cohort"`}},
		{"organisations missing columns", []string{"digital-land", projectsFile, "--organisations", badOrgs}, []string{badOrgs, `"statistical-geography"`}},
		{"no such file", []string{"govuk-pay", missing}, []string{missing}},
		{"not https", []string{"govuk-pay", "http://example.com/performance.json"}, []string{"http://example.com/performance.json", "only https"}},
		{"no answer", []string{"govuk-pay", "https://127.0.0.1:1/performance.json"}, []string{"https://127.0.0.1:1/performance.json", "no answer"}},
	} {
		before := rowCounts(t, db)
		err := run(context.Background(), append(append([]string{"harvest"}, tc.args...), "--db", db), noEnv, io.Discard, io.Discard)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.name, err, w)
			}
		}
		if after := rowCounts(t, db); after != before {
			t.Errorf("%s: bad input wrote: %s → %s", tc.name, before, after)
		}
	}
	for _, args := range [][]string{{"harvest"}, {"harvest", "publiccode"}, {"harvest", "govuk-pay"}, {"harvest", "digital-land", projectsFile},
		{"harvest", "govuk-pay", payFile, "--organisations", orgsFile}, {"harvest", "govuk-pay", payFile, "extra"}} {
		if err := run(context.Background(), args, noEnv, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

func TestFetchHarvestFile(t *testing.T) {
	pay, err := os.ReadFile(payFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/performance.json":
			w.Write(pay)
		case "/slow":
			time.Sleep(2 * time.Second)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	client := srv.Client()
	client.Timeout = time.Second

	run, err := readGovUKPay(ctx, client, srv.URL+"/performance.json", "")
	if err != nil || run.ObservedOn != "2026-08-03" || len(run.Observations) != 129 || run.File != srv.URL+"/performance.json" {
		t.Fatalf("fetched: %v, %s, %d observations", err, run.ObservedOn, len(run.Observations))
	}
	for _, tc := range []struct {
		path  string
		limit int64
		want  string
	}{
		{"/performance.json", 1000, "larger than 1000 bytes"},
		{"/gone", harvestMaxBytes, "answered 404"},
		{"/slow", harvestMaxBytes, "no answer"},
	} {
		if _, err := fetchHarvestFile(ctx, client, srv.URL+tc.path, tc.limit); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
	}
	if _, err := readHarvestFile(ctx, client, srv.URL+"/gone"); err == nil || !strings.Contains(err.Error(), srv.URL+"/gone") {
		t.Errorf("an error that does not name the URL: %v", err)
	}
}
