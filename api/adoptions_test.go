package api_test

import (
	"context"
	"fmt"
	"github.com/council-components/registry/models"
	"net/http"
	"strings"
	"testing"
)

const (
	lambeth   = "E09000022"
	southwark = "E09000028"
	cardiff   = "W06000015"
	glasgow   = "S12000049"
	gds       = "government-digital-service"
)

// key creates an API key for role and org.
func (e *env) key(role, org string) string {
	e.t.Helper()
	k, _, err := e.st.CreateKey(context.Background(), models.Actor{Key: "test", Role: models.RoleAdmin}, role, org, role+" "+org, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return k
}

func idOf(t *testing.T, body map[string]any) int {
	t.Helper()
	return int(body["id"].(float64))
}

func (e *env) history(id int) []map[string]any {
	e.t.Helper()
	body := e.do("GET", fmt.Sprintf("/api/v1/adoptions/%d/history", id), nil, "").wantStatus(http.StatusOK).json()
	var out []map[string]any
	for _, it := range body["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func TestCouncilRecordsItsOwnAdoptions(t *testing.T) {
	e := newSeededEnv(t, false)
	lam, swk := e.key("council", lambeth), e.key("council", southwark)

	r := e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments",
		"status": "piloting", "started_on": "2025-01-15", "contract_end_on": "2027-03-31", "notes": "pilot for parking"}, lam).wantStatus(http.StatusCreated)
	a := r.json()
	id := idOf(t, a)
	if r.Header().Get("Location") != fmt.Sprintf("/api/v1/adoptions/%d", id) {
		t.Errorf("Location %q", r.Header().Get("Location"))
	}
	for k, want := range map[string]any{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments", "status": "piloting",
		"started_on": "2025-01-15", "ended_on": nil, "contract_end_on": "2027-03-31", "source": "council", "verified": true, "verification": "verified", "evidence_url": nil} {
		if a[k] != want {
			t.Errorf("%s = %v, want %v", k, a[k], want)
		}
	}
	if n := e.count(`SELECT count(*) FROM adoptions a JOIN councils c ON c.id = a.council_id JOIN components p ON p.id = a.component_id
		WHERE c.code = ? AND p.slug = 'govuk-pay' AND a.status = 'piloting' AND a.source = 'council' AND a.verified`, lambeth); n != 1 {
		t.Fatalf("adoption rows = %d", n)
	}

	// One current adoption per council and component.
	e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments", "status": "live"}, lam).wantProblem(http.StatusConflict)

	// Status moves forward; dates must make sense; every refusal leaves the row alone.
	path := fmt.Sprintf("/api/v1/adoptions/%d", id)
	e.do("PATCH", path, map[string]any{"status": "live"}, lam).wantStatus(http.StatusOK)
	for _, tc := range []struct {
		name   string
		body   map[string]any
		key    string
		status int
		fields []string
	}{
		{"backwards", map[string]any{"status": "exploring"}, lam, 400, []string{"status"}},
		{"ended before started", map[string]any{"status": "retired", "ended_on": "2024-12-31"}, lam, 400, []string{"ended_on"}},
		{"ended while live", map[string]any{"ended_on": "2026-01-01"}, lam, 400, []string{"ended_on"}},
		{"not a date", map[string]any{"started_on": "15/01/2025"}, lam, 400, []string{"started_on"}},
		{"capability not provided", map[string]any{"capability": "email-notifications"}, lam, 422, []string{"capability"}},
		{"council cannot change", map[string]any{"council": southwark}, lam, 400, []string{"council"}},
		{"verified is not the council's to set", map[string]any{"verified": false}, lam, 400, []string{"verified"}},
		{"source is not the council's to set", map[string]any{"source": "evidence"}, lam, 400, []string{"source"}},
		{"id is never sent", map[string]any{"id": 99}, lam, 400, []string{"id"}},
		{"another council", map[string]any{"notes": "hijack"}, swk, 403, nil},
		{"no key", map[string]any{"notes": "anon"}, "", 401, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			before := e.snapshot()
			e.do("PATCH", path, tc.body, tc.key).wantProblem(tc.status, tc.fields...)
			if e.snapshot() != before {
				t.Fatal("refused PATCH changed the database")
			}
		})
	}

	// Retiring without an end date records today; the pair is then free for a new record.
	got := e.do("PATCH", path, map[string]any{"status": "retired"}, lam).wantStatus(http.StatusOK).json()
	if got["ended_on"] != "2026-11-29" {
		t.Errorf("ended_on %v, want today", got["ended_on"])
	}
	e.do("PATCH", path, map[string]any{"status": "exploring"}, lam).wantProblem(http.StatusBadRequest, "status")
	e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments", "status": "exploring"}, lam).wantStatus(http.StatusCreated)

	hist := e.history(id)
	if len(hist) != 3 {
		t.Fatalf("%d history events, want created + 2 updates: %v", len(hist), hist)
	}
	if hist[0]["action"] != "created" || hist[1]["action"] != "updated" {
		t.Errorf("actions %v %v", hist[0]["action"], hist[1]["action"])
	}
	change := hist[2]["changes"].(map[string]any)["status"].(map[string]any)
	actor := hist[2]["actor"].(map[string]any)
	if change["from"] != "live" || change["to"] != "retired" || actor["role"] != "council" || actor["org"] != lambeth || actor["key"] != nil {
		t.Errorf("retire event %v", hist[2])
	}

	// Bad references.
	for _, tc := range []struct {
		body   map[string]any
		status int
		field  string
	}{
		{map[string]any{"council": "X00000000", "component": "govuk-pay", "capability": "online-card-payments", "status": "live"}, 422, "council"},
		{map[string]any{"council": lambeth, "component": "no-such-thing", "status": "live"}, 422, "component"},
		{map[string]any{"council": lambeth, "component": "govuk-notify", "capability": "online-card-payments", "status": "live"}, 422, "capability"},
		{map[string]any{"council": lambeth, "component": "govuk-notify", "status": "live"}, 400, "capability"}, // Notify provides three
		{map[string]any{"council": lambeth, "component": "govuk-notify", "status": "done"}, 400, "status"},
		{map[string]any{"council": southwark, "component": "fixmystreet", "capability": "street-fault-reporting", "status": "live"}, 403, ""},
	} {
		before := e.snapshot()
		var fields []string
		if tc.field != "" {
			fields = []string{tc.field}
		}
		e.do("POST", "/api/v1/adoptions", tc.body, lam).wantProblem(tc.status, fields...)
		if e.snapshot() != before {
			t.Fatalf("refused POST %v changed the database", tc.body)
		}
	}
}

