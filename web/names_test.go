package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/council-components/registry/internal/tabletest"
)

// readSeed decodes one of the reference data files the registry ships.
func readSeed(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "seed", "data", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// The store keeps a capability's category as its slug; the pages name it as
// the reference data does, acronyms and all.
func TestCategoryNamesAsTheSeedWritesThem(t *testing.T) {
	var doc struct {
		Categories []struct{ Slug, Name string } `json:"categories"`
	}
	readSeed(t, "capabilities.json", &doc)
	if len(doc.Categories) < 20 {
		t.Fatalf("%d categories: a useless case", len(doc.Categories))
	}
	for _, c := range doc.Categories {
		if got := categoryName(c.Slug); got != c.Name {
			t.Errorf("category %s is shown as %q, the reference data names it %q", c.Slug, got, c.Name)
		}
	}
}

// Every standard a shipped component follows has a name; another is shown by its code.
func TestStandardNames(t *testing.T) {
	var doc struct {
		Components []struct {
			Slug      string   `json:"slug"`
			Standards []string `json:"standards"`
		} `json:"components"`
	}
	readSeed(t, "components.json", &doc)
	n := 0
	for _, c := range doc.Components {
		for _, code := range c.Standards {
			n++
			if standardNames[code] == "" {
				t.Errorf("%s follows %q, which has no name", c.Slug, code)
			}
		}
	}
	if n == 0 {
		t.Fatal("no shipped component follows a standard: a useless case")
	}
	tabletest.Check(t, "standardName", standardName, map[string]string{"open311": "Open311", "hsds": "HSDS (Open Referral)", "wcag-2-2": "wcag-2-2"})
}

func TestReasonDetailWritesDaysAsTablesDo(t *testing.T) {
	tabletest.Check(t, "reasonDetail", reasonDetail, map[string]string{
		"your contract for CivicPay (demo) ends 2027-09-01":                   "your contract for CivicPay (demo) ends 1 September 2027",
		"you stated a need for Online card payments by 2028-06-01":            "you stated a need for Online card payments by 1 June 2028",
		"4 of your 10 closest peers use it; evidence: GOV.UK Pay, 2026-08-03": "4 of your 10 closest peers use it; evidence: GOV.UK Pay, 3 August 2026",
		"you have no live component for Payments":                             "you have no live component for Payments",
		"reorganisation 2027-04-01 to 2028-04-01":                             "reorganisation 1 April 2027 to 1 April 2028",
		"not a day: 2027-13-45, nor 12027-01-01":                              "not a day: 2027-13-45, nor 12027-01-01",
	})
}
