package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/api/apitest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
	"github.com/council-components/registry/store/storetest/testdb"
)

// env is one test's service: the real router over a real SQLite file.
type env struct {
	t      testing.TB
	dsn    string
	st     *store.Store
	router *gin.Engine
	served http.Handler // the router, every exchange checked against /openapi.json
	admin  string       // an admin key
}

var fixedNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, storetest.NewDSN(t), api.Config{})
}

// newEnvWith opens (and migrates) the database at dsn behind a router built with cfg.
func newEnvWith(t testing.TB, dsn string, cfg api.Config) *env {
	t.Helper()
	st := testdb.Open(t, dsn)
	st.Now = func() time.Time { return fixedNow }
	names, err := seed.CouncilMatcher()
	if err != nil {
		t.Fatal(err)
	}
	st.Names = names
	st.Webhooks = webhookConfig(t)
	r := apitest.NewRouter(t, st, cfg)
	key, _, err := st.CreateKey(context.Background(), models.Actor{Key: "test", Role: models.RoleAdmin}, models.RoleAdmin, "", "test admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, dsn: dsn, st: st, router: r, served: apitest.Validated(t, r), admin: key}
}

// in is the same service reporting to subtest t.
func (e *env) in(t *testing.T) *env {
	c := *e
	c.t = t
	c.served = apitest.Validated(t, e.router)
	return &c
}

// newSeededEnv loads the real reference data (and the demo world when demo is set).
func newSeededEnv(t testing.TB, demo bool) *env {
	t.Helper()
	if demo {
		e := newEnv(t)
		if _, err := seed.Reference().Load(context.Background(), e.st, true); err != nil {
			t.Fatal(err)
		}
		return e
	}
	return newEnvWith(t, testdb.Seeded(t, false), api.Config{})
}

type response struct {
	*httptest.ResponseRecorder
	t testing.TB
}

// do sends a request through the router; body may be a string or a value to encode.
func (e *env) do(method, path string, body any, key string, headers ...string) response {
	e.t.Helper()
	var rdr io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rdr = strings.NewReader(b)
	case []byte:
		rdr = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rdr = bytes.NewReader(j)
	}
	return response{apitest.Serve(e.served, method, path, rdr, key, headers...), e.t}
}

// json decodes the body into a generic value.
func (r response) json() map[string]any {
	r.t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &v); err != nil {
		r.t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body.String())
	}
	return v
}

func (r response) wantStatus(status int) response {
	r.t.Helper()
	if r.Code != status {
		r.t.Fatalf("status %d, want %d; body: %s", r.Code, status, r.Body.String())
	}
	return r
}

// wantProblem checks a problem+json answer and that it names each field.
func (r response) wantProblem(status int, fields ...string) map[string]any {
	r.t.Helper()
	r.wantStatus(status)
	if ct := r.Header().Get("Content-Type"); ct != "application/problem+json" {
		r.t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	p := r.json()
	if int(p["status"].(float64)) != status || p["title"] == "" || p["type"] == "" || p["detail"] == "" {
		r.t.Fatalf("incomplete problem document: %v", p)
	}
	named := map[string]bool{}
	if errs, ok := p["errors"].([]any); ok {
		for _, fe := range errs {
			named[fe.(map[string]any)["field"].(string)] = true
		}
	}
	for _, f := range fields {
		if !named[f] {
			r.t.Fatalf("problem does not name field %q: %s", f, r.Body.String())
		}
	}
	return p
}

// count runs a COUNT query directly against the database.
func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	db, err := e.st.SQLDB()
	if err != nil {
		e.t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(storetest.Rebind(query), args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// snapshot captures every catalogue table, to prove a refused write changed nothing.
func (e *env) snapshot() string {
	e.t.Helper()
	var b strings.Builder
	for _, table := range []string{"vendors", "capabilities", "components", "component_capabilities",
		"component_standards", "component_dependencies", "adoptions", "needs"} {
		b.WriteString(e.tableRows(table))
	}
	return b.String()
}

// tableRows is every row of table in order, each a line: the table's name and the row as JSON.
func (e *env) tableRows(table string) string {
	e.t.Helper()
	var b strings.Builder
	for _, line := range strings.SplitAfter(e.rowsOf("SELECT * FROM "+table+" ORDER BY 1, 2"), "\n") {
		if line != "" {
			b.WriteString(table + " " + line)
		}
	}
	return b.String()
}

// rowsOf is every row query selects, one JSON array a line.
func (e *env) rowsOf(query string, args ...any) string {
	e.t.Helper()
	db, err := e.st.SQLDB()
	if err != nil {
		e.t.Fatal(err)
	}
	rows, err := db.Query(storetest.Rebind(query), args...)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			e.t.Fatal(err)
		}
		for i, v := range vals {
			if t, ok := v.(time.Time); ok {
				vals[i] = t.UTC()
			}
		}
		j, _ := json.Marshal(vals)
		b.WriteString(string(j) + "\n")
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return b.String()
}

// fixture is a small catalogue most tests start from.
func (e *env) fixture() {
	e.t.Helper()
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "acme", "name": "Acme Ltd", "website": "https://acme.example", "kind": "commercial"}, e.admin).wantStatus(201)
	e.do("POST", "/api/v1/vendors", map[string]any{"slug": "gds", "name": "Government Digital Service", "website": "https://www.gov.uk/gds", "kind": "public-sector"}, e.admin).wantStatus(201)
	for _, c := range []map[string]any{
		{"slug": "online-payments", "name": "Online payments", "category": "payments", "description": "Take card payments online."},
		{"slug": "email-notifications", "name": "Email notifications", "category": "notifications", "description": "Send emails to residents."},
		{"slug": "appointment-booking", "name": "Appointment booking", "category": "booking", "description": "Book appointments."},
	} {
		e.do("POST", "/api/v1/capabilities", c, e.admin).wantStatus(201)
	}
	e.do("POST", "/api/v1/components", map[string]any{
		"slug": "govuk-pay", "name": "GOV.UK Pay", "summary": "Online card payments for public services.",
		"description": "Take payments and refunds.", "vendor": "gds", "capabilities": []string{"online-payments"},
		"licence": "MIT", "open_source": true, "hosting": "saas", "pricing": "free", "lifecycle": "live",
		"standards": []string{"pci-dss"}, "url": "https://www.payments.service.gov.uk/",
		"repository_url": "https://github.com/alphagov/pay-connector",
	}, e.admin).wantStatus(201)
	e.do("POST", "/api/v1/components", map[string]any{
		"slug": "govuk-notify", "name": "GOV.UK Notify", "summary": "Emails, texts and letters.",
		"description": "Send notifications; integrates with GOV.UK Pay receipts.", "vendor": "gds",
		"capabilities": []string{"email-notifications"}, "licence": "MIT", "open_source": true, "lifecycle": "live",
	}, e.admin).wantStatus(201)
	e.do("POST", "/api/v1/components", map[string]any{
		"slug": "acme-bookings", "name": "Acme Bookings", "summary": "Appointment booking for councils.",
		"vendor": "acme", "capabilities": []string{"appointment-booking"}, "lifecycle": "beta", "hosting": "saas",
		"pricing": "subscription", "depends_on": []string{"govuk-notify"},
	}, e.admin).wantStatus(201)
}
