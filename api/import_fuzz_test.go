package api_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// The imports' fuzz targets: whatever the file and whoever sends it, the
// answer is never a 5xx, a refused import writes nothing, a dry run never
// writes, and an applied one writes what its report says. Their seeds (the
// files in testdata and the cases below) run in every `go test`; run one for
// longer with e.g. `go test ./api -run '^$' -fuzz FuzzAdoptionSpreadsheet -fuzztime 60s`.

// testdataSeeds is the content of every file in testdata/dir matching pattern.
func testdataSeeds(f *testing.F, dir, pattern string) []string {
	names, err := filepath.Glob(filepath.Join("testdata", dir, pattern))
	if err != nil || len(names) == 0 {
		f.Fatalf("no seeds in testdata/%s/%s: %v", dir, pattern, err)
	}
	var out []string
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// importGuarded is everything a refused import must leave alone: what guarded
// holds and the publiccode.yml files kept.
func (e *env) importGuarded() string {
	return e.guarded() + "\n" + e.tableRows("component_publiccode")
}

// wantNothingWrittenUnless fails when r is a 5xx, or when the database
// differs from before although r says nothing was written (applied false).
func wantNothingWrittenUnless(t *testing.T, e *env, r response, before string, applied bool) {
	t.Helper()
	noServerError(t, r)
	if !applied && e.importGuarded() != before {
		t.Fatalf("status %d wrote to the database: %s", r.Code, r.Body.String())
	}
}

func FuzzPubliccodeImport(f *testing.F) {
	seeds := append(testdataSeeds(f, "publiccode", "*.yml"), "", "a: &a [*a]", "publiccodeYmlVersion: 0\nname: *x", "? [a]\n: b", "publiccodeYmlVersion: \"0\"\ndescription: {en: []}",
		"publiccodeYmlVersion: \"0\"\nname: x\nurl: https://x.example/r\nplatforms: web\ndevelopmentStatus: stable\nsoftwareType: library\ndescription: {en: {shortDescription: s}}\nlegal: {license: MIT}\ncategories: [survey]\ndependsOn: {open: [{name: govuk-pay}, {name: x}]}",
		"publiccodeYmlVersion: \"0\"\nname: \"GOV.UK \\0Pay\"\nurl: https://github.com/alphagov/pay-connector\nplatforms: web\ndevelopmentStatus: stable\nsoftwareType: library\ndescription: {en: {shortDescription: \"a\\x1bb\"}}\nlegal: {license: MIT}\ncategories: [payment-gateway]",
		"publiccodeYmlVersion: \"0\"\nname: GOV.UK Notify\nurl: https://github.com/alphagov/notifications-api\nplatforms: web\ndevelopmentStatus: stable\nsoftwareType: library\ndescription: {en: {shortDescription: s}}\nlegal: {license: MIT}\ncategories: [survey]\ndependsOn: {open: [{name: GOV.UK Notify}]}",
		"\xff\xfe", "--- !!binary aGk=", "{\"json\": true}")
	fuzzSeeded(f, seeds, func(t *testing.T, e *env, body string) {
		vendor := e.key("vendor", gds)
		for _, tc := range []struct{ query, key string }{{"?vendor=" + gds, e.admin}, {"", vendor}, {"?vendor=mysociety", vendor}} {
			before := e.importGuarded()
			r := e.importYAML(tc.query, []byte(body), tc.key)
			wantNothingWrittenUnless(t, e, r, before, r.Code < 300)
			if r.Code < 300 {
				slug := r.json()["component"].(map[string]any)["slug"].(string)
				noServerError(t, e.do("GET", "/api/v1/components/"+slug+"/publiccode.yml", nil, ""))
			}
		}
	})
}

func FuzzAdoptionSpreadsheet(f *testing.F) {
	seeds := append(testdataSeeds(f, "adoptions", "*.csv"), "", "council,component,status\n", "\ufeffCOUNCIL;component;status\n", "council,component,status\n\"x,y,z",
		"council,component,status,started_on\nE09000022,govuk-pay,live,2020-02-30\n", "council,component,status\n,,\n,,live\n",
		"council,component,status,notes\nLam\x00beth,govuk-pay,live,x\nE09000022,govuk-pay,live,n\x00\n",
		"council,component,status\nE09000022,govuk-pay,live\nE09000022,govuk-pay,retired\nE09000028,no-such-thing,live\n")
	fuzzSeeded(f, seeds, func(t *testing.T, e *env, body string) {
		council := e.key("council", lambeth)
		for _, tc := range []struct{ query, key string }{{"?dry_run=true", e.admin}, {"?strict=true", e.admin}, {"", e.admin}, {"", council}} {
			before, adoptions := e.importGuarded(), e.count("SELECT count(*) FROM adoptions")
			r := e.do("POST", "/api/v1/adoptions/import"+tc.query, []byte(body), tc.key, "Content-Type", "text/csv")
			var rep struct{ Applied bool }
			if r.Code == http.StatusOK {
				rep.Applied = r.json()["applied"].(bool)
			}
			wantNothingWrittenUnless(t, e, r, before, rep.Applied)
			if rep.Applied {
				created := int(r.json()["created"].(float64))
				if got := e.count("SELECT count(*) FROM adoptions") - adoptions; got != created {
					t.Fatalf("the report says %d created, the database holds %d more: %s", created, got, r.Body.String())
				}
			}
		}
	})
}
