package web_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/api/apitest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/web"
)

const (
	lambeth  = "E09000022"
	brighton = "E06000043"
)

func TestPages(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		path   string
		status int
		ctype  string
		want   []string
	}{
		{"/", 200, "text/html", []string{"Find and reuse council digital components", `<span class="app-stats__number">397</span> councils`,
			`action="/components"`, `href="/components/govuk-notify"`, `aria-current="true"`}},
		{"/components", 200, "text/html", []string{`<h1 class="govuk-heading-xl">Components</h1>`, `name="capability"`, `name="lifecycle"`,
			`name="open_source"`, `name="hosting"`, `name="standard"`, `rel="next"`, `<option value="hsds">HSDS (Open Referral)</option>`}},
		{"/components?q=drupal", 200, "text/html", []string{"Components matching ‘drupal’", `href="/components/localgov-drupal"`, "most relevant first"}},
		{"/components?q=zzzznothing", 200, "text/html", []string{"0 components", "No components match"}},
		{"/components/localgov-drupal", 200, "text/html", []string{"<h1 class=\"govuk-heading-xl\">LocalGov Drupal</h1>", "GPL-2.0-or-later",
			`href="/capabilities/website-content-management"`, `href="https://github.com/localgovdrupal/localgov"`, `role="img" aria-labelledby="chart-title chart-desc"`,
			`role="group" aria-labelledby="map-title map-desc"`, "Live adoptions per month as a table", `id="adopters-live"`, "Published evidence", "Verified"}},
		{"/councils", 200, "text/html", []string{"397 current councils", `href="/councils/S12000033"`}}, // Aberdeen City, first A to Z
		{"/councils?q=lambeth", 200, "text/html", []string{"1 current council", `href="/councils/` + lambeth + `"`}},
		{"/councils/" + lambeth, 200, "text/html", []string{"London Borough of Lambeth", "Reuse opportunities", `id="opportunity-list"`,
			"What it uses", "Needs", "Closest peers", "321,813"}},
		{"/capabilities", 200, "text/html", []string{"Online card payments", `href="/capabilities/online-card-payments"`,
			">Case management and CRM</caption>", ">Complaints and FOI</caption>", ">Integration and APIs</caption>"}},
		{"/components/fixmystreet", 200, "text/html", []string{`<a class="govuk-link" href="/components?standard=open311">Open311</a>`}},
		{"/capabilities/online-card-payments", 200, "text/html", []string{"Components by live adoption", `href="/components/govuk-pay"`,
			"By nation", "By region", "Scotland", "Northern Ireland"}},
		{"/dashboards", 200, "text/html", []string{`href="/dashboards/coverage"`, `href="/dashboards/consolidation"`,
			`href="/dashboards/migrations"`, `href="/dashboards/collaborations"`}},
		{"/dashboards/coverage", 200, "text/html", []string{"app-heat-cell app-heat-", "London", "Wales", `role="region"`, `tabindex="0"`}},
		{"/dashboards/consolidation", 200, "text/html", []string{"Concentration", `href="/capabilities/`}},
		{"/dashboards/migrations", 200, "text/html", []string{`href="/components/demo-legacy-ctax"`, "Deprecated"}},
		{"/dashboards/collaborations", 200, "text/html", []string{"Window", `href="/councils/`}},
		{"/assets/app.css", 200, "text/css", []string{".govuk-service-navigation", "system-ui"}},
		{"/assets/govuk-frontend.min.js", 200, "text/javascript", []string{"initAll"}},
		{"/assets/init.js", 200, "text/javascript", []string{"initAll()"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			e := &env{t: t, st: e.st, router: e.router, served: apitest.Validated(t, e.router)}
			body := e.get(tc.path).want(tc.status, tc.ctype).Body.String()
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page does not contain %q", w)
				}
			}
			if tc.ctype == "text/html" {
				if strings.Contains(body, "GDS Transport") {
					t.Error("page names the GDS Transport font")
				}
				if !regexp.MustCompile(`<link rel="stylesheet" href="/assets/app.css\?v=[0-9a-f]{16}">`).MatchString(body) {
					t.Error("page does not load the versioned stylesheet")
				}
			}
		})
	}
}

func TestStylesheetUsesSystemFonts(t *testing.T) {
	css := newEnv(t).get("/assets/app.css").want(200, "text/css").Body.String()
	if strings.Contains(css, "GDS Transport") || strings.Contains(css, "@font-face") || strings.Contains(css, ".woff") {
		t.Error("the stylesheet ships or names the GDS Transport font")
	}
}

// resultSlugs are the components listed on a components page, in order.
func resultSlugs(page string) []string {
	start := strings.Index(page, `id="results"`)
	if start < 0 {
		return nil
	}
	end := strings.Index(page[start:], "</ul>\n")
	var out []string
	for _, l := range linksUnder(page[start:start+end], "/components/") {
		out = append(out, strings.TrimPrefix(l, "/components/"))
	}
	return out
}

var nextLink = regexp.MustCompile(`href="([^"]+)" rel="next"`)

// The components page lists the same components, page by page, as the API
// does for the same search and filters: a search in the same order; a list
// with nothing searched for ranked products before councils' in-house builds
// (a vendor of kind in-house), each most used first, then by name.
func TestComponentsPageMatchesAPI(t *testing.T) {
	e := newEnv(t)
	for _, query := range []string{"", "q=drupal", "q=council", "q=payments", "capability=online-card-payments",
		"capability=online-card-payments&open_source=true", "lifecycle=deprecated", "hosting=saas", "open_source=false&q=case"} {
		t.Run(query, func(t *testing.T) {
			e := &env{t: t, st: e.st, router: e.router, served: apitest.Validated(t, e.router)}
			var api []string
			items := e.allItems("/api/v1/components?limit=20&" + query)
			if !strings.Contains(query, "q=") { // the page ranks products first, then by use, then name
				rankByUse(e, items)
			}
			for _, it := range items {
				api = append(api, it["slug"].(string))
			}
			var pages []string
			n := 0
			for path := "/components?" + query; path != ""; n++ {
				body := e.get(path).want(200, "text/html").Body.String()
				got := resultSlugs(body)
				if len(got) > 20 {
					t.Fatalf("page of %d results, want at most 20", len(got))
				}
				pages = append(pages, got...)
				path = ""
				if m := nextLink.FindStringSubmatch(body); m != nil {
					path = html.UnescapeString(m[1])
				}
				if n > 50 {
					t.Fatal("pagination does not end")
				}
			}
			if len(api) == 0 && query != "lifecycle=deprecated" {
				t.Fatalf("the API finds nothing for %q: a useless case", query)
			}
			if strings.Join(pages, " ") != strings.Join(api, " ") {
				t.Errorf("pages list\n%v\nthe API lists\n%v", pages, api)
			}
			total := e.get("/api/v1/components?limit=1&" + query).json()["total"].(float64)
			body := e.get("/components?" + query).Body.String()
			if want := fmt.Sprintf("%d component", int(total)); !strings.Contains(body, want) {
				t.Errorf("page does not say %q", want)
			}
		})
	}
}

