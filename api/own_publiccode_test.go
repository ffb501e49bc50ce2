package api_test

import (
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/council-components/registry/publiccode"
)

// TestOwnPubliccode: the registry's own publiccode.yml passes its own validator in strict mode, with no warning,
// and imports as a component, as any publisher's file would.
func TestOwnPubliccode(t *testing.T) {
	file, err := os.ReadFile("../publiccode.yml")
	if err != nil {
		t.Fatal(err)
	}
	pc, err := publiccode.ParseStrict(file)
	if err != nil {
		t.Fatalf("the project's publiccode.yml does not pass strict validation: %v", err)
	}
	if len(pc.Warnings) > 0 {
		t.Errorf("the project's publiccode.yml draws warnings: %v", pc.Warnings)
	}
	if pc.Name != "Council Components Registry" {
		t.Errorf("name %q", pc.Name)
	}

	e := newSeededEnv(t, false)
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "council-components-registry", "name": "Council Components Registry",
		"website": "https://github.com/council-components"}, e.admin).wantStatus(http.StatusCreated)
	// Its categories (IT asset and knowledge management) map to no council capability, so the
	// import names the one it serves: publishing open data on who uses what.
	c := e.importYAML("?capabilities=open-data-publishing", file, e.admin).wantStatus(http.StatusCreated).json()["component"].(map[string]any)
	if c["slug"] != "council-components-registry" || c["vendor"] != "council-components-registry" || c["licence"] != "MIT" ||
		c["open_source"] != true || c["lifecycle"] != "beta" || c["repository_url"] != "https://github.com/council-components/registry" {
		t.Errorf("imported as %v", c)
	}
	if caps := strs(c["capabilities"]); !slices.Equal(caps, []string{"open-data-publishing"}) {
		t.Errorf("capabilities %v", caps)
	}
	if n := e.count(`SELECT count(*) FROM component_publiccode p JOIN components c ON c.id = p.component_id WHERE c.slug = 'council-components-registry'`); n != 1 {
		t.Errorf("%d stored files for the component, want 1", n)
	}
}

// TestPubliccodeStrictImport: by default what only strict mode refuses comes
// back as a warning naming its YAML path; ?strict=true refuses it and writes nothing.
func TestPubliccodeStrictImport(t *testing.T) {
	file, err := os.ReadFile("../publiccode.yml")
	if err != nil {
		t.Fatal(err)
	}
	file = append(file, []byte("\nsocialMedia: https://example.org/registry\n")...) // no such key in the standard
	e := newSeededEnv(t, false)
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "council-components-registry", "name": "Council Components Registry",
		"website": "https://github.com/council-components"}, e.admin).wantStatus(http.StatusCreated)

	before := e.guarded()
	e.importYAML("?strict=true&capabilities=open-data-publishing", file, e.admin).wantProblem(http.StatusBadRequest, "socialMedia")
	if e.guarded() != before {
		t.Fatal("a strictly refused import wrote something")
	}
	body := e.importYAML("?capabilities=open-data-publishing", file, e.admin).wantStatus(http.StatusCreated).json()
	warnings, _ := body["warnings"].([]any)
	if len(warnings) != 1 || warnings[0].(map[string]any)["field"] != "socialMedia" {
		t.Errorf("warnings %v, want one naming socialMedia", body["warnings"])
	}
}