func TestVendorClaimVerifyAndReject(t *testing.T) {
	e := newSeededEnv(t, false)
	vendor, other := e.key("vendor", gds), e.key("vendor", "mysociety")
	lam, swk := e.key("council", lambeth), e.key("council", southwark)

	// A vendor claims only its own components, and its claim starts unverified.
	e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-notify", "capability": "email-notifications", "status": "live"}, other).wantProblem(http.StatusForbidden)
	e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-notify", "capability": "email-notifications", "status": "live", "verified": true}, vendor).wantProblem(http.StatusBadRequest, "verified")
	claim := e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-notify", "capability": "email-notifications", "status": "live",
		"evidence_url": "https://www.lambeth.gov.uk/notify"}, vendor).wantStatus(http.StatusCreated).json()
	id := idOf(t, claim)
	if claim["verified"] != false || claim["source"] != "vendor" || claim["verification"] != "pending" {
		t.Fatalf("claim %v", claim)
	}
	notify := e.do("GET", "/api/v1/components/govuk-notify", nil, "").json()
	countBefore := notify["adoption_count"].(float64)
	if notify["claimed_count"] != float64(1) {
		t.Errorf("a pending claim: claimed_count %v, want 1", notify["claimed_count"])
	}

	// Only that council or an admin verifies; the vendor may still edit its pending claim.
	verify := fmt.Sprintf("/api/v1/adoptions/%d/verify", id)
	for _, k := range []string{swk, vendor, other} {
		before := e.snapshot()
		e.do("POST", verify, nil, k).wantProblem(http.StatusForbidden)
		if e.snapshot() != before {
			t.Fatal("refused verification changed the database")
		}
	}
	e.do("POST", verify, nil, "").wantProblem(http.StatusUnauthorized)
	e.do("PATCH", fmt.Sprintf("/api/v1/adoptions/%d", id), map[string]any{"started_on": "2024-06-01"}, vendor).wantStatus(http.StatusOK)
	v := e.do("POST", verify, nil, lam).wantStatus(http.StatusOK).json()
	if v["verified"] != true || v["verification"] != "verified" {
		t.Fatalf("after verify %v", v)
	}
	if n := e.count("SELECT count(*) FROM adoptions WHERE id = ? AND verified AND rejected_at IS NULL", id); n != 1 {
		t.Fatal("verification not stored")
	}
	// Once verified, the claim is the council's: the vendor can no longer edit it.
	e.do("PATCH", fmt.Sprintf("/api/v1/adoptions/%d", id), map[string]any{"notes": "vendor edit"}, vendor).wantProblem(http.StatusForbidden)
	hist := e.history(id)
	last := hist[len(hist)-1]
	if last["action"] != "verified" || last["actor"].(map[string]any)["org"] != lambeth {
		t.Errorf("last event %v", last)
	}

	// A second claim, rejected by the council: kept on record, no longer counted.
	wrong := e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-forms", "status": "live"}, vendor).wantStatus(http.StatusCreated).json()
	wid := idOf(t, wrong)
	reject := fmt.Sprintf("/api/v1/adoptions/%d/reject", wid)
	e.do("POST", reject, map[string]any{"reason": "x"}, swk).wantProblem(http.StatusForbidden)
	rj := e.do("POST", reject, map[string]any{"reason": "We do not use GOV.UK Forms"}, lam).wantStatus(http.StatusOK).json()
	if rj["verification"] != "rejected" || rj["rejection_reason"] != "We do not use GOV.UK Forms" || rj["verified"] != false {
		t.Fatalf("after reject %v", rj)
	}
	if n := e.count("SELECT count(*) FROM adoptions WHERE id = ? AND rejected_at IS NOT NULL AND rejection_reason = 'We do not use GOV.UK Forms'", wid); n != 1 {
		t.Fatal("rejection not stored")
	}
	e.do("POST", fmt.Sprintf("/api/v1/adoptions/%d/verify", wid), nil, lam).wantProblem(http.StatusConflict)
	e.do("POST", reject, nil, lam).wantProblem(http.StatusConflict)
	if got := e.do("GET", "/api/v1/components/govuk-forms", nil, "").json()["adoption_count"]; got != float64(0) {
		t.Errorf("rejected claim still counted: adoption_count %v", got)
	}
	// A pending claim counts nowhere but claimed_count; verified, it is an adoption.
	if got := e.do("GET", "/api/v1/components/govuk-notify", nil, "").json(); got["adoption_count"] != countBefore+1 || got["claimed_count"] != float64(0) {
		t.Errorf("after verification adoption_count %v (pending: %v), claimed_count %v; want one more adoption and no claim",
			got["adoption_count"], countBefore, got["claimed_count"])
	}
	if got := slugsOf(e.do("GET", "/api/v1/councils/"+lambeth+"/adoptions", nil, "").json(), "component"); strings.Contains(got, "govuk-forms") {
		t.Errorf("rejected claim listed by default: %s", got)
	}
	if got := slugsOf(e.do("GET", "/api/v1/adoptions?verification=rejected", nil, "").json(), "component"); got != "[govuk-forms]" {
		t.Errorf("verification=rejected lists %s", got)
	}
	rh := e.history(wid)
	if rh[len(rh)-1]["action"] != "rejected" {
		t.Errorf("rejection history %v", rh)
	}
	// The rejected record stays as history. The vendor cannot file the claim
	// again until the council (or an admin) clears the rejection.
	e.do("GET", fmt.Sprintf("/api/v1/adoptions/%d", wid), nil, "").wantStatus(http.StatusOK)
	refile := map[string]any{"council": lambeth, "component": "govuk-forms", "status": "live"}
	before := e.snapshot()
	e.do("POST", "/api/v1/adoptions", refile, vendor).wantProblem(http.StatusConflict)
	if e.snapshot() != before {
		t.Fatal("a refused refiling changed the database")
	}
	clear := fmt.Sprintf("/api/v1/adoptions/%d/clear-rejection", wid)
	e.do("POST", clear, nil, vendor).wantProblem(http.StatusForbidden)
	e.do("POST", clear, nil, lam).wantStatus(http.StatusOK)
	e.do("POST", clear, nil, lam).wantProblem(http.StatusConflict)
	e.do("POST", "/api/v1/adoptions", refile, vendor).wantStatus(http.StatusCreated)
	if got := e.do("GET", "/api/v1/components/govuk-forms", nil, "").json(); got["adoption_count"] != float64(0) || got["claimed_count"] != float64(1) {
		t.Errorf("the refiled claim: adoption_count %v, claimed_count %v; want 0 and 1", got["adoption_count"], got["claimed_count"])
	}
}

