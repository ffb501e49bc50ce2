package api_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// actors in the matrix, in column order, then the former council: Basildon, abolished by a
// reorganisation vested in the probe world. It has no column of its own, for every route answers
// it as it answers council B (see formerAnswer).
var actorNames = []string{"anonymous", "vendor A", "vendor B", "council A", "council B", "admin", "former council"}

// formerAnswer is the status a former council's key gets where council B's gets want[4]: it
// reads as anyone may, and every write it tries is refused, its own council's or not.
func formerAnswer(want [6]int) int { return want[4] }

// formerSuccessor takes over the matrix's former council (not a real council).
const formerSuccessor = "E06009997"

// matrixWorld is a seeded database with one of everything the write routes act on.
type matrixWorld struct {
	*env
	keys                 map[string]string
	claim, own, need     int
	spareKey, emptyVenID string
	webhook              int
}

func newMatrixWorld(t *testing.T) *matrixWorld {
	e := newSeededEnv(t, false)
	w := &matrixWorld{env: e, keys: map[string]string{
		"anonymous": "", "vendor A": e.key("vendor", gds), "vendor B": e.key("vendor", "mysociety"),
		"council A": e.key("council", lambeth), "council B": e.key("council", southwark), "admin": e.admin,
	}}
	w.claim = idOf(t, e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-notify", "capability": "email-notifications", "status": "live"}, w.keys["vendor A"]).wantStatus(201).json())
	w.own = idOf(t, e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments", "status": "live"}, w.keys["council A"]).wantStatus(201).json())
	w.need = idOf(t, e.do("POST", "/api/v1/needs", map[string]any{"council": lambeth, "capability": "appointment-booking", "needed_by": "2027-04-01"}, w.keys["council A"]).wantStatus(201).json())
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "empty-vendor", "name": "Empty", "website": "https://empty.example"}, e.admin).wantStatus(201)
	e.do("POST", "/api/v1/capabilities", map[string]any{"slug": "unused-capability", "name": "Unused", "category": "payments", "description": "Nobody provides it."}, e.admin).wantStatus(201)
	e.do("POST", "/api/v1/components", map[string]any{"slug": "gds-extra", "name": "GDS extra", "summary": "Spare.", "vendor": gds, "capabilities": []string{"online-card-payments"}, "lifecycle": "alpha"}, e.admin).wantStatus(201)
	_, k, err := e.st.CreateKey(context.Background(), models.Actor{Key: "test", Role: models.RoleAdmin}, "council", southwark, "spare", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.spareKey = k.Prefix
	w.webhook = idOf(t, e.do("POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.gov.uk/matrix"}, e.admin).wantStatus(201).json())
	return w
}

