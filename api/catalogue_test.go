package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestVendorsCRUD(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"slug": "acme", "name": "Acme Ltd", "website": "https://acme.example", "kind": "commercial", "description": "Makes things."}
	r := e.do("POST", "/api/v1/vendors", body, e.admin).wantStatus(http.StatusCreated)
	if loc := r.Header().Get("Location"); loc != "/api/v1/vendors/acme" {
		t.Errorf("Location %q", loc)
	}
	v := r.json()
	for k, want := range map[string]any{"slug": "acme", "name": "Acme Ltd", "website": "https://acme.example", "kind": "commercial"} {
		if v[k] != want {
			t.Errorf("%s = %v, want %v", k, v[k], want)
		}
	}
	if n := e.count("SELECT count(*) FROM vendors WHERE slug = 'acme' AND name = 'Acme Ltd'"); n != 1 {
		t.Fatalf("vendor rows = %d", n)
	}

	get := e.do("GET", "/api/v1/vendors/acme", nil, "").wantStatus(http.StatusOK)
	etag := get.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on GET")
	}
	e.do("GET", "/api/v1/vendors/acme", nil, "", "If-None-Match", etag).wantStatus(http.StatusNotModified)

	upd := e.do("PATCH", "/api/v1/vendors/acme", map[string]any{"name": "Acme Software Ltd"}, e.admin, "If-Match", etag).wantStatus(http.StatusOK).json()
	if upd["name"] != "Acme Software Ltd" || upd["website"] != "https://acme.example" {
		t.Errorf("PATCH result %v", upd)
	}
	// The old ETag is now stale: 412 and nothing written.
	before := e.snapshot()
	e.do("PATCH", "/api/v1/vendors/acme", map[string]any{"name": "Stale"}, e.admin, "If-Match", etag).wantProblem(http.StatusPreconditionFailed)
	if e.snapshot() != before {
		t.Fatal("a stale If-Match wrote to the database")
	}
	if n := e.count("SELECT count(*) FROM vendors WHERE name = 'Acme Software Ltd' AND version = 2"); n != 1 {
		t.Fatalf("vendor not updated in place, rows = %d", n)
	}

	list := e.do("GET", "/api/v1/vendors", nil, "").wantStatus(http.StatusOK).json()
	if list["total"].(float64) != 1 || list["next"] != nil || len(list["items"].([]any)) != 1 {
		t.Errorf("list %v", list)
	}

	e.do("POST", "/api/v1/vendors", body, e.admin).wantProblem(http.StatusConflict)
	e.do("DELETE", "/api/v1/vendors/acme", nil, e.admin).wantStatus(http.StatusNoContent)
	if n := e.count("SELECT count(*) FROM vendors"); n != 0 {
		t.Fatalf("vendor still stored after DELETE: %d", n)
	}
	e.do("GET", "/api/v1/vendors/acme", nil, "").wantProblem(http.StatusNotFound)
	e.do("DELETE", "/api/v1/vendors/acme", nil, e.admin).wantProblem(http.StatusNotFound)
}

func TestCapabilitiesCRUD(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	r := e.do("POST", "/api/v1/capabilities", map[string]any{"slug": "bin-day", "name": "Bin collection day", "category": "waste",
		"description": "Look up your bin day.", "lgsl_codes": []int{524}}, e.admin).wantStatus(http.StatusCreated)
	if r.Header().Get("Location") != "/api/v1/capabilities/bin-day" {
		t.Errorf("Location %q", r.Header().Get("Location"))
	}
	got := e.do("GET", "/api/v1/capabilities/bin-day", nil, "").wantStatus(http.StatusOK).json()
	if got["category"] != "waste" || fmt.Sprint(got["lgsl_codes"]) != "[524]" {
		t.Errorf("capability %v", got)
	}
	list := e.do("GET", "/api/v1/capabilities?category=payments", nil, "").wantStatus(http.StatusOK).json()
	if list["total"].(float64) != 1 || list["items"].([]any)[0].(map[string]any)["slug"] != "online-payments" {
		t.Errorf("category filter %v", list)
	}
	// Renaming a capability re-indexes the components that provide it.
	e.do("PATCH", "/api/v1/capabilities/online-payments", map[string]any{"name": "Card acceptance"}, e.admin).wantStatus(http.StatusOK)
	found := e.do("GET", "/api/v1/components?q=acceptance", nil, "").wantStatus(http.StatusOK).json()
	if found["total"].(float64) != 1 {
		t.Errorf("search after capability rename found %v", found["total"])
	}
	e.do("DELETE", "/api/v1/capabilities/online-payments", nil, e.admin).wantProblem(http.StatusConflict)
	e.do("DELETE", "/api/v1/capabilities/bin-day", nil, e.admin).wantStatus(http.StatusNoContent)
	if n := e.count("SELECT count(*) FROM capabilities WHERE slug = 'bin-day'"); n != 0 {
		t.Fatal("capability not deleted")
	}
}

