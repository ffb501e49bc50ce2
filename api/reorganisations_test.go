package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store/storetest/testdb"
)

// Real councils in the register.
const (
	northYorkshire   = "E06000065" // North Yorkshire Council, from 2023-04-01
	nyCounty         = "E10000023" // North Yorkshire County Council, to 2023
	craven           = "E07000163"
	harrogate        = "E07000165"
	ryedale          = "E07000167"
	selby            = "E07000169"
	cumbria          = "E10000006"
	carlisle         = "E07000028"
	cumberland       = "E06000063"
	westmorland      = "E06000064"
	basildon         = "E07000066"
	braintree        = "E07000067"
	brentwood        = "E07000068"
	plannedSuccessor = "E06009999" // not a real council: the successor of a test's planned reorganisation
)

var northYorkshireDistricts = []string{craven, "E07000164", harrogate, "E07000166", ryedale, "E07000168", selby}

func codes(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func itemsOf(body map[string]any) []map[string]any {
	var out []map[string]any
	for _, it := range body["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

// adopt records an adoption as an admin and returns its id.
func (e *env) adopt(council, component, capability, status string, extra ...any) int {
	e.t.Helper()
	body := map[string]any{"council": council, "component": component, "capability": capability, "status": status}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i].(string)] = extra[i+1]
	}
	return idOf(e.t.(*testing.T), e.do("POST", "/api/v1/adoptions", body, e.admin).wantStatus(http.StatusCreated).json())
}

// openAdoptions lists a council's adoptions that are not retired, as component → adoption.
func (e *env) openAdoptions(code string) map[string]map[string]any {
	e.t.Helper()
	out := map[string]map[string]any{}
	for _, a := range itemsOf(e.do("GET", "/api/v1/councils/"+code+"/adoptions?limit=100", nil, "").wantStatus(http.StatusOK).json()) {
		if a["status"] != "retired" {
			if out[a["component"].(string)] != nil {
				e.t.Fatalf("%s has two open adoptions of %s", code, a["component"])
			}
			out[a["component"].(string)] = a
		}
	}
	return out
}

func (e *env) reorganisationOf(council string) map[string]any {
	e.t.Helper()
	list := itemsOf(e.do("GET", "/api/v1/reorganisations?status=historic&council="+council, nil, "").wantStatus(http.StatusOK).json())
	if len(list) != 1 {
		e.t.Fatalf("%d historic reorganisations name %s, want 1: %v", len(list), council, list)
	}
	return list[0]
}

func TestHistoricReorganisationsComeFromTheRegister(t *testing.T) {
	e := newSeededEnv(t, false)
	for q, want := range map[string]float64{"": 397, "?status=current": 397, "?status=former": 73, "?status=all": 470} {
		if got := e.do("GET", "/api/v1/councils"+q, nil, "").wantStatus(http.StatusOK).json()["total"]; got != want {
			t.Errorf("councils%s total %v, want %v", q, got, want)
		}
	}
	all := e.do("GET", "/api/v1/reorganisations?status=historic&limit=100", nil, "").wantStatus(http.StatusOK).json()
	// 2019: Bournemouth-Christchurch-Poole, Dorset, East Suffolk, West Suffolk, Somerset West and Taunton;
	// 2020: Buckinghamshire; 2021: Northamptonshire (one county split in two); 2023: Cumbria, North Yorkshire, Somerset.
	if all["total"] != float64(10) {
		t.Errorf("%v historic reorganisations, want 10", all["total"])
	}

	// North Yorkshire: the county and its seven districts into one unitary council.
	ny := e.reorganisationOf(northYorkshire)
	want := append(slices.Clone(northYorkshireDistricts), nyCounty)
	slices.Sort(want)
	if got := codes(ny["predecessors"]); !slices.Equal(got, want) {
		t.Errorf("North Yorkshire predecessors %v, want %v", got, want)
	}
	if got := codes(ny["successors"]); !slices.Equal(got, []string{northYorkshire}) || ny["vesting_date"] != "2023-04-01" ||
		ny["status"] != "historic" || ny["source"] != "reference" || ny["successor"] != nil {
		t.Errorf("North Yorkshire %v", ny)
	}
	if names := ny["names"].(map[string]any); names[northYorkshire] != "North Yorkshire Council" || names[craven] != "Craven District Council" {
		t.Errorf("names %v", names)
	}

	// Cumbria: the county split between two successors, each also taking three districts: one reorganisation.
	cu := e.reorganisationOf(cumbria)
	if got := codes(cu["successors"]); !slices.Equal(got, []string{cumberland, westmorland}) || len(codes(cu["predecessors"])) != 7 {
		t.Errorf("Cumbria %v", cu)
	}
	if e.reorganisationOf(carlisle)["id"] != cu["id"] || e.reorganisationOf(westmorland)["id"] != cu["id"] {
		t.Error("Carlisle or Westmorland and Furness is not in Cumbria's reorganisation")
	}
	// Somerset West and Taunton: a successor in 2019 and a predecessor in 2023, two reorganisations.
	swt := itemsOf(e.do("GET", "/api/v1/reorganisations?council=E07000246", nil, "").wantStatus(http.StatusOK).json())
	if len(swt) != 2 || swt[0]["vesting_date"] != "2019-04-01" || swt[1]["vesting_date"] != "2023-04-01" {
		t.Errorf("Somerset West and Taunton: %v", swt)
	}

	// Links both ways on the councils themselves.
	cr := e.do("GET", "/api/v1/councils/"+craven, nil, "").wantStatus(http.StatusOK).json()
	if cr["status"] != "former" || cr["end_date"] != "2023-04-01" || !slices.Equal(codes(cr["successors"]), []string{northYorkshire}) {
		t.Errorf("Craven %v %v %v", cr["status"], cr["end_date"], cr["successors"])
	}
	nyc := e.do("GET", "/api/v1/councils/"+northYorkshire, nil, "").wantStatus(http.StatusOK).json()
	if !slices.Equal(codes(nyc["predecessors"]), want) {
		t.Errorf("North Yorkshire Council predecessors %v", nyc["predecessors"])
	}
	cmb := e.do("GET", "/api/v1/councils/"+cumbria, nil, "").wantStatus(http.StatusOK).json()
	if !slices.Equal(codes(cmb["successors"]), []string{cumberland, westmorland}) {
		t.Errorf("Cumbria successors %v", cmb["successors"])
	}

	e.do("GET", "/api/v1/reorganisations?status=merged", nil, "").wantProblem(http.StatusBadRequest, "status")
	e.do("GET", "/api/v1/reorganisations/999999", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/reorganisations/abc/harmonisation", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/reorganisations/999999/harmonisation", nil, "").wantProblem(http.StatusNotFound)
}

