package api_test

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzPubliccodeImport: whatever the file, the import answers without a 500,
// and whatever it creates exports without one.
func FuzzPubliccodeImport(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "publiccode", "*.yml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	fuzzSeeded(f, []string{"", "a: &a [*a]", "publiccodeYmlVersion: 0\nname: *x", "? [a]\n: b", "publiccodeYmlVersion: \"0\"\ndescription: {en: []}",
		"publiccodeYmlVersion: \"0\"\nname: x\nurl: https://x.example/r\nplatforms: web\ndevelopmentStatus: stable\nsoftwareType: library\ndescription: {en: {shortDescription: s}}\nlegal: {license: MIT}\ncategories: [survey]\ndependsOn: {open: [{name: govuk-pay}, {name: x}]}",
		"\xff\xfe", "--- !!binary aGk=", "{\"json\": true}"}, func(t *testing.T, e *env, body string) {
		r := e.importYAML("?vendor="+gds, []byte(body), e.admin)
		noServerError(t, r)
		if r.Code < 300 {
			slug := r.json()["component"].(map[string]any)["slug"].(string)
			noServerError(t, e.do("GET", "/api/v1/components/"+slug+"/publiccode.yml", nil, ""))
		}
	})
}

// FuzzAdoptionSpreadsheet: whatever the CSV, the import answers without a 500.
func FuzzAdoptionSpreadsheet(f *testing.F) {
	f.Add(string(testdata(f, "adoptions", "central-team.csv")))
	fuzzSeeded(f, []string{"", "council,component,status\n", "\ufeffCOUNCIL;component;status\n", "council,component,status\n\"x,y,z",
		"council,component,status,started_on\nE09000022,govuk-pay,live,2020-02-30\n", "council,component,status\n,,\n,,live\n"}, func(t *testing.T, e *env, body string) {
		noServerError(t, e.do("POST", "/api/v1/adoptions/import?dry_run=true", []byte(body), e.admin, "Content-Type", "text/csv"))
		noServerError(t, e.do("POST", "/api/v1/adoptions/import?strict=true", []byte(body), e.admin, "Content-Type", "text/csv"))
	})
}