func TestComponentsCRUD(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	c := e.do("GET", "/api/v1/components/govuk-pay", nil, "").wantStatus(http.StatusOK).json()
	want := map[string]any{"slug": "govuk-pay", "name": "GOV.UK Pay", "vendor": "gds", "licence": "MIT", "open_source": true,
		"hosting": "saas", "pricing": "free", "lifecycle": "live", "url": "https://www.payments.service.gov.uk/",
		"repository_url": "https://github.com/alphagov/pay-connector", "adoption_count": float64(0), "docs_url": nil}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("%s = %v, want %v", k, c[k], v)
		}
	}
	if fmt.Sprint(c["capabilities"]) != "[online-payments]" || fmt.Sprint(c["standards"]) != "[pci-dss]" {
		t.Errorf("links %v %v", c["capabilities"], c["standards"])
	}
	b := e.do("GET", "/api/v1/components/acme-bookings", nil, "").json()
	if fmt.Sprint(b["depends_on"]) != "[govuk-notify]" || b["licence"] != nil {
		t.Errorf("acme-bookings %v", b)
	}

	// PATCH: null clears, lists replace, and the join tables follow.
	etag := e.do("GET", "/api/v1/components/govuk-pay", nil, "").Header().Get("ETag")
	upd := e.do("PATCH", "/api/v1/components/govuk-pay", map[string]any{"licence": nil, "capabilities": []string{"online-payments", "email-notifications"},
		"standards": []string{}}, e.admin, "If-Match", etag).wantStatus(http.StatusOK).json()
	if upd["licence"] != nil || fmt.Sprint(upd["capabilities"]) != "[email-notifications online-payments]" || fmt.Sprint(upd["standards"]) != "[]" {
		t.Errorf("after PATCH %v", upd)
	}
	if n := e.count(`SELECT count(*) FROM component_capabilities cc JOIN components c ON c.id = cc.component_id WHERE c.slug = 'govuk-pay'`); n != 2 {
		t.Errorf("capability links = %d, want 2", n)
	}
	if n := e.count(`SELECT count(*) FROM components WHERE slug = 'govuk-pay' AND licence IS NULL`); n != 1 {
		t.Error("licence not cleared in the database")
	}

	// Filters.
	for _, tc := range []struct {
		query string
		want  string
	}{
		{"capability=appointment-booking", "[acme-bookings]"},
		{"vendor=gds", "[govuk-notify govuk-pay]"},
		{"lifecycle=beta", "[acme-bookings]"},
		{"open_source=true", "[govuk-notify govuk-pay]"},
		{"open_source=false", "[acme-bookings]"},
		{"hosting=saas", "[acme-bookings govuk-pay]"},
		{"hosting=unknown", "[govuk-notify]"},
		{"standard=pci-dss", "[]"},
		{"vendor=gds&capability=email-notifications", "[govuk-notify govuk-pay]"},
		{"vendor=nobody", "[]"},
	} {
		if got := slugs(e.do("GET", "/api/v1/components?"+tc.query, nil, "").wantStatus(http.StatusOK).json()); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.query, got, tc.want)
		}
	}

	// A component others depend on, or that councils use, cannot be deleted.
	e.do("DELETE", "/api/v1/components/govuk-notify", nil, e.admin).wantProblem(http.StatusConflict)
	e.do("DELETE", "/api/v1/components/acme-bookings", nil, e.admin).wantStatus(http.StatusNoContent)
	if n := e.count("SELECT count(*) FROM components WHERE slug = 'acme-bookings'"); n != 0 {
		t.Errorf("deleted component still stored: %d", n)
	}
	if got := slugs(e.do("GET", "/api/v1/components?q=acme", nil, "").json()); got != "[]" {
		t.Errorf("deleted component still searchable: %s", got)
	}
	e.do("DELETE", "/api/v1/components/govuk-notify", nil, e.admin).wantStatus(http.StatusNoContent)
}

