package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/store/storetest"
)

// TestFailedAuthenticationIsRateLimited: failed attempts count against the
// client's address in a stricter bucket; once it is spent that address's
// keyed requests get 429 with Retry-After, untried; anonymous reads, other
// addresses and successful requests are unaffected.
func TestFailedAuthenticationIsRateLimited(t *testing.T) {
	// httptest's requests come from 192.0.2.1; trusting it as a proxy lets
	// X-Forwarded-For name each client.
	e := newEnvWith(t, storetest.NewDSN(t), api.Config{AuthFailures: 10, TrustedProxies: []string{"192.0.2.0/24"}})
	from := func(ip string) []string { return []string{"X-Forwarded-For", ip} }
	attacker, neighbour := "203.0.113.7", "203.0.113.8"

	for i := range 10 {
		e.do("GET", "/api/v1/keys", nil, "ccr_guess"+strconv.Itoa(i)+"_x", from(attacker)...).wantProblem(http.StatusUnauthorized)
	}
	r := e.do("GET", "/api/v1/keys", nil, "ccr_guess10_x", from(attacker)...)
	p := r.wantProblem(http.StatusTooManyRequests)
	if wait, err := strconv.Atoi(r.Header().Get("Retry-After")); err != nil || wait < 1 || wait > 60 {
		t.Fatalf("Retry-After %q", r.Header().Get("Retry-After"))
	}
	if !strings.Contains(p["detail"].(string), "failed attempts") {
		t.Fatalf("detail %q", p["detail"])
	}
	// The spent address cannot try even a good key until the bucket refills; it may still read anonymously.
	e.do("GET", "/api/v1/keys", nil, e.admin, from(attacker)...).wantProblem(http.StatusTooManyRequests)
	e.do("GET", "/api/v1/vendors", nil, "", from(attacker)...).wantStatus(http.StatusOK)
	// Another address is unaffected, and its successes spend nothing.
	for range 30 {
		e.do("GET", "/api/v1/keys", nil, e.admin, from(neighbour)...).wantStatus(http.StatusOK)
	}
	e.do("GET", "/api/v1/keys", nil, "ccr_typo_x", from(neighbour)...).wantProblem(http.StatusUnauthorized)

	// Off by default in a router built without the setting: failures are only 401s.
	quiet := newEnv(t)
	for i := range 15 {
		quiet.do("GET", "/api/v1/keys", nil, "ccr_guess"+strconv.Itoa(i)+"_x").wantProblem(http.StatusUnauthorized)
	}
}

// TestResponsesForbidSniffing: JSON, problems, pages and the Swagger UI all
// carry nosniff, and the Swagger UI a Content-Security-Policy.
func TestResponsesForbidSniffing(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/vendors", "/api/v1/vendors/nobody", "/openapi.json", "/healthz", "/swagger/index.html", "/components"} {
		r := e.do("GET", path, nil, "")
		if r.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s (%d): X-Content-Type-Options %q", path, r.Code, r.Header().Get("X-Content-Type-Options"))
		}
	}
	csp := e.do("GET", "/swagger/index.html", nil, "").wantStatus(http.StatusOK).Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Fatalf("Swagger UI CSP %q", csp)
	}
}
