package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
)

const (
	hackney = "E09000012"
	camden  = "E09000007"
)

// marketWorld is a hand-built market on the real councils (the reference data holds no
// adoptions), where every answer is obvious. Today is 2026-11-29.
//
//   - Booking: Lambeth runs book-b on a contract ending 2027-09-30 (ten months away). Its London
//     neighbours Southwark, Lewisham, Wandsworth and Croydon all run book-a live; Croydon runs
//     book-c too. Southwark's and Lewisham's contracts end the same quarter as Lambeth's
//     (2027-08-15, 2027-10-20); Wandsworth's not for years (2029-06-30).
//   - Tax: one vendor, mono, supplies it through three products to three councils.
//   - Retirement: front depends on core, which Bromley and Cardiff run; Bromley runs front too.
func marketWorld(t *testing.T) *env {
	e := newSeededEnv(t, false)
	for _, v := range []struct{ slug, kind string }{{"acme", "commercial"}, {"beta", "commercial"}, {"mono", "commercial"}, {"diy", "in-house"}} {
		e.do("POST", "/api/v1/vendors", map[string]any{"slug": v.slug, "name": strings.ToUpper(v.slug), "website": "https://" + v.slug + ".example", "kind": v.kind}, e.admin).wantStatus(201)
	}
	for _, c := range []string{"test-booking", "test-tax", "test-records"} {
		e.do("POST", "/api/v1/capabilities", map[string]any{"slug": c, "name": strings.ToUpper(c), "category": "payments", "description": "Test capability."}, e.admin).wantStatus(201)
	}
	comp := func(slug, vendor, capability string, deps ...string) {
		body := map[string]any{"slug": slug, "name": strings.ToUpper(slug), "summary": "Test component.",
			"vendor": vendor, "capabilities": []string{capability}, "lifecycle": "live"}
		if deps != nil {
			body["depends_on"] = deps
		}
		e.do("POST", "/api/v1/components", body, e.admin).wantStatus(201)
	}
	comp("book-a", "acme", "test-booking")
	comp("book-b", "beta", "test-booking")
	comp("book-c", "acme", "test-booking")
	comp("tax-1", "mono", "test-tax")
	comp("tax-2", "mono", "test-tax")
	comp("tax-3", "mono", "test-tax")
	comp("tax-own", "diy", "test-tax")
	comp("core", "acme", "test-records")
	comp("front", "beta", "test-records", "core")
	comp("other-records", "beta", "test-records")
	adopt := func(council, component, capability, end string) {
		body := map[string]any{"council": council, "component": component, "capability": capability, "status": "live"}
		if end != "" {
			body["contract_end_on"] = end
		}
		e.do("POST", "/api/v1/adoptions", body, e.admin).wantStatus(201)
	}
	adopt(lambeth, "book-b", "test-booking", "2027-09-30")
	adopt(southwark, "book-a", "test-booking", "2027-08-15")
	adopt(lewisham, "book-a", "test-booking", "2027-10-20")
	adopt(wandsworth, "book-a", "test-booking", "2029-06-30")
	adopt(croydon, "book-a", "test-booking", "")
	adopt(croydon, "book-c", "test-booking", "")
	adopt(southwark, "tax-1", "test-tax", "")
	adopt(lewisham, "tax-2", "test-tax", "2027-03-31")
	adopt(croydon, "tax-3", "test-tax", "2031-01-01")
	adopt(hackney, "tax-own", "test-tax", "")
	adopt(bromley, "core", "test-records", "2027-05-31")
	adopt(bromley, "front", "test-records", "")
	adopt(cardiff, "core", "test-records", "")
	adopt(camden, "other-records", "test-records", "")
	adopt(camden, "front", "test-records", "")
	return e
}

func slugOf(v any) string { return v.(map[string]any)["slug"].(string) }
func codeOf(v any) string { return v.(map[string]any)["code"].(string) }