// The pages read their query strings with the API's parsing, so a query the
// API refuses is refused on the page (as a 400 page) with the same words, and
// one it takes is taken. A search is the exception in wording only: people
// typed it, so its form says what to do in plain words.
func TestPageQueriesParseAsTheAPIDoes(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		page, query string
		status      int
		want        string // in the API's problem, and in the 400 page unless onPage says otherwise
		onPage      string
	}{
		{"/components", "open_source=yes", 400, "open_source must be true or false", ""},
		{"/components", "capability=Online_Payments", 400, "capability must be a lowercase-hyphenated slug", ""},
		{"/components", "standard=WCAG%202.2", 400, "standard must be a lowercase-hyphenated slug", ""},
		{"/components", "q=" + strings.Repeat("x", 201), 400, "q must be at most 200 characters", "Search for 200 characters or fewer"},
		{"/components", "cursor=" + strings.Repeat("x", 1025), 400, "cursor " + models.CursorProblem, ""},
		{"/councils", "cursor=" + strings.Repeat("x", 1025), 400, "cursor " + models.CursorProblem, ""},
		{"/components", "open_source=1&capability=online-card-payments", 200, "", ""},
	} {
		t.Run(tc.page+"?"+tc.query[:min(len(tc.query), 40)], func(t *testing.T) {
			e := &env{t: t, st: e.st, router: e.router, served: apitest.Validated(t, e.router)}
			page := e.get(tc.page+"?"+tc.query).want(tc.status, "text/html").Body.String()
			wantType := "application/json"
			if tc.status != 200 {
				wantType = "application/problem+json"
			}
			api := e.get("/api/v1"+tc.page+"?"+tc.query).want(tc.status, wantType)
			if tc.status != 200 {
				if onPage := cmp.Or(tc.onPage, tc.want); !strings.Contains(page, onPage) {
					t.Errorf("page does not say %q: %.300s", onPage, page)
				}
				field, msg, _ := strings.Cut(tc.want, " ")
				if !strings.Contains(api.Body.String(), `"field":"`+field+`","message":"`+msg+`"`) {
					t.Errorf("API does not say %q: %.300s", tc.want, api.Body.String())
				}
				return
			}
			// open_source=1 is true to both, and the page's filter shows it so.
			if !strings.Contains(page, `<option value="true" selected>`) {
				t.Error("the open source filter does not show true")
			}
			total := int(api.json()["total"].(float64))
			if got := len(resultSlugs(page)); total == 0 || got != min(total, 20) {
				t.Errorf("%d results on the page, the API has %d", got, total)
			}
		})
	}
}

