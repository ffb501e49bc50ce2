package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/api/apitest"
	"github.com/council-components/registry/store"
)

const (
	lewisham   = "E09000023"
	wandsworth = "E09000032"
	croydon    = "E09000008"
	bromley    = "E09000006"
)

// reuseWorld adds hand-built components to the real councils, where the right answers are obvious.
func reuseWorld(t *testing.T) *env {
	e := newSeededEnv(t, false)
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "acme", "name": "Acme", "website": "https://acme.example", "kind": "commercial"}, e.admin).wantStatus(201)
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "diy", "name": "In-house teams", "website": "https://diy.example", "kind": "in-house"}, e.admin).wantStatus(201)
	comp := func(slug, lifecycle, vendor string, caps ...string) {
		e.do("POST", "/api/v1/components", map[string]any{"slug": slug, "name": strings.ToUpper(slug), "summary": "Test component.",
			"vendor": vendor, "capabilities": caps, "lifecycle": lifecycle}, e.admin).wantStatus(201)
	}
	comp("booker", "live", "acme", "appointment-booking")
	comp("old-booker", "retired", "acme", "appointment-booking")
	comp("rare-booker", "live", "acme", "appointment-booking")
	comp("legacy-tax", "deprecated", "acme", "council-tax-account-management")
	comp("new-tax", "live", "acme", "council-tax-account-management")
	adopt := func(council, component, capability, status string, extra map[string]any) int {
		body := map[string]any{"council": council, "component": component, "capability": capability, "status": status}
		for k, v := range extra {
			body[k] = v
		}
		return idOf(t, e.do("POST", "/api/v1/adoptions", body, e.admin).wantStatus(201).json())
	}
	// Lambeth's London neighbours all use booker live, and the retired old-booker too.
	for _, c := range []string{southwark, lewisham, wandsworth, croydon} {
		adopt(c, "booker", "appointment-booking", "live", nil)
		adopt(c, "old-booker", "appointment-booking", "live", nil)
		adopt(c, "new-tax", "council-tax-account-management", "live", nil)
	}
	adopt(cardiff, "rare-booker", "appointment-booking", "live", nil)
	// Lambeth still runs the deprecated tax system, on a contract ending in four months.
	adopt(lambeth, "legacy-tax", "council-tax-account-management", "live", map[string]any{"contract_end_on": "2027-03-31"})
	// Consolidation: bin day lookups split across one-council in-house builds.
	for i, c := range []string{glasgow, cardiff, bromley, "E06000043", "E07000063"} {
		slug := fmt.Sprintf("bins-%d", i)
		comp(slug, "live", "diy", "bin-collection-day-lookup")
		adopt(c, slug, "bin-collection-day-lookup", "live", nil)
	}
	return e
}

type opportunity struct {
	capability, component string
	reasons               map[string]string
	peersUsing            []string
}

func (e *env) opportunities(code, query string) []opportunity {
	e.t.Helper()
	body := e.do("GET", "/api/v1/councils/"+code+"/opportunities"+query, nil, "").wantStatus(http.StatusOK).json()
	var out []opportunity
	for _, it := range body["items"].([]any) {
		m := it.(map[string]any)
		o := opportunity{capability: m["capability"].(map[string]any)["slug"].(string), component: m["component"].(map[string]any)["slug"].(string), reasons: map[string]string{}}
		for _, r := range m["reasons"].([]any) {
			o.reasons[r.(map[string]any)["kind"].(string)] = r.(map[string]any)["detail"].(string)
		}
		for _, p := range m["peers_using"].([]any) {
			o.peersUsing = append(o.peersUsing, p.(string))
		}
		if m["score"].(float64) <= 0 {
			e.t.Errorf("non-positive score %v", m)
		}
		out = append(out, o)
	}
	return out
}

