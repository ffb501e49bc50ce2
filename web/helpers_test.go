package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/api/apitest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
	"github.com/council-components/registry/store/storetest/testdb"
)

// fixedNow is the tests' clock, so opportunities and charts do not drift.
var fixedNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) { storetest.Main(m) }

// env is one test's service: the real router over a real database (SQLite,
// or PostgreSQL when REGISTRY_TEST_ENGINE=postgres) holding the reference
// data and the demo world.
type env struct {
	t      testing.TB
	st     *store.Store
	router *gin.Engine
	served http.Handler // the router, each API exchange checked against /openapi.json
}

func newEnv(t testing.TB) *env {
	t.Helper()
	// Seeded once per run, then copied for each test.
	st := testdb.Open(t, testdb.Seeded(t, true))
	st.Now = func() time.Time { return fixedNow }
	r := apitest.NewRouter(t, st, api.Config{})
	return &env{t: t, st: st, router: r, served: apitest.Validated(t, r)}
}

type response struct {
	*httptest.ResponseRecorder
	t testing.TB
}

func (e *env) get(path string, headers ...string) response {
	e.t.Helper()
	return response{apitest.Serve(e.served, http.MethodGet, path, nil, "", headers...), e.t}
}

func (r response) want(status int, contentType string) response {
	r.t.Helper()
	if r.Code != status {
		r.t.Fatalf("status %d, want %d; body: %.500s", r.Code, status, r.Body.String())
	}
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, contentType) {
		r.t.Fatalf("Content-Type %q, want %q", ct, contentType)
	}
	return r
}

func (r response) json() map[string]any {
	r.t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &v); err != nil {
		r.t.Fatalf("not JSON: %v", err)
	}
	return v
}

// allItems follows a list's next links from path and returns every item.
func (e *env) allItems(path string) []map[string]any {
	e.t.Helper()
	var items []map[string]any
	for path != "" {
		body := e.get(path).want(200, "application/json").json()
		for _, it := range body["items"].([]any) {
			items = append(items, it.(map[string]any))
		}
		next, _ := body["next"].(string)
		path = ""
		if next != "" {
			u, _ := url.Parse(next)
			path = u.RequestURI()
		}
	}
	return items
}

// adminKey creates an admin API key for writes in tests.
func (e *env) adminKey() string {
	e.t.Helper()
	key, _, err := e.st.CreateKey(context.Background(), models.Actor{Key: "test", Role: models.RoleAdmin}, models.RoleAdmin, "", "test", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return key
}

func (e *env) post(path, body, key string) response {
	e.t.Helper()
	return response{apitest.Serve(e.served, http.MethodPost, path, strings.NewReader(body), key), e.t}
}

var hrefPattern = regexp.MustCompile(`href="(/[a-z]+/[^"?#]+)"`)

// linksUnder returns the paths linked from the HTML that start with prefix, in order.
func linksUnder(html, prefix string) []string {
	var out []string
	for _, m := range hrefPattern.FindAllStringSubmatch(html, -1) {
		if strings.HasPrefix(m[1], prefix) {
			out = append(out, m[1])
		}
	}
	return out
}

// isoDays are YYYY-MM-DD days in the API's text.
var isoDays = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// withLongDays is the API's text with its days written as the pages write
// them: 2027-09-01 is 1 September 2027.
func withLongDays(s string) string {
	return isoDays.ReplaceAllStringFunc(s, func(d string) string {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return d
		}
		return t.Format("2 January 2006")
	})
}