// abolish vests a reorganisation, dated vesting, in which successor takes over council.
func abolish(t *testing.T, e *env, council, successor, vesting string) {
	t.Helper()
	str := func(s string) *string { return &s }
	admin := models.Actor{Key: "test", Role: models.RoleAdmin}
	r, err := e.st.CreateReorganisation(context.Background(), admin, models.ReorganisationInput{Predecessors: &[]string{council},
		Successor:   &models.SuccessorInput{Code: models.NullString{Set: true, Value: str(successor)}, Name: str("Successor of " + council + " (example)")},
		VestingDate: str(vesting)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.VestReorganisation(context.Background(), admin, r.ID); err != nil {
		t.Fatal(err)
	}
}

// csvBody is a matrix request body sent as text/csv rather than JSON.
type csvBody string

// matrixRequest turns a matrix row's body into what e.do sends, with its Content-Type.
func matrixRequest(body any) (any, []string) {
	if b, ok := body.(csvBody); ok {
		return []byte(b), []string{"Content-Type", "text/csv"}
	}
	return body, nil
}

// guarded captures everything a refused request must leave alone.
func (e *env) guarded() string {
	return e.snapshot() + fmt.Sprint(
		e.count("SELECT count(*) FROM audit_log"), e.count("SELECT count(*) FROM adoption_events"),
		e.count("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL"), e.count("SELECT count(*) FROM api_keys"))
}

// TestAccessMatrix runs every route as each kind of caller on a fresh copy of
// the same world, and checks the status and that a refused write changed nothing.
func TestAccessMatrix(t *testing.T) {
	type row struct {
		method, path string
		body         any
		want         [6]int // anonymous, vendor A, vendor B, council A, council B, admin
	}
	ok6 := [6]int{200, 200, 200, 200, 200, 200}
	adminOnly := func(success int) [6]int { return [6]int{401, 403, 403, 403, 403, success} }
	probe := newMatrixWorld(t) // for ids, which are the same in every copy
	probe.keys["former council"] = probe.key("council", basildon)
	abolish(t, probe.env, basildon, formerSuccessor, "2026-11-01")
	historic := probe.count("SELECT min(id) FROM reorganisations WHERE status = 'historic'")
	rows := []row{
		{"GET", "/healthz", nil, ok6},
		{"GET", "/readyz", nil, ok6},
		{"GET", "/metrics", nil, ok6},
		{"GET", "/openapi.json", nil, ok6},
		{"GET", "/swagger/index.html", nil, ok6},
		{"GET", "/api/v1/councils", nil, ok6},
		{"GET", "/api/v1/councils/" + lambeth, nil, ok6},
		{"GET", "/api/v1/councils/" + lambeth + "/adoptions", nil, ok6},
		{"GET", "/api/v1/vendors", nil, ok6},
		{"GET", "/api/v1/vendors/" + gds, nil, ok6},
		{"POST", "/api/v1/vendors", map[string]any{"slug": "newco", "name": "NewCo", "website": "https://newco.example"}, adminOnly(201)},
		{"PATCH", "/api/v1/vendors/" + gds, map[string]any{"description": "changed"}, [6]int{401, 200, 403, 403, 403, 200}},
		{"DELETE", "/api/v1/vendors/empty-vendor", nil, adminOnly(204)},
		{"GET", "/api/v1/capabilities", nil, ok6},
		{"GET", "/api/v1/capabilities/online-card-payments", nil, ok6},
		{"POST", "/api/v1/capabilities", map[string]any{"slug": "new-cap", "name": "New", "category": "payments", "description": "d"}, adminOnly(201)},
		{"PATCH", "/api/v1/capabilities/online-card-payments", map[string]any{"description": "changed"}, adminOnly(200)},
		{"DELETE", "/api/v1/capabilities/unused-capability", nil, adminOnly(204)},
		{"GET", "/api/v1/components", nil, ok6},
		{"GET", "/api/v1/components/govuk-pay", nil, ok6},
		{"GET", "/api/v1/components/govuk-pay/adoptions", nil, ok6},
		{"POST", "/api/v1/components", map[string]any{"slug": "gds-new", "name": "New", "summary": "s", "vendor": gds, "capabilities": []string{"online-card-payments"}, "lifecycle": "alpha"},
			[6]int{401, 201, 400, 403, 403, 201}},
		{"PATCH", "/api/v1/components/govuk-pay", map[string]any{"summary": "changed"}, [6]int{401, 200, 403, 403, 403, 200}},
		{"DELETE", "/api/v1/components/gds-extra", nil, [6]int{401, 204, 403, 403, 403, 204}},
		{"GET", "/api/v1/adoptions", nil, ok6},
		{"GET", fmt.Sprintf("/api/v1/adoptions/%d", probe.own), nil, ok6},
		{"GET", fmt.Sprintf("/api/v1/adoptions/%d/history", probe.own), nil, ok6},
		{"POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "fixmystreet", "capability": "street-fault-reporting", "status": "live"},
			[6]int{401, 403, 201, 201, 403, 201}},
		{"PATCH", fmt.Sprintf("/api/v1/adoptions/%d", probe.claim), map[string]any{"notes": "changed"}, [6]int{401, 200, 403, 200, 403, 200}},
		{"POST", fmt.Sprintf("/api/v1/adoptions/%d/verify", probe.claim), nil, [6]int{401, 403, 403, 200, 403, 200}},
		{"POST", fmt.Sprintf("/api/v1/adoptions/%d/reject", probe.claim), map[string]any{"reason": "no"}, [6]int{401, 403, 403, 200, 403, 200}},
		{"POST", fmt.Sprintf("/api/v1/adoptions/%d/confirm", probe.own), nil, [6]int{401, 403, 403, 200, 403, 200}},
		{"POST", fmt.Sprintf("/api/v1/adoptions/%d/clear-rejection", probe.claim), nil, [6]int{401, 403, 403, 409, 403, 409}},
		{"GET", "/api/v1/needs", nil, ok6},
		{"GET", fmt.Sprintf("/api/v1/needs/%d", probe.need), nil, ok6},
		{"POST", "/api/v1/needs", map[string]any{"council": lambeth, "capability": "online-card-payments", "needed_by": "2027-06-01"}, [6]int{401, 403, 403, 201, 403, 201}},
		{"PATCH", fmt.Sprintf("/api/v1/needs/%d", probe.need), map[string]any{"status": "met"}, [6]int{401, 403, 403, 200, 403, 200}},
		{"GET", "/api/v1/stats/coverage", nil, ok6},
		{"GET", "/api/v1/stats/adoptions?component=govuk-pay", nil, ok6},
		{"GET", "/api/v1/councils/" + lambeth + "/peers", nil, ok6},
		{"GET", "/api/v1/councils/" + lambeth + "/opportunities", nil, ok6},
		{"GET", "/api/v1/opportunities/consolidation", nil, ok6},
		{"GET", "/api/v1/opportunities/migrations", nil, ok6},
		{"GET", "/api/v1/opportunities/collaborations", nil, ok6},
		{"GET", "/api/v1/components/govuk-pay/impact", nil, ok6},
		{"GET", "/api/v1/councils/" + lambeth + "/renewals", nil, ok6},
		{"GET", "/api/v1/councils/" + lambeth + "/renewals.ics", nil, ok6},
		{"GET", "/api/v1/market/renewals", nil, ok6},
		{"GET", "/api/v1/market/renewals.ics", nil, ok6},
		{"GET", "/api/v1/market/concentration", nil, ok6},
		{"GET", "/api/v1/programmes", nil, ok6},
		{"GET", "/api/v1/programmes/open-digital-planning", nil, ok6},
		{"GET", "/api/v1/projects", nil, ok6},
		{"GET", "/api/v1/councils/" + lambeth + "/programmes", nil, ok6},
		{"GET", "/api/v1/councils/" + lambeth + "/projects", nil, ok6},
		// Web pages (package web).
		{"GET", "/", nil, ok6},
		{"GET", "/components", nil, ok6},
		{"GET", "/components/govuk-pay", nil, ok6},
		{"GET", "/councils", nil, ok6},
		{"GET", "/councils/" + lambeth, nil, ok6},
		{"GET", "/capabilities", nil, ok6},
		{"GET", "/capabilities/online-card-payments", nil, ok6},
		{"GET", "/dashboards", nil, ok6},
		{"GET", "/dashboards/coverage", nil, ok6},
		{"GET", "/dashboards/consolidation", nil, ok6},
		{"GET", "/dashboards/migrations", nil, ok6},
		{"GET", "/dashboards/collaborations", nil, ok6},
		{"GET", "/dashboards/concentration", nil, ok6},
		{"GET", "/councils/" + lambeth + "/renewals", nil, ok6},
		{"GET", "/about/data", nil, ok6},
		{"GET", "/accessibility", nil, ok6},
		{"GET", "/vendors", nil, ok6},
		{"GET", "/vendors/" + gds, nil, ok6},
		{"GET", "/list-your-component", nil, ok6},
		{"GET", "/problems/invalid", nil, ok6},
		{"GET", "/assets/app.css", nil, ok6},
		{"GET", "/api/v1/keys", nil, adminOnly(200)},
		{"POST", "/api/v1/keys", map[string]any{"role": "admin", "name": "another"}, adminOnly(201)},
		{"DELETE", "/api/v1/keys/{spare}", nil, adminOnly(204)}, // keys are random: each world has its own
		{"GET", "/api/v1/audit", nil, adminOnly(200)},
		{"POST", "/api/v1/harvests/publiccode", []string{"https://127.0.0.1/publiccode.yml"}, adminOnly(200)}, // refused at the dial: unreachable
		{"POST", "/api/v1/components/import?vendor=" + gds, map[string]any{"publiccodeYmlVersion": "0.4", "name": "GDS Import Test",
			"url": "https://github.com/alphagov/import-test", "platforms": []string{"web"}, "categories": []string{"payment-gateway"},
			"developmentStatus": "beta", "softwareType": "standalone/web", "description": map[string]any{"en": map[string]any{"shortDescription": "Imported."}},
			"legal": map[string]any{"license": "MIT"}}, [6]int{401, 201, 400, 403, 403, 201}},
		{"GET", "/api/v1/components/govuk-pay/publiccode.yml", nil, ok6},
		{"POST", "/api/v1/adoptions/import", csvBody("council,component,capability,status\n" + southwark + ",govuk-pay,online-card-payments,live\n"), adminOnly(200)},
		{"GET", "/api/v1/export", nil, ok6},
		{"GET", "/api/v1/changes", nil, ok6},
		{"GET", "/api/v1/changes.atom", nil, ok6},
		{"GET", "/api/v1/webhooks", nil, adminOnly(200)},
		{"POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.gov.uk/another"}, adminOnly(201)},
		{"DELETE", fmt.Sprintf("/api/v1/webhooks/%d", probe.webhook), nil, adminOnly(204)},
		{"POST", fmt.Sprintf("/api/v1/webhooks/%d/rotate-secret", probe.webhook), nil, adminOnly(200)},
		{"GET", "/api/v1/reorganisations", nil, ok6},
		{"GET", fmt.Sprintf("/api/v1/reorganisations/%d", historic), nil, ok6},
		{"GET", fmt.Sprintf("/api/v1/reorganisations/%d/harmonisation", historic), nil, ok6},
		{"POST", "/api/v1/reorganisations", map[string]any{"predecessors": []string{lambeth, southwark}, "successor": map[string]any{"code": "E06009901", "name": "Example merged council"}, "vesting_date": "2028-04-01"}, adminOnly(201)},
		// A historic reorganisation is history: the admin gets past the policy and is refused by the store.
		{"PATCH", fmt.Sprintf("/api/v1/reorganisations/%d", historic), map[string]any{"notes": "changed"}, adminOnly(409)},
		{"POST", fmt.Sprintf("/api/v1/reorganisations/%d/withdraw", historic), nil, adminOnly(409)},
		{"POST", fmt.Sprintf("/api/v1/reorganisations/%d/vest", historic), nil, adminOnly(409)},
	}

	// Every route must be in the matrix.
	param := regexp.MustCompile(`/:[a-z_]+|/\*[a-z]+`)
	covered := map[string]bool{}
	for _, r := range rows {
		covered[r.method+" "+param.ReplaceAllString(strings.Split(r.path, "?")[0], "/x")] = true
	}
	for _, rt := range probe.router.Routes() {
		method := rt.Method
		if method == "HEAD" {
			method = "GET" // each GET row is run as HEAD too, below
		}
		shape := method + " " + param.ReplaceAllString(rt.Path, "/x")
		found := false
		for c := range covered {
			if strings.Count(c, "/") == strings.Count(shape, "/") && regexp.MustCompile("^"+strings.ReplaceAll(regexp.QuoteMeta(shape), "/x", "/[^/]+")+"$").MatchString(c) {
				found = true
			}
		}
		if !found {
			t.Errorf("route %s %s is not in the access matrix", rt.Method, rt.Path)
		}
	}

	for _, r := range rows {
		for i, who := range actorNames {
			want := formerAnswer(r.want)
			if i < len(r.want) {
				want = r.want[i]
			}
			t.Run(r.method+" "+r.path+" as "+who, func(t *testing.T) {
				var w *matrixWorld
				// The former council exists in the probe world only: its writes are all refused,
				// and a refused write must change nothing (checked below).
				if r.method == "GET" || who == "former council" {
					w = probe
				} else {
					w = newMatrixWorld(t)
				}
				e := w.env.in(t)
				before := e.guarded()
				body, headers := matrixRequest(r.body)
				resp := e.do(r.method, strings.Replace(r.path, "{spare}", w.spareKey, 1), body, w.keys[who], headers...)
				if resp.Code != want {
					t.Fatalf("status %d, want %d: %s", resp.Code, want, resp.Body.String())
				}
				if resp.Code >= 400 && e.guarded() != before {
					t.Fatal("a refused request changed the database")
				}
				if resp.Code >= 400 {
					e.wantProblemShape(resp)
				}
			})
			if r.method == "GET" { // and every read answers HEAD as it answers GET
				t.Run("HEAD "+r.path+" as "+who, func(t *testing.T) {
					e := probe.env.in(t)
					resp := e.do("HEAD", strings.Replace(r.path, "{spare}", probe.spareKey, 1), nil, probe.keys[who])
					if resp.Code != want {
						t.Fatalf("status %d, want %d", resp.Code, want)
					}
				})
			}
		}
	}
}

func (e *env) wantProblemShape(r response) {
	e.t.Helper()
	if ct := r.Header().Get("Content-Type"); ct != "application/problem+json" {
		e.t.Fatalf("error with Content-Type %q", ct)
	}
}

func TestKeys(t *testing.T) {
	e := newSeededEnv(t, false)
	body := map[string]any{"slug": "k-vendor", "name": "K", "website": "https://k.example"}

	// An admin creates a key through the API; it works at once and is never stored in plain text.
	created := e.do("POST", "/api/v1/keys", map[string]any{"role": "vendor", "org": gds, "name": "GDS team", "expires_at": "2026-11-29T13:00:00Z"}, e.admin).wantStatus(http.StatusCreated).json()
	key := created["key"].(string)
	prefix := created["prefix"].(string)
	if !strings.HasPrefix(key, prefix+"_") || created["role"] != "vendor" || created["org"] != gds || created["hash"] != nil {
		t.Fatalf("created key %v", created)
	}
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "by the new key"}, key).wantStatus(http.StatusOK)
	list := e.do("GET", "/api/v1/keys", nil, e.admin).wantStatus(http.StatusOK)
	if strings.Contains(list.Body.String(), key[len(prefix)+1:]) || strings.Contains(list.Body.String(), "hash") {
		t.Fatal("the key list shows a secret or hash")
	}
	if n := e.count("SELECT count(*) FROM api_keys WHERE hash = ? OR prefix = ?", key, key); n != 0 {
		t.Fatal("the key is stored in plain text")
	}

	// Expiry: an hour later the key no longer works.
	e.st.Now = func() time.Time { return fixedNow.Add(2 * time.Hour) }
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "expired"}, key).wantProblem(http.StatusUnauthorized)
	e.st.Now = func() time.Time { return fixedNow }

	// Revocation works on the next request.
	e.do("DELETE", "/api/v1/keys/"+prefix, nil, e.admin).wantStatus(http.StatusNoContent)
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "revoked"}, key).wantProblem(http.StatusUnauthorized)
	e.do("DELETE", "/api/v1/keys/"+prefix, nil, e.admin).wantProblem(http.StatusNotFound)

	before := e.guarded()
	for name, header := range map[string]string{
		"wrong prefix":   "Bearer xyz_abcdefgh_" + strings.Repeat("a", 52),
		"no secret":      "Bearer " + prefix,
		"tampered":       "Bearer " + e.admin[:len(e.admin)-1] + "x",
		"basic auth":     "Basic dXNlcjpwYXNz",
		"empty bearer":   "Bearer ",
		"very long":      "Bearer ccr_" + strings.Repeat("a", 5000),
		"non-ascii junk": "Bearer ccr_\u00e9\u00e9_\u00ff",
	} {
		r := e.do("POST", "/api/v1/vendors", body, "", "Authorization", header)
		if r.Code != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, r.Code)
		}
		if r.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s: no WWW-Authenticate", name)
		}
	}
	e.do("GET", "/api/v1/vendors?access_token="+e.admin, nil, "").wantProblem(http.StatusBadRequest, "access_token")
	e.do("POST", "/api/v1/keys", map[string]any{"role": "vendor", "org": "nobody"}, e.admin).wantProblem(http.StatusUnprocessableEntity, "org")
	e.do("POST", "/api/v1/keys", map[string]any{"role": "root"}, e.admin).wantProblem(http.StatusBadRequest, "role")
	e.do("POST", "/api/v1/keys", map[string]any{"role": "admin", "expires_at": "tomorrow"}, e.admin).wantProblem(http.StatusBadRequest, "expires_at")
	e.do("POST", "/api/v1/keys", map[string]any{"role": "admin", "expires_at": "2020-01-01T00:00:00Z"}, e.admin).wantProblem(http.StatusBadRequest, "expires_at")
	if e.guarded() != before {
		t.Fatal("refused key requests changed the database")
	}

	// Authenticated answers are never cached; anonymous reads may be.
	if cc := e.do("GET", "/api/v1/vendors", nil, e.admin).Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("authenticated Cache-Control %q", cc)
	}
}

