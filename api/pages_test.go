package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// walk follows next links from path to the last page and returns every item's key.
func (e *env) walk(path, key string) []string {
	e.t.Helper()
	var keys []string
	total := -1
	for page := 0; path != ""; page++ {
		if page > 1000 {
			e.t.Fatal("pagination does not end")
		}
		r := e.do("GET", path, nil, "").wantStatus(http.StatusOK)
		body := r.json()
		if total >= 0 && int(body["total"].(float64)) != total {
			e.t.Fatalf("total changed between pages: %v then %v", total, body["total"])
		}
		total = int(body["total"].(float64))
		for _, it := range body["items"].([]any) {
			keys = append(keys, it.(map[string]any)[key].(string))
		}
		link := r.Header().Get("Link")
		next, _ := body["next"].(string)
		if (next == "") != (link == "") {
			e.t.Fatalf("next %q and Link %q disagree", next, link)
		}
		if next == "" {
			break
		}
		if want := "<" + next + `>; rel="next"`; link != want {
			e.t.Fatalf("Link %q, want %q", link, want)
		}
		u, err := url.Parse(next)
		if err != nil || !u.IsAbs() {
			e.t.Fatalf("next %q is not an absolute URL", next)
		}
		path = u.RequestURI()
	}
	if len(keys) != total {
		e.t.Fatalf("walked %d items, total says %d", len(keys), total)
	}
	return keys
}

func noDuplicates(t *testing.T, keys []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Fatalf("%s appears twice", k)
		}
		seen[k] = true
	}
}

func TestCouncilsPaginationAndFilters(t *testing.T) {
	e := newSeededEnv(t, false)
	keys := e.walk("/api/v1/councils?limit=100", "code")
	if len(keys) != 397 {
		t.Fatalf("%d current councils, want 397", len(keys))
	}
	noDuplicates(t, keys)
	if !sort.StringsAreSorted(keys) {
		t.Error("councils are not in code order")
	}
	// Odd page sizes must neither skip nor repeat.
	if seven := e.walk("/api/v1/councils?limit=7", "code"); strings.Join(seven, ",") != strings.Join(keys, ",") {
		t.Error("limit=7 walk differs from limit=100 walk")
	}
	if all := e.walk("/api/v1/councils?limit=100&status=all", "code"); len(all) != 470 {
		t.Errorf("status=all: %d councils, want 470", len(all))
	}
	if former := e.walk("/api/v1/councils?limit=100&status=former", "code"); len(former) != 73 {
		t.Errorf("status=former: %d councils, want 73", len(former))
	}
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"type=london-borough", 32},
		{"nation=Scotland", 32},
		{"nation=wales", 22},
		{"region=London", 34}, // 32 boroughs, the City of London and the GLA
		{"type=ni-district", 11},
		{"q=lambeth", 1},
		{"q=E09000022", 1},
		{"type=county", 21},
	} {
		body := e.do("GET", "/api/v1/councils?limit=100&"+tc.query, nil, "").wantStatus(http.StatusOK).json()
		if got := int(body["total"].(float64)); got != tc.want {
			t.Errorf("%s: total %d, want %d", tc.query, got, tc.want)
		}
	}
}

func TestComponentSearchPagination(t *testing.T) {
	e := newSeededEnv(t, true)
	for _, path := range []string{"/api/v1/components?limit=3", "/api/v1/components?q=council&limit=3", "/api/v1/components?capability=online-card-payments&limit=1"} {
		keys := e.walk(path, "slug")
		noDuplicates(t, keys)
		if len(keys) == 0 {
			t.Errorf("%s found nothing", path)
		}
	}
	// The ranked walk holds exactly the same set as one big page.
	small := e.walk("/api/v1/components?q=council&limit=3", "slug")
	big := e.do("GET", "/api/v1/components?q=council&limit=100", nil, "").json()
	if got := slugs(big); got != "["+strings.Join(small, " ")+"]" {
		t.Errorf("ranked pages differ from one page:\n%s\n%v", got, small)
	}
	// limit above the cap is capped, not refused.
	body := e.do("GET", "/api/v1/councils?limit=500", nil, "").wantStatus(http.StatusOK).json()
	if n := len(body["items"].([]any)); n != 100 {
		t.Errorf("limit=500 gave %d items, want the cap of 100", n)
	}
}

// TestOpenAPIListsEveryRoute fails when the router and the served document disagree.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/openapi.json", nil, "").wantStatus(http.StatusOK)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(r.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q, want 3.x", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	routed := map[string]bool{}
	for _, rt := range e.router.Routes() {
		if rt.Method == "HEAD" {
			continue // every GET answers HEAD too (TestEveryRouteHasAPolicy checks the pairs); the document lists the GET
		}
		path := param.ReplaceAllString(rt.Path, "{$1}")
		switch {
		case strings.HasPrefix(path, "/api/"), path == "/healthz", path == "/readyz", path == "/openapi.json":
			routed[rt.Method+" "+path] = true
		case documented[rt.Method+" "+path]: // pages, their assets, /metrics and the Swagger UI are not API operations
			t.Errorf("/openapi.json documents %s %s, which is not an API operation", rt.Method, path)
		}
	}
	for r := range routed {
		if !documented[r] {
			t.Errorf("route %s is not in /openapi.json", r)
		}
	}
	for d := range documented {
		if !routed[d] {
			t.Errorf("/openapi.json documents %s, which the router does not serve", d)
		}
	}
	if t.Failed() {
		t.Log("regenerate with: go tool swag init -g main.go --output docs --outputTypes go,json --parseInternal --requiredByDefault")
	}
	e.do("GET", "/swagger/index.html", nil, "").wantStatus(http.StatusOK)
}
