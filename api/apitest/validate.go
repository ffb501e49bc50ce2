// Package apitest holds the API to its own description in tests: every
// exchange a test has with the router is checked against the served
// /openapi.json, so the document cannot drift from what the service does.
package apitest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Validated wraps the router so that each answer it gives is checked against
// the document it serves, failing t on any mismatch:
//   - the response's status must be documented for its operation, and its
//     headers and body must match that response's schema (nullable, required,
//     formats, enums, content type);
//   - a request the service accepted (2xx) must be one the document allows.
//
// Paths the document does not describe (the web pages, their assets,
// /metrics, the Swagger UI, unknown paths) pass unchecked.
func Validated(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	router, err := described(h)
	if err != nil {
		t.Fatalf("the served OpenAPI document: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var reqBody []byte
		if req.Body != nil {
			reqBody, _ = io.ReadAll(req.Body)
			req.Body = io.NopCloser(bytes.NewReader(reqBody))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		if err := check(router, req, reqBody, rec); err != nil {
			t.Errorf("%s %s answered %d, which /openapi.json does not describe:\n%v", req.Method, req.URL, rec.Code, err)
		}
	})
}

func init() { // the change feed's Atom, a spreadsheet (whose rows may be ragged) and the export's zip, as the document says: text and bytes
	openapi3filter.RegisterBodyDecoder("application/atom+xml", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/calendar", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/zip", openapi3filter.FileBodyDecoder)
}

// The document is parsed once a process: every router serves the same bytes.
var (
	once      sync.Once
	parsed    *openapi3.T
	routeDoc  routers.Router
	parseErr  error
	servedDoc []byte
)

func described(h http.Handler) (routers.Router, error) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/openapi.json", nil)
	req.RemoteAddr = "192.0.2.254:1" // not a test's client: its rate limit is the test's to spend
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("GET /openapi.json: %d", rec.Code)
	}
	once.Do(func() {
		servedDoc = rec.Body.Bytes()
		parsed, parseErr = openapi3.NewLoader().LoadFromData(servedDoc)
		if parseErr != nil {
			return
		}
		if parseErr = parsed.Validate(context.Background()); parseErr != nil {
			parseErr = fmt.Errorf("the document is not valid OpenAPI 3: %w", parseErr)
			return
		}
		parsed.Servers = openapi3.Servers{{URL: "/"}} // match any host the tests use
		routeDoc, parseErr = gorillamux.NewRouter(parsed)
	})
	if parseErr == nil && !bytes.Equal(servedDoc, rec.Body.Bytes()) {
		return nil, fmt.Errorf("two routers served different documents")
	}
	return routeDoc, parseErr
}

// check validates one exchange; it returns nil for paths the document does not describe.
func check(router routers.Router, req *http.Request, reqBody []byte, rec *httptest.ResponseRecorder) error {
	probe := req.Clone(context.Background())
	if probe.Method == http.MethodHead {
		probe.Method = http.MethodGet // HEAD answers as GET, without a body
	}
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(probe)
	if err != nil {
		return nil
	}
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if rec.Code >= 200 && rec.Code < 300 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return fmt.Errorf("the request was accepted but the document refuses it: %w", err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			ExcludeResponseBody: req.Method == http.MethodHead || rec.Code == http.StatusNotModified || rec.Code == http.StatusNoContent}}
	out.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("%w\nbody: %s", err, strings.TrimSpace(truncate(rec.Body.String(), 600)))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
