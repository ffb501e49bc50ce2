package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/council-components/registry/api/apitest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
)

// The response cache must never let a reader see the catalogue as it was
// before a write that has completed, whichever replica made it.

func TestCacheServesRepeatReadsAndSeesWritesThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	e.fixture()

	first := e.do("GET", "/api/v1/components/govuk-pay", nil, "").wantStatus(200)
	if got := first.Header().Get("X-Cache"); got != "miss" {
		t.Fatalf("first read X-Cache %q, want miss", got)
	}
	second := e.do("GET", "/api/v1/components/govuk-pay", nil, "").wantStatus(200)
	if got := second.Header().Get("X-Cache"); got != "hit" {
		t.Fatalf("repeat read X-Cache %q, want hit", got)
	}
	if second.Body.String() != first.Body.String() || second.Header().Get("ETag") != first.Header().Get("ETag") {
		t.Fatal("a cached answer differs from the one it was stored from")
	}
	if ct := second.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("cached Content-Type %q", ct)
	}

	e.do("PATCH", "/api/v1/components/govuk-pay", map[string]any{"name": "GOV.UK Pay (renamed)"}, e.admin).wantStatus(200)
	after := e.do("GET", "/api/v1/components/govuk-pay", nil, "").wantStatus(200)
	if got := after.json()["name"]; got != "GOV.UK Pay (renamed)" {
		t.Fatalf("the read after a write shows name %v", got)
	}
	if after.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Fatal("the ETag did not change with the component")
	}

	// Lists too: a new component is counted on the very next read.
	list := e.do("GET", "/api/v1/components?lifecycle=live", nil, "").wantStatus(200).json()
	e.do("GET", "/api/v1/components?lifecycle=live", nil, "").wantStatus(200)
	e.do("POST", "/api/v1/components", map[string]any{"slug": "acme-pay", "name": "Acme Pay", "summary": "Payments.",
		"vendor": "acme", "capabilities": []string{"online-payments"}, "lifecycle": "live"}, e.admin).wantStatus(201)
	again := e.do("GET", "/api/v1/components?lifecycle=live", nil, "").wantStatus(200).json()
	if again["total"].(float64) != list["total"].(float64)+1 {
		t.Fatalf("total %v after adding one to %v", again["total"], list["total"])
	}
}

