package web_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestCouncilRenewalsPage(t *testing.T) {
	e := newEnv(t)
	// The page shows what the API says, contract for contract.
	api := e.get("/api/v1/councils/"+lambeth+"/renewals?window_months=36", "Accept", "application/json").want(200, "application/json").json()
	page := e.get("/councils/"+lambeth+"/renewals?window_months=36").want(200, "text/html").Body.String()
	for _, want := range []string{"Contract renewals", `<option value="36" selected>`, "renewals.ics?window_months=36", "format=csv&amp;window_months=36"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, it := range api["items"].([]any) {
		comp := it.(map[string]any)["component"].(map[string]any)["slug"].(string)
		if !strings.Contains(page, `href="/components/`+comp+`"`) {
			t.Errorf("page lacks the renewal of %s", comp)
		}
	}
	for _, bad := range []string{"0", "61", "soon"} {
		page := e.get("/councils/"+lambeth+"/renewals?window_months="+bad).want(400, "text/html").Body.String()
		if !strings.Contains(page, "govuk-error-summary") || !strings.Contains(page, `href="#window_months"`) {
			t.Errorf("window_months=%s: no error on the form", bad)
		}
	}
	e.get("/councils/E09999999/renewals").want(404, "text/html")
}

func TestConcentrationDashboard(t *testing.T) {
	e := newEnv(t)
	api := e.get("/api/v1/market/concentration?limit=1", "Accept", "application/json").want(200, "application/json").json()
	page := e.get("/dashboards/concentration").want(200, "text/html").Body.String()
	first := api["items"].([]any)[0].(map[string]any)
	if slug := first["capability"].(map[string]any)["slug"].(string); !strings.Contains(page, `href="/capabilities/`+slug+`"`) {
		t.Errorf("the most concentrated capability, %s, is not on the page", slug)
	}
	if !strings.Contains(page, "Herfindahl-Hirschman") || !strings.Contains(page, `<option value="London"`) {
		t.Error("no explanation or no region choice")
	}
	if london := e.get("/dashboards/concentration?region=London&horizon_months=24").want(200, "text/html").Body.String(); !strings.Contains(london, `<option value="London" selected>`) {
		t.Error("the chosen region is not selected")
	}
	for _, bad := range []struct{ query, field string }{{"region=Atlantis", "region"}, {"horizon_months=0", "horizon_months"}, {"horizon_months=many", "horizon_months"}} {
		page := e.get("/dashboards/concentration?"+bad.query).want(400, "text/html").Body.String()
		if !strings.Contains(page, `href="#`+bad.field+`"`) || !strings.Contains(page, "govuk-error-message") {
			t.Errorf("%s: no error on the form", bad.query)
		}
	}
	if dash := e.get("/dashboards").want(200, "text/html").Body.String(); !strings.Contains(dash, `href="/dashboards/concentration"`) {
		t.Error("the dashboards page does not link to it")
	}
}

func TestComponentPageShowsRetirementImpact(t *testing.T) {
	e := newEnv(t)
	const legacy = "demo-legacy-ctax"
	impact := e.get("/api/v1/components/"+legacy+"/impact", "Accept", "application/json").want(200, "application/json").json()
	if impact["lifecycle"] != "deprecated" && impact["lifecycle"] != "retired" {
		t.Fatalf("%s is %v: the demo world changed", legacy, impact["lifecycle"])
	}
	page := e.get("/components/"+legacy).want(200, "text/html").Body.String()
	if !strings.Contains(page, "If this component is retired") {
		t.Fatal("the deprecated component's page does not show its impact")
	}
	for _, a := range impact["adoptions"].([]any) {
		if code := a.(map[string]any)["council"].(map[string]any)["code"].(string); !strings.Contains(page, `href="/councils/`+code+`"`) {
			t.Errorf("impact lists %s, the page does not", code)
		}
	}
	if live := e.get("/components/govuk-notify").want(200, "text/html").Body.String(); strings.Contains(live, "If this component is retired") {
		t.Error("a live component's page shows a retirement impact")
	}
	if council := e.get("/councils/"+lambeth).want(200, "text/html").Body.String(); !strings.Contains(council, `href="/councils/`+lambeth+`/renewals"`) {
		t.Error("the council page does not link to its renewals")
	}
}

func TestCapabilityPageShowsConcentration(t *testing.T) {
	e := newEnv(t)
	const slug = "online-card-payments"
	api := e.get("/api/v1/market/concentration?capability="+slug, "Accept", "application/json").want(200, "application/json").json()
	item := api["items"].([]any)[0].(map[string]any)
	page := e.get("/capabilities/"+slug).want(200, "text/html").Body.String()
	hhi := int(item["hhi"].(float64))
	if !strings.Contains(page, "Supplier concentration") || !strings.Contains(page, "index of "+thousands(hhi)+" out of 10,000") {
		t.Errorf("the capability page does not give its HHI, %d", hhi)
	}
}

// The capability page's coverage figure says whom it counts: the councils that
// deliver services, as /api/v1/stats/coverage does.
func TestCapabilityPageSaysWhomCoverageCounts(t *testing.T) {
	e := newEnv(t)
	const slug = "online-card-payments"
	var cov map[string]any
	for _, it := range e.allItems("/api/v1/stats/coverage?limit=100") {
		if it["capability"].(map[string]any)["slug"] == slug {
			cov = it
		}
	}
	if cov == nil {
		t.Fatalf("no coverage of %s", slug)
	}
	page := e.get("/capabilities/"+slug).want(200, "text/html").Body.String()
	want := fmt.Sprintf("%s of %s councils that deliver services (", thousands(int(cov["live_councils"].(float64))), thousands(int(cov["councils"].(float64))))
	if !strings.Contains(page, want) {
		t.Errorf("the capability page does not say %q", want)
	}
}
