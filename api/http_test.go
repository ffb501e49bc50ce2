package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The HTTP rules every route shares: HEAD, Vary and negotiation, strong
// If-Match, caching, problem types, canonical URLs and CORS.

// TestHEADAnswersAsGETWithoutABody sends HEAD over a real connection, so
// net/http drops the body as it does in service, to a page, an asset, an API
// list and an API resource.
func TestHEADAnswersAsGETWithoutABody(t *testing.T) {
	e := newSeededEnv(t, false)
	srv := httptest.NewServer(e.router)
	defer srv.Close()
	for _, path := range []string{"/components", "/assets/app.css", "/api/v1/components", "/api/v1/components/govuk-pay", "/healthz"} {
		get := send(t, "GET", srv.URL+path, nil)
		head := send(t, "HEAD", srv.URL+path, nil)
		if get.status != http.StatusOK || head.status != http.StatusOK {
			t.Fatalf("%s: GET %d, HEAD %d", path, get.status, head.status)
		}
		if head.body != "" {
			t.Errorf("HEAD %s sent a body of %d bytes", path, len(head.body))
		}
		for _, h := range []string{"Content-Type", "ETag", "Cache-Control"} {
			if head.header.Get(h) != get.header.Get(h) {
				t.Errorf("HEAD %s: %s %q, GET gave %q", path, h, head.header.Get(h), get.header.Get(h))
			}
		}
	}
}

// TestListsNegotiateCSVWithQValues: Accept q-values decide, ?format overrides
// them, a bad format is a field error, and lists say they vary by Accept.
func TestListsNegotiateCSVWithQValues(t *testing.T) {
	e := newSeededEnv(t, false)
	for _, c := range []struct {
		path, accept, want string
	}{
		{"/api/v1/components", "", "application/json"},
		{"/api/v1/components", "text/csv", "text/csv"},
		{"/api/v1/components", "text/csv;q=0", "application/json"},
		{"/api/v1/components", "text/csv;q=0, application/json", "application/json"},
		{"/api/v1/components", "application/json;q=0.5, text/csv", "text/csv"},
		{"/api/v1/components", "text/csv;q=0.4, application/json;q=0.9", "application/json"},
		{"/api/v1/components", "text/*", "text/csv"},
		{"/api/v1/components", "text/html,application/xhtml+xml,*/*;q=0.8", "application/json"},
		{"/api/v1/components?format=csv", "application/json", "text/csv"},
		{"/api/v1/components?format=json", "text/csv", "application/json"},
		{"/api/v1/stats/coverage", "text/csv;q=0", "application/json"},
		{"/api/v1/stats/coverage?format=csv", "", "text/csv"},
	} {
		r := e.do("GET", c.path, nil, "", "Accept", c.accept).wantStatus(http.StatusOK)
		if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, c.want) {
			t.Errorf("GET %s with Accept %q: Content-Type %q, want %s", c.path, c.accept, ct, c.want)
		}
		if r.Header().Get("Vary") != "Accept" {
			t.Errorf("GET %s: Vary %q, want Accept", c.path, r.Header().Get("Vary"))
		}
	}
	e.do("GET", "/api/v1/components?format=xml", nil, "").wantProblem(http.StatusBadRequest, "format")
	e.do("GET", "/api/v1/stats/coverage?format=xls", nil, "").wantProblem(http.StatusBadRequest, "format")
}