func TestCacheSeesWritesFromAnotherReplica(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	// Another replica: its own store (pools, engine) on the same database.
	other, err := store.Open(e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	actor := models.Actor{Key: "replica-2", Role: models.RoleAdmin}

	before := e.do("GET", "/api/v1/vendors", nil, "").wantStatus(200).json()
	if e.do("GET", "/api/v1/vendors", nil, "").wantStatus(200).Header().Get("X-Cache") != "hit" {
		t.Fatal("the repeat list read was not cached")
	}
	name, site := "Beta Ltd", "https://beta.example"
	slug := "beta"
	if _, err := other.CreateVendor(ctx, actor, models.VendorInput{Slug: &slug, Name: &name, Website: &site}); err != nil {
		t.Fatal(err)
	}
	after := e.do("GET", "/api/v1/vendors", nil, "").wantStatus(200)
	if after.Header().Get("X-Cache") != "miss" {
		t.Fatal("a read after another replica's write was answered from the cache")
	}
	if got := after.json()["total"].(float64); got != before["total"].(float64)+1 {
		t.Fatalf("total %v after another replica added a vendor to %v", got, before["total"])
	}

	e.do("GET", "/api/v1/vendors/beta", nil, "").wantStatus(200)
	renamed := "Beta Software Ltd"
	if _, err := other.UpdateVendor(ctx, actor, "beta", models.VendorInput{Name: &renamed}, nil); err != nil {
		t.Fatal(err)
	}
	if got := e.do("GET", "/api/v1/vendors/beta", nil, "").wantStatus(200).json()["name"]; got != renamed {
		t.Fatalf("name %v after another replica renamed the vendor", got)
	}
}

func TestCacheAnswersIfNoneMatchWith304(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	for _, path := range []string{"/api/v1/components/govuk-notify", "/api/v1/components?limit=2", "/api/v1/capabilities"} {
		t.Run(path, func(t *testing.T) {
			e := e.in(t)
			r := e.do("GET", path, nil, "").wantStatus(200)
			tag := r.Header().Get("ETag")
			if tag == "" {
				t.Fatal("no ETag")
			}
			for range 2 { // from the handler's answer, then from the cache
				nm := e.do("GET", path, nil, "", "If-None-Match", tag).wantStatus(304)
				if nm.Body.Len() != 0 || nm.Header().Get("ETag") != tag {
					t.Fatalf("304 with body %q and ETag %q", nm.Body.String(), nm.Header().Get("ETag"))
				}
			}
			e.do("GET", path, nil, "", "If-None-Match", `"something-else"`).wantStatus(200)
			e.do("GET", path, nil, "", "If-None-Match", "W/"+tag).wantStatus(304)
		})
	}
	// After a write the old tag no longer matches.
	tag := e.do("GET", "/api/v1/components/govuk-notify", nil, "").Header().Get("ETag")
	e.do("PATCH", "/api/v1/components/govuk-notify", map[string]any{"summary": "Emails, texts and letters to residents."}, e.admin).wantStatus(200)
	if r := e.do("GET", "/api/v1/components/govuk-notify", nil, "", "If-None-Match", tag); r.Code != 200 {
		t.Fatalf("status %d for a stale ETag after a write, want 200", r.Code)
	}
}

func TestCacheKeepsAuthenticatedReadsOut(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	r := e.do("GET", "/api/v1/components/govuk-pay", nil, e.admin).wantStatus(200)
	if r.Header().Get("Cache-Control") != "no-store" || r.Header().Get("X-Cache") != "" {
		t.Fatalf("authenticated read: Cache-Control %q, X-Cache %q", r.Header().Get("Cache-Control"), r.Header().Get("X-Cache"))
	}
	// Nothing an authenticated read produced is handed to an anonymous caller.
	if got := e.do("GET", "/api/v1/components/govuk-pay", nil, "").Header().Get("X-Cache"); got != "miss" {
		t.Fatalf("anonymous read after an authenticated one: X-Cache %q, want miss", got)
	}
	if r := e.do("GET", "/api/v1/components/govuk-pay", nil, e.admin); r.Header().Get("X-Cache") != "" || r.Header().Get("Cache-Control") != "no-store" {
		t.Fatal("an authenticated read was answered from the shared cache")
	}
	// Errors are never stored.
	e.do("GET", "/api/v1/components/nope", nil, "").wantStatus(404)
	if got := e.do("GET", "/api/v1/components/nope", nil, "").wantStatus(404).Header().Get("X-Cache"); got != "" {
		t.Fatalf("a 404 went through the cache: X-Cache %q", got)
	}
}

func TestCacheKeysByHostAndAccept(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	json := e.do("GET", "/api/v1/stats/coverage", nil, "").wantStatus(200)
	csv := e.do("GET", "/api/v1/stats/coverage", nil, "", "Accept", "text/csv").wantStatus(200)
	if json.Body.String() == csv.Body.String() || csv.Header().Get("Content-Type") == json.Header().Get("Content-Type") {
		t.Fatal("the CSV answer was served from the JSON one")
	}
	next := func(host string) string {
		req := httptest.NewRequest("GET", "/api/v1/capabilities?limit=1", nil)
		req.Host = host
		w := httptest.NewRecorder()
		e.router.ServeHTTP(w, req)
		return response{w, t}.wantStatus(200).json()["next"].(string)
	}
	if a, b := next("a.example"), next("b.example"); !strings.HasPrefix(a, "http://a.example/") || !strings.HasPrefix(b, "http://b.example/") {
		t.Fatalf("next links %q and %q do not name the hosts asked", a, b)
	}
}

func TestCacheConcurrentReadsAgreeAcrossWrites(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	const readers = 16
	for round, name := range []string{"GOV.UK Pay", "GOV.UK Pay (round 1)", "GOV.UK Pay (round 2)"} {
		if round > 0 {
			e.do("PATCH", "/api/v1/components/govuk-pay", map[string]any{"name": name}, e.admin).wantStatus(200)
		}
		bodies := make(chan string, readers)
		var wg sync.WaitGroup
		for range readers { // identical requests at once: one computes, the rest wait for its answer
			wg.Go(func() {
				w := apitest.Serve(e.served, "GET", "/api/v1/components/govuk-pay", nil, "")
				bodies <- fmt.Sprint(w.Code, " ", w.Body.String())
			})
		}
		wg.Wait()
		close(bodies)
		for b := range bodies {
			if !strings.HasPrefix(b, "200 ") || !strings.Contains(b, `"name":"`+name+`"`) {
				t.Fatalf("round %d: a concurrent reader got %.200s", round, b)
			}
		}
	}
}
