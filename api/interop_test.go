package api_test

import (
	"bytes"
	"encoding/json"
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
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/publiccode"
	"github.com/council-components/registry/store/storetest"
)

func testdata(t testing.TB, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// importYAML posts a publiccode.yml file to the import.
func (e *env) importYAML(query string, body []byte, key string) response {
	e.t.Helper()
	return e.do("POST", "/api/v1/components/import"+query, body, key, "Content-Type", "application/yaml")
}

func (e *env) auditCount() int {
	e.t.Helper()
	return e.count("SELECT count(*) FROM audit_log")
}

func (e *env) etagOf(slug string) string {
	e.t.Helper()
	return e.do("GET", "/api/v1/components/"+slug, nil, "").wantStatus(http.StatusOK).Header().Get("ETag")
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func TestPubliccodeImportOfPublishedFiles(t *testing.T) {
	e := newSeededEnv(t, false)
	newVendor := func(slug, name string) {
		e.do("POST", "/api/v1/vendors", map[string]any{"slug": slug, "name": name, "website": "https://" + slug + ".example"}, e.admin).wantStatus(http.StatusCreated)
	}

	t.Run("the standard's example, vendor found by organisation.name", func(t *testing.T) {
		e := e.in(t)
		medusa := testdata(t, "publiccode", "standard-example.yml")
		before := e.guarded()
		p := e.importYAML("", medusa, e.admin).wantProblem(http.StatusUnprocessableEntity, "vendor")
		if !strings.Contains(fmt.Sprint(p["errors"]), "Roma Capitale") {
			t.Errorf("the problem does not name the file's owners: %v", p)
		}
		if e.guarded() != before {
			t.Fatal("a refused import wrote something")
		}
		newVendor("roma-capitale", "Roma Capitale")
		r := e.importYAML("", medusa, e.admin).wantStatus(http.StatusCreated)
		if r.Header().Get("Location") != "/api/v1/components/medusa" {
			t.Errorf("Location %q", r.Header().Get("Location"))
		}
		body := r.json()
		c := body["component"].(map[string]any)
		for k, want := range map[string]any{"slug": "medusa", "name": "Medusa", "vendor": "roma-capitale", "lifecycle": "alpha",
			"licence": "AGPL-3.0-or-later", "open_source": true, "hosting": "unknown", "url": "https://example.com/italia/medusa",
			"repository_url": "https://example.com/italia/medusa.git", "docs_url": "https://read.the.documentation/medusa/v1.0",
			"summary": `This description can have a maximum 150 characters long. We should not fill the remaining space with "Lorem Ipsum". End`} {
			if c[k] != want {
				t.Errorf("component %s = %v, want %v", k, c[k], want)
			}
		}
		if caps := strs(c["capabilities"]); !slices.Equal(caps, []string{"website-content-management"}) {
			t.Errorf("capabilities %v: content-management should map to website-content-management, office to nothing", caps)
		}
		pc := body["publiccode"].(map[string]any)
		if pc["software_type"] != "standalone/desktop" || pc["language"] != "en" || pc["logo"] != "img/logo.svg" ||
			!slices.Equal(strs(pc["platforms"]), []string{"android", "ios"}) || len(pc["dependencies"].([]any)) != 5 ||
			pc["maintenance"].(map[string]any)["type"] != "contract" {
			t.Errorf("publiccode extras %v", pc)
		}
		if body["created"] != true || body["changed"] != true || body["document_changed"] != true {
			t.Errorf("flags %v %v %v", body["created"], body["changed"], body["document_changed"])
		}
		// The database: the component, its capability link, the file, and an audit entry for each.
		if n := e.count(`SELECT count(*) FROM components c JOIN component_capabilities cc ON cc.component_id = c.id
			JOIN capabilities cap ON cap.id = cc.capability_id WHERE c.slug = 'medusa' AND cap.slug = 'website-content-management'`); n != 1 {
			t.Errorf("%d capability links", n)
		}
		if n := e.count(`SELECT count(*) FROM component_publiccode p JOIN components c ON c.id = p.component_id
			WHERE c.slug = 'medusa' AND p.document LIKE '%countryExtensionVersion%'`); n != 1 {
			t.Errorf("the file is not kept whole (%d)", n)
		}
		if n := e.count(`SELECT count(*) FROM audit_log WHERE entity = 'component' AND entity_key = 'medusa' AND action IN ('created', 'publiccode_imported')`); n != 2 {
			t.Errorf("%d audit entries, want the creation and the file", n)
		}
	})

	t.Run("Dutch only, vendor found by legal.repoOwner; re-import changes nothing", func(t *testing.T) {
		e := e.in(t)
		newVendor("gemeente-amsterdam", "Gemeente Amsterdam")
		signalen := testdata(t, "publiccode", "signalen-frontend.yml")
		c := e.importYAML("", signalen, e.admin).wantStatus(http.StatusCreated).json()["component"].(map[string]any)
		if c["slug"] != "signalen-frontend" || c["vendor"] != "gemeente-amsterdam" || c["lifecycle"] != "live" ||
			!strings.HasPrefix(c["summary"].(string), "Signalen is een open source proces- en taaksysteem") ||
			!strings.Contains(c["description"].(string), "300.000 meldingen") || !slices.Equal(strs(c["capabilities"]), []string{"case-management"}) {
			t.Errorf("component %v", c)
		}
		audits, tag := e.auditCount(), e.etagOf("signalen-frontend")
		again := e.importYAML("", signalen, e.admin).wantStatus(http.StatusOK).json()
		if again["created"] != false || again["changed"] != false || again["document_changed"] != false {
			t.Errorf("re-import flags %v %v %v", again["created"], again["changed"], again["document_changed"])
		}
		if e.auditCount() != audits || e.etagOf("signalen-frontend") != tag {
			t.Error("re-importing the same file wrote something")
		}
		// Capabilities the categories cannot say can be added; the component is updated in place.
		c = e.importYAML("?capabilities=street-fault-reporting", signalen, e.admin).wantStatus(http.StatusOK).json()["component"].(map[string]any)
		if !slices.Equal(strs(c["capabilities"]), []string{"case-management", "street-fault-reporting"}) {
			t.Errorf("capabilities %v", c["capabilities"])
		}
		if n := e.count(`SELECT count(*) FROM audit_log WHERE entity_key = 'signalen-frontend' AND action = 'updated'`); n != 1 {
			t.Errorf("%d update audit entries", n)
		}
		// And a later import of the file keeps the capability no category speaks of.
		c = e.importYAML("", signalen, e.admin).wantStatus(http.StatusOK).json()["component"].(map[string]any)
		if !slices.Contains(strs(c["capabilities"]), "street-fault-reporting") {
			t.Errorf("capabilities %v lost street-fault-reporting", c["capabilities"])
		}
	})

	t.Run("no categories: capabilities must be named", func(t *testing.T) {
		e := e.in(t)
		ds := testdata(t, "publiccode", "amsterdam-design-system.yml")
		before := e.guarded()
		// As published the file names version 0.7, which the standard does not have; with a real version it is read.
		e.importYAML("", ds, e.admin).wantProblem(http.StatusBadRequest, "publiccodeYmlVersion")
		ds = bytes.Replace(ds, []byte(`publiccodeYmlVersion: "0.7"`), []byte(`publiccodeYmlVersion: "0.5"`), 1)
		e.importYAML("", ds, e.admin).wantProblem(http.StatusUnprocessableEntity, "categories")
		if e.guarded() != before {
			t.Fatal("a refused import wrote something")
		}
		c := e.importYAML("?capabilities=front-end-design-system", ds, e.admin).wantStatus(http.StatusCreated).json()["component"].(map[string]any)
		if c["slug"] != "amsterdam-design-system" || c["vendor"] != "gemeente-amsterdam" || c["licence"] != "EUPL-1.2" ||
			!slices.Equal(strs(c["capabilities"]), []string{"front-end-design-system"}) {
			t.Errorf("component %v", c)
		}
	})

	t.Run("Italian only, vendor chosen with ?vendor", func(t *testing.T) {
		e := e.in(t)
		wai := testdata(t, "publiccode", "wai-portal.yml")
		e.importYAML("?vendor=agid", wai, e.admin).wantProblem(http.StatusUnprocessableEntity, "vendor")
		newVendor("agid", "AgID")
		body := e.importYAML("?vendor=agid", wai, e.admin).wantStatus(http.StatusCreated).json()
		c := body["component"].(map[string]any)
		if c["slug"] != "web-analytics-italia-portale" || c["lifecycle"] != "beta" || body["publiccode"].(map[string]any)["language"] != "it" ||
			!strings.HasPrefix(c["summary"].(string), "Web analytics Italia è una piattaforma") ||
			!slices.Equal(strs(c["capabilities"]), []string{"performance-dashboards"}) {
			t.Errorf("component %v", c)
		}
	})

	t.Run("participation platform with a 0.4 category", func(t *testing.T) {
		e := e.in(t)
		newVendor("consul-democracy-foundation", "Consul Democracy Foundation")
		c := e.importYAML("", testdata(t, "publiccode", "consul-democracy.yml"), e.admin).wantStatus(http.StatusCreated).json()["component"].(map[string]any)
		if !slices.Equal(strs(c["capabilities"]), []string{"surveys-and-feedback", "website-content-management"}) || len(strs(c["depends_on"])) != 0 {
			t.Errorf("component %v", c)
		}
	})

	t.Run("a published file with mistakes: every problem, nothing written", func(t *testing.T) {
		e := e.in(t)
		before := e.guarded()
		p := e.importYAML("", testdata(t, "publiccode", "terminvergabe.yml"), e.admin).wantProblem(http.StatusBadRequest, "categories[1]", "maintenance.type")
		if len(p["errors"].([]any)) != 2 {
			t.Errorf("problems %v", p["errors"])
		}
		if e.guarded() != before {
			t.Fatal("an invalid file wrote something")
		}
	})
}

func TestPubliccodeRoundTrip(t *testing.T) {
	base := newSeededEnv(t, false)
	base.do("POST", "/api/v1/vendors", map[string]any{"slug": "roma-capitale", "name": "Roma Capitale", "website": "https://www.comune.roma.it"}, base.admin).wantStatus(http.StatusCreated)

	t.Run("an imported file comes back with what the registry does not model", func(t *testing.T) {
		e := base.in(t)
		e.importYAML("", testdata(t, "publiccode", "standard-example.yml"), e.admin).wantStatus(http.StatusCreated)
		out := e.exportPubliccode("medusa")
		for _, want := range []string{"name: Medusa", "countryExtensionVersion", "Comune di Firenze", "Francesco Rossi",
			"img/sshot1.jpg", "NFC Reader", "office", "content-management", "developmentStatus: development", "urn:x-italian-pa:c_h501"} {
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("the export lost %q:\n%s", want, out)
			}
		}
		if _, err := publiccode.Parse(out); err != nil {
			t.Fatalf("the export is not a valid publiccode.yml: %v", err)
		}
		e.reimportUnchanged("medusa", out, false)
	})

	t.Run("changes made through the API show in the export, which still round-trips", func(t *testing.T) {
		e := base.in(t)
		e.do("PATCH", "/api/v1/components/medusa", map[string]any{"summary": "A text editor for councils.", "lifecycle": "live",
			"capabilities": []string{"website-content-management", "online-form-building"}, "depends_on": []string{"govuk-notify"}}, e.admin).wantStatus(http.StatusOK)
		out := e.exportPubliccode("medusa")
		for _, want := range []string{"shortDescription: A text editor for councils.", "developmentStatus: stable", "name: GOV.UK Notify", "Very important feature"} {
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("the export lacks %q:\n%s", want, out)
			}
		}
		e.reimportUnchanged("medusa", out, false) // the stored file already exports this way
	})

	t.Run("every reference component with a repository", func(t *testing.T) {
		e := base.in(t)
		list := e.do("GET", "/api/v1/components?limit=100", nil, "").wantStatus(http.StatusOK).json()["items"].([]any)
		repos := map[any]int{} // WasteWorks lives in FixMyStreet's repository: those two are named with ?slug=
		for _, it := range list {
			repos[it.(map[string]any)["repository_url"]]++
		}
		n := 0
		for _, it := range list {
			c := it.(map[string]any)
			slug := c["slug"].(string)
			if c["repository_url"] == nil {
				e.do("GET", "/api/v1/components/"+slug+"/publiccode.yml", nil, "").wantProblem(http.StatusConflict)
				continue
			}
			if slug == "medusa" {
				continue
			}
			out := e.exportPubliccode(slug)
			if _, err := publiccode.Parse(out); err != nil {
				t.Fatalf("%s: the export is not a valid publiccode.yml: %v\n%s", slug, err, out)
			}
			query := ""
			if repos[c["repository_url"]] > 1 {
				query = "?slug=" + slug
			}
			e.reimportUnchangedAt(query, slug, out, true)
			n++
		}
		if n < 10 {
			t.Fatalf("only %d components round-tripped", n)
		}
		pay := e.exportPubliccode("govuk-pay")
		for _, want := range []string{"payment-gateway", "name: GOV.UK Notify", "license: MIT", "name: Government Digital Service"} {
			if !bytes.Contains(pay, []byte(want)) {
				t.Errorf("govuk-pay's export lacks %q:\n%s", want, pay)
			}
		}
	})

	base.do("GET", "/api/v1/components/nothing-here/publiccode.yml", nil, "").wantProblem(http.StatusNotFound)
	tag := base.do("GET", "/api/v1/components/govuk-pay/publiccode.yml", nil, "").Header().Get("ETag")
	base.do("GET", "/api/v1/components/govuk-pay/publiccode.yml", nil, "", "If-None-Match", tag).wantStatus(http.StatusNotModified)
}

