// Package apitest is what the tests that drive the registry's real router
// share: the router over a test store, logging nowhere, and a request sent
// through it as an API client sends one.
package apitest

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/store"
)

// NewRouter is the real router over st, built with cfg and logging nowhere.
func NewRouter(t testing.TB, st *store.Store, cfg api.Config) *gin.Engine {
	t.Helper()
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := api.NewRouter(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Serve sends one request through h and returns the answer: body, when there
// is one, as JSON; key, when set, as the bearer token; then headers, in pairs
// of name and value, over those.
func Serve(h http.Handler, method, path string, body io.Reader, key string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}