// TestIfMatchIsComparedStrongly: a weak tag of the current bytes is refused
// with 412 on PATCH and DELETE and nothing is written; the strong tag works.
func TestIfMatchIsComparedStrongly(t *testing.T) {
	e := newEnv(t)
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "acme", "name": "Acme Ltd", "website": "https://acme.example"}, e.admin).
		wantStatus(http.StatusCreated)
	tag := e.do("GET", "/api/v1/vendors/acme", nil, "").wantStatus(http.StatusOK).Header().Get("ETag")
	before := e.snapshot()
	e.do("PATCH", "/api/v1/vendors/acme", map[string]any{"name": "Acme plc"}, e.admin, "If-Match", "W/"+tag).
		wantProblem(http.StatusPreconditionFailed)
	e.do("DELETE", "/api/v1/vendors/acme", nil, e.admin, "If-Match", "W/"+tag).wantProblem(http.StatusPreconditionFailed)
	e.do("DELETE", "/api/v1/vendors/acme", nil, e.admin, "If-Match", `"stale"`).wantProblem(http.StatusPreconditionFailed)
	if e.snapshot() != before {
		t.Fatal("a refused precondition changed the database")
	}
	e.do("PATCH", "/api/v1/vendors/acme", map[string]any{"name": "Acme plc"}, e.admin, "If-Match", tag).wantStatus(http.StatusOK)
	if n := e.count("SELECT count(*) FROM vendors WHERE slug = 'acme' AND name = 'Acme plc'"); n != 1 {
		t.Fatalf("the strong tag's write is not stored: %d rows", n)
	}
	tag = e.do("GET", "/api/v1/vendors/acme", nil, "").Header().Get("ETag")
	e.do("DELETE", "/api/v1/vendors/acme", nil, e.admin, "If-Match", tag).wantStatus(http.StatusNoContent)
	if n := e.count("SELECT count(*) FROM vendors WHERE slug = 'acme'"); n != 0 {
		t.Fatal("the strong tag's delete did not delete")
	}
}

// TestAnonymousReadsRevalidate: shared caches may keep anonymous answers but
// must revalidate them; answers to a key are never stored.
func TestAnonymousReadsRevalidate(t *testing.T) {
	e := newSeededEnv(t, false)
	for _, path := range []string{"/api/v1/components", "/api/v1/councils/E09000022", "/openapi.json"} {
		if cc := e.do("GET", path, nil, "").wantStatus(http.StatusOK).Header().Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("anonymous GET %s: Cache-Control %q, want no-cache", path, cc)
		}
		if cc := e.do("GET", path, nil, e.admin).wantStatus(http.StatusOK).Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s with a key: Cache-Control %q, want no-store", path, cc)
		}
	}
}

// TestProblemTypesResolveToPages: a problem's type is an absolute URL that a
// person can open, and it says what the problem means.
func TestProblemTypesResolveToPages(t *testing.T) {
	e := newSeededEnv(t, false)
	p := e.do("GET", "/api/v1/components?limit=0", nil, "").wantProblem(http.StatusBadRequest, "limit")
	typ := p["type"].(string)
	if typ != "http://example.com/problems/invalid" { // httptest's requests reach host example.com
		t.Fatalf("problem type %q, want the absolute URL of its page", typ)
	}
	page := e.do("GET", strings.TrimPrefix(typ, "http://example.com"), nil, "").wantStatus(http.StatusOK)
	if ct := page.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") ||
		!strings.Contains(page.Body.String(), "Invalid request") || !strings.Contains(page.Body.String(), "errors list names each field") {
		t.Fatalf("the problem page (%s) does not explain the problem:\n%s", ct, page.Body.String())
	}
	e.do("GET", "/problems/no-such-problem", nil, "").wantStatus(http.StatusNotFound)
}

// TestCanonicalURLsRedirect: a trailing slash and a lower-case GSS code lead
// to the canonical URL, query kept; a write is redirected with its method.
func TestCanonicalURLsRedirect(t *testing.T) {
	e := newSeededEnv(t, false)
	for _, c := range []struct {
		method, path string
		status       int
		location     string
	}{
		{"GET", "/api/v1/components/", http.StatusMovedPermanently, "/api/v1/components"},
		{"GET", "/api/v1/councils/e09000022", http.StatusMovedPermanently, "/api/v1/councils/E09000022"},
		{"HEAD", "/api/v1/councils/e09000022/adoptions?limit=5", http.StatusMovedPermanently, "/api/v1/councils/E09000022/adoptions?limit=5"},
		{"GET", "/councils/e09000022", http.StatusMovedPermanently, "/councils/E09000022"},
		{"POST", "/api/v1/councils/e09000022/adoptions", http.StatusMethodNotAllowed, ""}, // no such route: nothing to redirect to
	} {
		r := e.do(c.method, c.path, nil, "")
		if r.Code != c.status || r.Header().Get("Location") != c.location {
			t.Errorf("%s %s: %d to %q, want %d to %q", c.method, c.path, r.Code, r.Header().Get("Location"), c.status, c.location)
		}
	}
	before := e.snapshot()
	r := e.do("PATCH", "/api/v1/needs/1?x=1", nil, "") // an id is not a code: no redirect, the policy answers
	if r.Code != http.StatusUnauthorized {
		t.Fatalf("PATCH a need anonymously: %d", r.Code)
	}
	if e.snapshot() != before {
		t.Fatal("a redirect changed the database")
	}
}