func TestMassAssignmentIsRefused(t *testing.T) {
	w := newMatrixWorld(t)
	e := w.env
	for _, tc := range []struct {
		name, method, path, who string
		body                    map[string]any
		field                   string
	}{
		{"vendor lists under another vendor", "POST", "/api/v1/components", "vendor B", map[string]any{"slug": "x", "name": "X", "summary": "s", "vendor": gds, "capabilities": []string{"online-card-payments"}, "lifecycle": "alpha"}, "vendor"},
		{"vendor hands its component away", "PATCH", "/api/v1/components/govuk-pay", "vendor A", map[string]any{"vendor": "mysociety"}, "vendor"},
		{"component id", "POST", "/api/v1/components", "admin", map[string]any{"id": 5, "slug": "x", "name": "X", "summary": "s", "vendor": gds, "capabilities": []string{"online-card-payments"}, "lifecycle": "alpha"}, "id"},
		{"component timestamps", "PATCH", "/api/v1/components/govuk-pay", "admin", map[string]any{"created_at": "2020-01-01T00:00:00Z"}, "created_at"},
		{"component adoption count", "PATCH", "/api/v1/components/govuk-pay", "vendor A", map[string]any{"adoption_count": 400}, "adoption_count"},
		{"vendor verifies its own claim", "PATCH", fmt.Sprintf("/api/v1/adoptions/%d", w.claim), "vendor A", map[string]any{"verified": true}, "verified"},
		{"vendor sets source", "POST", "/api/v1/adoptions", "vendor A", map[string]any{"council": southwark, "component": "govuk-pay", "capability": "online-card-payments", "status": "live", "source": "council"}, "source"},
		{"council sets source", "PATCH", fmt.Sprintf("/api/v1/adoptions/%d", w.own), "council A", map[string]any{"source": "evidence"}, "source"},
		{"adoption id", "PATCH", fmt.Sprintf("/api/v1/adoptions/%d", w.own), "council A", map[string]any{"id": 1}, "id"},
		{"adoption updated_at", "PATCH", fmt.Sprintf("/api/v1/adoptions/%d", w.own), "council A", map[string]any{"updated_at": "2020-01-01T00:00:00Z"}, "updated_at"},
		{"need source", "POST", "/api/v1/needs", "council A", map[string]any{"council": lambeth, "capability": "online-card-payments", "needed_by": "2027-01-01", "source": "admin"}, "source"},
		{"vendor version", "PATCH", "/api/v1/vendors/" + gds, "vendor A", map[string]any{"version": 9}, "version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			before := e.guarded()
			e.do(tc.method, tc.path, tc.body, w.keys[tc.who]).wantProblem(http.StatusBadRequest, tc.field)
			if e.guarded() != before {
				t.Fatal("refused request changed the database")
			}
		})
	}
}

