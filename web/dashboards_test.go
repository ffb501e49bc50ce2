package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/council-components/registry/api/apitest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/web"
)

func (e *env) patch(path, body, key string) response {
	e.t.Helper()
	return response{apitest.Serve(e.served, http.MethodPatch, path, strings.NewReader(body), key), e.t}
}

// every reads all pages of a store list.
func every[T any](t *testing.T, list func(models.Page) (models.List[T], error)) []T {
	t.Helper()
	var out []T
	p := models.Page{Limit: models.MaxPageSize}
	for {
		l, err := list(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l.Items...)
		if l.Next == "" {
			return out
		}
		p.Cursor = l.Next
	}
}

// commas writes n as the pages do, with a comma every three digits.
func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

var apiLink = regexp.MustCompile(`href="(/api/v1/[^"#]+)"`)

// figure is the number a headline figure shows, found by its id.
func figure(t *testing.T, page, id string) string {
	t.Helper()
	at := strings.Index(page, `id="`+id+`">`)
	if at < 0 {
		t.Fatalf("no figure %s", id)
	}
	rest := page[at+len(`id="`+id+`">`):]
	return rest[:strings.Index(rest, "<")]
}

// The headline figures are counted from the same rows the API and dashboards list.
func TestDashboardHeadlineFigures(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// A vendor's claim the council has not verified, which no figure counts.
	e.post("/api/v1/components", `{"slug":"test-claimed-pay","name":"Test Claimed Pay","summary":"A test product.",
		"vendor":"government-digital-service","capabilities":["online-card-payments"],"lifecycle":"live"}`, e.adminKey()).want(http.StatusCreated, "application/json")
	e.post("/api/v1/adoptions", `{"council":"E09000022","component":"test-claimed-pay","capability":"online-card-payments","status":"live"}`,
		e.keyFor(models.RoleVendor, "government-digital-service")).want(http.StatusCreated, "application/json")
	// A live adoption an admin records at a former council, which the current councils' figures leave out.
	former := e.get("/api/v1/councils?status=former&limit=1").json()["items"].([]any)[0].(map[string]any)["code"].(string)
	e.post("/api/v1/adoptions", `{"council":"`+former+`","component":"test-claimed-pay","capability":"online-card-payments","status":"live"}`,
		e.adminKey()).want(http.StatusCreated, "application/json")
	page := e.get("/dashboards").want(200, "text/html").Body.String()

	// Councils with any recorded use: current councils with an adoption that counts (not rejected, not an unconfirmed vendor claim).
	councils := every(t, func(p models.Page) (models.List[models.Council], error) {
		return e.st.ListCouncils(ctx, models.CouncilFilter{}, p)
	})
	current := map[string]bool{}
	for _, c := range councils {
		current[c.Code] = true
	}
	adoptions := every(t, func(p models.Page) (models.List[models.Adoption], error) {
		return e.st.ListAdoptions(ctx, models.AdoptionFilter{}, p)
	})
	using := map[string]bool{}
	live := 0
	claims, formerLive := 0, 0
	for _, a := range adoptions {
		counts := a.Verification != "rejected" && (a.Verified || a.Source != "vendor")
		switch {
		case a.Status == "live" && counts && current[a.Council]:
			live++
		case a.Status == "live" && counts:
			formerLive++
		case a.Status == "live":
			claims++
		}
		if current[a.Council] && counts {
			using[a.Council] = true
		}
	}
	if len(using) == 0 || len(using) >= len(councils) {
		t.Fatalf("%d of %d councils using something: a useless case", len(using), len(councils))
	}
	if got := figure(t, page, "figure-councils-with-use"); got != commas(len(using)) {
		t.Errorf("councils with any recorded use %s, the rows say %d", got, len(using))
	}
	if !strings.Contains(page, "</span> of "+commas(len(councils))+" councils") {
		t.Errorf("the page does not say of %d councils", len(councils))
	}
	// Live adoptions: current councils' that count; the API lists former councils' too, and the claims as pending.
	apiLive := e.get("/api/v1/adoptions?status=live&limit=1").json()["total"].(float64)
	if got := figure(t, page, "figure-live-adoptions"); got != commas(live) || live+formerLive+claims != int(apiLive) || claims != 1 || formerLive < 1 {
		t.Errorf("live adoptions %s, the rows %d that count, %d of former councils and %d claims, the API lists %v", got, live, formerLive, claims, apiLive)
	}
	if home := e.get("/").want(200, "text/html").Body.String(); !strings.Contains(home, ">"+commas(live)+"</span> live adoptions") {
		t.Errorf("the home page does not say %s live adoptions", commas(live))
	}

	// Capabilities with no live component anywhere: the consolidation rows with no council.
	uncovered := 0
	for _, it := range e.allItems("/api/v1/opportunities/consolidation?limit=100") {
		if it["councils"].(float64) == 0 {
			uncovered++
		}
	}
	if got := figure(t, page, "figure-uncovered"); uncovered == 0 || got != commas(uncovered) {
		t.Errorf("uncovered capabilities %s, the rows say %d", got, uncovered)
	}

	// Components in decline still in use, and the councils running them.
	migs := e.allItems("/api/v1/opportunities/migrations?limit=100")
	running := map[string]bool{}
	for _, m := range migs {
		for _, c := range m["councils"].([]any) {
			running[c.(string)] = true
		}
	}
	if got := figure(t, page, "figure-declining"); len(migs) == 0 || got != commas(len(migs)) {
		t.Errorf("components in decline %s, the API lists %d", got, len(migs))
	}
	if !strings.Contains(page, "still run by "+commas(len(running))+" councils") {
		t.Errorf("the page does not say still run by %d councils", len(running))
	}
}