// Adoptions recorded on former councils (through the API, about their past) are carried to the
// successors the next time the reference data is seeded; a further seed changes nothing.
func TestHistoricReorganisationsVestOnSeed(t *testing.T) {
	ctx := context.Background()
	e := newSeededEnv(t, false)
	cravenPay := e.adopt(craven, "govuk-pay", "online-card-payments", "live", "started_on", "2019-05-01", "contract_end_on", "2022-03-31", "notes", "Craven's parking fines")
	selbyPay := e.adopt(selby, "govuk-pay", "online-card-payments", "live", "started_on", "2020-02-01", "contract_end_on", "2024-06-30")
	harrogateNotify := e.adopt(harrogate, "govuk-notify", "email-notifications", "live")
	countyNotify := e.adopt(nyCounty, "govuk-notify", "email-notifications", "piloting", "source", "vendor", "verified", false)
	ryedaleSite := e.adopt(ryedale, "localgov-drupal", "website-content-management", "exploring")
	cumbriaPay := e.adopt(cumbria, "govuk-pay", "online-card-payments", "live")
	carlisleNotify := e.adopt(carlisle, "govuk-notify", "email-notifications", "live")

	adoptions := e.count("SELECT count(*) FROM adoptions")
	events := e.count("SELECT count(*) FROM adoption_events")
	if len(e.openAdoptions(northYorkshire)) != 0 || len(e.openAdoptions(cumberland)) != 0 {
		t.Fatal("successors already have adoptions")
	}

	rep, err := seed.Reference().Load(ctx, e.st, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created["carried_over"] != 6 {
		t.Errorf("seed carried %d adoptions over, want 6 (everything in use; not Ryedale's exploration)\n%s", rep.Created["carried_over"], rep)
	}
	// North Yorkshire: two payment adoptions merge into one, two notification ones into one.
	// Cumbria's goes to both its successors; Carlisle's to Cumberland only.
	if n := e.count("SELECT count(*) FROM adoptions"); n != adoptions+5 {
		t.Errorf("%d adoptions after vesting, want %d + 5", n, adoptions)
	}
	nya := e.openAdoptions(northYorkshire)
	if len(nya) != 2 || nya["govuk-pay"] == nil || nya["govuk-notify"] == nil {
		t.Fatalf("North Yorkshire Council's adoptions %v", nya)
	}
	pay := nya["govuk-pay"]
	for k, want := range map[string]any{"status": "live", "source": "admin", "started_on": "2019-05-01", "contract_end_on": "2024-06-30", "verified": true} {
		if pay[k] != want {
			t.Errorf("carried govuk-pay %s = %v, want %v", k, pay[k], want)
		}
	}
	wantNote := fmt.Sprintf("Carried over on 2023-04-01, when the reorganisation vested, from Craven District Council (%s, adoption %d) and Selby District Council (%s, adoption %d).\n\nCraven's parking fines",
		craven, cravenPay, selby, selbyPay)
	if pay["notes"] != wantNote {
		t.Errorf("notes %q\nwant %q", pay["notes"], wantNote)
	}
	// The county's pilot and Harrogate's live use merge: live, and the source of the live one.
	if n := nya["govuk-notify"]; n["status"] != "live" || n["source"] != "admin" {
		t.Errorf("carried govuk-notify %v", n)
	}
	if cu := e.openAdoptions(cumberland); len(cu) != 2 || cu["govuk-pay"] == nil || cu["govuk-notify"] == nil {
		t.Errorf("Cumberland's adoptions %v", cu)
	}
	if wf := e.openAdoptions(westmorland); len(wf) != 1 || wf["govuk-pay"] == nil {
		t.Errorf("Westmorland and Furness's adoptions %v", wf)
	}

	// History: the new record says where it came from, each old one where it went.
	payID := idOf(t, pay)
	hist := e.history(payID)
	if len(hist) != 2 {
		t.Fatalf("history of the carried adoption: %v", hist)
	}
	for i, from := range []struct {
		id      int
		council string
	}{{cravenPay, craven}, {selbyPay, selby}} {
		ch := hist[i]["changes"].(map[string]any)["carried_from"].(map[string]any)
		f, to := ch["from"].(map[string]any), ch["to"].(map[string]any)
		if hist[i]["action"] != "carried_over" || f["adoption"] != float64(from.id) || f["council"] != from.council ||
			to["adoption"] != float64(payID) || to["council"] != northYorkshire {
			t.Errorf("event %d: %v", i, hist[i])
		}
	}
	for _, id := range []int{cravenPay, selbyPay, harrogateNotify, countyNotify, cumbriaPay, carlisleNotify} {
		a := e.do("GET", fmt.Sprintf("/api/v1/adoptions/%d", id), nil, "").wantStatus(http.StatusOK).json()
		if a["status"] != "retired" || a["ended_on"] != "2023-03-31" {
			t.Errorf("predecessor adoption %d: status %v ended_on %v, want retired on 2023-03-31", id, a["status"], a["ended_on"])
		}
		h := e.history(id)
		last := h[len(h)-1]
		to := last["changes"].(map[string]any)["carried_to"].(map[string]any)["to"].([]any)
		if last["action"] != "carried_over" || len(to) == 0 {
			t.Errorf("predecessor adoption %d's last event %v", id, last)
		}
		if id == cumbriaPay && len(to) != 2 {
			t.Errorf("Cumbria's adoption was carried to %v, want both successors", to)
		}
	}
	if a := e.do("GET", fmt.Sprintf("/api/v1/adoptions/%d", ryedaleSite), nil, "").json(); a["status"] != "exploring" {
		t.Errorf("Ryedale's exploration was touched: %v", a["status"])
	}
	ny := e.reorganisationOf(northYorkshire)
	if ny["carried_over"] != float64(4) {
		t.Errorf("North Yorkshire carried_over %v, want 4", ny["carried_over"])
	}
	audit := e.do("GET", "/api/v1/audit?entity=reorganisation&limit=100", nil, e.admin).wantStatus(http.StatusOK).json()
	if audit["total"] != float64(2) { // North Yorkshire and Cumbria
		t.Errorf("%v reorganisation audit entries, want 2", audit["total"])
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE entity = 'adoption' AND action = 'carried_over'"); n != 5+6 {
		t.Errorf("%d adoption audit entries for the carry-over, want 11 (5 new, 6 retired)", n)
	}

	// The successor's profile now carries the merged adoptions; the former councils get no opportunities.
	if c := e.do("GET", "/api/v1/councils/"+northYorkshire, nil, "").json(); c["adoption_count"] != float64(2) {
		t.Errorf("North Yorkshire Council adoption_count %v", c["adoption_count"])
	}
	if o := e.do("GET", "/api/v1/councils/"+craven+"/opportunities", nil, "").wantStatus(http.StatusOK).json(); o["total"] != float64(0) {
		t.Errorf("a former council got opportunities: %v", o)
	}
	for _, p := range itemsOf(e.do("GET", "/api/v1/councils/"+northYorkshire+"/peers?limit=100", nil, "").wantStatus(http.StatusOK).json()) {
		if code := p["council"].(map[string]any)["code"].(string); slices.Contains(northYorkshireDistricts, code) || code == nyCounty {
			t.Errorf("a predecessor is a peer of its successor: %s", code)
		}
	}

	// Seeding again finds nothing to carry and changes nothing.
	adoptions, events = e.count("SELECT count(*) FROM adoptions"), e.count("SELECT count(*) FROM adoption_events")
	version, _ := e.st.Version(ctx)
	rep, err = seed.Reference().Load(ctx, e.st, false)
	if err != nil {
		t.Fatal(err)
	}
	testdb.WantNothingNew(t, rep, "second seed")
	if a, ev := e.count("SELECT count(*) FROM adoptions"), e.count("SELECT count(*) FROM adoption_events"); a != adoptions || ev != events {
		t.Errorf("second seed: %d adoptions and %d events, was %d and %d", a, ev, adoptions, events)
	}
	if v, _ := e.st.Version(ctx); v != version {
		t.Error("second seed wrote to the audit log")
	}
	if got := e.do("GET", "/api/v1/councils", nil, "").json()["total"]; got != float64(397) {
		t.Errorf("current councils %v after vesting, want 397", got)
	}

	// The historic report shows what the predecessors ran when it vested.
	h := e.do("GET", fmt.Sprintf("/api/v1/reorganisations/%d/harmonisation", idOf(t, ny)), nil, "").wantStatus(http.StatusOK).json()
	var capsSeen []string
	for _, it := range itemsOf(h) {
		capsSeen = append(capsSeen, it["capability"].(map[string]any)["slug"].(string))
	}
	if !slices.Equal(capsSeen, []string{"email-notifications", "online-card-payments"}) {
		t.Errorf("historic harmonisation capabilities %v", capsSeen)
	}
}

// plannedWorld: three Essex districts that run different payment products and agree on their website.
func plannedWorld(t *testing.T) *env {
	e := newSeededEnv(t, false)
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "acme", "name": "Acme Ltd", "website": "https://acme.example", "kind": "commercial"}, e.admin).wantStatus(http.StatusCreated)
	e.do("POST", "/api/v1/components", map[string]any{"slug": "acme-pay", "name": "Acme Pay", "summary": "Card payments.", "vendor": "acme",
		"capabilities": []string{"online-card-payments"}, "lifecycle": "live"}, e.admin).wantStatus(http.StatusCreated)
	e.adopt(basildon, "govuk-pay", "online-card-payments", "live", "contract_end_on", "2027-03-31")
	e.adopt(braintree, "govuk-pay", "online-card-payments", "live")
	e.adopt(brentwood, "acme-pay", "online-card-payments", "live", "contract_end_on", "2028-06-30")
	for _, c := range []string{basildon, braintree, brentwood} {
		e.adopt(c, "localgov-drupal", "website-content-management", "live")
	}
	return e
}

