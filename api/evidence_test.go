package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestReconfirmingAnAdoptionMakesItFresh walks Lambeth's LocalGov Drupal
// adoption, resting on statements from 2021, through reconfirmation.
func TestReconfirmingAnAdoptionMakesItFresh(t *testing.T) {
	e := newSeededEnv(t, false)
	lam := e.key("council", lambeth)
	due := e.do("GET", "/api/v1/councils/"+lambeth+"/adoptions?fresh=false", nil, "").wantStatus(http.StatusOK).json()
	items := due["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("%d adoptions due for reconfirmation, want Lambeth's one: %v", len(items), items)
	}
	a := items[0].(map[string]any)
	ev := a["evidence"].([]any)
	if a["component"] != "localgov-drupal" || a["fresh"] != false || len(ev) == 0 || a["confirmed_on"] == nil {
		t.Fatalf("due adoption %v", a)
	}
	first := ev[0].(map[string]any)
	if first["url"] != a["evidence_url"] || first["observed_on"] == "" || first["current"] != true || first["source"] != "localgov-drupal-docs" {
		t.Errorf("first evidence item %v, evidence_url %v", first, a["evidence_url"])
	}
	id := int64(a["id"].(float64))
	confirm := fmt.Sprintf("/api/v1/adoptions/%d/confirm", id)
	before := e.snapshot()
	e.do("POST", confirm, nil, e.key("council", southwark)).wantProblem(http.StatusForbidden)
	e.do("POST", confirm, nil, "").wantProblem(http.StatusUnauthorized)
	if e.snapshot() != before {
		t.Fatal("a refused confirmation changed the database")
	}
	c := e.do("POST", confirm, nil, lam).wantStatus(http.StatusOK).json()
	today := e.st.Today().Format("2006-01-02")
	if c["fresh"] != true || c["confirmed_on"] != today || c["verified"] != true || len(c["evidence"].([]any)) != len(ev) {
		t.Fatalf("after confirming: %v", c)
	}
	if n := e.count("SELECT count(*) FROM adoptions WHERE id = ? AND verified AND verified_on = ? AND confirmed_on = ?", id, today, today); n != 1 {
		t.Fatal("the confirmation is not stored")
	}
	if n := len(e.do("GET", "/api/v1/councils/"+lambeth+"/adoptions?fresh=false", nil, "").json()["items"].([]any)); n != 0 {
		t.Errorf("%d still due after confirming", n)
	}
	if n := len(e.do("GET", "/api/v1/councils/"+lambeth+"/adoptions?fresh=true", nil, "").json()["items"].([]any)); n != 1 {
		t.Errorf("%d fresh after confirming, want 1", n)
	}
	e.do("GET", "/api/v1/councils/"+lambeth+"/adoptions?fresh=maybe", nil, "").wantProblem(http.StatusBadRequest, "fresh")
	hist := e.history(int(id))
	if last := hist[len(hist)-1]; last["action"] != "confirmed" {
		t.Errorf("last event %v", last)
	}
}

// TestImportPlacesCouncilsByTheOneMatcher: the spreadsheet import names councils
// as people write them, through the same matcher as the seed and the harvests.
func TestImportPlacesCouncilsByTheOneMatcher(t *testing.T) {
	e := newSeededEnv(t, false)
	sheet := "council,component,capability,status\n" +
		"London Borough of Lambeth,govuk-pay,online-card-payments,live\n" + // a designation around the name
		"Cyngor Caerdydd,govuk-pay,online-card-payments,live\n" + // Cardiff, in Welsh
		"Kingston Council,govuk-pay,online-card-payments,live\n" + // Kingston upon Thames or upon Hull: refused, not guessed
		"Penzance Council,govuk-pay,online-card-payments,live\n" // a town council, not Cornwall Council
	before := e.snapshot()
	rep := e.do("POST", "/api/v1/adoptions/import?dry_run=true", sheet, e.admin, "Content-Type", "text/csv").wantStatus(http.StatusOK).json()
	if e.snapshot() != before {
		t.Fatal("a dry run wrote")
	}
	want := map[int]string{2: "created", 3: "created", 4: "failed", 5: "failed"}
	for _, it := range rep["results"].([]any) {
		r := it.(map[string]any)
		row := int(r["row"].(float64))
		if r["action"] != want[row] {
			t.Errorf("row %d: %v, want %s (%v)", row, r["action"], want[row], r["errors"])
		}
		if row == 4 && !strings.Contains(fmt.Sprint(r["errors"]), "E09000021") {
			t.Errorf("the ambiguous Kingston names no candidates: %v", r["errors"])
		}
	}
}

// TestNoDemoBannerOnRealData: a registry holding only real data shows no demo
// banner, and its data page says none is loaded.
func TestNoDemoBannerOnRealData(t *testing.T) {
	e := newSeededEnv(t, false)
	for _, path := range []string{"/", "/about/data"} {
		body := e.do("GET", path, nil, "").wantStatus(http.StatusOK).Body.String()
		if strings.Contains(body, "Illustrative demo data is loaded") {
			t.Errorf("%s shows the demo banner without demo data", path)
		}
	}
	if body := e.do("GET", "/about/data", nil, "").Body.String(); !strings.Contains(body, "has no demo data loaded") {
		t.Error("/about/data does not say no demo data is loaded")
	}
}