// exportPubliccode is a component's publiccode.yml.
func (e *env) exportPubliccode(slug string) []byte {
	e.t.Helper()
	r := e.do("GET", "/api/v1/components/"+slug+"/publiccode.yml", nil, "").wantStatus(http.StatusOK)
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/yaml") {
		e.t.Fatalf("Content-Type %q", ct)
	}
	return r.Body.Bytes()
}

// reimportUnchanged imports a component's export and checks that the
// component stays as it was and the next export is the same file.
func (e *env) reimportUnchanged(slug string, file []byte, firstImport bool) {
	e.t.Helper()
	e.reimportUnchangedAt("", slug, file, firstImport)
}

// reimportUnchangedAt is reimportUnchanged with a query naming the target
// (?slug=), for components that share a repository with another.
func (e *env) reimportUnchangedAt(query, slug string, file []byte, firstImport bool) {
	e.t.Helper()
	tag, version := e.etagOf(slug), e.count("SELECT version FROM components WHERE slug = ?", slug)
	body := e.importYAML(query, file, e.admin).wantStatus(http.StatusOK).json()
	if body["component"].(map[string]any)["slug"] != slug || body["created"] != false || body["changed"] != false {
		e.t.Fatalf("%s: importing its export changed it: %v", slug, body)
	}
	if body["document_changed"] != firstImport {
		e.t.Errorf("%s: document_changed %v", slug, body["document_changed"])
	}
	if e.etagOf(slug) != tag || e.count("SELECT version FROM components WHERE slug = ?", slug) != version {
		e.t.Fatalf("%s: the component changed", slug)
	}
	if again := e.exportPubliccode(slug); !bytes.Equal(again, file) {
		e.t.Fatalf("%s: the second export differs from the first:\n%s\n---\n%s", slug, file, again)
	}
}