func slugsOf(list map[string]any, field string) string {
	var out []string
	for _, it := range list["items"].([]any) {
		out = append(out, it.(map[string]any)[field].(string))
	}
	return "[" + strings.Join(out, " ") + "]"
}

func TestAdoptionViewsAndFilters(t *testing.T) {
	e := newSeededEnv(t, false)
	admin := e.admin
	for _, a := range []map[string]any{
		{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments", "status": "live"},
		{"council": southwark, "component": "govuk-pay", "capability": "online-card-payments", "status": "piloting"},
		{"council": cardiff, "component": "govuk-pay", "capability": "online-card-payments", "status": "live", "verified": false, "source": "admin"},
		{"council": southwark, "component": "fixmystreet", "capability": "street-fault-reporting", "status": "live"},
	} {
		e.do("POST", "/api/v1/adoptions", a, admin).wantStatus(http.StatusCreated)
	}
	for _, tc := range []struct{ path, want string }{
		{"/api/v1/components/govuk-pay/adoptions", "[" + lambeth + " " + southwark + " " + cardiff + "]"},
		{"/api/v1/components/govuk-pay/adoptions?status=live", "[" + lambeth + " " + cardiff + "]"},
		{"/api/v1/components/govuk-pay/adoptions?verified=false", "[" + cardiff + "]"},
		{"/api/v1/adoptions?capability=street-fault-reporting", "[" + southwark + "]"},
		{"/api/v1/adoptions?council=" + southwark + "&status=piloting", "[" + southwark + "]"},
	} {
		if got := slugsOf(e.do("GET", tc.path, nil, "").wantStatus(http.StatusOK).json(), "council"); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.path, got, tc.want)
		}
	}
	if got := slugsOf(e.do("GET", "/api/v1/councils/"+southwark+"/adoptions?status=live", nil, "").json(), "component"); got != "[fixmystreet]" {
		t.Errorf("council view: %s", got)
	}
	e.do("GET", "/api/v1/councils/X00000000/adoptions", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/components/nothing/adoptions", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/adoptions/0", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/adoptions/abc", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/adoptions/99999", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/adoptions?status=done&verified=maybe", nil, "").wantProblem(http.StatusBadRequest, "status", "verified")
}