func TestOpportunitiesThroughHTTP(t *testing.T) {
	e := reuseWorld(t)
	ops := e.opportunities(lambeth, "")
	if len(ops) == 0 {
		t.Fatal("no opportunities for Lambeth")
	}
	var booking *opportunity
	for i := range ops {
		if ops[i].component == "old-booker" || ops[i].component == "legacy-tax" {
			t.Errorf("recommended %s, which is retired or deprecated", ops[i].component)
		}
		if ops[i].capability == "appointment-booking" && booking == nil {
			booking = &ops[i]
		}
	}
	if booking == nil || booking.component != "booker" {
		t.Fatalf("the component every peer uses is not the first for appointment booking: %+v", ops)
	}
	if booking.reasons["peer_adoption"] == "" || booking.reasons["gap"] == "" {
		t.Errorf("booker reasons %v", booking.reasons)
	}
	// peers_using lists the closest peers (by profile here) that run it: only the neighbours that do.
	users := map[string]string{southwark: "Southwark", lewisham: "Lewisham", wandsworth: "Wandsworth", croydon: "Croydon"}
	if len(booking.peersUsing) < 2 {
		t.Errorf("peers_using %v: want at least two of the neighbours", booking.peersUsing)
	}
	named := false
	for _, p := range booking.peersUsing {
		if users[p] == "" {
			t.Errorf("peers_using names %s, which does not use booker", p)
		}
		named = named || strings.Contains(booking.reasons["peer_adoption"], users[p])
	}
	if !named {
		t.Errorf("peer_adoption detail names none of the peers using it: %q", booking.reasons["peer_adoption"])
	}
	// The deprecated tax system on an ending contract: new-tax is offered, with both reasons.
	var tax *opportunity
	for i := range ops {
		if ops[i].component == "new-tax" {
			tax = &ops[i]
		}
	}
	if tax == nil || tax.reasons["contract_ending"] == "" || tax.reasons["component_retiring"] == "" || !strings.Contains(tax.reasons["contract_ending"], "2027-03-31") {
		t.Fatalf("new-tax opportunity %+v", tax)
	}
	// With a one-month horizon the contract is not ending soon.
	for _, o := range e.opportunities(lambeth, "?horizon_months=1") {
		if _, ok := o.reasons["contract_ending"]; ok {
			t.Errorf("contract_ending with a one-month horizon: %+v", o)
		}
	}
	// A need becomes a reason.
	lam := e.key("council", lambeth)
	e.do("POST", "/api/v1/needs", map[string]any{"council": lambeth, "capability": "appointment-booking", "needed_by": "2027-02-01"}, lam).wantStatus(201)
	if got := e.opportunities(lambeth, ""); !hasReason(got, "booker", "need") {
		t.Errorf("the new need is not a reason: %+v", got)
	}
	// Once Lambeth adopts booker, booker is no longer offered for booking: the engine follows writes.
	e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "booker", "status": "live"}, lam).wantStatus(201)
	for _, o := range e.opportunities(lambeth, "") {
		if o.component == "booker" {
			t.Errorf("booker still offered after Lambeth adopted it: %+v", o)
		}
	}
	e.do("GET", "/api/v1/councils/X00000000/opportunities", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/councils/"+lambeth+"/opportunities?horizon_months=0", nil, "").wantProblem(http.StatusBadRequest, "horizon_months")
}

func hasReason(ops []opportunity, component, kind string) bool {
	for _, o := range ops {
		if o.component == component && o.reasons[kind] != "" {
			return true
		}
	}
	return false
}

func TestPeersThroughHTTP(t *testing.T) {
	e := reuseWorld(t)
	body := e.do("GET", "/api/v1/councils/"+southwark+"/peers?limit=5", nil, "").wantStatus(http.StatusOK).json()
	items := body["items"].([]any)
	if len(items) != 5 {
		t.Fatalf("%d peers, want 5", len(items))
	}
	first := items[0].(map[string]any)
	code := first["council"].(map[string]any)["code"].(string)
	if code != lewisham && code != wandsworth && code != croydon {
		t.Errorf("Southwark's closest peer is %s, want a London borough sharing its components", code)
	}
	if shared := fmt.Sprint(first["shared_components"]); !strings.Contains(shared, "booker") {
		t.Errorf("shared_components %s", shared)
	}
	prev := 1.0
	for _, it := range items {
		s := it.(map[string]any)["similarity"].(float64)
		if s < 0 || s > 1 || s > prev {
			t.Errorf("similarities not in 0..1 and descending: %v", items)
		}
		prev = s
	}
	// A council with no adoptions still gets peers, by who it is.
	body = e.do("GET", "/api/v1/councils/S12000033/peers", nil, "").wantStatus(http.StatusOK).json()
	if len(body["items"].([]any)) == 0 {
		t.Error("Aberdeen, with no adoptions, has no peers")
	}
	for _, it := range body["items"].([]any) {
		if c := it.(map[string]any)["council"].(map[string]any)["code"].(string); strings.HasPrefix(c, "E47") || c == "E12000007" {
			t.Errorf("a combined authority or the GLA is offered as a peer: %s", c)
		}
	}
}