func slugs(list map[string]any) string {
	var out []string
	for _, it := range list["items"].([]any) {
		out = append(out, it.(map[string]any)["slug"].(string))
	}
	return "[" + strings.Join(out, " ") + "]"
}

func TestValidationErrors(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	valid := func(over map[string]any) map[string]any {
		m := map[string]any{"slug": "new-thing", "name": "New thing", "summary": "Does things.", "vendor": "acme",
			"capabilities": []string{"online-payments"}, "lifecycle": "alpha"}
		for k, v := range over {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	for _, tc := range []struct {
		name   string
		method string
		path   string
		body   any
		status int
		fields []string
	}{
		{"unknown field", "POST", "/api/v1/components", valid(map[string]any{"colour": "blue"}), 400, []string{"colour"}},
		{"wrong type", "POST", "/api/v1/components", valid(map[string]any{"open_source": "yes"}), 400, []string{"open_source"}},
		{"list of wrong type", "POST", "/api/v1/components", valid(map[string]any{"capabilities": "online-payments"}), 400, []string{"capabilities"}},
		{"bad slug", "POST", "/api/v1/components", valid(map[string]any{"slug": "New_Thing"}), 400, []string{"slug"}},
		{"missing fields", "POST", "/api/v1/components", map[string]any{"slug": "x"}, 400, []string{"name", "summary", "vendor", "capabilities", "lifecycle"}},
		{"no capabilities", "POST", "/api/v1/components", valid(map[string]any{"capabilities": []string{}}), 400, []string{"capabilities"}},
		{"bad enums", "POST", "/api/v1/components", valid(map[string]any{"lifecycle": "gamma", "hosting": "cloud", "pricing": "cheap"}), 400, []string{"lifecycle", "hosting", "pricing"}},
		{"bad urls", "POST", "/api/v1/components", valid(map[string]any{"url": "ftp://x.example", "repository_url": "not a url", "docs_url": "javascript:alert(1)"}), 400, []string{"url", "repository_url", "docs_url"}},
		{"bad licence", "POST", "/api/v1/components", valid(map[string]any{"licence": "MIT; DROP TABLE"}), 400, []string{"licence"}},
		{"self dependency", "POST", "/api/v1/components", valid(map[string]any{"depends_on": []string{"new-thing"}}), 400, []string{"depends_on"}},
		{"unknown vendor and capability", "POST", "/api/v1/components", valid(map[string]any{"vendor": "nobody", "capabilities": []string{"online-payments", "telepathy"}, "depends_on": []string{"ghost"}}), 422, []string{"vendor", "capabilities", "depends_on"}},
		{"not json", "POST", "/api/v1/components", "{not json", 400, []string{"body"}},
		{"empty body", "POST", "/api/v1/components", "", 400, []string{"body"}},
		{"array body", "POST", "/api/v1/components", "[]", 400, []string{"body"}},
		{"two objects", "POST", "/api/v1/vendors", `{"slug":"a","name":"A","website":"https://a.example"} {}`, 400, []string{"body"}},
		{"vendor website", "POST", "/api/v1/vendors", map[string]any{"slug": "v", "name": "V", "website": "www.v.example"}, 400, []string{"website"}},
		{"vendor kind", "POST", "/api/v1/vendors", map[string]any{"slug": "v", "name": "V", "website": "https://v.example", "kind": "evil"}, 400, []string{"kind"}},
		{"blank name", "POST", "/api/v1/vendors", map[string]any{"slug": "v", "name": "  ", "website": "https://v.example"}, 400, []string{"name"}},
		{"capability lgsl", "POST", "/api/v1/capabilities", map[string]any{"slug": "c", "name": "C", "category": "Bad Category", "description": "d", "lgsl_codes": []int{-1}}, 400, []string{"category", "lgsl_codes"}},
		{"slug change", "PATCH", "/api/v1/components/govuk-pay", map[string]any{"slug": "other"}, 400, []string{"slug"}},
		{"patch unknown capability", "PATCH", "/api/v1/components/govuk-pay", map[string]any{"capabilities": []string{"nope"}}, 422, []string{"capabilities"}},
		{"patch null list", "PATCH", "/api/v1/components/govuk-pay", map[string]any{"name": 7}, 400, []string{"name"}},
		{"bad limit", "GET", "/api/v1/components?limit=0", nil, 400, []string{"limit"}},
		{"bad limit text", "GET", "/api/v1/councils?limit=ten", nil, 400, []string{"limit"}},
		{"bad cursor", "GET", "/api/v1/components?cursor=!!!", nil, 400, []string{"cursor"}},
		{"bad forged cursor", "GET", "/api/v1/vendors?cursor=bm90IGpzb24", nil, 400, []string{"cursor"}},
		{"bad filter values", "GET", "/api/v1/components?lifecycle=old&open_source=maybe&capability=Not+A+Slug", nil, 400, []string{"lifecycle", "open_source", "capability"}},
		{"bad council filters", "GET", "/api/v1/councils?type=castle&status=dead", nil, 400, []string{"type", "status"}},
		{"key in query", "GET", "/api/v1/components?api_key=ccr_x", nil, 400, []string{"api_key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			before := e.snapshot()
			key := ""
			if tc.method != "GET" {
				key = e.admin
			}
			e.do(tc.method, tc.path, tc.body, key).wantProblem(tc.status, tc.fields...)
			if e.snapshot() != before {
				t.Fatal("a refused request changed the database")
			}
		})
	}
}

func TestHTTPErrors(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	e.do("GET", "/api/v1/nothing-here", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/components/no-such-thing", nil, "").wantProblem(http.StatusNotFound)
	e.do("GET", "/api/v1/councils/X99999999", nil, "").wantProblem(http.StatusNotFound)
	r := e.do("PUT", "/api/v1/components/govuk-pay", map[string]any{}, e.admin)
	r.wantProblem(http.StatusMethodNotAllowed)
	if allow := r.Header().Get("Allow"); !strings.Contains(allow, "PATCH") || !strings.Contains(allow, "GET") {
		t.Errorf("Allow %q", allow)
	}
	e.do("DELETE", "/api/v1/councils", nil, e.admin).wantProblem(http.StatusMethodNotAllowed)
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "gds", "name": "Dup", "website": "https://x.example"}, e.admin).wantProblem(http.StatusConflict)

	// 413: over 1 MiB, whether or not the client declared the length.
	big := `{"slug":"big","name":"Big","website":"https://big.example","description":"` + strings.Repeat("x", 1<<20) + `"}`
	before := e.snapshot()
	e.do("POST", "/api/v1/vendors", big, e.admin).wantProblem(http.StatusRequestEntityTooLarge)
	if e.snapshot() != before {
		t.Fatal("an oversized body changed the database")
	}
	e.do("POST", "/api/v1/components", "x", e.admin, "Content-Type", "text/plain").wantProblem(http.StatusUnsupportedMediaType)

	// Writes need a valid key; reads do not.
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "v", "name": "V", "website": "https://v.example"}, "").wantProblem(http.StatusUnauthorized)
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "v", "name": "V", "website": "https://v.example"}, "ccr_abcdefgh_notarealkey").wantProblem(http.StatusUnauthorized)
	e.do("GET", "/api/v1/vendors", nil, "").wantStatus(http.StatusOK)
	if n := e.count("SELECT count(*) FROM vendors WHERE slug = 'v'"); n != 0 {
		t.Fatal("unauthenticated write stored a vendor")
	}
}