// Every dashboard links its data as CSV and JSON, and the ZIP export; each link answers.
func TestDashboardDownloads(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/dashboards", "/dashboards/coverage", "/dashboards/consolidation", "/dashboards/migrations", "/dashboards/collaborations"} {
		page := e.get(path).want(200, "text/html").Body.String()
		if !strings.Contains(page, `href="/api/v1/export"`) {
			t.Errorf("%s: no link to the ZIP export", path)
		}
		csv, json := 0, 0
		for _, m := range apiLink.FindAllStringSubmatch(page, -1) {
			href := strings.ReplaceAll(m[1], "&amp;", "&")
			switch {
			case strings.HasSuffix(href, "format=csv"):
				csv++
				e.get(href).want(200, "text/csv")
				if j := strings.TrimSuffix(href, "&format=csv"); !strings.Contains(page, `href="`+strings.ReplaceAll(j, "&", "&amp;")+`"`) {
					t.Errorf("%s: CSV %s without its JSON %s", path, href, j)
				}
			case strings.HasPrefix(href, "/api/v1/stats/") || strings.HasPrefix(href, "/api/v1/opportunities/"):
				json++
				e.get(href).want(200, "application/json")
			}
		}
		if want := map[string]int{"/dashboards": 4}[path]; csv < max(want, 1) || csv != json {
			t.Errorf("%s: %d CSV links and %d JSON links", path, csv, json)
		}
	}
	e.get("/api/v1/export").want(200, "application/zip")
}

// The heat map hides the capabilities nobody runs anything live for, behind a link that shows them.
func TestCoverageHidesEmptyRows(t *testing.T) {
	e := newEnv(t)
	cov := e.get("/api/v1/stats/coverage?by=region").json()["items"].([]any)
	empty := 0
	for _, it := range cov {
		if it.(map[string]any)["live_councils"].(float64) == 0 {
			empty++
		}
	}
	if empty == 0 || empty == len(cov) {
		t.Fatalf("%d of %d capabilities empty: a useless case", empty, len(cov))
	}
	rows := func(page string) int { return strings.Count(page, `<tr class="govuk-table__row">`) - 1 } // less the header
	page := e.get("/dashboards/coverage").want(200, "text/html").Body.String()
	if n := rows(page); n != len(cov)-empty {
		t.Errorf("%d rows shown, want the %d with live use", n, len(cov)-empty)
	}
	want := fmt.Sprintf(`%d of %d capabilities have no live component anywhere and are hidden. <a class="govuk-link" href="/dashboards/coverage?all=1">Show all %d capabilities</a>`, empty, len(cov), len(cov))
	if !strings.Contains(page, want) {
		t.Errorf("no toggle saying %q", want)
	}
	if !strings.Contains(page, "app-sticky-first") {
		t.Error("the first column does not stay in place")
	}
	all := e.get("/dashboards/coverage?all=1").want(200, "text/html").Body.String()
	if n := rows(all); n != len(cov) {
		t.Errorf("?all=1 shows %d rows, want %d", n, len(cov))
	}
	if !strings.Contains(all, `href="/dashboards/coverage">Hide the capabilities`) {
		t.Error("?all=1 has no link back")
	}
	// Anything else is the default view, never an error.
	for _, q := range []string{"?all=0", "?all=yes", "?all=%00", "?all=1&all=2"} {
		if n := rows(e.get("/dashboards/coverage"+q).want(200, "text/html").Body.String()); n != len(cov)-empty && n != len(cov) {
			t.Errorf("%s: %d rows", q, n)
		}
	}
}

