package api_test

import (
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/council-components/registry/publiccode"
)

// TestOwnPubliccode: the registry's own publiccode.yml passes its own validator
// and imports as a component, as any publisher's file would.
func TestOwnPubliccode(t *testing.T) {
	file, err := os.ReadFile("../publiccode.yml")
	if err != nil {
		t.Fatal(err)
	}
	pc, err := publiccode.Parse(file)
	if err != nil {
		t.Fatalf("the project's publiccode.yml does not validate: %v", err)
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