func TestNeeds(t *testing.T) {
	e := newSeededEnv(t, false)
	lam, swk, vendor := e.key("council", lambeth), e.key("council", southwark), e.key("vendor", gds)
	need := map[string]any{"council": lambeth, "capability": "appointment-booking", "needed_by": "2027-04-01", "notes": "registrars"}
	e.do("POST", "/api/v1/needs", need, swk).wantProblem(http.StatusForbidden)
	e.do("POST", "/api/v1/needs", need, vendor).wantProblem(http.StatusForbidden)
	e.do("POST", "/api/v1/needs", map[string]any{"council": lambeth, "capability": "appointment-booking", "needed_by": "April"}, lam).wantProblem(http.StatusBadRequest, "needed_by")
	e.do("POST", "/api/v1/needs", map[string]any{"council": lambeth, "capability": "mind-reading", "needed_by": "2027-04-01"}, lam).wantProblem(http.StatusUnprocessableEntity, "capability")
	n := e.do("POST", "/api/v1/needs", need, lam).wantStatus(http.StatusCreated).json()
	if n["status"] != "open" || n["council"] != lambeth || n["needed_by"] != "2027-04-01" {
		t.Fatalf("need %v", n)
	}
	e.do("POST", "/api/v1/needs", map[string]any{"council": southwark, "capability": "appointment-booking", "needed_by": "2028-01-01"}, swk).wantStatus(http.StatusCreated)
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"capability=appointment-booking&status=open", 2},
		{"capability=appointment-booking&needed_from=2027-01-01&needed_to=2027-06-30", 1},
		{"council=" + southwark, 1},
		{"status=met", 0},
	} {
		if got := e.do("GET", "/api/v1/needs?"+tc.query, nil, "").wantStatus(http.StatusOK).json()["total"]; got != float64(tc.want) {
			t.Errorf("%s: total %v, want %d", tc.query, got, tc.want)
		}
	}
	path := fmt.Sprintf("/api/v1/needs/%d", idOf(t, n))
	e.do("PATCH", path, map[string]any{"status": "met"}, swk).wantProblem(http.StatusForbidden)
	e.do("PATCH", path, map[string]any{"status": "done"}, lam).wantProblem(http.StatusBadRequest, "status")
	e.do("PATCH", path, map[string]any{"status": "met"}, lam).wantStatus(http.StatusOK)
	if c := e.count("SELECT count(*) FROM needs WHERE id = ? AND status = 'met'", idOf(t, n)); c != 1 {
		t.Fatal("need status not stored")
	}
}

