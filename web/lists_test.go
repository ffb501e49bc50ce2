package web_test

import (
	"cmp"
	"encoding/csv"
	"html"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/council-components/registry/api/apitest"
)

// councilRowPattern reads a councils page's rows: code, name, type, region, adoptions.
var councilRowPattern = regexp.MustCompile(`<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/councils/([^"]+)">([^<]*)</a></th>\s*` +
	`<td class="govuk-table__cell">([^<]*)</td>\s*<td class="govuk-table__cell">([^<]*)</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>`)

type councilListRow struct {
	code, name, typ, region string
	adoptions               int
}

func councilRows(t *testing.T, body string) []councilListRow {
	t.Helper()
	var out []councilListRow
	for _, m := range councilRowPattern.FindAllStringSubmatch(body, -1) {
		n, err := strconv.Atoi(strings.ReplaceAll(m[5], ",", ""))
		if err != nil {
			t.Fatalf("adoptions %q: %v", m[5], err)
		}
		out = append(out, councilListRow{m[1], html.UnescapeString(m[2]), html.UnescapeString(m[3]), html.UnescapeString(m[4]), n})
	}
	return out
}

// Every page of /councils, following the next links from path.
func allCouncilRows(t *testing.T, e *env, path string) []councilListRow {
	t.Helper()
	var out []councilListRow
	for n := 0; path != ""; n++ {
		body := e.get(path).want(200, "text/html").Body.String()
		out = append(out, councilRows(t, body)...)
		path = ""
		if m := nextLink.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
		}
		if n > 30 {
			t.Fatal("pagination does not end")
		}
	}
	return out
}

// The councils list is A to Z by name unless a column heading says otherwise,
// every order lists every council once, and the heading in use says so with aria-sort.
func TestCouncilsSorted(t *testing.T) {
	e := newEnv(t)
	byName := func(x, y councilListRow) int { return cmp.Compare(strings.ToLower(x.name), strings.ToLower(y.name)) }
	for _, tc := range []struct {
		sort    string
		order   func(x, y councilListRow) int
		heading string
	}{
		{"", byName, `aria-sort="ascending"><a class="govuk-link" href="/councils?sort=name">Council</a>`},
		{"name", byName, `aria-sort="ascending"><a class="govuk-link" href="/councils?sort=name">Council</a>`},
		{"type", func(x, y councilListRow) int { return cmp.Or(cmp.Compare(x.typ, y.typ), byName(x, y)) }, `aria-sort="ascending"><a class="govuk-link" href="/councils?sort=type">Type</a>`},
		{"region", func(x, y councilListRow) int { return cmp.Or(cmp.Compare(x.region, y.region), byName(x, y)) },
			`aria-sort="ascending"><a class="govuk-link" href="/councils?sort=region">Region</a>`},
		{"adoptions", func(x, y councilListRow) int { return cmp.Or(cmp.Compare(y.adoptions, x.adoptions), byName(x, y)) },
			`aria-sort="descending"><a class="govuk-link" href="/councils?sort=adoptions">Adoptions</a>`},
	} {
		t.Run(tc.sort, func(t *testing.T) {
			e := &env{t: t, st: e.st, router: e.router, served: apitest.Validated(t, e.router)}
			path := "/councils"
			if tc.sort != "" {
				path += "?sort=" + tc.sort
			}
			first := e.get(path).want(200, "text/html").Body.String()
			if !strings.Contains(first, tc.heading) {
				t.Errorf("the heading in use lacks aria-sort: want %q", tc.heading)
			}
			rows := allCouncilRows(t, e, path)
			if len(rows) != 397 {
				t.Fatalf("%d councils over the pages, want 397", len(rows))
			}
			if !slices.IsSortedFunc(rows, tc.order) {
				t.Errorf("not in %q order: %v", tc.sort, rows[:5])
			}
			codes := map[string]bool{}
			for _, r := range rows {
				if codes[r.code] {
					t.Errorf("%s listed twice", r.code)
				}
				codes[r.code] = true
			}
		})
	}
	if rows := councilRows(t, e.get("/councils").Body.String()); rows[0].name != "Aberdeen City Council" {
		t.Errorf("first council A to Z is %q", rows[0].name)
	}
}