func TestPubliccodeImportRules(t *testing.T) {
	w := newMatrixWorld(t)
	e := w.env
	file := func(name, url string, categories ...string) []byte {
		return []byte(fmt.Sprintf(`publiccodeYmlVersion: "0.4"
name: %s
url: %s
platforms: [web]
categories: [%s]
developmentStatus: beta
softwareType: standalone/web
description:
  en:
    shortDescription: A test component.
legal:
  license: MIT
`, name, url, strings.Join(categories, ", ")))
	}
	for _, tc := range []struct {
		name, who, query, contentType string
		body                          []byte
		status                        int
		fields                        []string
	}{
		{"a vendor imports under its own vendor", "vendor A", "", "application/yaml", file("GDS Widget", "https://github.com/alphagov/widget", "payment-gateway"), 201, nil},
		{"JSON is YAML too", "admin", "?vendor=mysociety", "application/json", []byte(`{"publiccodeYmlVersion":"0.4","name":"JSON Thing","url":"https://github.com/mysociety/json-thing","platforms":["web"],"categories":["survey"],"developmentStatus":"stable","softwareType":"library","description":{"en":{"shortDescription":"From JSON."}},"legal":{"license":"MIT"}}`), 201, nil},
		{"another vendor's component", "vendor B", "", "application/yaml", file("GOV.UK Pay", "https://github.com/alphagov/pay-connector", "payment-gateway"), 403, nil},
		{"listing under another vendor", "vendor B", "?vendor=" + gds, "application/yaml", file("Not Mine", "https://github.com/x/not-mine", "payment-gateway"), 400, []string{"vendor"}},
		{"a council key", "council A", "", "application/yaml", file("Council Thing", "https://github.com/x/c", "survey"), 403, nil},
		{"anonymous", "anonymous", "", "application/yaml", file("Anon", "https://github.com/x/a", "survey"), 401, nil},
		{"a name taken by a component with another repository", "admin", "?vendor=" + gds, "application/yaml", file("FixMyStreet", "https://github.com/someone/else", "payment-gateway"), 409, nil},
		{"bad query parameters", "admin", "?slug=Not%20A%20Slug&capabilities=ok,Bad!", "application/yaml", file("X", "https://github.com/x/x", "survey"), 400, []string{"slug", "capabilities"}},
		{"an unknown capability", "admin", "?vendor=" + gds + "&capabilities=no-such-capability", "application/yaml", file("Y", "https://github.com/x/y", "survey"), 422, []string{"capabilities"}},
		{"not YAML", "admin", "", "text/html", []byte("<html>"), 415, nil},
		{"malformed YAML", "admin", "", "application/yaml", []byte("name: [unclosed"), 400, []string{"body"}},
		{"a YAML list", "admin", "", "application/yaml", []byte("- one\n- two\n"), 400, []string{"body"}},
		{"empty", "admin", "", "application/yaml", nil, 400, []string{"body"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			before := e.guarded()
			r := e.do("POST", "/api/v1/components/import"+tc.query, tc.body, w.keys[tc.who], "Content-Type", tc.contentType)
			if tc.status >= 400 {
				r.wantProblem(tc.status, tc.fields...)
				if e.guarded() != before {
					t.Fatal("a refused import wrote something")
				}
				return
			}
			r.wantStatus(tc.status)
		})
	}
	if n := e.count(`SELECT count(*) FROM components c JOIN vendors v ON v.id = c.vendor_id WHERE c.slug = 'gds-widget' AND v.slug = ?`, gds); n != 1 {
		t.Error("the vendor's import is not listed under its vendor")
	}
	// Two components with one repository: the file must say which.
	for _, slug := range []string{"dupe-one", "dupe-two"} {
		e.do("POST", "/api/v1/components", map[string]any{"slug": slug, "name": slug, "summary": "s", "vendor": gds,
			"capabilities": []string{"surveys-and-feedback"}, "lifecycle": "beta", "repository_url": "https://github.com/alphagov/dupe"}, e.admin).wantStatus(http.StatusCreated)
	}
	dupe := file("Dupe", "https://github.com/alphagov/dupe.git", "survey")
	e.importYAML("", dupe, e.admin).wantProblem(http.StatusConflict)
	c := e.importYAML("?slug=dupe-two", dupe, e.admin).wantStatus(http.StatusOK).json()["component"].(map[string]any)
	if c["name"] != "Dupe" || c["repository_url"] != "https://github.com/alphagov/dupe.git" {
		t.Errorf("?slug did not choose the component: %v", c)
	}
	// Over the body limit.
	big := append(file("Big", "https://github.com/x/big", "survey"), []byte("# "+strings.Repeat("x", api1MiB)+"\n")...)
	e.importYAML("", big, e.admin).wantProblem(http.StatusRequestEntityTooLarge)
}

