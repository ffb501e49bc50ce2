package web_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/council-components/registry/api/apitest"
)

// jsonNumber is a JSON number (an id) as it appears in a path.
func jsonNumber(v any) string { return fmt.Sprint(int64(v.(float64))) }

// adopterRow is the row of council code's adoption in a component page's adopter tables.
func adopterRow(t *testing.T, page, code string) string {
	t.Helper()
	start := strings.Index(page, `<a class="govuk-link" href="/councils/`+code+`">`)
	if start < 0 {
		t.Fatalf("no adopter row for %s", code)
	}
	start = strings.LastIndex(page[:start], "<tr")
	return page[start : start+strings.Index(page[start:], "</tr>")]
}

// Each adopter shows its evidence (source, date, quote), the council's
// public contact where it has published one, and when the council verified it.
func TestComponentPageAdopters(t *testing.T) {
	e := newEnv(t)
	const slug = "localgov-drupal"
	before := e.get("/components/"+slug).want(200, "text/html").Body.String()
	if strings.Contains(before, ">Contact</th>") {
		t.Fatal("a Contact column before any council published a contact")
	}
	newcomer := "" // a council with no adoption of slug
	for _, c := range e.get("/api/v1/councils?limit=100").want(200, "application/json").json()["items"].([]any) {
		if code := c.(map[string]any)["code"].(string); !strings.Contains(before, `href="/councils/`+code+`"`) {
			newcomer = code
			break
		}
	}

	// Adoptions with evidence show each item's source, date and quote.
	var withEvidence []map[string]any
	for _, a := range e.allItems("/api/v1/adoptions?component=" + slug + "&limit=100") {
		if len(a["evidence"].([]any)) > 0 {
			withEvidence = append(withEvidence, a)
		}
	}
	if len(withEvidence) < 2 {
		t.Fatalf("%d adoptions of %s have evidence: a useless case", len(withEvidence), slug)
	}
	for _, a := range withEvidence {
		row := adopterRow(t, before, a["council"].(string))
		for _, it := range a["evidence"].([]any) {
			item := it.(map[string]any)
			for _, want := range []string{`href="` + html.EscapeString(item["url"].(string)) + `"`, withLongDays(item["observed_on"].(string)),
				"“" + html.EscapeString(item["quote"].(string)) + "”"} {
				if !strings.Contains(row, want) {
					t.Errorf("the row of %s lacks %q:\n%s", a["council"], want, row)
				}
			}
		}
	}

	// One council publishes a contact page on its evidenced adoption; an
	// admin records another council's adoption with an email address.
	first, other := withEvidence[0], withEvidence[1]
	code := first["council"].(string)
	response{apitest.Serve(e.served, http.MethodPatch, "/api/v1/adoptions/"+jsonNumber(first["id"]),
		strings.NewReader(`{"public_contact":"https://www.council.example/contact"}`), e.keyFor("council", code)), t}.want(http.StatusOK, "application/json")
	e.post("/api/v1/adoptions", `{"council":"`+newcomer+`","component":"`+slug+`","capability":"website-content-management","status":"live","public_contact":"digital@council.example"}`,
		e.adminKey()).want(http.StatusCreated, "application/json")

	page := e.get("/components/"+slug).want(200, "text/html").Body.String()
	if !strings.Contains(page, ">Contact</th>") {
		t.Fatal("no Contact column once councils published contacts")
	}
	row := adopterRow(t, page, code)
	if want := `href="https://www.council.example/contact" rel="noreferrer">Contact page<span class="govuk-visually-hidden"> of `; !strings.Contains(row, want) {
		t.Errorf("the row of %s lacks %q:\n%s", code, want, row)
	}
	if !strings.Contains(row, html.EscapeString(first["evidence"].([]any)[0].(map[string]any)["quote"].(string))) {
		t.Errorf("the row of %s lost its evidence:\n%s", code, row)
	}
	row = adopterRow(t, page, newcomer)
	for _, want := range []string{`href="mailto:digital@council.example">digital@council.example</a>`,
		`>Verified</strong><br><span class="govuk-body-s">by the council on 29 November 2026</span>`, "None published", "Recorded by the registry’s administrators"} {
		if !strings.Contains(row, want) {
			t.Errorf("the newcomer's row lacks %q:\n%s", want, row)
		}
	}
	// A council that published none has an empty contact cell.
	row = adopterRow(t, page, other["council"].(string))
	if strings.Contains(row, "mailto:") || strings.Contains(row, "Contact page") {
		t.Errorf("a contact shown for a council that published none:\n%s", row)
	}
}

// A vendor's claim the council has not verified is listed among the adopters as
// the vendor's claim, but the page counts it as no council using the component,
// as the component's adoption_count does, and puts no dot on the map for it.
func TestComponentPageCountsNoClaimAsUse(t *testing.T) {
	e := newEnv(t)
	e.post("/api/v1/components", `{"slug":"test-claimed-pay","name":"Test Claimed Pay","summary":"A test product.",
		"vendor":"government-digital-service","capabilities":["online-card-payments"],"lifecycle":"live"}`, e.adminKey()).want(http.StatusCreated, "application/json")
	e.post("/api/v1/adoptions", `{"council":"E09000022","component":"test-claimed-pay","capability":"online-card-payments","status":"live"}`,
		e.keyFor("vendor", "government-digital-service")).want(http.StatusCreated, "application/json")

	page := e.get("/components/test-claimed-pay").want(200, "text/html").Body.String()
	if want := "1 council has recorded an adoption of Test Claimed Pay; 0 are using it (piloting, live or retiring)."; !strings.Contains(page, want) {
		t.Errorf("the page does not say %q", want)
	}
	if want := "No council with a recorded location is using Test Claimed Pay"; !strings.Contains(page, want) {
		t.Errorf("the map does not say %q", want)
	}
	if row := adopterRow(t, page, "E09000022"); !strings.Contains(row, "The vendor’s claim") {
		t.Errorf("Lambeth's row does not say it is the vendor's claim:\n%s", row)
	}
	if c := e.get("/api/v1/components/test-claimed-pay").want(200, "application/json").json(); c["adoption_count"] != float64(0) || c["claimed_count"] != float64(1) {
		t.Errorf("the API counts %v adoptions and %v claims, want 0 and 1", c["adoption_count"], c["claimed_count"])
	}
}
