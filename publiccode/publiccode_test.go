package publiccode

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/council-components/registry/models"
)

func readPubliccode(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "api", "testdata", "publiccode", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// problemFields lists the fields an error names.
func problemFields(t *testing.T, err error) []string {
	t.Helper()
	var e *models.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *models.Error", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	sort.Strings(out)
	return out
}

func TestParseRealPubliccodeFiles(t *testing.T) {
	for _, tc := range []struct {
		file, name, lang, summaryStart, status, licence string
		categories                                      []string
		deps, contacts                                  int
		badVersion                                      string // as published, the file names a version the standard does not have
	}{
		{"standard-example.yml", "Medusa", "en", "This description can have", "development", "AGPL-3.0-or-later", []string{"content-management", "office"}, 5, 1, ""},
		{"signalen-frontend.yml", "Signalen frontend", "nl", "Signalen is een open source", "stable", "MPL-2.0", []string{"workflow-management", "task-management", "communications"}, 5, 2, ""},
		{"amsterdam-design-system.yml", "Amsterdam Design System", "en", "Reusable components, patterns", "stable", "EUPL-1.2", nil, 0, 1, `"0.7"`},
		{"wai-portal.yml", "Web Analytics Italia - Portale", "it", "Web analytics Italia è", "beta", "AGPL-3.0-or-later", []string{"data-analytics", "data-collection", "data-visualization", "seo", "marketing"}, 0, 1, ""},
		{"consul-democracy.yml", "Consul Democracy", "en", "Complete citizen participation", "stable", "AGPL-3.0-or-later", []string{"budgeting", "collaboration", "communications", "content-management", "digital-citizenship", "online-community", "project-collaboration", "regulations-and-directives", "survey", "web-collaboration"}, 5, 3, ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body := readPubliccode(t, tc.file)
			if tc.badVersion != "" {
				// The standard's parser refuses the file as published ("unsupported version");
				// with a version of the standard it is read as before.
				if _, err := Parse(body); !slices.Equal(problemFields(t, err), []string{"publiccodeYmlVersion"}) {
					t.Errorf("version %s: %v", tc.badVersion, err)
				}
				body = bytes.Replace(body, []byte("publiccodeYmlVersion: "+tc.badVersion), []byte(`publiccodeYmlVersion: "0.5"`), 1)
			}
			pc, err := Parse(body)
			if err != nil {
				t.Fatalf("a published file was refused: %v %v", err, problemFields(t, err))
			}
			if pc.Name != tc.name || pc.Language != tc.lang || !strings.HasPrefix(pc.ShortDescription, tc.summaryStart) ||
				pc.DevelopmentStatus != tc.status || pc.License != tc.licence {
				t.Errorf("read %q %q %q %q %q", pc.Name, pc.Language, pc.ShortDescription, pc.DevelopmentStatus, pc.License)
			}
			if strings.HasSuffix(pc.ShortDescription, "\n") || strings.HasSuffix(pc.LongDescription, "\n") {
				t.Error("descriptions keep the block scalar's trailing newline")
			}
			if !slices.Equal(pc.Categories, tc.categories) || len(pc.Dependencies) != tc.deps || len(pc.Maintenance.Contacts) != tc.contacts {
				t.Errorf("categories %v, %d dependencies, %d contacts", pc.Categories, len(pc.Dependencies), len(pc.Maintenance.Contacts))
			}
		})
	}
}

func TestParsePubliccodeReportsEveryProblemWithItsPath(t *testing.T) {
	// As published, this file uses a category the standard does not have and a maintenance type it does not know.
	_, err := Parse(readPubliccode(t, "terminvergabe.yml"))
	if got := problemFields(t, err); !slices.Equal(got, []string{"categories[1]", "maintenance.type"}) {
		t.Errorf("terminvergabe.yml: problems at %v", got)
	}

	bad := `publiccodeYmlVersion: "2.0"
url: ftp://example.com/repo
platforms: [web]
categories: [payment-gatway, survey]
developmentStatus: finished
softwareType: standalone/web
description:
  en:
    longDescription: no short one
    documentation: not a url
  english:
    shortDescription: x
legal:
  license: "not a licence!"
maintenance:
  type: internal
dependsOn:
  open:
    - version: "1"
localisation:
  localisationReady: maybe
releaseDate: 2020-13-45
name: One
name: Two
`
	_, err = Parse([]byte(bad))
	want := []string{"categories[0]", "dependsOn.open[0].name", "description.en.documentation", "description.en.shortDescription",
		"description.english", "developmentStatus", "legal.license", "localisation.localisationReady", "maintenance.contacts",
		"name", "publiccodeYmlVersion", "releaseDate", "url"}
	if got := problemFields(t, err); !slices.Equal(got, want) {
		t.Errorf("problems at\n%v\nwant\n%v", got, want)
	}

	for body, field := range map[string]string{
		"":                     "body",
		"just: [unclosed":      "body",
		"- a\n- list\n":        "body",
		"name: x\n---\nb: 1\n": "body",
		"name: x\n":            "publiccodeYmlVersion",
	} {
		_, err := Parse([]byte(body))
		if got := problemFields(t, err); !slices.Contains(got, field) {
			t.Errorf("%q: problems at %v, want %s", body, got, field)
		}
	}
}

func TestCategoryMapNamesRealCategoriesAndCapabilities(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "seed", "data", "capabilities.json"))
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Capabilities []struct{ Slug string } `json:"capabilities"`
	}
	if err := json.Unmarshal(b, &data); err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, c := range data.Capabilities {
		slugs = append(slugs, c.Slug)
	}
	if len(slugs) == 0 {
		t.Fatal("no capabilities read from seed/data/capabilities.json")
	}
	seen := map[string]bool{}
	for _, m := range CategoryMap {
		if !slices.Contains(Categories, m.Category) {
			t.Errorf("%q is not a publiccode.yml category", m.Category)
		}
		if !slices.Contains(slugs, m.Capability) {
			t.Errorf("%q is not a capability in the reference data", m.Capability)
		}
		if seen[m.Category] {
			t.Errorf("%q is mapped twice", m.Category)
		}
		seen[m.Category] = true
		if back := CapabilityForCategory(CategoryForCapability(m.Capability)); back != m.Capability {
			t.Errorf("%s exports as a category that imports as %q", m.Capability, back)
		}
	}
}

// TestReadmeShowsTheCategoryMap keeps the README's table in step with the code.
func TestReadmeShowsTheCategoryMap(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if cells := strings.Split(line, "|"); len(cells) == 4 && strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = cells[2]
		}
	}
	for _, m := range CategoryMap {
		if !strings.Contains(rows[m.Capability], "`"+m.Category+"`") {
			t.Errorf("README.md's category table does not map %s to %s", m.Category, m.Capability)
		}
	}
}

func TestLifecycleRoundTrip(t *testing.T) {
	for _, lifecycle := range models.Lifecycles {
		status := StatusForLifecycle(lifecycle, "")
		if got := LifecycleForStatus(status, lifecycle); got != lifecycle {
			t.Errorf("%s exports as %s, which imports as %s", lifecycle, status, got)
		}
	}
	if StatusForLifecycle("alpha", "concept") != "concept" || LifecycleForStatus("obsolete", "live") != "deprecated" {
		t.Error("a file's own status is not kept, or obsolete does not deprecate")
	}
}