const api1MiB = 1 << 20

func TestAdoptionSpreadsheetImport(t *testing.T) {
	sheet := testdata(t, "adoptions", "central-team.csv")
	post := func(e *env, query string, body []byte, key string) response {
		e.t.Helper()
		return e.do("POST", "/api/v1/adoptions/import"+query, body, key, "Content-Type", "text/csv")
	}
	// Row 1 is the header; row 11 is blank and skipped.
	wantActions := map[int]string{2: "created", 3: "created", 4: "updated", 5: "failed", 6: "failed", 7: "failed", 8: "failed", 9: "failed", 10: "created"}
	wantErrors := map[int]string{5: "capability", 6: "council", 7: "status", 8: "started_on", 9: "status"}
	checkReport := func(t *testing.T, rep map[string]any) {
		t.Helper()
		results := rep["results"].([]any)
		if len(results) != len(wantActions) {
			t.Fatalf("%d results, want %d: %v", len(results), len(wantActions), rep)
		}
		for _, it := range results {
			r := it.(map[string]any)
			row := int(r["row"].(float64))
			if r["action"] != wantActions[row] {
				t.Errorf("row %d: %v, want %s (%v)", row, r["action"], wantActions[row], r["errors"])
			}
			if field, ok := wantErrors[row]; ok {
				errs := r["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != field {
					t.Errorf("row %d: errors %v, want one naming %s", row, errs, field)
				}
			}
		}
		if rep["created"].(float64) != 3 || rep["updated"].(float64) != 1 || rep["failed"].(float64) != 5 || rep["rows"].(float64) != 9 {
			t.Errorf("counts %v %v %v %v", rep["created"], rep["updated"], rep["failed"], rep["rows"])
		}
	}

	t.Run("dry run reports and writes nothing", func(t *testing.T) {
		e := newSeededEnv(t, false)
		before := e.guarded()
		rep := post(e, "?dry_run=true", sheet, e.admin).wantStatus(http.StatusOK).json()
		checkReport(t, rep)
		if rep["applied"] != false || rep["dry_run"] != true {
			t.Errorf("applied %v dry_run %v", rep["applied"], rep["dry_run"])
		}
		for _, it := range rep["results"].([]any) {
			r := it.(map[string]any)
			if r["action"] == "created" && r["adoption"] != nil {
				t.Errorf("row %v: a dry run names a record it did not keep", r["row"])
			}
		}
		westminster := rep["results"].([]any)[2].(map[string]any)
		if ch := westminster["changes"].(map[string]any)["status"].(map[string]any); ch["from"] != "exploring" || ch["to"] != "live" {
			t.Errorf("Westminster's change %v", westminster["changes"])
		}
		if e.guarded() != before {
			t.Fatal("a dry run wrote something")
		}
	})

	t.Run("strict with errors applies nothing", func(t *testing.T) {
		e := newSeededEnv(t, false)
		before := e.guarded()
		post(e, "?strict=true", sheet, e.admin).wantProblem(http.StatusUnprocessableEntity,
			"rows[5].capability", "rows[6].council", "rows[7].status", "rows[8].started_on", "rows[9].status")
		if e.guarded() != before {
			t.Fatal("a strict import with errors wrote something")
		}
	})

	t.Run("every valid row is applied, through the adoption rules", func(t *testing.T) {
		e := newSeededEnv(t, false)
		audits, events := e.auditCount(), e.count("SELECT count(*) FROM adoption_events")
		rep := post(e, "", sheet, e.admin).wantStatus(http.StatusOK).json()
		checkReport(t, rep)
		if rep["applied"] != true {
			t.Error("not applied")
		}
		if n := e.count(`SELECT count(*) FROM adoptions a JOIN councils c ON c.id = a.council_id JOIN components p ON p.id = a.component_id
			WHERE c.code = ? AND p.slug = 'govuk-pay' AND a.status = 'live' AND a.started_on = '2021-04-01' AND a.contract_end_on = '2026-03-31'
			AND a.source = 'admin' AND a.verified`, lambeth); n != 1 {
			t.Error("row 2 is not recorded as written")
		}
		if n := e.count(`SELECT count(*) FROM adoptions a JOIN councils c ON c.id = a.council_id JOIN components p ON p.id = a.component_id
			JOIN capabilities cap ON cap.id = a.capability_id WHERE c.code = ? AND p.slug = 'govuk-notify' AND cap.slug = 'email-notifications'
			AND a.status = 'piloting'`, southwark); n != 1 {
			t.Error("row 3 (council and component by name) is not recorded")
		}
		if n := e.count(`SELECT count(*) FROM adoptions a JOIN councils c ON c.id = a.council_id WHERE c.code = 'E09000033'
			AND a.status = 'live' AND a.source = 'evidence' AND a.notes = 'Main site moved to LocalGov Drupal'`); n != 1 {
			t.Error("row 4 did not update Westminster's adoption in place")
		}
		if n := e.count(`SELECT count(*) FROM adoptions a JOIN councils c ON c.id = a.council_id JOIN components p ON p.id = a.component_id
			WHERE c.code = 'E09000008' AND p.slug = 'govuk-notify' AND a.notes = ?`, "Text reminders for\nmissed bin collections"); n != 1 {
			t.Error("row 10's two-line note is not recorded")
		}
		if n := e.count(`SELECT count(*) FROM adoptions a JOIN components p ON p.id = a.component_id
			WHERE p.slug IN ('fixmystreet', 'govuk-forms', 'govuk-one-login') OR (p.slug = 'govuk-pay' AND a.council_id NOT IN
			(SELECT id FROM councils WHERE code = ?))`, lambeth); n != 0 {
			t.Error("a failed row left an adoption")
		}
		if got := e.auditCount() - audits; got != 4 {
			t.Errorf("%d audit entries, want 4 (3 created, 1 updated)", got)
		}
		if got := e.count("SELECT count(*) FROM adoption_events") - events; got != 4 {
			t.Errorf("%d history events, want 4", got)
		}
		// A second run finds everything in place.
		rep = post(e, "", sheet, e.admin).wantStatus(http.StatusOK).json()
		if rep["created"].(float64) != 0 || rep["updated"].(float64) != 0 || rep["unchanged"].(float64) != 4 {
			t.Errorf("second run %v created, %v updated, %v unchanged", rep["created"], rep["updated"], rep["unchanged"])
		}
	})

	t.Run("strict without errors applies everything", func(t *testing.T) {
		e := newSeededEnv(t, false)
		lines := strings.SplitAfter(string(sheet), "\n")
		clean := strings.Join(lines[:4], "") // the header and rows 2 to 4
		rep := post(e, "?strict=true", []byte(clean), e.admin).wantStatus(http.StatusOK).json()
		if rep["applied"] != true || rep["created"].(float64) != 2 || rep["updated"].(float64) != 1 {
			t.Errorf("report %v", rep)
		}
	})

	t.Run("a file that is not a usable spreadsheet", func(t *testing.T) {
		e := newSeededEnv(t, false)
		before := e.guarded()
		for _, tc := range []struct {
			name, contentType, body string
			status                  int
			field                   string
		}{
			{"unknown column", "text/csv", "council,component,statuss\nE09000022,govuk-pay,live\n", 400, "header"},
			{"no status column", "text/csv", "council,component\nE09000022,govuk-pay\n", 400, "header"},
			{"header only", "text/csv", "council,component,status\n", 400, "body"},
			{"empty", "text/csv", "", 400, "body"},
			{"broken quoting", "text/csv", "council,component,status\n\"E09000022,govuk-pay,live\nx\"y,z,w\n", 400, "body"},
			{"a cell without a heading", "text/csv", "council,component,status\nE09000022,govuk-pay,live,extra\n", 400, "body"},
			{"JSON", "application/json", `{"council":"E09000022"}`, 415, ""},
			{"bad flag", "text/csv", "council,component,status\n", 400, "dry_run"},
		} {
			query := ""
			if tc.name == "bad flag" {
				query = "?dry_run=perhaps"
			}
			var fields []string
			if tc.field != "" {
				fields = []string{tc.field}
			}
			e.in(t).do("POST", "/api/v1/adoptions/import"+query, []byte(tc.body), e.admin, "Content-Type", tc.contentType).wantProblem(tc.status, fields...)
		}
		if e.guarded() != before {
			t.Fatal("a refused import wrote something")
		}
	})
}