func TestRateLimitAndClientIP(t *testing.T) {
	t.Run("untrusted X-Forwarded-For is ignored", func(t *testing.T) {
		e := newEnvWith(t, storetest.NewDSN(t), api.Config{RateLimit: 1})
		codes := []int{}
		for i := range 4 {
			// A client rotating X-Forwarded-For must not get a fresh allowance each time.
			r := e.do("GET", "/api/v1/vendors", nil, "", "X-Forwarded-For", "203.0.113."+strconv.Itoa(i))
			codes = append(codes, r.Code)
			if r.Code == http.StatusTooManyRequests {
				ra, err := strconv.Atoi(r.Header().Get("Retry-After"))
				if err != nil || ra < 1 {
					t.Errorf("Retry-After %q", r.Header().Get("Retry-After"))
				}
				r.wantProblem(http.StatusTooManyRequests)
			}
		}
		if fmt.Sprint(codes) != "[200 200 429 429]" {
			t.Fatalf("codes %v, want two allowed (burst) then 429s", codes)
		}
	})
	t.Run("trusted proxy's X-Forwarded-For is believed", func(t *testing.T) {
		e := newEnvWith(t, storetest.NewDSN(t), api.Config{RateLimit: 1, TrustedProxies: []string{"192.0.2.0/24"}})
		for i := range 4 {
			e.do("GET", "/api/v1/vendors", nil, "", "X-Forwarded-For", "203.0.113."+strconv.Itoa(i)).wantStatus(http.StatusOK)
		}
	})
	t.Run("each key has its own allowance", func(t *testing.T) {
		e := newEnvWith(t, storetest.NewDSN(t), api.Config{RateLimit: 1})
		other := e.key("admin", "")
		e.do("GET", "/api/v1/vendors", nil, e.admin).wantStatus(http.StatusOK)
		e.do("GET", "/api/v1/vendors", nil, e.admin).wantStatus(http.StatusOK)
		e.do("GET", "/api/v1/vendors", nil, e.admin).wantProblem(http.StatusTooManyRequests)
		e.do("GET", "/api/v1/vendors", nil, other).wantStatus(http.StatusOK)
	})
}