func TestNationalReportsThroughHTTP(t *testing.T) {
	e := reuseWorld(t)
	cons := e.do("GET", "/api/v1/opportunities/consolidation?limit=100", nil, "").wantStatus(http.StatusOK).json()
	items := cons["items"].([]any)
	first := items[0].(map[string]any)
	if first["capability"].(map[string]any)["slug"] != "bin-collection-day-lookup" || first["distinct_components"].(float64) != 5 {
		t.Errorf("most fragmented capability %v, want bin-collection-day-lookup across 5 products", first)
	}
	if int(cons["total"].(float64)) != 90 {
		t.Errorf("consolidation covers %v capabilities, want all 90", cons["total"])
	}
	mig := e.do("GET", "/api/v1/opportunities/migrations", nil, "").wantStatus(http.StatusOK).json()
	found := map[string]string{}
	for _, it := range mig["items"].([]any) {
		m := it.(map[string]any)
		found[m["component"].(map[string]any)["slug"].(string)] = fmt.Sprint(m["councils"])
	}
	if found["legacy-tax"] != "["+lambeth+"]" || found["old-booker"] == "" {
		t.Errorf("migrations %v", found)
	}
	// Three councils needing booking in the same quarter form one group; one a year later does not join.
	for _, n := range []struct{ council, by string }{{southwark, "2027-04-01"}, {lewisham, "2027-05-15"}, {croydon, "2027-06-20"}, {cardiff, "2028-06-01"}} {
		e.do("POST", "/api/v1/needs", map[string]any{"council": n.council, "capability": "room-and-venue-hire", "needed_by": n.by}, e.admin).wantStatus(201)
	}
	coll := e.do("GET", "/api/v1/opportunities/collaborations", nil, "").wantStatus(http.StatusOK).json()
	groups := 0
	for _, it := range coll["items"].([]any) {
		m := it.(map[string]any)
		if m["capability"].(map[string]any)["slug"] != "room-and-venue-hire" {
			continue
		}
		groups++
		if got := fmt.Sprint(m["councils"]); got != fmt.Sprint([]string{croydon, lewisham, southwark}) {
			t.Errorf("collaboration councils %s", got)
		}
		w := m["window"].(map[string]any)
		if w["from"] != "2027-04-01" || w["to"] != "2027-06-20" {
			t.Errorf("window %v", w)
		}
	}
	if groups != 1 {
		t.Errorf("%d room-hire collaborations, want 1", groups)
	}
}

// TestEngineFollowsAnotherReplica writes through a second store on the same
// database, as a second API replica would, and checks the first one sees it.
func TestEngineFollowsAnotherReplica(t *testing.T) {
	e := reuseWorld(t)
	if hasComponent(e.opportunities(bromley, ""), "booker") == false {
		t.Fatal("Bromley should be offered booker before it adopts it")
	}
	other, err := store.Open(e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	replicaRouter := apitest.NewRouter(t, other, api.Config{})
	replica := &env{t: t, st: other, router: replicaRouter, served: apitest.Validated(t, replicaRouter), admin: e.admin}
	replica.do("POST", "/api/v1/adoptions", map[string]any{"council": bromley, "component": "booker", "status": "live"}, e.admin).wantStatus(201)
	if hasComponent(e.opportunities(bromley, ""), "booker") {
		t.Error("the first replica still offers booker after the second recorded Bromley's adoption")
	}
	v, _ := e.st.Version(context.Background())
	if v == 0 {
		t.Error("database version did not move")
	}
}

func hasComponent(ops []opportunity, slug string) bool {
	for _, o := range ops {
		if o.component == slug {
			return true
		}
	}
	return false
}