// importSheet is an adoption spreadsheet of at least n rows over the seeded
// reference data: real council codes × real component slugs, every row
// valid. Each council and component without a current adoption (but the ones
// in skip) is first explored, then piloted, live, retiring and retired, a wave
// of rows per status, until there are n rows. It returns the file and how many
// of its rows create an adoption (the first wave); the rest update one.
func (e *env) importSheet(n int, skip ...[2]string) ([]byte, int) {
	e.t.Helper()
	db, err := e.st.ReaderDB()
	if err != nil {
		e.t.Fatal(err)
	}
	rows, err := db.Query(storetest.Rebind(`SELECT councils.code, components.slug,
		(SELECT count(*) FROM component_capabilities cc WHERE cc.component_id = components.id),
		(SELECT min(capabilities.slug) FROM component_capabilities cc JOIN capabilities ON capabilities.id = cc.capability_id
			WHERE cc.component_id = components.id)
		FROM councils CROSS JOIN components WHERE councils.status = 'current' AND NOT EXISTS (SELECT 1 FROM adoptions a
			WHERE a.council_id = councils.id AND a.component_id = components.id AND a.status <> 'retired' AND a.rejected_at IS NULL)
		ORDER BY councils.code, components.slug`))
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	type pair struct{ council, component, capability string }
	var pairs []pair
	for rows.Next() {
		var p pair
		var provided int
		if err := rows.Scan(&p.council, &p.component, &provided, &p.capability); err != nil {
			e.t.Fatal(err)
		}
		if provided == 1 {
			p.capability = "" // the component's only capability is taken without being named
		}
		skipped := false
		for _, s := range skip {
			skipped = skipped || (s[0] == p.council && s[1] == p.component)
		}
		if !skipped {
			pairs = append(pairs, p)
		}
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("council,component,capability,status\n")
	written := 0
	for _, status := range []string{"exploring", "piloting", "live", "retiring", "retired"} {
		for _, p := range pairs {
			if written == n {
				break
			}
			capability := ""
			if status == "exploring" {
				capability = p.capability // an update leaves the capability alone
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s\n", p.council, p.component, capability, status)
			written++
		}
	}
	if written < n {
		e.t.Fatalf("the seeded world gives %d rows, not %d", written, n)
	}
	if b.Len() > api.MaxBodyBytes {
		e.t.Fatalf("a %d-row spreadsheet is %d bytes, over the body limit", n, b.Len())
	}
	return b.Bytes(), min(n, len(pairs))
}

// exchange is one request sent to a live server, and its answer.
type exchange struct {
	status int
	body   []byte
	took   time.Duration
	err    error
}

// sendTo sends a request to the live server at base, as a separate client would.
func sendTo(base, method, path string, body []byte, key, contentType string) exchange {
	req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
	if err != nil {
		return exchange{err: err}
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", contentType)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return exchange{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return exchange{status: resp.StatusCode, body: b, took: time.Since(start), err: err}
}

// readCount runs a COUNT query through the read pool, which no write waits for.
func (e *env) readCount(query string) int {
	e.t.Helper()
	db, err := e.st.ReaderDB()
	if err != nil {
		e.t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// Counts of what an admin's import records: adoptions, and the audit entries of adoption writes.
const (
	importedAdoptions = "SELECT count(*) FROM adoptions WHERE source = 'admin'"
	importedAudits    = "SELECT count(*) FROM audit_log WHERE entity = 'adoption' AND actor_role = 'admin'"
	importedEvents    = "SELECT count(*) FROM adoption_events WHERE actor_role = 'admin'"
)

// TestImportDoesNotStallWriters imports 25,000 rows while a council edits its
// own adoption and an admin edits a vendor, each through a live server as
// separate clients: every edit completes in under 2 s, some while the import
// is half written, and the import answers within the server's write timeout
// (60 s, api/server.go). A strict import writes in one transaction, so that a
// row failing against the database as it then is leaves nothing behind: it is
// run the same way, and how long an edit waited for it is logged, not held to 2 s.
func TestImportDoesNotStallWriters(t *testing.T) {
	const rows = 25_000
	for _, query := range []string{"", "?strict=true"} {
		t.Run("import"+query, func(t *testing.T) {
			e := newSeededEnv(t, false)
			lam := e.key("council", lambeth)
			own := e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-pay",
				"capability": "online-card-payments", "status": "piloting"}, lam).wantStatus(http.StatusCreated).json()
			sheet, creations := e.importSheet(rows, [2]string{lambeth, "govuk-pay"})
			srv := httptest.NewServer(e.served)
			defer srv.Close()

			imported := make(chan exchange, 1)
			go func() {
				imported <- sendTo(srv.URL, "POST", "/api/v1/adoptions/import"+query, sheet, e.admin, "text/csv")
			}()
			edits := []struct{ path, key, field string }{
				{fmt.Sprintf("/api/v1/adoptions/%d", idOf(t, own)), lam, "notes"},
				{"/api/v1/vendors/" + gds, e.admin, "description"},
			}
			var slowest time.Duration
			var done, midway int
			var imp exchange
			for waiting := true; waiting; done++ {
				select {
				case imp = <-imported:
					waiting = false
				case <-time.After(20 * time.Millisecond):
				}
				edit := edits[done%len(edits)]
				body, _ := json.Marshal(map[string]string{edit.field: fmt.Sprintf("edited while an import runs (%d)", done)})
				r := sendTo(srv.URL, "PATCH", edit.path, body, edit.key, "application/json")
				if r.err != nil || r.status != http.StatusOK {
					t.Fatalf("PATCH %s: %d %v %s", edit.path, r.status, r.err, r.body)
				}
				slowest = max(slowest, r.took)
				if n := e.readCount(importedAudits); waiting && n > 0 && n < rows {
					midway++
				}
			}
			if imp.err != nil || imp.status != http.StatusOK {
				t.Fatalf("import: %d %v %.300s", imp.status, imp.err, imp.body)
			}
			t.Logf("%d-row import%s: %s; %d edits meanwhile (%d while it was half written), the slowest %s",
				rows, query, imp.took, done, midway, slowest)
			if query == "" && slowest >= 2*time.Second {
				t.Errorf("an edit waited %s for the import", slowest)
			}
			if query == "" && midway == 0 {
				t.Error("no edit ran while the import was half written")
			}
			if imp.took >= 60*time.Second {
				t.Errorf("the import took %s, past the server's write timeout", imp.took)
			}
			var rep models.AdoptionImportReport
			if err := json.Unmarshal(imp.body, &rep); err != nil {
				t.Fatal(err)
			}
			if !rep.Applied || rep.Rows != rows || rep.Created != creations || rep.Updated != rows-creations || rep.Failed != 0 {
				t.Errorf("report: applied %v, %d rows, %d created, %d updated, %d failed", rep.Applied, rep.Rows, rep.Created, rep.Updated, rep.Failed)
			}
			if n := e.readCount(importedAdoptions); n != creations {
				t.Errorf("%d adoptions recorded, want %d", n, creations)
			}
			if n, m := e.readCount(importedEvents), e.readCount(importedAudits); n != rows || m != rows {
				t.Errorf("%d history events and %d audit entries, want one of each a row (%d)", n, m, rows)
			}
		})
	}
}

// TestImportRecordsAsTheAPIDoes: rows imported (a new adoption, then a
// second row for the same council and component, which updates it) leave the
// same record, history events and audit entries as the same writes sent to
// POST and PATCH /api/v1/adoptions; only the key that wrote differs, and
// updated_at, which gorm sets from the wall clock on an update (the store's
// clock is fixed in tests), so it is left out.
func TestImportRecordsAsTheAPIDoes(t *testing.T) {
	const sheet = "council,component,capability,status,started_on,notes\n" +
		"E09000022,govuk-notify,sms-notifications,exploring,2025-01-01,first\n" +
		"E09000022,govuk-notify,,piloting,,second\n"
	imported := newSeededEnv(t, false)
	rep := imported.do("POST", "/api/v1/adoptions/import", []byte(sheet), imported.admin, "Content-Type", "text/csv").wantStatus(http.StatusOK).json()
	if rep["created"].(float64) != 1 || rep["updated"].(float64) != 1 {
		t.Fatalf("report %v", rep)
	}
	sent := newSeededEnv(t, false)
	id := idOf(t, sent.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-notify", "capability": "sms-notifications",
		"status": "exploring", "started_on": "2025-01-01", "notes": "first"}, sent.admin).wantStatus(http.StatusCreated).json())
	sent.do("PATCH", fmt.Sprintf("/api/v1/adoptions/%d", id), map[string]any{"status": "piloting", "notes": "second"}, sent.admin).wantStatus(http.StatusOK)

	wallClock := regexp.MustCompile(`updated_at[^,}]*`) // in the audit entries' JSON, itself quoted in rowsOf's
	for _, query := range []string{
		`SELECT id, council_id, component_id, capability_id, status, started_on, ended_on, contract_end_on, notes, evidence_url,
			source, verified, rejected_at, rejection_reason, version, created_at, verified_on, confirmed_on FROM adoptions WHERE id = ?`,
		"SELECT at, actor_role, actor_org, action, changes FROM adoption_events WHERE adoption_id = ? ORDER BY id",
		"SELECT at, actor_role, actor_org, entity_key, action, before, after FROM audit_log WHERE entity = 'adoption' AND entity_key = ? ORDER BY id",
	} {
		got := wallClock.ReplaceAllString(imported.rowsOf(query, fmt.Sprint(id)), "")
		if want := wallClock.ReplaceAllString(sent.rowsOf(query, fmt.Sprint(id)), ""); got != want {
			t.Errorf("%s\nimported:\n%s\nsent:\n%s", query, got, want)
		}
	}
}

// holdWriteLock takes what every write waits for, until release is called (at
// the latest when the test ends): on SQLite the writer's one connection, in an
// immediate transaction; on PostgreSQL the lock that orders audit entries
// (store/audit.go), which every write that records itself takes.
func (e *env) holdWriteLock() (release func()) {
	e.t.Helper()
	db, err := e.st.SQLDB()
	if err != nil {
		e.t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		e.t.Fatal(err)
	}
	release = func() { _ = tx.Rollback() }
	e.t.Cleanup(release)
	if storetest.Postgres() {
		if _, err := tx.Exec("SELECT pg_advisory_xact_lock(7270001)"); err != nil {
			e.t.Fatal(err)
		}
	}
	return release
}

func TestAdoptionImportLimits(t *testing.T) {
	post := func(e *env, query string, body []byte) response {
		e.t.Helper()
		return e.do("POST", "/api/v1/adoptions/import"+query, body, e.admin, "Content-Type", "text/csv")
	}

	t.Run("over the row cap: 413 naming it, nothing written", func(t *testing.T) {
		e := newSeededEnv(t, false)
		before := e.guarded()
		sheet := "council,component,status\n" + strings.Repeat("x,y,live\n", models.MaxAdoptionImportRows+1)
		p := post(e, "", []byte(sheet)).wantProblem(http.StatusRequestEntityTooLarge)
		if !strings.Contains(p["detail"].(string), fmt.Sprint(models.MaxAdoptionImportRows)) {
			t.Errorf("the problem does not name the cap: %v", p["detail"])
		}
		if e.guarded() != before {
			t.Fatal("a refused import wrote something")
		}
	})

	// badRow2002 is a 3,000-row spreadsheet whose row 2002 has a status that does
	// not exist, and how many of its rows create an adoption.
	badRow2002 := func(e *env) ([]byte, int) {
		sheet, creations := e.importSheet(3000)
		lines := strings.SplitAfter(string(sheet), "\n")
		lines[2001] = "E09000022,govuk-pay,online-card-payments,sideways\n"
		return []byte(strings.Join(lines, "")), creations - 1
	}

	t.Run("strict with one bad row among thousands writes nothing", func(t *testing.T) {
		e := newSeededEnv(t, false)
		sheet, _ := badRow2002(e)
		before := e.guarded()
		post(e, "?strict=true", sheet).wantProblem(http.StatusUnprocessableEntity, "rows[2002].status")
		if e.guarded() != before {
			t.Fatal("a strict import with a bad row wrote something")
		}
	})

	t.Run("without strict, a bad row among thousands fails alone", func(t *testing.T) {
		e := newSeededEnv(t, false)
		sheet, creations := badRow2002(e)
		rep := post(e, "", sheet).wantStatus(http.StatusOK).json()
		if rep["applied"] != true || rep["failed"].(float64) != 1 || rep["created"].(float64) != float64(creations) {
			t.Errorf("applied %v, %v failed, %v created; want %d created", rep["applied"], rep["failed"], rep["created"], creations)
		}
		if r := rep["results"].([]any)[2000].(map[string]any); r["row"].(float64) != 2002 || r["action"] != "failed" {
			t.Errorf("row 2002: %v", r)
		}
		if n := e.readCount(importedAdoptions); n != creations {
			t.Errorf("%d adoptions recorded, want %d", n, creations)
		}
	})

	t.Run("strict, every row valid: all written", func(t *testing.T) {
		e := newSeededEnv(t, false)
		sheet, creations := e.importSheet(3000)
		rep := post(e, "?strict=true", sheet).wantStatus(http.StatusOK).json()
		if rep["applied"] != true || rep["created"].(float64) != float64(creations) || rep["updated"].(float64) != float64(3000-creations) {
			t.Errorf("applied %v, %v created, %v updated", rep["applied"], rep["created"], rep["updated"])
		}
		if n := e.readCount(importedAdoptions); n != creations {
			t.Errorf("%d adoptions recorded, want %d", n, creations)
		}
	})

	t.Run("dry run: takes no write lock, writes nothing", func(t *testing.T) {
		e := newSeededEnv(t, false)
		sheet, creations := e.importSheet(25_000)
		e.do("GET", "/api/v1/adoptions?limit=1", nil, e.admin).wantStatus(http.StatusOK) // the key's use is recorded now, not under the lock
		before := e.guarded()
		release := e.holdWriteLock()
		answered := make(chan response, 1)
		start := time.Now()
		go func() {
			answered <- e.in(t).do("POST", "/api/v1/adoptions/import?dry_run=true", sheet, e.admin, "Content-Type", "text/csv")
		}()
		var r response
		select {
		case r = <-answered:
		case <-time.After(45 * time.Second):
			t.Fatal("the dry run waited for the write lock")
		}
		release()
		rep := r.wantStatus(http.StatusOK).json()
		t.Logf("25,000-row dry run under a held write lock: %s", time.Since(start))
		if rep["applied"] != false || rep["created"].(float64) != float64(creations) || rep["updated"].(float64) != float64(25_000-creations) {
			t.Errorf("applied %v, %v created, %v updated", rep["applied"], rep["created"], rep["updated"])
		}
		for _, it := range rep["results"].([]any) {
			if r := it.(map[string]any); r["adoption"] != nil {
				t.Fatalf("row %v names a record the dry run did not keep", r["row"])
			}
		}
		if e.guarded() != before {
			t.Fatal("a dry run wrote something")
		}
	})
}

func TestExportZipAndListCSV(t *testing.T) {
	e := newSeededEnv(t, false)
	// A name a spreadsheet would run as a formula.
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "formula", "name": `=HYPERLINK("http://evil.example","click")`, "website": "https://formula.example"}, e.admin).wantStatus(http.StatusCreated)

	r := e.do("GET", "/api/v1/export", nil, "").wantStatus(http.StatusOK)
	if ct := r.Header().Get("Content-Type"); ct != "application/zip" || !strings.Contains(r.Header().Get("Content-Disposition"), ".zip") {
		t.Fatalf("Content-Type %q, disposition %q", ct, r.Header().Get("Content-Disposition"))
	}
	files := unzip(t, r.Body.Bytes())
	for table, query := range map[string]string{
		"councils.csv": "SELECT count(*) FROM councils", "vendors.csv": "SELECT count(*) FROM vendors",
		"capabilities.csv": "SELECT count(*) FROM capabilities", "components.csv": "SELECT count(*) FROM components",
		"adoptions.csv": "SELECT count(*) FROM adoptions",
	} {
		rows := readCSV(t, files[table])
		if len(rows)-1 != e.count(query) || len(rows) < 2 {
			t.Errorf("%s has %d records, the database %d", table, len(rows)-1, e.count(query))
		}
	}
	councils := readCSV(t, files["councils.csv"])
	header := councils[0]
	col := func(name string) int { return slices.Index(header, name) }
	for _, name := range []string{"code", "name", "type", "region", "nation", "status", "successors", "longitude"} {
		if col(name) < 0 {
			t.Errorf("councils.csv has no %s column: %v", name, header)
		}
	}
	for _, row := range councils[1:] {
		if row[col("code")] == lambeth && (row[col("name")] != "London Borough of Lambeth" || row[col("longitude")] != "-0.1183185701") {
			t.Errorf("Lambeth's row %v (a negative number must stay a number)", row)
		}
	}
	if !bytes.Contains(files["vendors.csv"], []byte(`'=HYPERLINK`)) {
		t.Error("a formula in vendors.csv is not defused")
	}
	components := readCSV(t, files["components.csv"])
	if !slices.Contains(components[0], "capabilities") || !strings.Contains(string(files["components.csv"]), "online-card-payments;payment-refunds") {
		t.Error("components.csv does not list capabilities with semicolons")
	}
	readme := string(files["README.md"])
	for table, cols := range map[string][]string{"councils": header, "components": components[0], "adoptions": readCSV(t, files["adoptions.csv"])[0]} {
		for _, c := range cols {
			if !strings.Contains(readme, "| "+c+" | ") {
				t.Errorf("README.md does not explain %s.csv's column %s", table, c)
			}
		}
	}
	for _, want := range []string{"CC BY 4.0", "Open Government Licence", "Crown Copyright", "synthetic", "database version"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md does not mention %q", want)
		}
	}
	if strings.Contains(readme, "|  |") {
		t.Error("README.md has a column without an explanation")
	}

	// Lists as CSV: same page, same Link header; JSON stays the default.
	csvr := e.do("GET", "/api/v1/councils?limit=5&type=london-borough", nil, "", "Accept", "text/csv").wantStatus(http.StatusOK)
	if !strings.HasPrefix(csvr.Header().Get("Content-Type"), "text/csv") || !strings.Contains(csvr.Header().Get("Content-Disposition"), "councils.csv") ||
		!strings.Contains(csvr.Header().Get("Link"), `rel="next"`) ||
		csvr.Header().Get("X-Total-Count") != fmt.Sprint(e.count("SELECT count(*) FROM councils WHERE type = 'london-borough' AND status = 'current'")) {
		t.Errorf("CSV headers %v", csvr.Header())
	}
	if rows := readCSV(t, csvr.Body.Bytes()); len(rows) != 6 || rows[0][0] != "code" {
		t.Errorf("%d CSV rows: %v", len(rows), rows)
	}
	if plain := e.do("GET", "/api/v1/councils?limit=5", nil, ""); !strings.HasPrefix(plain.Header().Get("Content-Type"), "application/json") {
		t.Error("JSON is no longer the default")
	}
	vendors := e.do("GET", "/api/v1/vendors?limit=100", nil, "", "Accept", "text/csv").wantStatus(http.StatusOK).Body.String()
	if !strings.Contains(vendors, `'=HYPERLINK`) {
		t.Error("a formula in the vendor list's CSV is not defused")
	}
	hist := e.do("GET", "/api/v1/adoptions?limit=3", nil, "", "Accept", "text/csv").wantStatus(http.StatusOK)
	if rows := readCSV(t, hist.Body.Bytes()); len(rows) != 4 || !slices.Contains(rows[0], "verification") {
		t.Errorf("adoption CSV %v", rows)
	}
	peers := e.do("GET", "/api/v1/councils/"+lambeth+"/peers?limit=2", nil, "", "Accept", "text/csv").wantStatus(http.StatusOK)
	if rows := readCSV(t, peers.Body.Bytes()); len(rows) < 2 || !slices.Contains(rows[0], "council.code") {
		t.Errorf("peers CSV does not flatten nested objects: %v", rows)
	}
}

