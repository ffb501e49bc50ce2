package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The fuzz targets below run their seed corpora in every `go test`; run one
// for longer with e.g. `go test ./api -run '^$' -fuzz FuzzComponentBody -fuzztime 60s`.
// Whatever the input, the answer is never a 500 and the process never panics.

func noServerError(t *testing.T, r response) {
	t.Helper()
	if r.Code >= 500 {
		t.Fatalf("status %d: %s", r.Code, r.Body.String())
	}
}

// fuzzSeeded adds seeds to f and fuzzes check, each input against a service
// holding the reference data, reporting to that input's test.
func fuzzSeeded(f *testing.F, seeds []string, check func(t *testing.T, e *env, input string)) {
	for _, seed := range seeds {
		f.Add(seed)
	}
	e := newSeededEnv(f, false)
	f.Fuzz(func(t *testing.T, input string) { check(t, e.in(t), input) })
}

func FuzzComponentBody(f *testing.F) {
	for _, seed := range []string{
		`{"slug":"x","name":"X","summary":"s","vendor":"gds","capabilities":["online-payments"],"lifecycle":"alpha"}`,
		`{"slug":"x","capabilities":[1,2],"licence":null,"url":"http://[::1"}`,
		`{"depends_on":["x","x"],"standards":[""]}`, `[]`, `null`, `{"slug":"\u0000"}`, `{"open_source":"true"}`,
		`{"slug":"x","name":"` + string(make([]byte, 300)) + `"}`, `{"a":{"b":{"c":[]}}}`, `{} {}`, `{"name":1e400}`,
	} {
		f.Add(seed)
	}
	e := newEnv(f)
	e.fixture()
	f.Fuzz(func(t *testing.T, body string) {
		e := e.in(t)
		noServerError(t, e.do("POST", "/api/v1/components", body, e.admin))
		noServerError(t, e.do("PATCH", "/api/v1/components/govuk-pay", body, e.admin))
	})
}

func FuzzAdoptionBody(f *testing.F) {
	fuzzSeeded(f, []string{
		`{"council":"E09000022","component":"govuk-pay","capability":"online-card-payments","status":"live"}`,
		`{"council":"E09000022","component":"govuk-pay","status":"retired","ended_on":"0000-01-01"}`,
		`{"council":"","component":"","status":"live","started_on":"2026-02-30"}`,
		`{"verified":true,"source":"demo","id":"1"}`, `{"evidence_url":"javascript:x"}`, `"string"`,
	}, func(t *testing.T, e *env, body string) {
		noServerError(t, e.do("POST", "/api/v1/adoptions", body, e.admin))
		noServerError(t, e.do("POST", "/api/v1/needs", body, e.admin))
	})
}

// onTheWire escapes the bytes a real request line cannot carry (spaces, controls,
// non-ASCII), leaving everything else, malformed escapes included, as sent.
func onTheWire(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c >= 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func FuzzListQueries(f *testing.F) {
	paths := []string{"/api/v1/components", "/api/v1/councils", "/api/v1/vendors", "/api/v1/capabilities",
		"/api/v1/adoptions", "/api/v1/needs", "/api/v1/stats/coverage", "/api/v1/stats/adoptions", "/api/v1/audit",
		"/api/v1/councils/E09000022/adoptions", "/api/v1/adoptions/1/history"}
	fuzzSeeded(f, []string{
		"q=payments&limit=3", "cursor=eyJhIjoiRTA2In0", "cursor=eyJvIjotMX0", "cursor=eyJhIjpbMV19", "limit=-1",
		"limit=99999999999999999999", "q=%22NEAR(a%20b)", "q=*&open_source=maybe", "status=all&type=county",
		"cursor=%00%ff", "verified=1&verification=pending", "needed_from=2027-13-01", "by=region",
	}, func(t *testing.T, e *env, rawQuery string) {
		for _, p := range paths {
			noServerError(t, e.do(http.MethodGet, p+"?"+onTheWire(rawQuery), nil, e.admin))
		}
	})
}