// Migrations name each council's region and contract end, soonest first, and
// what councils that left the component moved to.
func TestMigrationsShowRegionsContractsAndMoves(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	key := e.adminKey()
	migs := e.allItems("/api/v1/opportunities/migrations?limit=100")
	if len(migs) == 0 {
		t.Fatal("no migrations")
	}
	// A component in decline with two live councils and a capability other components serve.
	var slug string
	var soon, leaver models.Adoption
	var to models.Component
	for _, m := range migs {
		slug = m["component"].(map[string]any)["slug"].(string)
		uses, err := e.st.ListAdoptions(ctx, models.AdoptionFilter{Component: slug, Status: "live"}, models.Page{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(uses.Items) < 2 {
			continue
		}
		soon, leaver = uses.Items[0], uses.Items[1]
		for _, c := range every(t, func(p models.Page) (models.List[models.Component], error) {
			return e.st.ListComponents(ctx, models.ComponentFilter{Capability: leaver.Capability}, p)
		}) {
			if c.Lifecycle != "deprecated" && c.Lifecycle != "retired" {
				to = c
				break
			}
		}
		if to.Slug != "" {
			break
		}
	}
	if to.Slug == "" && leaver.ID != 0 { // nothing else serves the capability: list a fictional replacement
		e.post("/api/v1/components", fmt.Sprintf(`{"slug":"test-new-suite","name":"Test New Suite","summary":"A test replacement.",
			"vendor":"demo-legacy-revenues","capabilities":[%q],"hosting":"saas","pricing":"free","lifecycle":"live"}`, leaver.Capability), key).
			want(http.StatusCreated, "application/json")
		to = models.Component{Slug: "test-new-suite", Name: "Test New Suite"}
	}
	if to.Slug == "" {
		t.Fatal("no component in decline with two live councils")
	}
	// One council's contract ends soon; another leaves it for the replacement.
	e.patch(fmt.Sprintf("/api/v1/adoptions/%d", soon.ID), `{"contract_end_on":"2026-11-30"}`, key).want(http.StatusOK, "application/json")
	e.patch(fmt.Sprintf("/api/v1/adoptions/%d", leaver.ID), `{"status":"retiring"}`, key).want(http.StatusOK, "application/json")
	e.patch(fmt.Sprintf("/api/v1/adoptions/%d", leaver.ID), `{"status":"retired"}`, key).want(http.StatusOK, "application/json")
	e.post("/api/v1/adoptions", fmt.Sprintf(`{"council":%q,"component":%q,"capability":%q,"status":"live"}`, leaver.Council, to.Slug, leaver.Capability), key).
		want(http.StatusCreated, "application/json")

	page := e.get("/dashboards/migrations").want(200, "text/html").Body.String()
	at := strings.Index(page, `id="migration-`+slug+`"`)
	if at < 0 {
		t.Fatalf("%s not on the first page", slug)
	}
	section := page[at:]
	section = section[:strings.Index(section, "</section>")]
	council, err := e.st.GetCouncil(ctx, soon.Council)
	if err != nil {
		t.Fatal(err)
	}
	row := fmt.Sprintf(`<a class="govuk-link" href="/councils/%s">%s</a></th>
      <td class="govuk-table__cell">%s</td>
      <td class="govuk-table__cell">30 November 2026</td>`, council.Code, council.Name, council.Region)
	if !strings.Contains(section, row) {
		t.Errorf("no row for %s with its region and contract end:\n%s", council.Name, section)
	}
	if first := strings.Index(section, "<tbody"); !strings.Contains(section[first:first+400], council.Code) {
		t.Error("the soonest contract end is not first")
	}
	moved := fmt.Sprintf(`<a class="govuk-link" href="/components/%s">%s</a> (1 council)`, to.Slug, to.Name)
	if !strings.Contains(section, "moved to:</strong> ") || !strings.Contains(section, moved) {
		t.Errorf("no move to %s:\n%s", to.Slug, section)
	}
	if strings.Contains(section, `href="/councils/`+leaver.Council+`"`) {
		t.Error("the council that left is still listed")
	}
}

// The long dashboards come in numbered pages; any page query gives a page, never an error.
func TestDashboardPages(t *testing.T) {
	e := newEnv(t)
	total := len(e.allItems("/api/v1/opportunities/collaborations?limit=100&kind=computed"))
	if total <= web.DashboardPageSize {
		t.Fatalf("%d groups fit one page: a useless case", total)
	}
	last := (total + web.DashboardPageSize - 1) / web.DashboardPageSize
	page := e.get("/dashboards/collaborations").want(200, "text/html").Body.String()
	if !strings.Contains(page, fmt.Sprintf(`href="/dashboards/collaborations?page=%d" aria-label="Page %d"`, last, last)) ||
		!strings.Contains(page, `rel="next"`) || strings.Contains(page, `rel="prev"`) {
		t.Error("page 1 has no link to the last page and the next")
	}
	end := e.get(fmt.Sprintf("/dashboards/collaborations?page=%d", last)).want(200, "text/html").Body.String()
	if n := strings.Count(end, `<section class="app-group"`); n != total-(last-1)*web.DashboardPageSize {
		t.Errorf("last page has %d groups", n)
	}
	for _, q := range []string{"?page=0", "?page=-3", "?page=abc", "?page=99999999999999999999", fmt.Sprintf("?page=%d", last+5)} {
		for _, path := range []string{"/dashboards/collaborations", "/dashboards/migrations"} {
			e.get(path+q).want(200, "text/html")
		}
	}
	// A group of many councils lists them as links, not a comma-separated wall.
	if strings.Contains(page, `</a>, <a class="govuk-link" href="/councils/`) {
		t.Error("councils run together with commas")
	}
	if !strings.Contains(page, `<ul class="govuk-list app-council-list"><li><a class="govuk-link" href="/councils/`) {
		t.Error("no list of council links")
	}
}
