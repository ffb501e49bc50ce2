package api

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/council-components/registry/store"
)

// TestEveryRouteHasAPolicy fails when a route is added without an access policy, or a policy outlives its route.
func TestEveryRouteHasAPolicy(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := NewRouter(st, Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	for _, rt := range r.Routes() {
		routes[rt.Method+" "+rt.Path] = true
	}
	for _, rt := range r.Routes() {
		switch rt.Method {
		case "HEAD": // answered as GET, under GET's policy
			if !routes["GET "+rt.Path] {
				t.Errorf("route HEAD %s has no GET", rt.Path)
			}
			continue
		case "GET":
			if !routes["HEAD "+rt.Path] {
				t.Errorf("route GET %s does not answer HEAD", rt.Path)
			}
		}
		key := rt.Method + " " + rt.Path
		p, ok := policies[key]
		if !ok {
			t.Errorf("route %s has no entry in policies", key)
			continue
		}
		if !p.Anonymous && len(p.Roles) == 0 {
			t.Errorf("route %s: policy lets nobody in", key)
		}
		if rt.Method != "GET" && p.Anonymous {
			t.Errorf("route %s: anonymous writes are never allowed", key)
		}
	}
	for key := range policies {
		if !routes[key] {
			t.Errorf("policy %s names no route", key)
		}
	}
}