// The councils page filters by type, region, nation and status as the API
// does, and its download links are the API's list with the same filters.
func TestCouncilsFiltered(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		query string
		want  int
		check func(r councilListRow) bool
	}{
		{"type=london-borough", 32, func(r councilListRow) bool { return r.typ == "London borough" }},
		{"region=London", 34, func(r councilListRow) bool { return r.region == "London" }},
		{"nation=Wales&sort=adoptions", 22, func(r councilListRow) bool { return r.code[0] == 'W' }},
		{"nation=wales&type=welsh-unitary", 22, func(r councilListRow) bool { return r.typ == "Welsh unitary authority" }},
		{"q=lambeth&status=all", 1, func(r councilListRow) bool { return r.name == "London Borough of Lambeth" }},
	} {
		t.Run(tc.query, func(t *testing.T) {
			e := &env{t: t, st: e.st, router: e.router, served: apitest.Validated(t, e.router)}
			api := e.get("/api/v1/councils?limit=1&"+tc.query).want(200, "application/json").json()
			if got := int(api["total"].(float64)); got != tc.want {
				t.Fatalf("the API finds %d, the test wants %d", got, tc.want)
			}
			rows := allCouncilRows(t, e, "/councils?"+tc.query)
			if len(rows) != tc.want {
				t.Errorf("%d councils, want %d", len(rows), tc.want)
			}
			for _, r := range rows {
				if !tc.check(r) {
					t.Errorf("%v does not pass the filter", r)
				}
			}
		})
	}
	body := e.get("/councils?type=london-borough&sort=region").want(200, "text/html").Body.String()
	for _, want := range []string{`<option value="london-borough" selected>London borough</option>`, `<option value="London">London</option>`,
		`href="/api/v1/councils?format=csv&amp;limit=100&amp;type=london-borough" download>CSV</a>`,
		`href="/api/v1/councils?limit=100&amp;type=london-borough">JSON</a>`,
		`<a class="govuk-link" href="/councils?sort=name&amp;type=london-borough">Council</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("filtered page lacks %q", want)
		}
	}
	res := e.get("/api/v1/councils?format=csv&limit=100&type=london-borough").want(200, "text/csv")
	records, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || len(records) != 33 { // a header and 32 boroughs
		t.Errorf("the CSV download: %d records, %v", len(records), err)
	}
	// A value no council has is refused, as the API's enums are.
	for _, query := range []string{"region=Atlantis", "nation=Mars", "type=parish", "status=gone"} {
		e.get("/councils?"+query).want(400, "text/html")
	}
}

// Long lists are numbered: previous, the first, last and nearby pages, next;
// the current one marked; a page past the end is not found and a page that
// is not a number is refused.
func TestListPageNumbers(t *testing.T) {
	e := newEnv(t)
	first := e.get("/councils").want(200, "text/html").Body.String()
	for _, want := range []string{`aria-label="Page 1" aria-current="page">1</a>`, `href="/councils?page=2" aria-label="Page 2">2</a>`,
		`href="/councils?page=20" aria-label="Page 20">20</a>`, `govuk-pagination__item--ellipses`, `href="/councils?page=2" rel="next"`} {
		if !strings.Contains(first, want) {
			t.Errorf("first page lacks %q", want)
		}
	}
	if strings.Contains(first, `rel="prev"`) {
		t.Error("the first page links to a previous one")
	}
	mid := e.get("/councils?page=10&sort=region").want(200, "text/html").Body.String()
	for _, want := range []string{`href="/councils?page=9&amp;sort=region" rel="prev"`, `href="/councils?page=11&amp;sort=region" rel="next"`,
		`aria-label="Page 10" aria-current="page">10</a>`, `href="/councils?sort=region" aria-label="Page 1">1</a>`,
		`href="/councils?page=20&amp;sort=region" aria-label="Page 20">20</a>`} {
		if !strings.Contains(mid, want) {
			t.Errorf("page 10 lacks %q", want)
		}
	}
	last := e.get("/councils?page=20").want(200, "text/html").Body.String()
	if got := len(councilRows(t, last)); got != 17 || strings.Contains(last, `rel="next"`) {
		t.Errorf("last page: %d rows (want 17), next link %v", got, strings.Contains(last, `rel="next"`))
	}
	for _, path := range []string{"/councils?page=21", "/components?page=500", "/vendors?page=90"} {
		e.get(path).want(404, "text/html")
	}
	for _, path := range []string{"/councils?page=two", "/components?page=0", "/vendors?page=-1", "/councils?page=99999999999999999999"} {
		if body := e.get(path).want(400, "text/html").Body.String(); !strings.Contains(body, "page must be a whole number") {
			t.Errorf("%s does not say what page takes", path)
		}
	}
	if body := e.get("/components?page=2").want(200, "text/html").Body.String(); !strings.Contains(body, `href="/components" aria-label="Page 1">1</a>`) {
		t.Error("components page 2 does not link to page 1")
	}
}

// An unknown sort is an error on the page's form, over the list in its usual
// order, never a server error.
func TestListBadSort(t *testing.T) {
	e := newEnv(t)
	for path, want := range map[string]string{
		"/councils?sort=bogus":          "Sort by council, type, region or adoptions",
		"/components?sort=popularity":   "Sort by most used or by name",
		"/capabilities?sort=%27--":      "Sort by capability or by councils live",
		"/vendors?sort=councils%20desc": "Sort by vendor name or by councils using them",
	} {
		body := e.get(path).want(400, "text/html").Body.String()
		for _, w := range []string{`<h2 class="govuk-error-summary__title">There is a problem</h2>`, `<a href="#sort-by">` + want, `id="sort-by"`} {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
}

// A search that looks like a postcode says the registry cannot search by
// one, rather than finding nothing and saying nothing; a name search says what it matched.
func TestCouncilsPostcodeSearch(t *testing.T) {
	e := newEnv(t)
	for _, q := range []string{"SW1A+1AA", "sw1a1aa", "M1", "EH1", "BT7+1NN"} {
		body := e.get("/councils?q="+q).want(200, "text/html").Body.String()
		if !strings.Contains(body, "We cannot search by postcode yet") || !strings.Contains(body, "Search by council name instead") {
			t.Errorf("q=%s does not say postcodes cannot be searched", q)
		}
	}
	body := e.get("/councils?q=lambeth").want(200, "text/html").Body.String()
	if strings.Contains(body, "postcode") || !strings.Contains(body, "1 current council whose name or GSS code contains ‘lambeth’") {
		t.Errorf("a name search does not say what it matched: %.2000s", body)
	}
	if body := e.get("/councils?q=E09000022").want(200, "text/html").Body.String(); strings.Contains(body, "We cannot search by postcode") {
		t.Error("a GSS code is taken for a postcode")
	}
}

// With nothing searched for, products come before councils' in-house builds,
// each most used first; a search keeps its relevance order.
func TestComponentsRankedByUse(t *testing.T) {
	e := newEnv(t)
	first := resultSlugs(e.get("/components").want(200, "text/html").Body.String())
	if len(first) != 20 || first[0] != "govuk-notify" {
		t.Fatalf("first page %v, want GOV.UK Notify, the most used, first", first)
	}
	for _, slug := range first {
		if strings.HasPrefix(slug, "demo-in-house") {
			t.Errorf("in-house build %s on the first page, before products", slug)
		}
	}
	items := e.allItems("/api/v1/components?limit=100")
	slices.SortStableFunc(items, func(x, y map[string]any) int {
		return cmp.Compare(strings.ToLower(x["name"].(string)), strings.ToLower(y["name"].(string)))
	})
	var want []string
	for _, it := range items[:20] {
		want = append(want, it["slug"].(string))
	}
	body := e.get("/components?sort=name").want(200, "text/html").Body.String()
	if got := resultSlugs(body); !slices.Equal(got, want) || !strings.Contains(body, "by name, A to Z") {
		t.Errorf("by name: %v, want %v", got, want)
	}
	body = e.get("/components?q=payments&sort=name").want(200, "text/html").Body.String()
	if !strings.Contains(body, "most relevant first") || strings.Contains(body, `id="sort-by"`) {
		t.Error("a search is not by relevance")
	}
	for _, want := range []string{`href="/api/v1/components?format=csv&amp;limit=100&amp;q=payments" download>CSV</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("search lacks %q", want)
		}
	}
}