func TestChangeFeed(t *testing.T) {
	w := newMatrixWorld(t)
	e := w.env
	e.do("PATCH", "/api/v1/components/govuk-pay", map[string]any{"summary": "Changed for the feed."}, w.keys["vendor A"]).wantStatus(http.StatusOK)

	body := e.do("GET", "/api/v1/changes?limit=100", nil, "").wantStatus(http.StatusOK)
	if strings.Contains(body.Body.String(), models.KeyPrefix) || strings.Contains(body.Body.String(), "api_key") {
		t.Fatal("the public feed shows keys")
	}
	list := body.json()
	items := list["items"].([]any)
	first := items[0].(map[string]any)
	actor := first["actor"].(map[string]any)
	if first["entity"] != "component" || first["key"] != "govuk-pay" || first["action"] != "updated" || actor["role"] != "vendor" ||
		actor["org"] != gds || actor["key"] != nil || first["resource"] != "/api/v1/components/govuk-pay" ||
		!slices.Equal(strs(first["fields"]), []string{"summary"}) {
		t.Errorf("newest change %v", first)
	}
	for i := 1; i < len(items); i++ {
		if items[i].(map[string]any)["id"].(float64) >= items[i-1].(map[string]any)["id"].(float64) {
			t.Fatal("the feed is not newest first")
		}
	}
	if want := e.count("SELECT count(*) FROM audit_log WHERE entity NOT IN ('api_key', 'webhook')"); int(list["total"].(float64)) != want {
		t.Errorf("total %v, want %d", list["total"], want)
	}
	// Cursor pages walk the same entries.
	page := e.do("GET", "/api/v1/changes?limit=2", nil, "").wantStatus(http.StatusOK)
	next := page.json()["next"].(string)
	second := e.do("GET", next[strings.Index(next, "/api/v1/"):], nil, "").wantStatus(http.StatusOK).json()["items"].([]any)
	if second[0].(map[string]any)["id"] != items[2].(map[string]any)["id"] {
		t.Error("the second page does not follow the first")
	}
	if n := len(e.do("GET", "/api/v1/changes?entity=adoption&limit=100", nil, "").json()["items"].([]any)); n != e.count("SELECT count(*) FROM audit_log WHERE entity = 'adoption'") {
		t.Errorf("entity filter: %d", n)
	}
	e.do("GET", "/api/v1/changes?entity=api_key", nil, "").wantProblem(http.StatusBadRequest, "entity")
	e.do("GET", "/api/v1/changes?cursor=nonsense", nil, "").wantProblem(http.StatusBadRequest, "cursor")

	atom := e.do("GET", "/api/v1/changes.atom?limit=2", nil, "").wantStatus(http.StatusOK)
	if !strings.HasPrefix(atom.Header().Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("Content-Type %q", atom.Header().Get("Content-Type"))
	}
	feed := parseAtom(t, atom.Body.Bytes())
	if len(feed.Entries) != 2 || feed.Entries[0].Title != "component govuk-pay updated" || feed.Entries[0].Author != "vendor "+gds ||
		!strings.HasSuffix(feed.Entries[0].Link, "/api/v1/components/govuk-pay") || feed.Next == "" ||
		!strings.Contains(feed.Entries[0].Summary, "summary changed") {
		t.Errorf("feed %+v", feed)
	}
	if strings.Contains(atom.Body.String(), models.KeyPrefix) {
		t.Fatal("the Atom feed shows keys")
	}
	// Changes as CSV, like every list.
	csvFeed := e.do("GET", "/api/v1/changes?limit=3", nil, "", "Accept", "text/csv").wantStatus(http.StatusOK)
	if rows := readCSV(t, csvFeed.Body.Bytes()); len(rows) != 4 || !slices.Equal(rows[0][:5], []string{"id", "at", "entity", "key", "action"}) {
		t.Errorf("changes CSV %v", rows)
	}
}