func planBody(vesting string) map[string]any {
	return map[string]any{"predecessors": []string{brentwood, basildon, braintree},
		"successor": map[string]any{"code": plannedSuccessor, "name": "South Essex Council (example)"}, "vesting_date": vesting,
		"notes": "Test plan: three districts merging."}
}

func TestPlannedReorganisationHarmonisation(t *testing.T) {
	e := plannedWorld(t)
	r := e.do("POST", "/api/v1/reorganisations", planBody("2027-04-01"), e.admin).wantStatus(http.StatusCreated)
	plan := r.json()
	id := idOf(t, plan)
	if r.Header().Get("Location") != fmt.Sprintf("/api/v1/reorganisations/%d", id) {
		t.Errorf("Location %q", r.Header().Get("Location"))
	}
	succ := plan["successor"].(map[string]any)
	if plan["status"] != "planned" || plan["source"] != "admin" || !slices.Equal(codes(plan["predecessors"]), []string{basildon, braintree, brentwood}) ||
		!slices.Equal(codes(plan["successors"]), []string{plannedSuccessor}) || succ["code"] != plannedSuccessor ||
		plan["names"].(map[string]any)[plannedSuccessor] != "South Essex Council (example)" || plan["vested_at"] != nil {
		t.Errorf("created %v", plan)
	}

	body := e.do("GET", fmt.Sprintf("/api/v1/reorganisations/%d/harmonisation", id), nil, "").wantStatus(http.StatusOK).json()
	its := itemsOf(body)
	if len(its) != 2 {
		t.Fatalf("%d items, want payments and website: %v", len(its), its)
	}
	pay, site := its[0], its[1]
	if pay["capability"].(map[string]any)["slug"] != "online-card-payments" || pay["agree"] != false || len(pay["uses"].([]any)) != 3 {
		t.Fatalf("payments item %v", pay)
	}
	if u := pay["uses"].([]any)[2].(map[string]any); u["council"] != brentwood || u["component"] != "acme-pay" || u["status"] != "live" || u["contract_end_on"] != "2028-06-30" {
		t.Errorf("Brentwood's use %v", u)
	}
	s := pay["suggestion"].(map[string]any)
	if s["component"] != "govuk-pay" || s["switch_on"] != "2028-06-30" {
		t.Errorf("suggestion %v, want govuk-pay from 2028-06-30", s)
	}
	reasons := map[string]string{}
	for _, x := range s["reasons"].([]any) {
		rs := x.(map[string]any)
		reasons[rs["kind"].(string)] = rs["detail"].(string)
	}
	for kind, want := range map[string]string{
		"merging_councils": "used live by 2 of the 3 merging councils: Basildon and Braintree",
		"contract_ending":  "the last contract to end among those being replaced, Acme Pay at Brentwood, ends 2028-06-30",
		"take_up":          "used live for Online card payments by 2 councils nationally",
	} {
		if reasons[kind] != want {
			t.Errorf("reason %s = %q, want %q", kind, reasons[kind], want)
		}
	}
	if site["capability"].(map[string]any)["slug"] != "website-content-management" || site["agree"] != true || site["suggestion"] != nil {
		t.Errorf("website item %v", site)
	}

	// The same as CSV, one row per use.
	csvResp := e.do("GET", fmt.Sprintf("/api/v1/reorganisations/%d/harmonisation", id), nil, "", "Accept", "text/csv").wantStatus(http.StatusOK)
	if ct := csvResp.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(csvResp.Body.String())).ReadAll()
	if err != nil || len(rows) != 7 || rows[0][0] != "capability" {
		t.Fatalf("CSV (%v): %v", err, rows)
	}
	if got := strings.Join(rows[3], "|"); !strings.HasPrefix(got, "online-card-payments|Online card payments|false|"+brentwood+"|acme-pay|live|2028-06-30|govuk-pay|2028-06-30|merging_councils: used live by 2") {
		t.Errorf("CSV row %q", got)
	}

	// Collaborations: the merging councils form a group for the capability where they differ.
	coll := e.do("GET", "/api/v1/opportunities/collaborations?limit=100", nil, "").wantStatus(http.StatusOK).json()
	var group bool
	for _, it := range itemsOf(coll) {
		reorg, ok := it["reorganisation"].(map[string]any)
		if !ok || int(reorg["id"].(float64)) != id {
			continue
		}
		group = true
		w := it["window"].(map[string]any)
		reasons := it["reasons"].([]any)
		if it["capability"].(map[string]any)["slug"] != "online-card-payments" || !slices.Equal(codes(it["councils"]), []string{basildon, braintree, brentwood}) ||
			w["from"] != "2027-03-31" || w["to"] != "2028-06-30" || len(reasons) != 1 ||
			!strings.Contains(reasons[0].(map[string]any)["detail"].(string), "merge into South Essex Council (example) on 2027-04-01") {
			t.Errorf("collaboration %v", it)
		}
	}
	if !group {
		t.Error("no collaboration group for the planned reorganisation in /opportunities/collaborations")
	}
}