func TestConcurrentPatchesWithIfMatch(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	etag := e.do("GET", "/api/v1/components/govuk-pay", nil, "").Header().Get("ETag")
	codes := make(chan int, 8)
	for i := range 8 {
		go func() {
			req := map[string]any{"summary": fmt.Sprintf("writer %d", i)}
			codes <- e.do("PATCH", "/api/v1/components/govuk-pay", req, e.admin, "If-Match", etag).Code
		}()
	}
	won := 0
	for range 8 {
		switch c := <-codes; c {
		case http.StatusOK:
			won++
		case http.StatusPreconditionFailed:
		default:
			t.Errorf("unexpected status %d", c)
		}
	}
	if won != 1 {
		t.Fatalf("%d writers succeeded with the same ETag, want exactly 1", won)
	}
	if n := e.count("SELECT version FROM components WHERE slug = 'govuk-pay'"); n != 2 {
		t.Fatalf("version %d, want 2", n)
	}
}

func TestSearchRanking(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	// "Notify" is GOV.UK Notify's name word; GOV.UK Pay only mentions notifications in passing.
	e.do("PATCH", "/api/v1/components/govuk-pay", map[string]any{"description": "Sends receipts through Notify."}, e.admin).wantStatus(http.StatusOK)
	got := slugs(e.do("GET", "/api/v1/components?q=notify", nil, "").wantStatus(http.StatusOK).json())
	if got != "[govuk-notify govuk-pay]" {
		t.Errorf("q=notify ranked %s", got)
	}
	// An exact name match ranks above components that mention the words more often.
	e.do("POST", "/api/v1/components", map[string]any{"slug": "pay-bookings", "name": "Acme Bookings Pay", "summary": "Acme bookings, Acme bookings, acme bookings.",
		"description": "Acme Bookings acme bookings", "vendor": "acme", "capabilities": []string{"appointment-booking"}, "lifecycle": "live"}, e.admin).wantStatus(http.StatusCreated)
	got = slugs(e.do("GET", "/api/v1/components?q=Acme+Bookings", nil, "").wantStatus(http.StatusOK).json())
	if !strings.HasPrefix(got, "[acme-bookings ") {
		t.Errorf("exact name match not first: %s", got)
	}
	// Search combines with filters, and FTS syntax in q is inert.
	if got := slugs(e.do("GET", "/api/v1/components?q=bookings&lifecycle=live", nil, "").json()); got != "[pay-bookings]" {
		t.Errorf("q with filter: %s", got)
	}
	for _, q := range []string{`"unterminated`, "NEAR(", "a OR b", "*", "-x", "payments AND"} {
		e.do("GET", "/api/v1/components?q="+url.QueryEscape(q), nil, "").wantStatus(http.StatusOK)
	}
	// The space around the words is no part of the search, so only space is no search, as on the pages.
	if got, want := slugs(e.do("GET", "/api/v1/components?q=%20notify%20", nil, "").json()), "[govuk-notify govuk-pay]"; got != want {
		t.Errorf("q=%%20notify%%20 ranked %s, want %s as q=notify", got, want)
	}
	if got, want := slugs(e.do("GET", "/api/v1/components?q=%20", nil, "").json()), slugs(e.do("GET", "/api/v1/components", nil, "").json()); got != want {
		t.Errorf("q=%%20 lists %s, want every component as with no q: %s", got, want)
	}
	// Vendor names are searchable, and the index follows a vendor rename.
	e.do("PATCH", "/api/v1/vendors/acme", map[string]any{"name": "Zenith Systems"}, e.admin).wantStatus(http.StatusOK)
	if got := slugs(e.do("GET", "/api/v1/components?q=zenith", nil, "").json()); got != "[acme-bookings pay-bookings]" && got != "[pay-bookings acme-bookings]" {
		t.Errorf("vendor name search: %s", got)
	}
}