// The list pages' new parts (filters, sortable headings, page numbers, the
// postcode message, a sort refused on the form) pass axe-core and fit a phone.
func TestListPagesInBrowser(t *testing.T) {
	b, _ := openBrowser(t)
	for _, path := range []string{"/councils?page=10&sort=region", "/councils?q=SW1A+1AA", "/councils?sort=bogus&type=london-borough",
		"/components?page=3&sort=name", "/capabilities?sort=councils", "/vendors?sort=councils&page=2"} {
		b.do(chromedp.EmulateViewport(1280, 800), chromedp.Navigate(b.url+path), chromedp.WaitReady(chromedp.CSS("footer")))
		b.checkAccessibility(path)
		for _, width := range narrowWidths {
			b.do(chromedp.EmulateViewport(width, 800))
			b.checkFits(path, width)
		}
	}
}

// The counts the list pages sort by follow writes: a new vendor's component
// (every adoption read again) and then an adoption of it (that adoption read
// alone, from the audit log) are counted on the next view.
func TestListCountsFollowWrites(t *testing.T) {
	e := newEnv(t)
	admin := e.adminKey()
	councilsOf := func(path string) map[string]string {
		out := map[string]string{}
		for _, r := range vendorRowPattern.FindAllStringSubmatch(e.get(path).want(200, "text/html").Body.String(), -1) {
			out[r[1]] = r[4]
		}
		return out
	}
	check := func(want string) {
		t.Helper()
		for _, path := range []string{"/vendors?sort=councils&kind=community", "/vendors?kind=community"} {
			if got := councilsOf(path)["test-vendor"]; got != want {
				t.Errorf("%s: test vendor used by %s councils, want %s", path, got, want)
			}
		}
		if body := e.get("/vendors/test-vendor").want(200, "text/html").Body.String(); want == "1" && !strings.Contains(body, `href="/councils/`+brighton+`"`) {
			t.Error("the vendor's page, read from the database, does not list its user")
		}
	}
	councilsOf("/vendors?sort=councils") // the counts kept before the writes
	e.post("/api/v1/vendors", `{"slug":"test-vendor","name":"Test vendor","website":"https://v.example","kind":"community"}`, admin).want(201, "application/json")
	e.post("/api/v1/components", `{"slug":"test-pay","name":"Test pay","summary":"s","vendor":"test-vendor","capabilities":["online-card-payments"],"lifecycle":"live"}`, admin).
		want(201, "application/json")
	check("0")
	e.post("/api/v1/adoptions", `{"council":"`+brighton+`","component":"test-pay","capability":"online-card-payments","status":"live"}`, admin).
		want(201, "application/json")
	check("1")
	// Most used first among the capability's products: one council now uses it.
	body := e.get("/components?capability=online-card-payments").want(200, "text/html").Body.String()
	if slugs := resultSlugs(body); !slices.Contains(slugs, "test-pay") {
		t.Errorf("the new component is not listed: %v", slugs)
	}
}