// TestSearchErrorsOnTheForm: a search the service cannot make is answered on
// the same page, as GOV.UK forms answer: a 400 with an error summary linked to
// the field, the message beside it, what was typed kept, the other filters
// still chosen; a search as long as the inputs allow is made.
func TestSearchErrorsOnTheForm(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("x", 201)
	for _, tc := range []struct{ path, input string }{
		{"/components?capability=online-card-payments&q=" + long, "q"},
		{"/councils?q=" + long, "council-q"},
	} {
		t.Run(tc.path[:strings.Index(tc.path, "?")], func(t *testing.T) {
			r := e.get(tc.path).want(http.StatusBadRequest, "text/html")
			page := r.Body.String()
			for _, want := range []string{
				"<title>Error: ", `<div class="govuk-error-summary" data-module="govuk-error-summary">`,
				`<a href="#` + tc.input + `">Search for 200 characters or fewer</a>`,
				`<div class="govuk-form-group govuk-form-group--error">`,
				`<p id="` + tc.input + `-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Search for 200 characters or fewer</p>`,
				`id="` + tc.input + `" name="q" type="search" value="` + long + `" maxlength="200"`,
			} {
				if !strings.Contains(page, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if !regexp.MustCompile(`<input class="[^"]*govuk-input--error[^"]*" id="` + tc.input + `"[^>]* aria-describedby="[^"]*` + tc.input + `-error"`).MatchString(page) {
				t.Error("the input is not marked in error and described by its message")
			}
			if strings.Contains(page, "There is a problem with the web address") || strings.Contains(page, "must be at most") {
				t.Error("the search error is shown as an error page, or in the API's words")
			}
			if strings.Contains(page, `id="results"`) || strings.Contains(page, "current councils") {
				t.Error("results are listed for a search that was not made")
			}
			if r.Header().Get("Cache-Control") != "no-store" || r.Header().Get("ETag") != "" {
				t.Errorf("a form in error may be kept: Cache-Control %q, ETag %q", r.Header().Get("Cache-Control"), r.Header().Get("ETag"))
			}
		})
	}
	// The other filters stay chosen on the components form.
	page := e.get("/components?capability=online-card-payments&q=" + long).Body.String()
	if !strings.Contains(page, `<option value="online-card-payments" selected>`) {
		t.Error("the capability filter is lost")
	}
	// Any other problem in the address is still the error page, in the API's words.
	e.get("/components?lifecycle=bogus&q="+long).want(http.StatusBadRequest, "text/html")
	if page := e.get("/components?lifecycle=bogus&q=" + long).Body.String(); !strings.Contains(page, "There is a problem with the web address") {
		t.Error("a bad filter beside a long search is not the error page")
	}
	// As long as the inputs allow is searched, on every search form.
	e.get("/components?q="+strings.Repeat("x", 200)).want(http.StatusOK, "text/html")
	e.get("/councils?q="+strings.Repeat("x", 200)).want(http.StatusOK, "text/html")
	home := e.get("/").Body.String()
	if !strings.Contains(home, `id="search-q" name="q" type="search" value="" maxlength="200"`) {
		t.Error("the home page's search has no maxlength")
	}
}

func TestComponentPage(t *testing.T) {
	e := newEnv(t)
	page := e.get("/components/localgov-drupal").want(200, "text/html").Body.String()

	// Every adoption the API knows is listed under its status, linked to the council.
	type ad struct {
		council, status string
		verified        bool
	}
	var ads []ad
	for _, it := range e.get("/api/v1/adoptions?component=localgov-drupal&limit=100").json()["items"].([]any) {
		m := it.(map[string]any)
		ads = append(ads, ad{m["council"].(string), m["status"].(string), m["verified"].(bool)})
	}
	if len(ads) < 10 {
		t.Fatalf("only %d adoptions of localgov-drupal: a useless case", len(ads))
	}
	inUse, verifiedInUse := 0, 0
	for _, status := range []string{"live", "piloting", "exploring", "retiring", "retired"} {
		var want []string
		verified := 0
		for _, a := range ads {
			if a.status == status {
				want = append(want, "/councils/"+a.council)
				if a.verified {
					verified++
				}
				if status == "live" || status == "piloting" || status == "retiring" {
					inUse++
					if a.verified {
						verifiedInUse++
					}
				}
			}
		}
		start := strings.Index(page, `id="adopters-`+status+`"`)
		if len(want) == 0 {
			if start >= 0 {
				t.Errorf("a %s table with no %s adoptions", status, status)
			}
			continue
		}
		if start < 0 {
			t.Fatalf("no table of %s adopters", status)
		}
		table := page[start : start+strings.Index(page[start:], "</table>")]
		checkCouncilsListed(t, status+" adopters", table, want, verified)
	}

	// The map's dots hold every council in use (all have locations) once, verified ones counted.
	dots := regexp.MustCompile(`data-councils="(\d+)" data-verified="(\d+)"`).FindAllStringSubmatch(page, -1)
	placed, marked := 0, 0
	for _, d := range dots {
		n, _ := strconv.Atoi(d[1])
		v, _ := strconv.Atoi(d[2])
		placed, marked = placed+n, marked+v
	}
	if n := strings.Count(page, `class="app-map__dot app-map__adopter`); placed != inUse || n != len(dots) {
		t.Errorf("map shows %d adopters in %d dots (%d circles), want %d", placed, len(dots), n, inUse)
	}
	if marked != verifiedInUse {
		t.Errorf("map marks %d verified, want %d", marked, verifiedInUse)
	}
	if n := strings.Count(page, `class="app-map__council"`); n < 350 {
		t.Errorf("map background has %d councils, want every current council with a location", n)
	}

	// The chart's table holds exactly the API's monthly figures.
	months := e.get("/api/v1/stats/adoptions?component=localgov-drupal").json()["items"].([]any)
	rows := regexp.MustCompile(`<th scope="row" class="govuk-table__header">([A-Z][a-z]+ \d{4})</th><td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>`).FindAllStringSubmatch(page, -1)
	if len(rows) != len(months) || len(months) == 0 {
		t.Fatalf("chart table has %d months, the API %d", len(rows), len(months))
	}
	for i, m := range months {
		mm := m.(map[string]any)
		if got, want := rows[i][2], fmt.Sprint(mm["live"]); got != want {
			t.Errorf("month %s: %s live, the API says %s", mm["month"], got, want)
		}
	}
	last := months[len(months)-1].(map[string]any)
	if want := fmt.Sprintf("went from %v to %v", months[0].(map[string]any)["live"], last["live"]); !strings.Contains(page, want) {
		t.Errorf("chart description does not say %q", want)
	}
}

func TestCouncilPage(t *testing.T) {
	e := newEnv(t)
	page := e.get("/councils/"+lambeth).want(200, "text/html").Body.String()

	ops := e.get("/api/v1/councils/" + lambeth + "/opportunities").json()["items"].([]any)
	if len(ops) == 0 {
		t.Fatal("the API has no opportunities for Lambeth: a useless case")
	}
	start := strings.Index(page, `id="opportunity-list"`)
	list := page[start : start+strings.Index(page[start:], "</ol>")]
	var got, want []string
	for _, l := range linksUnder(list, "/components/") {
		got = append(got, l)
	}
	dated := 0
	for _, o := range ops {
		m := o.(map[string]any)
		want = append(want, "/components/"+m["component"].(map[string]any)["slug"].(string))
		for _, r := range m["reasons"].([]any) {
			api := r.(map[string]any)["detail"].(string)
			if detail := html.EscapeString(withLongDays(api)); !strings.Contains(list, detail) {
				t.Errorf("reason %q is not shown (as %q)", api, detail)
			}
			if isoDays.MatchString(api) {
				dated++
			}
		}
		for _, p := range m["peers_using"].([]any) {
			if !strings.Contains(list, `href="/councils/`+p.(string)+`"`) {
				t.Errorf("peer %s using %v is not linked", p, m["component"])
			}
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("opportunities\n%v\nthe API's\n%v", got, want)
	}
	if dated == 0 || isoDays.MatchString(list) {
		t.Errorf("%d reasons give a day, and the page writes one as YYYY-MM-DD: %v", dated, isoDays.FindString(list))
	}

	peers := e.get("/api/v1/councils/" + lambeth + "/peers").json()["items"].([]any)
	start = strings.Index(page, `id="peers"`)
	section := page[start:]
	var gotPeers, wantPeers []string
	for _, l := range linksUnder(section, "/councils/") {
		gotPeers = append(gotPeers, l)
	}
	for _, p := range peers {
		wantPeers = append(wantPeers, "/councils/"+p.(map[string]any)["council"].(map[string]any)["code"].(string))
	}
	if len(wantPeers) == 0 || strings.Join(gotPeers, " ") != strings.Join(wantPeers, " ") {
		t.Errorf("peers\n%v\nthe API's\n%v", gotPeers, wantPeers)
	}

	uses := e.get("/api/v1/adoptions?council=" + lambeth + "&limit=100").json()["items"].([]any)
	start = strings.Index(page, `id="uses"`)
	table := page[start : start+strings.Index(page[start:], "</table>")]
	for _, u := range uses {
		slug := u.(map[string]any)["component"].(string)
		if !strings.Contains(table, `href="/components/`+slug+`"`) {
			t.Errorf("Lambeth uses %s, not listed", slug)
		}
	}
	if n := strings.Count(table, `<tr class="govuk-table__row">`) - 1; n != len(uses) {
		t.Errorf("%d uses listed, the API has %d", n, len(uses))
	}

	// A former council says so and links its successor; it has no opportunities.
	former := e.get("/api/v1/councils?status=former&limit=1").json()["items"].([]any)[0].(map[string]any)
	fpage := e.get("/councils/"+former["code"].(string)).want(200, "text/html").Body.String()
	if !strings.Contains(fpage, "This council no longer exists") || !strings.Contains(fpage, "Former councils are not given opportunities") {
		t.Error("former council page does not say it is former")
	}
	for _, s := range former["successors"].([]any) {
		if !strings.Contains(fpage, `href="/councils/`+s.(string)+`"`) {
			t.Errorf("successor %s is not linked", s)
		}
	}
}

func TestCapabilityPage(t *testing.T) {
	e := newEnv(t)
	const capability = "online-card-payments"
	page := e.get("/capabilities/"+capability).want(200, "text/html").Body.String()

	// Ranked by councils running each component live, from the API's adoptions.
	councils := map[string]map[string]bool{}
	for _, m := range e.allItems("/api/v1/adoptions?status=live&limit=100&capability=" + capability) {
		comp := m["component"].(string)
		if councils[comp] == nil {
			councils[comp] = map[string]bool{}
		}
		councils[comp][m["council"].(string)] = true
	}
	var want []string
	for c := range councils {
		want = append(want, c)
	}
	slices.SortFunc(want, func(a, b string) int {
		if d := len(councils[b]) - len(councils[a]); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	if len(want) < 2 {
		t.Fatalf("%d components live for %s: a useless case", len(want), capability)
	}
	start := strings.Index(page, "Components by live adoption")
	table := page[start : start+strings.Index(page[start:], "</table>")]
	var got []string
	for _, l := range linksUnder(table, "/components/") {
		got = append(got, strings.TrimPrefix(l, "/components/"))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ranking\n%v\nfrom the API\n%v", got, want)
	}
	for _, c := range want {
		if !strings.Contains(table, fmt.Sprintf(`">%d</td>`, len(councils[c]))) {
			t.Errorf("%s: count %d not shown", c, len(councils[c]))
		}
	}

	// Coverage by nation agrees with the API's statistics.
	cov := e.get("/api/v1/stats/coverage?by=nation&capability=" + capability).json()["items"].([]any)[0].(map[string]any)
	for _, g := range cov["breakdown"].([]any) {
		m := g.(map[string]any)
		row := fmt.Sprintf(`<th scope="row" class="govuk-table__header">%s</th>
      <td class="govuk-table__cell govuk-table__cell--numeric">%v of %v</td>`, m["group"], m["live_councils"], m["councils"])
		if !strings.Contains(page, row) {
			t.Errorf("coverage row for %s missing: want %v of %v", m["group"], m["live_councils"], m["councils"])
		}
	}
}

func TestDashboards(t *testing.T) {
	e := newEnv(t)

	// Heat map, every row shown: one row per capability, a cell per region plus the total, numbers in every cell.
	cov := e.get("/api/v1/stats/coverage?by=region").json()["items"].([]any)
	page := e.get("/dashboards/coverage?all=1").want(200, "text/html").Body.String()
	regions := len(cov[0].(map[string]any)["breakdown"].([]any))
	if n, want := strings.Count(page, `<td class="govuk-table__cell app-heat-cell app-heat-`), len(cov)*(regions+1); n != want || regions < 10 {
		t.Errorf("%d heat cells, want %d (%d regions)", n, want, regions)
	}
	for _, it := range cov {
		m := it.(map[string]any)
		if m["live_councils"].(float64) == 0 {
			continue
		}
		for _, g := range m["breakdown"].([]any) {
			gm := g.(map[string]any)
			cell := fmt.Sprintf(" (%v of %v councils)</span>", gm["live_councils"], gm["councils"])
			if !strings.Contains(page, cell) {
				t.Errorf("%v in %v: no cell saying %q", m["capability"], gm["group"], cell)
			}
		}
		break
	}

	// Consolidation: the API's capabilities with live adoptions, in its order.
	items := e.get("/api/v1/opportunities/consolidation?limit=100").json()["items"].([]any)
	var want []string
	for _, it := range items {
		m := it.(map[string]any)
		if m["councils"].(float64) > 0 {
			want = append(want, "/capabilities/"+m["capability"].(map[string]any)["slug"].(string))
		}
	}
	page = e.get("/dashboards/consolidation").want(200, "text/html").Body.String()
	main := page[strings.Index(page, "<main"):]
	if got := linksUnder(main, "/capabilities/"); len(want) == 0 || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("consolidation\n%v\nthe API's\n%v", got, want)
	}

	// Migrations: each component with every council still running it.
	migs := e.get("/api/v1/opportunities/migrations?limit=100").json()["items"].([]any)
	page = e.get("/dashboards/migrations").want(200, "text/html").Body.String()
	if len(migs) == 0 {
		t.Fatal("no migrations in the demo world: a useless case")
	}
	for _, it := range migs {
		m := it.(map[string]any)
		for _, c := range m["councils"].([]any) {
			if !strings.Contains(page, `href="/councils/`+c.(string)+`"`) {
				t.Errorf("%v: council %s not listed", m["component"], c)
			}
		}
	}

	// Collaborations: one group (across the pages) or real project row per item the API reports.
	total := e.get("/api/v1/opportunities/collaborations?limit=1").json()["total"].(float64)
	page = e.get("/dashboards/collaborations").want(200, "text/html").Body.String()
	headers := strings.Count(page, `<thead class="govuk-table__head">`)
	n := strings.Count(page, `<tr class="govuk-table__row">`) - headers
	for p := 1; ; p++ {
		page = e.get(fmt.Sprintf("/dashboards/collaborations?page=%d", p)).want(200, "text/html").Body.String()
		n += strings.Count(page, `<section class="app-group"`)
		if !strings.Contains(page, `rel="next"`) {
			break
		}
	}
	if total == 0 || n != int(total) {
		t.Errorf("%d collaboration groups and rows, the API has %v", n, total)
	}
}

// A write shows on the next page view: the cache is keyed by the database version.
func TestPagesFollowWrites(t *testing.T) {
	e := newEnv(t)
	const path = "/components/govuk-pay"
	first := e.get(path).want(200, "text/html")
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if strings.Contains(first.Body.String(), `href="/councils/`+brighton+`"`) {
		t.Fatal("Brighton already listed: pick another council")
	}
	e.get(path, "If-None-Match", etag).want(http.StatusNotModified, "")

	e.post("/api/v1/adoptions", `{"council":"`+brighton+`","component":"govuk-pay","capability":"online-card-payments","status":"live"}`, e.adminKey()).
		want(http.StatusCreated, "application/json")

	second := e.get(path, "If-None-Match", etag).want(200, "text/html")
	if second.Header().Get("ETag") == etag {
		t.Error("ETag unchanged after a write")
	}
	if !strings.Contains(second.Body.String(), `href="/councils/`+brighton+`"`) {
		t.Error("the new adopter is not on the page after the write")
	}
	council := e.get("/councils/" + brighton).Body.String()
	start := strings.Index(council, `id="uses"`)
	if !strings.Contains(council[start:], `href="/components/govuk-pay"`) {
		t.Error("the council page does not show the new adoption")
	}
}

func TestErrorPages(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		method, path string
		status       int
		ctype, want  string
	}{
		{"GET", "/no-such-page", 404, "text/html", "Page not found"},
		{"GET", "/components/no-such-component", 404, "text/html", "Page not found"},
		{"GET", "/councils/X99999999", 404, "text/html", "Page not found"},
		{"GET", "/capabilities/no-such-capability", 404, "text/html", "Page not found"},
		{"GET", "/assets/no-such-file.css", 404, "text/html", "Page not found"},
		{"GET", "/components?lifecycle=bogus", 400, "text/html", "lifecycle must be one of"},
		{"GET", "/components?open_source=maybe", 400, "text/html", "open_source must be true or false"},
		{"GET", "/components?cursor=not-a-cursor", 400, "text/html", "There is a problem with the web address"},
		{"GET", "/api/v1/no-such-thing", 404, "application/problem+json", `"status":404`},
		{"GET", "/api", 404, "application/problem+json", `"status":404`},
		{"GET", "/healthz/extra", 404, "text/html", "Page not found"},
		{"POST", "/no-such-page", 404, "application/problem+json", `"status":404`},
		{"POST", "/components", 405, "application/problem+json", `"status":405`},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			w := httptest.NewRecorder()
			e.router.ServeHTTP(w, req)
			r := response{w, t}.want(tc.status, tc.ctype)
			if !strings.Contains(r.Body.String(), tc.want) {
				t.Errorf("body does not contain %q: %.300s", tc.want, r.Body.String())
			}
			if tc.ctype == "text/html" {
				if !strings.Contains(r.Body.String(), "<title>Error: ") || !strings.Contains(r.Body.String(), `class="govuk-service-navigation"`) {
					t.Error("error page is not a full GOV.UK page")
				}
				if r.Header().Get("Cache-Control") != "no-store" {
					t.Error("error page may be cached")
				}
			}
		})
	}

	// With the database gone, pages get the HTML 500 page and the API its problem.
	e.st.Close()
	e.get("/components").want(500, "text/html")
	if body := e.get("/").Body.String(); !strings.Contains(body, "Sorry, there is a problem with the service") || strings.Contains(body, "sql") {
		t.Errorf("500 page: %.300s", body)
	}
	e.get("/api/v1/components").want(500, "application/problem+json")
}

func TestPanicGivesHTMLErrorPage(t *testing.T) {
	// The error page needs no store.
	site, err := web.New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/boom", site.Recover, func(*gin.Context) { panic("boom") })
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/boom", nil))
	res := response{w, t}.want(500, "text/html")
	if !strings.Contains(res.Body.String(), "Sorry, there is a problem with the service") || strings.Contains(res.Body.String(), "boom") {
		t.Errorf("panic page: %.300s", res.Body.String())
	}
}

func TestIsPage(t *testing.T) {
	for path, want := range map[string]bool{
		"/": true, "/components": true, "/councils/E09000022": true, "/assets/app.css": true, "/nope": true,
		"/api": false, "/api/v1/components": false, "/healthz": false, "/readyz": false, "/metrics": false,
		"/openapi.json": false, "/swagger/index.html": false,
	} {
		if got := web.IsPage(path); got != want {
			t.Errorf("IsPage(%q) = %v, want %v", path, got, want)
		}
	}
}

// TestAboutDataAndTheDemoBanner: the data page counts what the registry holds
// from each source, and while demo data is loaded every page says so.
func TestAboutDataAndTheDemoBanner(t *testing.T) {
	e := newEnv(t)
	page := e.get("/about/data").want(200, "text/html").Body.String()
	for _, want := range []string{"CC BY 4.0", "UK Local Authority Names and Codes", "LocalGov Drupal documentation",
		"has demo data loaded now", `href="/api/v1/export"`} {
		if !strings.Contains(page, want) {
			t.Errorf("/about/data lacks %q", want)
		}
	}
	db, err := e.st.ReaderDB()
	if err != nil {
		t.Fatal(err)
	}
	var items int
	if err := db.QueryRow("SELECT count(*) FROM adoption_evidence WHERE source = 'localgov-drupal-docs'").Scan(&items); err != nil || items == 0 {
		t.Fatalf("%d LocalGov Drupal items (%v): a useless case", items, err)
	}
	if !strings.Contains(page, fmt.Sprintf(`<td class="govuk-table__cell govuk-table__cell--numeric">%d (%d)</td>`, items, items)) {
		t.Errorf("/about/data does not count the %d LocalGov Drupal evidence items", items)
	}
	for _, path := range []string{"/", "/components/govuk-pay", "/about/data"} {
		if !strings.Contains(e.get(path).Body.String(), "Illustrative demo data is loaded") {
			t.Errorf("%s: no demo banner while demo data is loaded", path)
		}
	}
}

// TestCouncilPageListsItsRealProjects: the projects a council took part in, as
// the API lists them, each linked to its source.
func TestCouncilPageListsItsRealProjects(t *testing.T) {
	e := newEnv(t)
	projects := e.allItems("/api/v1/councils/" + lambeth + "/projects")
	if len(projects) == 0 {
		t.Fatal("Lambeth takes part in no project: a useless case")
	}
	page := e.get("/councils/"+lambeth).want(200, "text/html").Body.String()
	for _, p := range projects {
		if !strings.Contains(page, `href="`+html.EscapeString(p["source_url"].(string))+`" rel="noreferrer">`+html.EscapeString(p["name"].(string))+`</a>`) {
			t.Errorf("Lambeth's page does not list project %q linked to its source", p["name"])
		}
	}
	if !strings.Contains(page, "Member of:") && len(e.allItems("/api/v1/councils/"+lambeth+"/programmes")) > 0 {
		t.Error("Lambeth's programmes are not shown")
	}
}

// TestAccessibilityStatement: the statement is linked from every page's
// footer, says what was tested with the axe-core the tests run, and carries
// the enforcement procedure GOV.UK statements give.
func TestAccessibilityStatement(t *testing.T) {
	e := newEnv(t)
	page := e.get("/accessibility").want(200, "text/html").Body.String()
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	b, err := os.ReadFile("package.json")
	if err != nil || json.Unmarshal(b, &pkg) != nil || pkg.DevDependencies["axe-core"] == "" {
		t.Fatalf("package.json names no axe-core (%v)", err)
	}
	for _, want := range []string{"<h1 class=\"govuk-heading-xl\">Accessibility statement</h1>",
		"axe-core " + pkg.DevDependencies["axe-core"], "WCAG) 2.0, 2.1 and 2.2", "320 and 390 pixels wide", "Tab key",
		`id="known-issues"`, `id="report"`, "Enforcement procedure", "Equality and Human Rights Commission (EHRC)",
		"Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018",
		`href="https://www.equalityadvisoryservice.com/"`, "Equality Commission for Northern Ireland", "partially compliant"} {
		if !strings.Contains(page, want) {
			t.Errorf("the statement lacks %q", want)
		}
	}
	for _, path := range []string{"/", "/components/govuk-pay", "/dashboards/coverage", "/accessibility"} {
		if !strings.Contains(e.get(path).Body.String(), `<a class="govuk-footer__link" href="/accessibility">Accessibility statement</a>`) {
			t.Errorf("%s: the footer does not link the accessibility statement", path)
		}
	}
}

// TestFooterSaysWhenTheDataLastChanged: every page's footer gives the day of
// the newest entry in the public change feed; a change to API keys, which
// the feed leaves out, does not move it, and a change to the data does.
func TestFooterSaysWhenTheDataLastChanged(t *testing.T) {
	e := newEnv(t)
	lastUpdated := regexp.MustCompile(`id="last-updated">Data last updated <time datetime="(\d{4}-\d{2}-\d{2})">([^<]+)</time>`)
	footer := func(path string) (string, string) {
		t.Helper()
		m := lastUpdated.FindStringSubmatch(e.get(path).want(200, "text/html").Body.String())
		if m == nil {
			t.Fatalf("%s: no last updated date in the footer", path)
		}
		return m[1], m[2]
	}
	at := e.get("/api/v1/changes?limit=1").json()["items"].([]any)[0].(map[string]any)["at"].(string)
	newest, err := time.Parse(time.RFC3339, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/councils/" + lambeth, "/accessibility"} {
		if iso, _ := footer(path); iso != newest.Format(time.DateOnly) {
			t.Errorf("%s: last updated %s, the newest change is of %s", path, iso, at)
		}
	}

	// Forty days on, a key is made (not public), then an adoption (public).
	later := time.Date(newest.Year(), newest.Month(), newest.Day()+40, 9, 0, 0, 0, time.UTC)
	e.st.Now = func() time.Time { return later }
	key := e.adminKey()
	if iso, _ := footer("/"); iso != newest.Format(time.DateOnly) {
		t.Errorf("a new API key moved last updated to %s", iso)
	}
	e.post("/api/v1/adoptions", `{"council":"`+brighton+`","component":"govuk-pay","capability":"online-card-payments","status":"live"}`, key).
		want(http.StatusCreated, "application/json")
	if iso, day := footer("/"); iso != later.Format(time.DateOnly) || day != later.Format("2 January 2006") {
		t.Errorf("after a write on %s the footer says %s (%s)", later.Format(time.DateOnly), day, iso)
	}
}

// vendorRowPattern reads a row of the vendors page's table: a vendor's slug, kind, components and councils.
var vendorRowPattern = regexp.MustCompile(`<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/vendors/([^"]+)">[^<]*</a></th>\s*` +
	`<td class="govuk-table__cell">([^<]*)</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">([\d,]+)</td>\s*` +
	`<td class="govuk-table__cell govuk-table__cell--numeric">([\d,]+)</td>`)

// vendorFigure is what the API says of a vendor: its name, kind, how many
// components it lists and how many councils use one of them (in use, not a
// claim awaiting the council), counted from the API's own lists.
type vendorFigure struct {
	slug, name, kind     string
	components, councils int
}

func (e *env) vendorFigures() map[string]*vendorFigure {
	e.t.Helper()
	out := map[string]*vendorFigure{}
	for _, v := range e.allItems("/api/v1/vendors?limit=100") {
		out[v["slug"].(string)] = &vendorFigure{slug: v["slug"].(string), name: v["name"].(string), kind: v["kind"].(string)}
	}
	vendorOf := map[string]string{}
	for _, c := range e.allItems("/api/v1/components?limit=100") {
		vendorOf[c["slug"].(string)] = c["vendor"].(string)
		out[c["vendor"].(string)].components++
	}
	using := map[string]map[string]bool{}
	for _, a := range e.allItems("/api/v1/adoptions?limit=100") {
		status := a["status"].(string)
		if (status != "piloting" && status != "live" && status != "retiring") || (a["source"] == "vendor" && !a["verified"].(bool)) {
			continue
		}
		v := vendorOf[a["component"].(string)]
		if using[v] == nil {
			using[v] = map[string]bool{}
		}
		using[v][a["council"].(string)] = true
	}
	for v, councils := range using {
		out[v].councils = len(councils)
	}
	return out
}

// keyFor creates a key of role for org (a vendor slug or a council code).
func (e *env) keyFor(role, org string) string {
	e.t.Helper()
	key, _, err := e.st.CreateKey(context.Background(), models.Actor{Key: "test", Role: models.RoleAdmin}, role, org, "test", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return key
}

// The vendors page lists every vendor with the API's figures, in the order
// asked for, page by page, filtered by kind, with sortable column headings.
func TestVendorsPage(t *testing.T) {
	e := newEnv(t)
	admin := e.adminKey()
	// Enough vendors for a second page; some with components, so councils ties are broken by name.
	for i := range 12 {
		e.post("/api/v1/vendors", fmt.Sprintf(`{"slug":"test-vendor-%02d","name":"test vendor %02d","website":"https://v%02d.example","kind":"commercial"}`, i, 11-i, i), admin).
			want(http.StatusCreated, "application/json")
	}
	e.post("/api/v1/components", `{"slug":"test-booking","name":"Test booking","summary":"s","vendor":"test-vendor-03","capabilities":["appointment-booking"],"lifecycle":"live"}`, admin).
		want(http.StatusCreated, "application/json")
	e.post("/api/v1/adoptions", `{"council":"`+brighton+`","component":"test-booking","capability":"appointment-booking","status":"live"}`, admin).
		want(http.StatusCreated, "application/json")
	figures := e.vendorFigures()
	if len(figures) <= 20 {
		t.Fatalf("%d vendors: one page, a useless case", len(figures))
	}
	kinds := map[string]string{"public-sector": "Public sector body", "commercial": "Company", "community": "Community project",
		"non-profit": "Charity or non-profit", "in-house": "Council in-house team"}

	for _, tc := range []struct {
		query, kind string
		order       func(x, y *vendorFigure) int
	}{
		{"", "", nil},
		{"sort=name", "", nil},
		{"sort=councils", "", func(x, y *vendorFigure) int { return y.councils - x.councils }},
		{"sort=councils&kind=public-sector", "public-sector", func(x, y *vendorFigure) int { return y.councils - x.councils }},
		{"kind=commercial", "commercial", nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			e := &env{t: t, st: e.st, router: e.router, served: apitest.Validated(t, e.router)}
			var want []*vendorFigure
			for _, f := range figures {
				if tc.kind == "" || f.kind == tc.kind {
					want = append(want, f)
				}
			}
			slices.SortFunc(want, func(x, y *vendorFigure) int {
				if tc.order != nil {
					if d := tc.order(x, y); d != 0 {
						return d
					}
				}
				return cmp.Or(strings.Compare(strings.ToLower(x.name), strings.ToLower(y.name)), strings.Compare(x.slug, y.slug))
			})
			var got []string
			n := 0
			for path := "/vendors?" + tc.query; path != ""; n++ {
				body := e.get(path).want(200, "text/html").Body.String()
				rows := vendorRowPattern.FindAllStringSubmatch(body, -1)
				if len(rows) > 20 {
					t.Fatalf("page of %d vendors, want at most 20", len(rows))
				}
				for _, r := range rows {
					f := figures[r[1]]
					got = append(got, r[1])
					if f == nil {
						t.Fatalf("page lists %s, which the API does not", r[1])
					}
					if r[2] != kinds[f.kind] || r[3] != thousands(f.components) || r[4] != thousands(f.councils) {
						t.Errorf("%s: kind %q, %s components, %s councils; the API's: %s, %d, %d", f.slug, r[2], r[3], r[4], f.kind, f.components, f.councils)
					}
				}
				if want := fmt.Sprintf("%d vendors", len(want)); !strings.Contains(body, want) {
					t.Errorf("page does not say %q", want)
				}
				// Sorting starts again from the first page, keeping the filter.
				sortLinks := regexp.MustCompile(`aria-sort="(ascending|descending|none)"><a class="govuk-link" href="([^"]+)">`).FindAllStringSubmatch(body, -1)
				wantName, wantCouncils := "ascending", "none"
				if strings.Contains(tc.query, "sort=councils") {
					wantName, wantCouncils = "none", "descending"
				}
				kindParam := ""
				if tc.kind != "" {
					kindParam = "kind=" + tc.kind + "&amp;"
				}
				if len(sortLinks) != 2 || sortLinks[0][1] != wantName || sortLinks[1][1] != wantCouncils ||
					sortLinks[0][2] != "/vendors?"+kindParam+"sort=name" || sortLinks[1][2] != "/vendors?"+kindParam+"sort=councils" {
					t.Errorf("column headings' sorting: %q", sortLinks)
				}
				if n > 0 && !strings.Contains(body, `aria-label="Page 1"`) {
					t.Error("a later page has no link to the first")
				}
				path = ""
				if m := nextLink.FindStringSubmatch(body); m != nil {
					path = html.UnescapeString(m[1])
				}
				if n > 10 {
					t.Fatal("pagination does not end")
				}
			}
			if tc.kind == "" && n < 2 {
				t.Errorf("%d pages, want two or more", n)
			}
			var wantSlugs []string
			for _, f := range want {
				wantSlugs = append(wantSlugs, f.slug)
			}
			if strings.Join(got, " ") != strings.Join(wantSlugs, " ") {
				t.Errorf("pages list\n%v\nwant\n%v", got, wantSlugs)
			}
		})
	}

	page := e.get("/vendors").want(200, "text/html").Body.String()
	for _, want := range []string{`href="/list-your-component"`, `<option value="in-house">Council in-house team</option>`,
		`<a class="govuk-service-navigation__link" href="/vendors" aria-current="true">`} {
		if !strings.Contains(page, want) {
			t.Errorf("/vendors lacks %q", want)
		}
	}
	for query, want := range map[string]string{"kind=bogus": "kind must be one of", "sort=popular": "Sort by vendor name or by councils using them",
		"cursor=not-a-cursor": "There is a problem with the web address"} {
		if body := e.get("/vendors?"+query).want(400, "text/html").Body.String(); !strings.Contains(body, want) {
			t.Errorf("/vendors?%s does not say %q", query, want)
		}
	}
}

// A vendor's page lists its components and, for each, the councils using it
// with how each is vouched for; its claims awaiting councils are listed and
// counted apart until the council verifies them, and rejected ones not at all.
func TestVendorPage(t *testing.T) {
	e := newEnv(t)
	const gds = "government-digital-service"
	const path = "/vendors/" + gds

	// Claims: one the council will verify, one it rejects.
	vendorKey := e.keyFor(models.RoleVendor, gds)
	claim := e.post("/api/v1/adoptions", `{"council":"`+brighton+`","component":"govuk-design-system","capability":"front-end-design-system","status":"live"}`, vendorKey).
		want(http.StatusCreated, "application/json").json()
	rejected := e.post("/api/v1/adoptions", `{"council":"`+lambeth+`","component":"govuk-design-system","capability":"front-end-design-system","status":"piloting"}`, vendorKey).
		want(http.StatusCreated, "application/json").json()
	e.post(fmt.Sprintf("/api/v1/adoptions/%v/reject", rejected["id"]), `{"reason":"not us"}`, e.keyFor(models.RoleCouncil, lambeth)).
		want(http.StatusOK, "application/json")

	check := func(wantClaim bool) {
		t.Helper()
		page := e.get(path).want(200, "text/html").Body.String()
		figures := e.vendorFigures()[gds]
		comps := e.allItems("/api/v1/components?vendor=" + gds + "&limit=100")
		if len(comps) < 3 {
			t.Fatalf("GDS lists %d components: a useless case", len(comps))
		}
		for _, want := range []string{"<h1 class=\"govuk-heading-xl\">Government Digital Service</h1>", "Public sector body",
			`href="https://www.gov.uk/government/organisations/government-digital-service" rel="noreferrer"`,
			fmt.Sprintf(`<dd class="govuk-summary-list__value">%d</dd>`, len(comps)),
			fmt.Sprintf(`<dd class="govuk-summary-list__value">%s <span`, thousands(figures.councils)),
			`href="/list-your-component"`, `href="/api/v1/components?vendor=` + gds + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("vendor page lacks %q", want)
			}
		}
		offers := page[strings.Index(page, `id="offers"`):strings.Index(page, `id="users"`)]
		for _, c := range comps {
			slug := c["slug"].(string)
			row := fmt.Sprintf(`<a class="govuk-link" href="/components/%s">%s</a></th>`, slug, html.EscapeString(c["name"].(string)))
			i := strings.Index(offers, row)
			if i < 0 {
				t.Errorf("%s is not offered", slug)
				continue
			}
			counts := fmt.Sprintf(`--numeric">%v</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">%v</td>`, thousands(int(c["adoption_count"].(float64))), c["claimed_count"])
			if !strings.Contains(offers[i:i+strings.Index(offers[i:], "</tr>")], counts) {
				t.Errorf("%s: counts not shown as %d adopting, %v claimed", slug, int(c["adoption_count"].(float64)), c["claimed_count"])
			}

			// Each council using it, linked, verified ones marked; claims awaiting councils not among them.
			var want []string
			verified := 0
			for _, a := range e.allItems("/api/v1/adoptions?limit=100&component=" + slug) {
				status := a["status"].(string)
				if (status == "piloting" || status == "live" || status == "retiring") && (a["source"] != "vendor" || a["verified"].(bool)) {
					want = append(want, "/councils/"+a["council"].(string))
					if a["verified"].(bool) {
						verified++
					}
				}
			}
			start := strings.Index(page, `id="users-`+slug+`"`)
			if len(want) == 0 {
				if start >= 0 {
					t.Errorf("%s: a table of users, with none", slug)
				}
				continue
			}
			if start < 0 {
				t.Errorf("%s: no table of the councils using it", slug)
				continue
			}
			checkCouncilsListed(t, "councils using "+slug, page[start:start+strings.Index(page[start:], "</table>")], want, verified)
		}
		claims := strings.Index(page, `id="claims"`)
		if !wantClaim {
			if claims >= 0 {
				t.Error("a claims section with no claim awaiting a council")
			}
			return
		}
		if claims < 0 {
			t.Fatal("no claims section")
		}
		table := page[claims : claims+strings.Index(page[claims:], "</table>")]
		if got := linksUnder(table, "/councils/"); strings.Join(got, " ") != "/councils/"+brighton {
			t.Errorf("claims awaiting councils name %v, want Brighton alone (Lambeth rejected its claim)", got)
		}
		if !strings.Contains(page, `1 claim about 1 council</a>`) {
			t.Error("the claim is not counted on its own")
		}
		if strings.Contains(page, `id="users-govuk-design-system"`) {
			t.Error("the claim awaiting Brighton is listed among the councils using the GOV.UK Design System")
		}
	}
	check(true)

	e.post(fmt.Sprintf("/api/v1/adoptions/%v/verify", claim["id"]), "", e.keyFor(models.RoleCouncil, brighton)).want(http.StatusOK, "application/json")
	check(false)
	page := e.get(path).Body.String()
	start := strings.Index(page, `id="users-govuk-design-system"`)
	if start < 0 {
		t.Fatal("the verified claim does not make Brighton a council using the GOV.UK Design System")
	}
	if got := linksUnder(page[start:start+strings.Index(page[start:], "</table>")], "/councils/"); strings.Join(got, " ") != "/councils/"+brighton {
		t.Errorf("councils using the GOV.UK Design System: %v, want Brighton alone (Lambeth rejected the claim about it)", got)
	}

	e.get("/vendors/no-such-vendor").want(404, "text/html")
	if body := e.get("/vendors/no-such-vendor").Body.String(); !strings.Contains(body, "Page not found") {
		t.Error("an unknown vendor does not get the 404 page")
	}
	// The component page names its vendor with a link to the vendor's page.
	if body := e.get("/components/govuk-pay").Body.String(); !strings.Contains(body, `<a class="govuk-link" href="/vendors/`+gds+`">Government Digital Service</a>`) {
		t.Error("the component page does not link its vendor's page")
	}
}

