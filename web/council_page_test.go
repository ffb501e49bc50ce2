package web_test

import (
	"html"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/seed"
)

// section is the page's HTML from the element with this id to the next h2.
func section(t *testing.T, page, id string) string {
	t.Helper()
	start := strings.Index(page, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("the page has no #%s", id)
	}
	rest := page[start:]
	if end := strings.Index(rest[1:], "<h2"); end >= 0 {
		return rest[:end+1]
	}
	return rest
}

// TestCouncilPageSaysHowStrong: each opportunity says in words how strong it
// is and how many of the closest peers run it, naming them as a list; peers
// say how alike they are; no bare score.
func TestCouncilPageSaysHowStrong(t *testing.T) {
	e := newEnv(t)
	page := e.get("/councils/"+lambeth).want(200, "text/html").Body.String()
	list := section(t, page, "opportunity-list")
	ops := e.get("/api/v1/councils/" + lambeth + "/opportunities").json()["items"].([]any)
	peers := e.get("/api/v1/councils/" + lambeth + "/peers").json()["items"].([]any)
	if n := strings.Count(list, "Strong match") + strings.Count(list, "Good match") + strings.Count(list, "Possible match"); n != len(ops) {
		t.Errorf("%d opportunities say how strong they are, want all %d", n, len(ops))
	}
	if strings.Contains(list, "out of 100") {
		t.Error("opportunities still give a bare score")
	}
	for _, o := range ops {
		using := o.(map[string]any)["peers_using"].([]any)
		if len(using) == 0 {
			continue
		}
		if want := "used live by " + itoa(len(using)) + " of your " + itoa(len(peers)) + " closest peers"; !strings.Contains(list, want) {
			t.Errorf("no opportunity says %q", want)
		}
		if len(using) > 2 && !strings.Contains(list, `</a>, <a class="govuk-link" href="/councils/`) {
			t.Error("peers running it are not listed with commas")
		}
	}
	if strings.Contains(list, `</a> and <a class="govuk-link" href="/councils/`) == strings.Contains(list, `</a>, and <a class="govuk-link" href="/councils/`) && strings.Contains(list, "Peers running it") {
		t.Error("a list of peers does not end with one \"and\"")
	}
	peerTable := section(t, page, "peers")
	if !strings.Contains(peerTable, "How alike") || !(strings.Contains(peerTable, "Very similar") || strings.Contains(peerTable, "Similar")) {
		t.Error("peers do not say how alike they are")
	}
}

// TestCouncilPageNamesCountyAndCombinedAuthority: a district names and links
// its county, a council in a combined authority names and links it.
func TestCouncilPageNamesCountyAndCombinedAuthority(t *testing.T) {
	e := newEnv(t)
	checked := map[string]bool{}
	for _, c := range e.allItems("/api/v1/councils?type=non-metropolitan-district") {
		for _, field := range []string{"county", "combined_authority"} {
			code, _ := c[field].(string)
			if code == "" || checked[field] {
				continue
			}
			checked[field] = true
			parent := e.get("/api/v1/councils/" + code).json()
			page := e.get("/councils/"+c["code"].(string)).want(200, "text/html").Body.String()
			if want := `<a class="govuk-link" href="/councils/` + code + `">` + html.EscapeString(parent["name"].(string)) + `</a>`; !strings.Contains(page, want) {
				t.Errorf("%s's page does not link its %s: want %s", c["name"], field, want)
			}
		}
	}
	for _, c := range e.allItems("/api/v1/councils?type=metropolitan-district") {
		if code, _ := c["combined_authority"].(string); code != "" && !checked["ca-met"] {
			checked["ca-met"] = true
			page := e.get("/councils/" + c["code"].(string)).Body.String()
			if !strings.Contains(page, "Combined authority</dt>") || !strings.Contains(page, `href="/councils/`+code+`"`) {
				t.Errorf("%s's page does not link its combined authority %s", c["name"], code)
			}
		}
	}
	if !checked["county"] || !(checked["combined_authority"] || checked["ca-met"]) {
		t.Fatalf("checked %v: a useless case", checked)
	}
}