func TestAuditLog(t *testing.T) {
	w := newMatrixWorld(t)
	e := w.env
	e.do("PATCH", "/api/v1/components/govuk-pay", map[string]any{"summary": "Audited change."}, w.keys["vendor A"]).wantStatus(http.StatusOK)
	body := e.do("GET", "/api/v1/audit?entity=component&entity_key=govuk-pay", nil, e.admin).wantStatus(http.StatusOK).json()
	items := body["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("%d audit entries for govuk-pay, want 1", len(items))
	}
	entry := items[0].(map[string]any)
	actor := entry["actor"].(map[string]any)
	if entry["action"] != "updated" || actor["role"] != "vendor" || actor["org"] != gds || !strings.HasPrefix(w.keys["vendor A"], actor["key"].(string)) {
		t.Errorf("entry %v", entry)
	}
	if entry["after"].(map[string]any)["summary"] != "Audited change." || entry["before"].(map[string]any)["summary"] == "Audited change." {
		t.Errorf("before/after %v / %v", entry["before"], entry["after"])
	}
	// Filter by actor: the vendor's own key made the claim and the change.
	byActor := e.do("GET", "/api/v1/audit?actor="+gds, nil, e.admin).wantStatus(http.StatusOK).json()
	if byActor["total"].(float64) != 2 {
		t.Errorf("%v entries by %s, want 2 (the claim and the component change)", byActor["total"], gds)
	}
	if strings.Contains(e.do("GET", "/api/v1/audit?entity=api_key", nil, e.admin).Body.String(), "hash") {
		t.Error("the audit log shows a key hash")
	}
}