// The guide for vendors explains keys, the API's routes and how claims are verified, and every page links it.
func TestListYourComponentGuide(t *testing.T) {
	e := newEnv(t)
	page := e.get("/list-your-component").want(200, "text/html").Body.String()
	for _, want := range []string{"<h1 class=\"govuk-heading-xl\">List your component</h1>", "registry’s administrators",
		"registry keys create --role vendor --org acme", "Authorization: Bearer", "POST /api/v1/components", "PATCH /api/v1/components/{slug}",
		`curl -X POST "$REGISTRY/api/v1/components/import?vendor=acme"`, "&amp;capabilities=appointment-booking", "--data-binary @publiccode.yml",
		"POST /api/v1/adoptions", "pending until the council verifies it", "<code>claimed_count</code>", "rejects it", "409",
		"/verify", "/reject", "/clear-rejection", `href="/swagger/index.html"`, `href="/openapi.json"`, `href="/vendors"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the guide lacks %q", want)
		}
	}
	// The capability in its examples is a real one.
	e.get("/capabilities/appointment-booking").want(200, "text/html")
	for _, path := range []string{"/", "/components/govuk-pay", "/list-your-component"} {
		body := e.get(path).Body.String()
		if !strings.Contains(body, `<a class="govuk-service-navigation__link" href="/vendors"`) {
			t.Errorf("%s: no Vendors in the navigation", path)
		}
		if !strings.Contains(body, `<a class="govuk-footer__link" href="/list-your-component">List your component</a>`) {
			t.Errorf("%s: the footer does not link the guide", path)
		}
	}
}

// thousands writes n as the pages do, with commas.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// checkCouncilsListed checks that a table of councils links exactly want
// (council page paths, in any order) and marks verified of them verified.
func checkCouncilsListed(t *testing.T, what, table string, want []string, verified int) {
	t.Helper()
	got := linksUnder(table, "/councils/")
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s\n%v\nwant\n%v", what, got, want)
	}
	if n := strings.Count(table, ">Verified</strong>"); n != verified {
		t.Errorf("%s: %d marked verified, want %d", what, n, verified)
	}
}

// rankByUse puts API components in the components page's order with nothing
// searched for: products before in-house builds, most used first, then by name.
func rankByUse(e *env, items []map[string]any) {
	inHouse := map[string]bool{}
	for _, v := range e.allItems("/api/v1/vendors?limit=100") {
		inHouse[v["slug"].(string)] = v["kind"] == "in-house"
	}
	rank := func(it map[string]any) int {
		if inHouse[it["vendor"].(string)] {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(items, func(x, y map[string]any) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)), cmp.Compare(y["adoption_count"].(float64), x["adoption_count"].(float64)),
			cmp.Compare(strings.ToLower(x["name"].(string)), strings.ToLower(y["name"].(string))))
	})
}
