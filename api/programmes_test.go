package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store/storetest/testdb"
)

const dacorum = "E07000096"

func splitCodes(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ";") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// allPages follows next links from path and returns every item.
func (e *env) allPages(path string) []map[string]any {
	e.t.Helper()
	var out []map[string]any
	for path != "" {
		body := e.do("GET", path, nil, "").wantStatus(http.StatusOK).json()
		out = append(out, itemsOf(body)...)
		path = ""
		if next, ok := body["next"].(string); ok {
			path = strings.TrimPrefix(next, "http://example.com")
		}
	}
	return out
}

// Open Digital Planning and the Local Digital Declaration are programmes with
// members, each member's evidence as the file cites it; neither is a component.
func TestProgrammesFromEvidence(t *testing.T) {
	e := newSeededEnv(t, false)
	members := map[string]map[string]int{} // programme → council → items
	for _, r := range testdb.SeedCSV(t, "evidence/adoption_evidence.csv") {
		if p := r["component"]; (p == "open-digital-planning" || p == "local-digital-declaration") && r["gss_code"] != "" {
			if members[p] == nil {
				members[p] = map[string]int{}
			}
			members[p][r["gss_code"]]++
		}
	}

	list := e.do("GET", "/api/v1/programmes", nil, "").wantStatus(http.StatusOK).json()
	if list["total"].(float64) != 2 {
		t.Fatalf("programmes %v", list)
	}
	kinds := map[string]string{"open-digital-planning": "programme", "local-digital-declaration": "commitment"}
	for _, p := range itemsOf(list) {
		slug := p["slug"].(string)
		if p["kind"] != kinds[slug] || int(p["member_count"].(float64)) != len(members[slug]) || p["name"] == "" ||
			!strings.HasPrefix(p["url"].(string), "https://") || !strings.HasPrefix(p["source_url"].(string), "http") || p["owner"] == "" {
			t.Errorf("programme %v, want kind %s and %d members", p, kinds[slug], len(members[slug]))
		}
	}
	if n := e.count("SELECT count(*) FROM components WHERE slug IN ('open-digital-planning', 'local-digital-declaration')"); n != 0 {
		t.Errorf("%d programmes became components", n)
	}
	if n := e.count("SELECT count(*) FROM adoptions a JOIN components c ON c.id = a.component_id WHERE c.slug IN ('open-digital-planning', 'local-digital-declaration')"); n != 0 {
		t.Errorf("%d memberships became adoptions", n)
	}

	odp := e.do("GET", "/api/v1/programmes/open-digital-planning", nil, "").wantStatus(http.StatusOK)
	if odp.Header().Get("ETag") == "" {
		t.Error("no ETag on a programme")
	}
	var got struct {
		MemberCount int `json:"member_count"`
		Members     []struct {
			Council struct{ Code, Name string }
			Items   []struct {
				Source, URL, Quote string
				ObservedOn         string `json:"observed_on"`
				Current            bool
			}
		}
	}
	if err := json.Unmarshal(odp.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.MemberCount != len(members["open-digital-planning"]) || len(got.Members) != got.MemberCount {
		t.Fatalf("%d members (member_count %d), want %d", len(got.Members), got.MemberCount, len(members["open-digital-planning"]))
	}
	for _, m := range got.Members {
		if len(m.Items) != members["open-digital-planning"][m.Council.Code] || m.Council.Name == "" {
			t.Errorf("member %s has %d items, the file %d", m.Council.Code, len(m.Items), members["open-digital-planning"][m.Council.Code])
		}
		for _, it := range m.Items {
			if it.Source != "digital-land-project-organisation" || !strings.Contains(it.URL, "project-organisation.csv") ||
				it.ObservedOn != "2026-08-21" || !it.Current || !strings.Contains(it.Quote, "open-digital-planning,local-authority:") {
				t.Errorf("member %s item %+v", m.Council.Code, it)
			}
		}
	}
	if !slices.ContainsFunc(got.Members, func(m struct {
		Council struct{ Code, Name string }
		Items   []struct {
			Source, URL, Quote string
			ObservedOn         string `json:"observed_on"`
			Current            bool
		}
	}) bool {
		return m.Council.Code == "E07000007"
	}) {
		t.Error("Wycombe, a former council, is not a member under its own code")
	}
	e.do("GET", "/api/v1/programmes/no-such-programme", nil, "").wantProblem(http.StatusNotFound)

	// Essex co-published the Declaration: its page of programmes cites its own blog.
	essex := itemsOf(e.do("GET", "/api/v1/councils/E10000012/programmes", nil, "").wantStatus(http.StatusOK).json())
	i := slices.IndexFunc(essex, func(m map[string]any) bool {
		return m["programme"].(map[string]any)["slug"] == "local-digital-declaration"
	})
	if i < 0 {
		t.Fatalf("Essex's programmes %v", essex)
	}
	item := essex[i]["items"].([]any)[0].(map[string]any)
	if essex[i]["programme"].(map[string]any)["kind"] != "commitment" || item["observed_on"] != "2018-07-04" || item["source"] != "web-page" ||
		!strings.HasPrefix(item["url"].(string), "https://servicetransformation.blog.essex.gov.uk/") {
		t.Errorf("Essex's Declaration %v", essex[i])
	}
	e.do("GET", "/api/v1/councils/E99999999/programmes", nil, "").wantProblem(http.StatusNotFound)
}

// The 67 real projects: councils by code, the lead matched to one of them,
// funding and dates as the source states them.
func TestProjectsFromCollaborations(t *testing.T) {
	e := newSeededEnv(t, false)
	rows := testdb.SeedCSV(t, "evidence/collaborations.csv")
	all := e.allPages("/api/v1/projects?limit=20")
	if len(all) != len(rows) || len(rows) != 67 {
		t.Fatalf("%d projects through the pages, %d rows in the file", len(all), len(rows))
	}
	bySlug := map[string]map[string]any{}
	for _, p := range all {
		bySlug[p["slug"].(string)] = p
	}
	if len(bySlug) != 67 {
		t.Fatalf("%d distinct slugs", len(bySlug))
	}

	p := bySlug["proptech-innovation-fund-round-2-award-41"]
	lead, _ := p["lead"].(map[string]any)
	want := splitCodes("E07000096; E07000102; E07000240; E07000098; E07000103; E10000015")
	if p["name"] != "PropTech Innovation Fund Round 2 - award 41" || lead["code"] != dacorum || lead["name"] != "Dacorum Borough Council" ||
		!slices.Equal(codes(p["councils"]), want) || p["funding"] != "GBP 121750" || p["started_on"] != "2022-03-01" || p["ended_on"] != nil ||
		p["programme"] != "open-digital-planning" || p["component"] != nil || p["theme"] != "engagement" ||
		p["capability"].(map[string]any)["slug"] != "planning-applications" ||
		p["source_url"] != "https://github.com/digital-land/specification/blob/5e802e8eb6f80a76dbcf085b26c74f1fe7b33599/specification/award.csv" ||
		!strings.HasPrefix(p["quote"].(string), "award 41,2022-03-01,proptech-round-2,engagement,GBP 121750,") ||
		!strings.Contains(p["notes"].(string), "fund documentation") {
		t.Errorf("award 41 %v", p)
	}
	// A company leading is kept as published, with no code; a partial date stays partial.
	if lead := bySlug["proptech-innovation-fund-6-award-550"]["lead"].(map[string]any); lead["code"] != nil || lead["name"] != "company:09801932 (company, lead applicant)" {
		t.Errorf("award 550 lead %v", lead)
	}
	ocs := bySlug["opencommunity-data-standards-for-local-community-based-services-local-digital-fund-round-1-discovery"]
	if ocs["ended_on"] != "2019-04" || ocs["funding"] != nil || ocs["lead"].(map[string]any)["code"] != nil || ocs["component"] != "open-referral-uk" {
		t.Errorf("OpenCommunity %v", ocs)
	}
	if bySlug["kingston-and-sutton-shared-wasteworks-code-fixmystreet"]["lead"] != nil {
		t.Error("a project with no lead named got one")
	}

	// Filters, each counted from the file.
	countRows := func(keep func(map[string]string) bool) int {
		n := 0
		for _, r := range rows {
			if keep(r) {
				n++
			}
		}
		return n
	}
	for path, want := range map[string]int{
		"/api/v1/projects?programme=open-digital-planning": countRows(func(r map[string]string) bool { return r["component"] == "open-digital-planning" }),
		"/api/v1/projects?component=govuk-pay":             countRows(func(r map[string]string) bool { return r["component"] == "govuk-pay" }),
		"/api/v1/projects?council=" + dacorum:              countRows(func(r map[string]string) bool { return slices.Contains(splitCodes(r["gss_codes"]), dacorum) }),
		"/api/v1/councils/" + dacorum + "/projects":        countRows(func(r map[string]string) bool { return slices.Contains(splitCodes(r["gss_codes"]), dacorum) }),
	} {
		body := e.do("GET", path, nil, "").wantStatus(http.StatusOK).json()
		if int(body["total"].(float64)) != want || want == 0 {
			t.Errorf("%s: total %v, want %d", path, body["total"], want)
		}
	}
	e.do("GET", "/api/v1/councils/E99999999/projects", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/projects?component=Not+A+Slug", nil, "").wantProblem(http.StatusBadRequest, "component")

	// CSV, as every list.
	r := e.do("GET", "/api/v1/projects?limit=5", nil, "", "Accept", "text/csv").wantStatus(http.StatusOK)
	recs, err := csv.NewReader(r.Body).ReadAll()
	if err != nil || len(recs) != 6 || !slices.Contains(recs[0], "lead.code") || !slices.Contains(recs[0], "funding") || r.Header().Get("Link") == "" {
		t.Errorf("CSV (%v): %v", err, recs)
	}
}

// The collaborations list holds the engine's groups and the real projects, each saying which it is.
func TestCollaborationsHoldBothKinds(t *testing.T) {
	e := newSeededEnv(t, false)
	for _, n := range []struct{ council, by string }{{southwark, "2027-04-01"}, {lewisham, "2027-05-15"}, {croydon, "2027-06-20"}} {
		e.do("POST", "/api/v1/needs", map[string]any{"council": n.council, "capability": "room-and-venue-hire", "needed_by": n.by}, e.admin).wantStatus(201)
	}
	// Projects are listed when their component is in the registry or they belong to a programme.
	listed := map[string]bool{"open-digital-planning": true, "local-digital-declaration": true}
	var comps struct {
		Components []struct{ Slug string } `json:"components"`
	}
	b, err := os.ReadFile("../seed/data/components.json")
	if err != nil || json.Unmarshal(b, &comps) != nil {
		t.Fatal("components.json", err)
	}
	for _, c := range comps.Components {
		listed[c.Slug] = true
	}
	wantProjects := 0
	for _, r := range testdb.SeedCSV(t, "evidence/collaborations.csv") {
		if listed[r["component"]] {
			wantProjects++
		}
	}

	items := e.allPages("/api/v1/opportunities/collaborations?limit=50")
	kinds := map[string]int{}
	for i, it := range items {
		kinds[it["kind"].(string)]++
		if it["kind"] == "computed" && (it["project"] != nil || kinds["project"] > 0) {
			t.Errorf("item %d: computed %v after a project, or naming one", i, it)
		}
		if it["capability"].(map[string]any)["slug"] == "" || len(codes(it["councils"])) == 0 {
			t.Errorf("item %d without capability or councils: %v", i, it)
		}
	}
	if kinds["computed"] != 1 || kinds["project"] != wantProjects || len(kinds) != 2 {
		t.Fatalf("kinds %v, want 1 computed and %d projects", kinds, wantProjects)
	}
	i := slices.IndexFunc(items, func(it map[string]any) bool {
		p, _ := it["project"].(map[string]any)
		return p != nil && p["slug"] == "proptech-innovation-fund-round-2-award-41"
	})
	if i < 0 {
		t.Fatal("award 41 is not among the collaborations")
	}
	it, w := items[i], items[i]["window"].(map[string]any)
	p := it["project"].(map[string]any)
	if it["capability"].(map[string]any)["slug"] != "planning-applications" || len(codes(it["councils"])) != 6 || w["from"] != "2022-03-01" || w["to"] != "" ||
		p["funding"] != "GBP 121750" || p["lead"].(map[string]any)["code"] != dacorum || p["started_on"] != "2022-03-01" || p["ended_on"] != nil ||
		!strings.HasSuffix(p["source_url"].(string), "/award.csv") {
		t.Errorf("award 41 as a collaboration %v", it)
	}
	pay := items[slices.IndexFunc(items, func(it map[string]any) bool {
		p, _ := it["project"].(map[string]any)
		return p != nil && strings.HasPrefix(p["slug"].(string), "gov-uk-pay-as-a-viable")
	})]
	if w := pay["window"].(map[string]any); w["from"] != "2018-12-07" || w["to"] != "2019-03-29" || pay["capability"].(map[string]any)["slug"] != "online-card-payments" {
		t.Errorf("GOV.UK Pay discovery %v", pay)
	}

	for kind, want := range map[string]int{"computed": 1, "project": wantProjects} {
		body := e.do("GET", "/api/v1/opportunities/collaborations?kind="+kind, nil, "").wantStatus(http.StatusOK).json()
		if int(body["total"].(float64)) != want {
			t.Errorf("kind=%s: total %v, want %d", kind, body["total"], want)
		}
	}
	e.do("GET", "/api/v1/opportunities/collaborations?kind=imagined", nil, "").wantProblem(http.StatusBadRequest, "kind")
}

// A second seed changes no programme, member or project.
func TestProgrammesSeedIsIdempotent(t *testing.T) {
	e := newSeededEnv(t, false)
	tables := []string{"programmes", "programme_members", "projects", "project_councils"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = e.count("SELECT count(*) FROM " + tb)
	}
	audit := e.count("SELECT count(*) FROM audit_log")
	rep, err := seed.Reference().Load(context.Background(), e.st, false) // the same data as the first seed
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[string]int{"programmes": 2, "programme_members": 222, "projects": 67} {
		if rep.Created[kind] != 0 || rep.Updated[kind] != 0 || rep.Unchanged[kind] != want {
			t.Errorf("%s: %d created, %d updated, %d unchanged; want %d unchanged", kind, rep.Created[kind], rep.Updated[kind], rep.Unchanged[kind], want)
		}
	}
	for _, tb := range tables {
		if n := e.count("SELECT count(*) FROM " + tb); n != before[tb] {
			t.Errorf("%s: %d rows after the second seed, %d before", tb, n, before[tb])
		}
	}
	if e.count("SELECT count(*) FROM audit_log") != audit {
		t.Error("a second seed wrote to the audit log")
	}
}