func TestRenewalCalendarThroughHTTP(t *testing.T) {
	e := marketWorld(t)
	body := e.do("GET", "/api/v1/councils/"+lambeth+"/renewals", nil, "").wantStatus(http.StatusOK).json()
	got := itemsOf(body)
	if len(got) != 1 {
		t.Fatalf("Lambeth's renewals: %v", got)
	}
	r := got[0]
	if slugOf(r["component"]) != "book-b" || r["contract_end_on"] != "2027-09-30" || slugOf(r["vendor"]) != "beta" {
		t.Errorf("renewal %v", r)
	}
	alts := r["alternatives"].([]any)
	if len(alts) == 0 || slugOf(alts[0].(map[string]any)["component"]) != "book-a" {
		t.Fatalf("the component Lambeth's peers run is not the first alternative: %v", alts)
	}
	// book-a's peers are the neighbours running it among Lambeth's ten closest peers.
	top := map[string]bool{}
	for _, p := range itemsOf(e.do("GET", "/api/v1/councils/"+lambeth+"/peers?limit=10", nil, "").wantStatus(200).json()) {
		top[codeOf(p["council"])] = true
	}
	var want []any
	for _, c := range []string{southwark, lewisham, wandsworth, croydon} {
		if top[c] {
			want = append(want, c)
		}
	}
	if peers := alts[0].(map[string]any)["peers"].([]any); len(peers) < 3 || len(peers) != len(want) {
		t.Errorf("book-a's peers %v: want %v", peers, want)
	}
	if len(alts) != 2 || slugOf(alts[1].(map[string]any)["component"]) != "book-c" {
		t.Errorf("alternatives %v: want book-a, then book-c (Croydon alone)", alts)
	}
	var group []string
	for _, g := range r["group"].([]any) {
		group = append(group, codeOf(g.(map[string]any)["council"]))
	}
	if !slices.Equal(group, []string{lewisham, southwark}) || r["group_size"].(float64) != 2 {
		t.Errorf("group %v (size %v): want Lewisham then Southwark, ending the same quarter", group, r["group_size"])
	}

	// A shorter window leaves the contract out; a wider one brings Wandsworth's in nationally.
	if n := len(itemsOf(e.do("GET", "/api/v1/councils/"+lambeth+"/renewals?window_months=6", nil, "").wantStatus(200).json())); n != 0 {
		t.Errorf("six months: %d renewals", n)
	}
	national := e.do("GET", "/api/v1/market/renewals?window_months=60&limit=3", nil, "").wantStatus(200).json()
	if national["total"].(float64) != 7 || len(itemsOf(national)) != 3 || national["next"] == nil {
		t.Errorf("national: total %v, %d items, next %v", national["total"], len(itemsOf(national)), national["next"])
	}
	if first := itemsOf(national)[0]; codeOf(first["council"]) != lewisham || first["contract_end_on"] != "2027-03-31" {
		t.Errorf("national renewals start with %v", first)
	}

	csv := e.do("GET", "/api/v1/councils/"+lambeth+"/renewals?format=csv", nil, "").wantStatus(200)
	if lines := strings.Split(strings.TrimSpace(csv.Body.String()), "\n"); len(lines) != 2 || !strings.Contains(lines[0], "contract_end_on") || !strings.Contains(lines[1], "book-a") {
		t.Errorf("CSV:\n%s", csv.Body)
	}

	for _, bad := range []string{"window_months=0", "window_months=61", "window_months=x"} {
		e.do("GET", "/api/v1/councils/"+lambeth+"/renewals?"+bad, nil, "").wantProblem(400, "window_months")
		e.do("GET", "/api/v1/market/renewals?"+bad, nil, "").wantProblem(400, "window_months")
		e.do("GET", "/api/v1/councils/"+lambeth+"/renewals.ics?"+bad, nil, "").wantProblem(400, "window_months")
	}
	e.do("GET", "/api/v1/councils/E09999999/renewals", nil, "").wantStatus(404)
}