// TestCORSOnlyOnAnonymousReads: scripts on any site may read public data
// without credentials; writes and reads with a key carry no CORS headers.
func TestCORSOnlyOnAnonymousReads(t *testing.T) {
	e := newSeededEnv(t, false)
	origin := "https://council.example"
	for _, hdr := range [][]string{{"Origin", origin}, nil} {
		r := e.do("GET", "/api/v1/components", nil, "", hdr...).wantStatus(http.StatusOK)
		if r.Header().Get("Access-Control-Allow-Origin") != "*" || r.Header().Get("Access-Control-Allow-Credentials") != "" ||
			!strings.Contains(r.Header().Get("Access-Control-Expose-Headers"), "Link") {
			t.Fatalf("anonymous read (%v): CORS headers %v", hdr, r.Header())
		}
	}
	for _, c := range []struct {
		method, path, key string
	}{
		{"GET", "/api/v1/components", e.admin},
		{"GET", "/api/v1/keys", ""},
		{"POST", "/api/v1/vendors", ""},
		{"POST", "/api/v1/vendors", e.admin},
	} {
		r := e.do(c.method, c.path, map[string]any{}, c.key, "Origin", origin)
		if v := r.Header().Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("%s %s (key %t): Access-Control-Allow-Origin %q", c.method, c.path, c.key != "", v)
		}
	}
	pre := e.do("OPTIONS", "/api/v1/components", nil, "", "Origin", origin,
		"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "if-none-match")
	if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(pre.Header().Get("Access-Control-Allow-Methods"), "GET") {
		t.Fatalf("preflight of a read: %d %v", pre.Code, pre.Header())
	}
	for _, hdr := range [][]string{
		{"Access-Control-Request-Method", "POST"},
		{"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"},
	} {
		pre := e.do("OPTIONS", "/api/v1/vendors", nil, "", append([]string{"Origin", origin}, hdr...)...)
		if pre.Code != http.StatusMethodNotAllowed || pre.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight %v: %d %v", hdr, pre.Code, pre.Header())
		}
	}
}

type sent struct {
	status int
	header http.Header
	body   string
}

// send makes a request over the network, as a client would.
func send(t *testing.T, method, url string, header http.Header) sent {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return sent{resp.StatusCode, resp.Header, string(b)}
}

// TestPATCHKeepsPOSTsFieldRules: a PATCH cannot blank a field a POST requires.
func TestPATCHKeepsPOSTsFieldRules(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	before := e.snapshot()
	for _, c := range []struct {
		path  string
		body  map[string]any
		field string
	}{
		{"/api/v1/vendors/acme", map[string]any{"name": ""}, "name"},
		{"/api/v1/capabilities/online-payments", map[string]any{"description": " "}, "description"},
		{"/api/v1/components/govuk-pay", map[string]any{"summary": ""}, "summary"},
		{"/api/v1/components/govuk-pay", map[string]any{"capabilities": []string{}}, "capabilities"},
	} {
		e.do("PATCH", c.path, c.body, e.admin).wantProblem(http.StatusBadRequest, c.field)
	}
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "blank", "name": "", "website": "https://blank.example"}, e.admin).
		wantProblem(http.StatusBadRequest, "name") // as a POST refuses it
	if e.snapshot() != before {
		t.Fatal("a refused PATCH changed the database")
	}
}