// The capabilities page's live councils, from the kept counts, are the API's
// coverage figures, before and after a write; ?sort=councils puts each
// category's most covered first.
func TestCapabilitiesMatchCoverage(t *testing.T) {
	e := newEnv(t)
	row := regexp.MustCompile(`href="/capabilities/([^"]+)">[^<]*</a></th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>`)
	compare := func() {
		t.Helper()
		api := e.get("/api/v1/stats/coverage").want(200, "application/json").json()
		want := map[string]string{}
		for _, it := range api["items"].([]any) {
			m := it.(map[string]any)
			want[m["capability"].(map[string]any)["slug"].(string)] = thousands(int(m["live_councils"].(float64)))
		}
		got := map[string]string{}
		for _, r := range row.FindAllStringSubmatch(e.get("/capabilities").want(200, "text/html").Body.String(), -1) {
			got[r[1]] = r[2]
		}
		if len(got) == 0 || !maps.Equal(got, want) {
			t.Errorf("page %v\nAPI %v", got, want)
		}
	}
	compare()
	e.post("/api/v1/adoptions", `{"council":"`+brighton+`","component":"govuk-pay","capability":"online-card-payments","status":"live"}`, e.adminKey()).
		want(201, "application/json")
	compare()
	body := e.get("/capabilities?sort=councils").want(200, "text/html").Body.String()
	if !strings.Contains(body, `aria-sort="descending"><a class="govuk-link" href="/capabilities?sort=councils">Councils live</a>`) {
		t.Error("the councils live heading does not say it sorts")
	}
}