func TestRenewalCalendarICS(t *testing.T) {
	e := marketWorld(t)
	res := e.do("GET", "/api/v1/councils/"+lambeth+"/renewals.ics", nil, "").wantStatus(http.StatusOK)
	if ct := res.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("Content-Type %q", ct)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(res.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events:\n%s", len(events), res.Body)
	}
	ev := events[0]
	day, err := ev.GetAllDayStartAt()
	if err != nil || day.Format("2006-01-02") != "2027-09-30" {
		t.Errorf("starts %v (%v)", day, err)
	}
	desc := ev.GetProperty(ics.ComponentPropertyDescription).Value
	for _, want := range []string{"Alternatives: BOOK-A (3 of its closest peers); BOOK-C (1 of its closest peers).", "Procurement group: 2 other councils", "Lewisham", "Southwark"} {
		if !strings.Contains(desc, want) {
			t.Errorf("description %q lacks %q", desc, want)
		}
	}
	if s := ev.GetProperty(ics.ComponentPropertySummary).Value; !strings.Contains(s, "BOOK-B") {
		t.Errorf("summary %q", s)
	}

	res = e.do("GET", "/api/v1/market/renewals.ics?window_months=60", nil, "").wantStatus(http.StatusOK)
	cal, err = ics.ParseCalendar(strings.NewReader(res.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cal.Events()); n != 7 {
		t.Errorf("national feed: %d events, want 7", n)
	}
	e.do("GET", "/api/v1/market/renewals.ics?limit=1001", nil, "").wantProblem(400, "limit")
}

func TestConcentrationThroughHTTP(t *testing.T) {
	e := marketWorld(t)
	body := e.do("GET", "/api/v1/market/concentration?capability=test-tax", nil, "").wantStatus(http.StatusOK).json()
	got := itemsOf(body)
	if len(got) != 1 {
		t.Fatalf("items %v", got)
	}
	tax := got[0]
	if tax["hhi"].(float64) != 10000 || tax["councils"].(float64) != 4 || tax["in_house_councils"].(float64) != 1 {
		t.Errorf("one vendor through three products: %v", tax)
	}
	vendors := tax["vendors"].([]any)
	if len(vendors) != 1 || slugOf(vendors[0].(map[string]any)["vendor"]) != "mono" || vendors[0].(map[string]any)["councils"].(float64) != 3 {
		t.Errorf("vendors %v", vendors)
	}
	if tax["largest_share"].(float64) != 0.75 || tax["in_house_share"].(float64) != 0.25 {
		t.Errorf("largest share %v, in-house share %v", tax["largest_share"], tax["in_house_share"])
	}
	// Single-sourced within 18 months: Lewisham (2027-03-31), not Croydon (2031) nor Southwark (no contract).
	single := tax["single_sourced"].([]any)
	if len(single) != 1 || codeOf(single[0].(map[string]any)["council"]) != lewisham || tax["single_sourced_count"].(float64) != 1 {
		t.Errorf("single sourced %v", single)
	}

	// Booking in London: acme runs at four councils (book-a and book-c count once for Croydon), beta one.
	body = e.do("GET", "/api/v1/market/concentration?capability=test-booking&region=London", nil, "").wantStatus(200).json()
	booking := itemsOf(body)[0]
	if booking["councils"].(float64) != 5 || booking["hhi"].(float64) != 6800 || booking["largest_share"].(float64) != 0.8 {
		t.Errorf("booking %v: want 5 councils, HHI (16+1)/25 = 6800, largest 0.8", booking)
	}
	if n := itemsOf(e.do("GET", "/api/v1/market/concentration?capability=test-booking&region=Wales", nil, "").wantStatus(200).json())[0]["councils"]; n.(float64) != 0 {
		t.Errorf("booking in Wales: %v councils", n)
	}

	all := e.do("GET", "/api/v1/market/concentration?limit=100", nil, "").wantStatus(200).json()
	if first := itemsOf(all)[0]; first["hhi"].(float64) != 10000 {
		t.Errorf("most concentrated first: %v", first)
	}
	csv := e.do("GET", "/api/v1/market/concentration?capability=test-tax", nil, "", "Accept", "text/csv").wantStatus(200)
	if !strings.Contains(csv.Body.String(), "hhi") || !strings.Contains(csv.Body.String(), "10000") {
		t.Errorf("CSV:\n%s", csv.Body)
	}

	e.do("GET", "/api/v1/market/concentration?region=Atlantis", nil, "").wantProblem(400, "region")
	e.do("GET", "/api/v1/market/concentration?capability=no-such-thing", nil, "").wantProblem(400, "capability")
	e.do("GET", "/api/v1/market/concentration?capability=Not%20A%20Slug", nil, "").wantProblem(400, "capability")
	e.do("GET", "/api/v1/market/concentration?horizon_months=121", nil, "").wantProblem(400, "horizon_months")
}

func TestRetirementImpactThroughHTTP(t *testing.T) {
	e := marketWorld(t)
	body := e.do("GET", "/api/v1/components/core/impact", nil, "").wantStatus(http.StatusOK).json()
	deps := body["dependents"].([]any)
	if len(deps) != 1 || slugOf(deps[0].(map[string]any)["component"]) != "front" {
		t.Fatalf("dependents %v", deps)
	}
	if path := deps[0].(map[string]any)["path"].([]any); len(path) != 2 || path[0] != "front" || path[1] != "core" {
		t.Errorf("path %v", path)
	}
	if n := len(body["cycles"].([]any)); n != 0 {
		t.Errorf("cycles %v", body["cycles"])
	}
	// Bromley (core, front), Cardiff (core) and Camden (front) run them: four live adoptions.
	if body["by_status"].(map[string]any)["live"].(float64) != 4 || len(body["adoptions"].([]any)) != 4 {
		t.Errorf("adoptions %v by status %v", body["adoptions"], body["by_status"])
	}
	// Bromley and Cardiff are left with nothing live for records; Camden keeps other-records.
	var uncovered []string
	for _, u := range body["uncovered"].([]any) {
		m := u.(map[string]any)
		uncovered = append(uncovered, codeOf(m["council"])+" "+slugOf(m["capability"]))
	}
	if !slices.Equal(uncovered, []string{cardiff + " test-records", bromley + " test-records"}) &&
		!slices.Equal(uncovered, []string{bromley + " test-records", cardiff + " test-records"}) {
		t.Errorf("uncovered %v", uncovered)
	}
	if body["uncovered_count"].(float64) != 2 {
		t.Errorf("uncovered_count %v", body["uncovered_count"])
	}
	e.do("GET", "/api/v1/components/no-such-component/impact", nil, "").wantStatus(404)

	// Retiring front touches front alone.
	body = e.do("GET", "/api/v1/components/front/impact", nil, "").wantStatus(http.StatusOK).json()
	if len(body["dependents"].([]any)) != 0 || len(body["uncovered"].([]any)) != 0 {
		t.Errorf("front: %v", body)
	}
}