// Among components equally relevant to a search, the one more councils use comes first,
// counted as the list pages count (a vendor's unverified claim does not count), and the
// order follows each adoption.
func TestSearchRanksEquallyRelevantByUse(t *testing.T) {
	e := newSeededEnv(t, false)
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "acme", "name": "Acme", "website": "https://acme.example", "kind": "commercial"}, e.admin).wantStatus(http.StatusCreated)
	for _, slug := range []string{"twin-a", "twin-b"} {
		e.do("POST", "/api/v1/components", map[string]any{"slug": slug, "name": "Twin Widget", "summary": "A widget.",
			"vendor": "acme", "capabilities": []string{"appointment-booking"}, "lifecycle": "live"}, e.admin).wantStatus(http.StatusCreated)
	}
	order := func(want string) {
		t.Helper()
		if got := slugs(e.do("GET", "/api/v1/components?q=twin", nil, "").wantStatus(http.StatusOK).json()); got != want {
			t.Errorf("q=twin ranked %s, want %s", got, want)
		}
	}
	order("[twin-a twin-b]") // unused alike: by name, then as made
	e.adopt(lambeth, "twin-b", "appointment-booking", "live")
	order("[twin-b twin-a]")
	acme := e.key("vendor", "acme")
	for _, council := range []string{hackney, camden} {
		e.do("POST", "/api/v1/adoptions", map[string]any{"council": council, "component": "twin-a", "capability": "appointment-booking", "status": "live"},
			acme).wantStatus(http.StatusCreated)
	}
	order("[twin-b twin-a]")
	e.adopt(southwark, "twin-a", "appointment-booking", "live")
	e.adopt(lewisham, "twin-a", "appointment-booking", "live")
	order("[twin-a twin-b]")
}