func TestCoverageMatchesAnIndependentCount(t *testing.T) {
	e := newSeededEnv(t, false)
	type rec struct{ council, component, capability, status string }
	created := []rec{
		{lambeth, "govuk-pay", "online-card-payments", "live"},
		{southwark, "govuk-pay", "online-card-payments", "live"},
		{cardiff, "govuk-pay", "online-card-payments", "live"},
		{glasgow, "govuk-pay", "online-card-payments", "piloting"}, // not live: not counted
		{"E10000011", "govuk-pay", "online-card-payments", "live"}, // East Sussex, a county
		{"E47000001", "govuk-pay", "online-card-payments", "live"}, // Greater Manchester CA: does not deliver services
		{lambeth, "govuk-notify", "email-notifications", "live"},
		{cardiff, "govuk-notify", "sms-notifications", "live"},
	}
	for _, r := range created {
		e.do("POST", "/api/v1/adoptions", map[string]any{"council": r.council, "component": r.component, "capability": r.capability, "status": r.status}, e.admin).wantStatus(http.StatusCreated)
	}
	// Independent count: live adoptions per capability and nation, over councils that deliver services.
	councilNation := map[string]string{}
	councilCounted := map[string]bool{}
	denominator := map[string]int{}
	total := 0
	db, _ := e.st.SQLDB()
	rows, err := db.Query("SELECT code, nation, status = 'current' AND delivers_services FROM councils")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code, nation string
		var counted bool
		rows.Scan(&code, &nation, &counted)
		councilNation[code], councilCounted[code] = nation, counted
		if counted {
			denominator[nation]++
			total++
		}
	}
	rows.Close()
	want := map[string]map[string]int{}
	for _, r := range created {
		if r.status == "live" && councilCounted[r.council] {
			if want[r.capability] == nil {
				want[r.capability] = map[string]int{}
			}
			want[r.capability][councilNation[r.council]]++
		}
	}

	body := e.do("GET", "/api/v1/stats/coverage?by=nation", nil, "").wantStatus(http.StatusOK).json()
	items := body["items"].([]any)
	if len(items) != 90 {
		t.Errorf("%d capabilities in coverage, want all 90 (uncovered ones too)", len(items))
	}
	for _, it := range items {
		item := it.(map[string]any)
		capability := item["capability"].(map[string]any)["slug"].(string)
		if capability != "online-card-payments" && capability != "email-notifications" && capability != "sms-notifications" && capability != "appointment-booking" {
			continue
		}
		wantTotal := 0
		for _, g := range item["breakdown"].([]any) {
			grp := g.(map[string]any)
			nation := grp["group"].(string)
			if int(grp["live_councils"].(float64)) != want[capability][nation] || int(grp["councils"].(float64)) != denominator[nation] {
				t.Errorf("%s in %s: %v, want %d of %d", capability, nation, grp, want[capability][nation], denominator[nation])
			}
			wantTotal += want[capability][nation]
		}
		if int(item["live_councils"].(float64)) != wantTotal || int(item["councils"].(float64)) != total {
			t.Errorf("%s: %v live of %v, want %d of %d", capability, item["live_councils"], item["councils"], wantTotal, total)
		}
		wantShare := float64(int(float64(wantTotal)/float64(total)*10000+0.5)) / 10000
		if item["share"].(float64) != wantShare {
			t.Errorf("%s share %v, want %v", capability, item["share"], wantShare)
		}
	}
	if want["online-card-payments"]["England"] != 3 || want["online-card-payments"]["Wales"] != 1 {
		t.Fatalf("independent count is off: %v", want) // guards the test's own arithmetic
	}

	csv := e.do("GET", "/api/v1/stats/coverage?by=nation&capability=online-card-payments", nil, "", "Accept", "text/csv").wantStatus(http.StatusOK)
	if ct := csv.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := strings.Split(strings.TrimSpace(csv.Body.String()), "\n")
	if lines[0] != "capability,capability_name,category,group,live_councils,councils,share" ||
		!strings.HasPrefix(lines[1], fmt.Sprintf("online-card-payments,Online card payments,payments,all,4,%d,", total)) || len(lines) != 6 {
		t.Errorf("CSV:\n%s", csv.Body.String())
	}
	e.do("GET", "/api/v1/stats/coverage?by=colour", nil, "").wantProblem(http.StatusBadRequest, "by")
	e.do("GET", "/api/v1/stats/coverage?capability=nothing", nil, "").wantProblem(http.StatusNotFound)
}