func TestPlannedReorganisationLifecycle(t *testing.T) {
	ctx := context.Background()
	e := plannedWorld(t)
	id := idOf(t, e.do("POST", "/api/v1/reorganisations", planBody("2027-04-01"), e.admin).wantStatus(http.StatusCreated).json())
	path := fmt.Sprintf("/api/v1/reorganisations/%d", id)

	// Not before its vesting date.
	before := e.guarded()
	e.do("POST", path+"/vest", nil, e.admin).wantProblem(http.StatusConflict)
	if e.guarded() != before {
		t.Fatal("a refused vest changed the database")
	}

	// Edits honour If-Match and move the vesting date into the past.
	get := e.do("GET", path, nil, "").wantStatus(http.StatusOK)
	etag := get.Header().Get("ETag")
	e.do("PATCH", path, map[string]any{"notes": "first"}, e.admin, "If-Match", etag).wantStatus(http.StatusOK)
	e.do("PATCH", path, map[string]any{"notes": "stale"}, e.admin, "If-Match", etag).wantProblem(http.StatusPreconditionFailed)
	upd := e.do("PATCH", path, map[string]any{"vesting_date": "2026-11-01", "successor": map[string]any{"name": "South Essex Council (example, renamed)"}}, e.admin).wantStatus(http.StatusOK).json()
	if upd["vesting_date"] != "2026-11-01" || upd["notes"] != "first" || upd["successor"].(map[string]any)["code"] != plannedSuccessor ||
		upd["successor"].(map[string]any)["name"] != "South Essex Council (example, renamed)" {
		t.Errorf("updated %v", upd)
	}

	adoptions := e.count("SELECT count(*) FROM adoptions")
	vested := e.do("POST", path+"/vest", nil, e.admin).wantStatus(http.StatusOK).json()
	if vested["status"] != "vested" || vested["vested_at"] == nil || vested["carried_over"] != float64(6) {
		t.Errorf("vested %v", vested)
	}
	// The successor is created as the admin named it, typed like its predecessors (three districts make a district).
	sc := e.do("GET", "/api/v1/councils/"+plannedSuccessor, nil, "").wantStatus(http.StatusOK).json()
	for k, want := range map[string]any{"name": "South Essex Council (example, renamed)", "status": "current", "type": "non-metropolitan-district",
		"region": "East of England", "nation": "England", "start_date": "2026-11-01", "population": nil, "adoption_count": float64(3)} {
		if sc[k] != want {
			t.Errorf("successor %s = %v, want %v", k, sc[k], want)
		}
	}
	if !slices.Equal(codes(sc["predecessors"]), []string{basildon, braintree, brentwood}) {
		t.Errorf("successor predecessors %v", sc["predecessors"])
	}
	for _, code := range []string{basildon, braintree, brentwood} {
		c := e.do("GET", "/api/v1/councils/"+code, nil, "").json()
		if c["status"] != "former" || c["end_date"] != "2026-10-31" || !slices.Equal(codes(c["successors"]), []string{plannedSuccessor}) {
			t.Errorf("%s after vesting: %v %v %v", code, c["status"], c["end_date"], c["successors"])
		}
		if len(e.openAdoptions(code)) != 0 {
			t.Errorf("%s still has open adoptions", code)
		}
	}
	if got := e.do("GET", "/api/v1/councils", nil, "").json()["total"]; got != float64(397-3+1) {
		t.Errorf("current councils %v, want 395", got)
	}
	// Six predecessor adoptions became three: govuk-pay (two merged), acme-pay, localgov-drupal (three merged).
	if n := e.count("SELECT count(*) FROM adoptions"); n != adoptions+3 {
		t.Errorf("%d adoptions, want %d + 3", n, adoptions)
	}
	sa := e.openAdoptions(plannedSuccessor)
	if len(sa) != 3 || sa["govuk-pay"]["contract_end_on"] != "2027-03-31" || sa["acme-pay"]["status"] != "live" {
		t.Errorf("successor's adoptions %v", sa)
	}
	if h := e.history(idOf(t, sa["localgov-drupal"])); len(h) != 3 || h[0]["action"] != "carried_over" {
		t.Errorf("merged website adoption history %v", h)
	}

	// Vested: history now.
	for _, r := range []struct{ method, path string }{{"PATCH", path}, {"POST", path + "/withdraw"}, {"POST", path + "/vest"}} {
		var body any
		if r.method == "PATCH" {
			body = map[string]any{"notes": "too late"}
		}
		e.do(r.method, r.path, body, e.admin).wantProblem(http.StatusConflict)
	}
	// Merged councils are one for the engine: predecessors get nothing, and are nobody's peers.
	if o := e.do("GET", "/api/v1/councils/"+basildon+"/opportunities", nil, "").json(); o["total"] != float64(0) {
		t.Errorf("a former council got opportunities: %v", o)
	}
	for _, p := range itemsOf(e.do("GET", "/api/v1/councils/"+plannedSuccessor+"/peers?limit=100", nil, "").wantStatus(http.StatusOK).json()) {
		if code := p["council"].(map[string]any)["code"]; code == basildon || code == braintree || code == brentwood {
			t.Errorf("predecessor %s is a peer of its successor", code)
		}
	}

	// The register does not know the new council yet; seeding again must neither revive the
	// predecessors nor lose the successor, and must change nothing.
	adoptions, events := e.count("SELECT count(*) FROM adoptions"), e.count("SELECT count(*) FROM adoption_events")
	version, _ := e.st.Version(ctx)
	rep, err := seed.Reference().Load(ctx, e.st, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []map[string]int{rep.Created, rep.Updated} {
		for kind, n := range m {
			if n != 0 {
				t.Errorf("seed after a vested plan changed %d %s\n%s", n, kind, rep)
			}
		}
	}
	if v, _ := e.st.Version(ctx); v != version || e.count("SELECT count(*) FROM adoptions") != adoptions || e.count("SELECT count(*) FROM adoption_events") != events {
		t.Error("seed after a vested plan wrote something")
	}
	if c := e.do("GET", "/api/v1/councils/"+basildon, nil, "").json(); c["status"] != "former" {
		t.Errorf("seed revived Basildon: %v", c["status"])
	}

	// Withdrawal: once.
	other := idOf(t, e.do("POST", "/api/v1/reorganisations", map[string]any{"predecessors": []string{lambeth, southwark},
		"successor": map[string]any{"code": nil, "name": "Example"}, "vesting_date": "2028-04-01"}, e.admin).wantStatus(http.StatusCreated).json())
	opath := fmt.Sprintf("/api/v1/reorganisations/%d", other)
	if got := e.do("GET", opath, nil, "").json(); len(got["successors"].([]any)) != 0 {
		t.Errorf("successors without a code: %v", got["successors"])
	}
	e.do("POST", opath+"/vest", nil, e.admin).wantProblem(http.StatusConflict) // no successor code, and too early
	if w := e.do("POST", opath+"/withdraw", nil, e.admin).wantStatus(http.StatusOK).json(); w["status"] != "withdrawn" {
		t.Errorf("withdrawn %v", w)
	}
	e.do("POST", opath+"/withdraw", nil, e.admin).wantProblem(http.StatusConflict)
	if l := e.do("GET", "/api/v1/reorganisations?status=withdrawn", nil, "").json(); l["total"] != float64(1) {
		t.Errorf("withdrawn list %v", l)
	}
}

func TestReorganisationInputIsChecked(t *testing.T) {
	e := newSeededEnv(t, false)
	good := func() map[string]any { return planBody("2027-04-01") }
	with := func(k string, v any) map[string]any { b := good(); b[k] = v; return b }
	withSucc := func(k string, v any) map[string]any {
		b := good()
		b["successor"].(map[string]any)[k] = v
		return b
	}
	before := e.guarded()
	for _, tc := range []struct {
		name   string
		body   any
		status int
		fields []string
	}{
		{"empty object", map[string]any{}, 400, []string{"predecessors", "successor", "vesting_date"}},
		{"not JSON", "{", 400, []string{"body"}},
		{"wrong type", with("predecessors", "E07000066"), 400, []string{"predecessors"}},
		{"no predecessors", with("predecessors", []string{}), 400, []string{"predecessors"}},
		{"bad code", with("predecessors", []string{"e07000066", basildon}), 400, []string{"predecessors"}},
		{"repeated", with("predecessors", []string{basildon, basildon}), 400, []string{"predecessors"}},
		{"bad date", with("vesting_date", "2027-02-30"), 400, []string{"vesting_date"}},
		{"status sent", with("status", "vested"), 400, []string{"status"}},
		{"successor without name", with("successor", map[string]any{"code": plannedSuccessor}), 400, []string{"successor.name"}},
		{"successor unknown field", withSucc("population", 5), 400, []string{"population"}},
		{"successor bad type", withSucc("type", "kingdom"), 400, []string{"successor.type"}},
		{"successor is a predecessor", withSucc("code", basildon), 400, []string{"successor.code"}},
		{"unknown council", with("predecessors", []string{"E07999999", basildon}), 422, []string{"predecessors"}},
		{"former council", with("predecessors", []string{craven, basildon}), 422, []string{"predecessors"}},
		{"former successor", withSucc("code", craven), 422, []string{"successor.code"}},
		{"type of an existing council", func() map[string]any {
			b := withSucc("code", lambeth)
			b["successor"].(map[string]any)["type"] = "unitary"
			return b
		}(), 422, []string{"successor.type"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			e.do("POST", "/api/v1/reorganisations", tc.body, e.admin).wantProblem(tc.status, tc.fields...)
		})
	}
	if e.guarded() != before || e.count("SELECT count(*) FROM reorganisations WHERE source = 'admin'") != 0 {
		t.Fatal("refused input was stored")
	}
	// PATCH checks the result as a whole: the successor cannot become a predecessor.
	id := idOf(t, e.do("POST", "/api/v1/reorganisations", good(), e.admin).wantStatus(http.StatusCreated).json())
	e.do("PATCH", fmt.Sprintf("/api/v1/reorganisations/%d", id), map[string]any{"predecessors": []string{basildon, plannedSuccessor}}, e.admin).
		wantProblem(http.StatusBadRequest, "successor.code")
	e.do("PATCH", fmt.Sprintf("/api/v1/reorganisations/%d", id), map[string]any{"predecessors": []string{basildon, "E07999999"}}, e.admin).
		wantProblem(http.StatusUnprocessableEntity, "predecessors")
	e.do("PATCH", fmt.Sprintf("/api/v1/reorganisations/%d", id), map[string]any{"successor": map[string]any{"name": " "}}, e.admin).
		wantProblem(http.StatusBadRequest, "successor.name")
	e.do("PATCH", "/api/v1/reorganisations/999999", map[string]any{"notes": "x"}, e.admin).wantProblem(http.StatusNotFound)
}

func FuzzReorganisationBody(f *testing.F) {
	fuzzSeeded(f, []string{
		`{"predecessors":["E07000066","E07000067"],"successor":{"code":"E06009999","name":"X"},"vesting_date":"2027-04-01"}`,
		`{"predecessors":["E07000163"],"successor":{"code":null,"name":"X","type":"unitary"},"vesting_date":"2000-01-01"}`,
		`{"predecessors":[null],"successor":null}`, `{"successor":{"code":1}}`, `{"successor":"x"}`, `[]`, `null`,
		`{"predecessors":["E09000022"],"successor":{"code":"E09000022","name":""},"vesting_date":"9999-12-31"}`,
	}, func(t *testing.T, e *env, body string) {
		noServerError(t, e.do("POST", "/api/v1/reorganisations", body, e.admin))
		noServerError(t, e.do("PATCH", "/api/v1/reorganisations/1", body, e.admin))
		noServerError(t, e.do("GET", "/api/v1/reorganisations?"+onTheWire(body), nil, ""))
	})
}

// TestHarmonisationCountsNoUnverifiedClaim: a vendor's claim that a merging council runs its
// product takes no part in the harmonisation report until the council verifies it, as it takes
// none in the rest of the reuse engine.
func TestHarmonisationCountsNoUnverifiedClaim(t *testing.T) {
	e := plannedWorld(t)
	id := idOf(t, e.do("POST", "/api/v1/reorganisations", planBody("2027-04-01"), e.admin).wantStatus(http.StatusCreated).json())
	report := fmt.Sprintf("/api/v1/reorganisations/%d/harmonisation", id)
	paymentUses := func() []string {
		t.Helper()
		var uses []string
		for _, it := range itemsOf(e.do("GET", report, nil, "").wantStatus(http.StatusOK).json()) {
			if it["capability"].(map[string]any)["slug"] != "online-card-payments" {
				continue
			}
			for _, u := range it["uses"].([]any) {
				u := u.(map[string]any)
				uses = append(uses, u["council"].(string)+" "+u["component"].(string))
			}
		}
		return uses
	}
	before := paymentUses()

	claim := e.do("POST", "/api/v1/adoptions", map[string]any{"council": braintree, "component": "acme-pay", "capability": "online-card-payments",
		"status": "live"}, e.key("vendor", "acme")).wantStatus(http.StatusCreated).json()
	if claim["verification"] != "pending" || claim["source"] != "vendor" {
		t.Fatalf("claim %v", claim)
	}
	if got := paymentUses(); !slices.Equal(got, before) {
		t.Errorf("with Acme's unverified claim the payments uses are %v, want %v as before it", got, before)
	}

	e.do("POST", fmt.Sprintf("/api/v1/adoptions/%d/verify", idOf(t, claim)), nil, e.key("council", braintree)).wantStatus(http.StatusOK)
	if got := paymentUses(); !slices.Contains(got, braintree+" acme-pay") || len(got) != len(before)+1 {
		t.Errorf("once Braintree verifies the claim the payments uses are %v, want %v and Braintree's Acme Pay", got, before)
	}
}

// TestVestingCarriesAClaimAsAClaim: when a reorganisation vests, a vendor's claim the council
// had not verified decides nothing in the successor's record of a component beside use that
// counts, and a claim alone carries over still a claim, counted nowhere.
func TestVestingCarriesAClaimAsAClaim(t *testing.T) {
	e := plannedWorld(t)
	e.do("POST", "/api/v1/components", map[string]any{"slug": "acme-sites", "name": "Acme Sites", "summary": "Websites.", "vendor": "acme",
		"capabilities": []string{"website-content-management"}, "lifecycle": "live"}, e.admin).wantStatus(http.StatusCreated)
	acme := e.key("vendor", "acme")
	for _, c := range []map[string]any{
		{"council": braintree, "component": "acme-pay", "capability": "online-card-payments", "status": "live", "contract_end_on": "2035-01-01"},
		{"council": basildon, "component": "acme-sites", "capability": "website-content-management", "status": "piloting"},
	} {
		if a := e.do("POST", "/api/v1/adoptions", c, acme).wantStatus(http.StatusCreated).json(); a["verification"] != "pending" {
			t.Fatalf("claim %v", a)
		}
	}
	id := idOf(t, e.do("POST", "/api/v1/reorganisations", planBody("2027-04-01"), e.admin).wantStatus(http.StatusCreated).json())
	path := fmt.Sprintf("/api/v1/reorganisations/%d", id)
	e.do("PATCH", path, map[string]any{"vesting_date": "2026-11-01"}, e.admin).wantStatus(http.StatusOK)
	e.do("POST", path+"/vest", nil, e.admin).wantStatus(http.StatusOK)

	sa := e.openAdoptions(plannedSuccessor)
	if pay := sa["acme-pay"]; pay["contract_end_on"] != "2028-06-30" || pay["source"] != "admin" {
		t.Errorf("the successor's Acme Pay %v: want Brentwood's record (contract end 2028-06-30), not Braintree's claim", pay)
	}
	if sites := sa["acme-sites"]; sites["source"] != "vendor" || sites["verification"] != "pending" || sites["status"] != "piloting" {
		t.Errorf("the successor's Acme Sites %v: want Basildon's claim carried as a claim", sites)
	}
	if sc := e.do("GET", "/api/v1/councils/"+plannedSuccessor, nil, "").wantStatus(http.StatusOK).json(); sc["adoption_count"] != float64(3) {
		t.Errorf("successor adoption_count %v, want 3 (Acme Sites' claim not among them)", sc["adoption_count"])
	}
	if c := e.do("GET", "/api/v1/components/acme-sites", nil, "").wantStatus(http.StatusOK).json(); c["adoption_count"] != float64(0) || c["claimed_count"] != float64(1) {
		t.Errorf("Acme Sites adoption_count %v, claimed_count %v; want 0 and 1", c["adoption_count"], c["claimed_count"])
	}
}