// TestSearchLength: a search may be 200 characters (counted as characters, not
// bytes) on every list that searches; a longer one is a 400 naming q.
func TestSearchLength(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	accents := url.QueryEscape(strings.Repeat("é", 200)) // 400 bytes, 200 characters
	tooLong := url.QueryEscape(strings.Repeat("a", 201))
	for _, list := range []string{"/api/v1/components", "/api/v1/councils"} {
		e.do("GET", list+"?q="+accents, nil, "").wantStatus(http.StatusOK)
		p := e.do("GET", list+"?q="+tooLong, nil, "").wantProblem(http.StatusBadRequest, "q")
		if !strings.Contains(fmt.Sprint(p["errors"]), "at most 200 characters") {
			t.Errorf("%s: %v", list, p["errors"])
		}
	}
}

// A council search finds the same councils whatever space is around its words,
// and its place filters read as the pages read them.
func TestCouncilSearchTrimsItsWords(t *testing.T) {
	e := newSeededEnv(t, false)
	codes := func(path string) []string {
		t.Helper()
		var out []string
		for _, it := range itemsOf(e.do("GET", path, nil, "").wantStatus(http.StatusOK).json()) {
			out = append(out, it["code"].(string))
		}
		return out
	}
	want := codes("/api/v1/councils?q=lambeth")
	if len(want) == 0 {
		t.Fatal("q=lambeth finds no council")
	}
	if got := codes("/api/v1/councils?q=%20lambeth%20"); !slices.Equal(got, want) {
		t.Errorf("q=%%20lambeth%%20 finds %v, want %v as q=lambeth", got, want)
	}

	// Regions and nations are read as the councils page reads them: any case, space
	// around them ignored, and one no council is in refused, naming the parameter.
	london := codes("/api/v1/councils?region=London&limit=100")
	if n := e.count("SELECT count(*) FROM councils WHERE region = 'London' AND status = 'current'"); len(london) != n || n == 0 {
		t.Fatalf("region=London lists %d councils, want London's %d", len(london), n)
	}
	if got := codes("/api/v1/councils?region=%20london%20&limit=100"); !slices.Equal(got, london) {
		t.Errorf("region=%%20london%%20 lists %v, want London's councils", got)
	}
	if got, n := len(codes("/api/v1/councils?nation=wales&limit=100")), e.count("SELECT count(*) FROM councils WHERE nation = 'Wales' AND status = 'current'"); got != n || n == 0 {
		t.Errorf("nation=wales lists %d councils, want Wales's %d", got, n)
	}
	e.do("GET", "/api/v1/councils?region=Atlantis", nil, "").wantProblem(http.StatusBadRequest, "region")
	e.do("GET", "/api/v1/councils?nation=Mars", nil, "").wantProblem(http.StatusBadRequest, "nation")
}