func TestAdoptionsOverTime(t *testing.T) {
	e := newSeededEnv(t, false)
	for _, a := range []map[string]any{
		{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments", "status": "live", "started_on": "2026-01-10"},
		{"council": southwark, "component": "govuk-pay", "capability": "online-card-payments", "status": "live", "started_on": "2026-03-31"},
		{"council": cardiff, "component": "govuk-pay", "capability": "online-card-payments", "status": "retired", "started_on": "2026-02-01", "ended_on": "2026-04-15"},
		{"council": glasgow, "component": "govuk-pay", "capability": "online-card-payments", "status": "piloting", "started_on": "2025-01-01"}, // never live
	} {
		e.do("POST", "/api/v1/adoptions", a, e.admin).wantStatus(http.StatusCreated)
	}
	body := e.do("GET", "/api/v1/stats/adoptions?component=govuk-pay", nil, "").wantStatus(http.StatusOK).json()
	got := map[string]int{}
	for _, m := range body["items"].([]any) {
		got[m.(map[string]any)["month"].(string)] = int(m.(map[string]any)["live"].(float64))
	}
	for month, want := range map[string]int{"2026-01": 1, "2026-02": 2, "2026-03": 3, "2026-04": 3, "2026-05": 2, "2026-11": 2} {
		if got[month] != want {
			t.Errorf("%s: %d live, want %d", month, got[month], want)
		}
	}
	if _, ok := got["2025-12"]; ok {
		t.Error("series starts before the first adoption")
	}
	csv := e.do("GET", "/api/v1/stats/adoptions?capability=online-card-payments", nil, "", "Accept", "text/csv").wantStatus(http.StatusOK).Body.String()
	if !strings.HasPrefix(csv, "month,live\n2026-01,1\n2026-02,2\n") {
		t.Errorf("CSV %q", csv)
	}
	e.do("GET", "/api/v1/stats/adoptions", nil, "").wantProblem(http.StatusBadRequest, "component", "capability")
	e.do("GET", "/api/v1/stats/adoptions?component=govuk-pay&capability=online-card-payments", nil, "").wantProblem(http.StatusBadRequest, "component", "capability")
	e.do("GET", "/api/v1/stats/adoptions?component=nope", nil, "").wantProblem(http.StatusNotFound)
}