// TestCouncilPageLeavesOutWhatItsTierDoesNotProvide: a district's page leaves
// out the gaps GOV.UK's list says only counties and unitaries provide (social
// care), naming them, and keeps the API's other opportunities in its order.
func TestCouncilPageLeavesOutWhatItsTierDoesNotProvide(t *testing.T) {
	e := newEnv(t)
	tiers, err := seed.ServiceTiers()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string][]int{}
	for _, c := range e.allItems("/api/v1/capabilities") {
		for _, n := range c["lgsl_codes"].([]any) {
			codes[c["slug"].(string)] = append(codes[c["slug"].(string)], int(n.(float64)))
		}
	}
	found := 0
	for _, typ := range []string{"non-metropolitan-district", "county"} {
		powers := map[string]string{"county": "upper tier", "non-metropolitan-district": "lower tier"}[typ]
		for _, c := range e.allItems("/api/v1/councils?type=" + typ) {
			ops := e.get("/api/v1/councils/" + c["code"].(string) + "/opportunities").json()["items"].([]any)
			var kept, left []string
			for _, o := range ops {
				m := o.(map[string]any)
				capSlug := m["capability"].(map[string]any)["slug"].(string)
				own := slices.ContainsFunc(m["reasons"].([]any), func(r any) bool {
					k := r.(map[string]any)["kind"]
					return k != "gap" && k != "peer_adoption"
				})
				if own || models.ServiceApplies(powers, codes[capSlug], tiers) {
					kept = append(kept, "/components/"+m["component"].(map[string]any)["slug"].(string))
				} else {
					left = append(left, capSlug)
				}
			}
			if len(left) == 0 {
				continue
			}
			found++
			page := e.get("/councils/"+c["code"].(string)).want(200, "text/html").Body.String()
			if len(kept) > 0 {
				if got := linksUnder(section(t, page, "opportunity-list"), "/components/"); strings.Join(got, " ") != strings.Join(kept, " ") {
					t.Errorf("%s shows\n%v\nwant\n%v", c["name"], got, kept)
				}
			}
			leftOut := section(t, page, "left-out")
			for _, slug := range left {
				if !strings.Contains(leftOut, `href="/capabilities/`+slug+`"`) {
					t.Errorf("%s does not say it left out %s", c["name"], slug)
				}
			}
			if found >= 3 {
				return
			}
		}
	}
	if found == 0 {
		t.Fatal("no county or district has an opportunity its tier does not provide: a useless case")
	}
}

// TestCouncilPageFlagsDeprecatedProducts: a council still running a deprecated
// or retired product is told so, with what councils like it use instead and
// the councils in its region who could move with it.
func TestCouncilPageFlagsDeprecatedProducts(t *testing.T) {
	e := newEnv(t)
	ms := e.get("/api/v1/opportunities/migrations").json()["items"].([]any)
	if len(ms) == 0 {
		t.Fatal("no migrations: a useless case")
	}
	m := ms[0].(map[string]any)
	comp := m["component"].(map[string]any)
	councils := m["councils"].([]any)
	code := councils[0].(string)
	page := e.get("/councils/"+code).want(200, "text/html").Body.String()
	sec := section(t, page, "migrations")
	if !strings.Contains(sec, `href="/components/`+comp["slug"].(string)+`"`) || !strings.Contains(sec, html.EscapeString(sentenceCase(m["lifecycle"].(string)))) {
		t.Errorf("%s's page does not flag %s as %s:\n%s", code, comp["name"], m["lifecycle"], sec)
	}
	if others := len(councils) - 1; others > 0 && !strings.Contains(sec, itoa(others)+" other") {
		t.Errorf("%s's page does not say %d other councils still run %s", code, others, comp["name"])
	}
	if !strings.Contains(sec, "Councils like yours use instead") || !strings.Contains(sec, "Could move with you") {
		t.Errorf("the migration gives no replacement or group:\n%s", sec)
	}
	if strings.Contains(e.get("/councils/"+lambeth).Body.String(), `id="migrations"`) && !slices.Contains(councils, any(lambeth)) {
		t.Log("Lambeth runs another deprecated product")
	}
}

// TestCouncilPageWithNothingRecorded: a current council with no adoptions is
// told how to record them and what its peers run most.
func TestCouncilPageWithNothingRecorded(t *testing.T) {
	e := newEnv(t)
	for _, c := range e.allItems("/api/v1/councils") {
		if c["adoption_count"].(float64) != 0 || !c["delivers_services"].(bool) {
			continue
		}
		page := e.get("/councils/"+c["code"].(string)).want(200, "text/html").Body.String()
		next := section(t, page, "next-step")
		for _, want := range []string{`href="/list-your-component#councils"`, `href="/swagger/index.html"`} {
			if !strings.Contains(next, want) {
				t.Errorf("%s's next step does not link %s", c["name"], want)
			}
		}
		if ops := e.get("/api/v1/councils/" + c["code"].(string) + "/opportunities").json()["items"].([]any); len(ops) > 0 && !strings.Contains(next, "closest peers run most") {
			t.Logf("%s: no peer runs any of its opportunities", c["name"])
		}
		if strings.Contains(e.get("/councils/"+lambeth).Body.String(), `id="next-step"`) {
			t.Error("Lambeth, which has recorded adoptions, is shown the next step for councils with none")
		}
		return
	}
	t.Fatal("every council has an adoption: a useless case")
}

// TestCouncilPageShowsProjectsAsGroups: each real project lists its councils
// by name, as a list.
func TestCouncilPageShowsProjectsAsGroups(t *testing.T) {
	e := newEnv(t)
	projects := e.allItems("/api/v1/councils/" + lambeth + "/projects")
	if len(projects) == 0 {
		t.Fatal("Lambeth takes part in no project: a useless case")
	}
	sec := section(t, e.get("/councils/"+lambeth).Body.String(), "project-list")
	for _, p := range projects {
		for _, c := range p["councils"].([]any) {
			if !strings.Contains(sec, `href="/councils/`+c.(string)+`"`) {
				t.Errorf("project %q does not link its council %s", p["name"], c)
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// sentenceCase is how tags write a value: "deprecated" is "Deprecated".
func sentenceCase(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
