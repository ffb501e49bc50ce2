package main

// Go benchmarks of the request paths the harness loads, in process, through
// the real router on a real database: what one request costs without the
// network and the load generator. The world is synthetic, M-sized by default
// (BENCH_SCALE=S for a quick run: 400 × 1,000 × 10,000).
//
//	go test ./bench -run '^$' -bench . -benchtime 2000x

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/api/apitest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store"
)

type benchEnv struct {
	st     *store.Store
	router http.Handler
	key    string
	dir    string
}

var (
	benchOnce sync.Once
	benchErr  error
	bench     benchEnv
)

// world opens (once per run) a synthetic world behind the real router.
func world(b *testing.B) *benchEnv {
	b.Helper()
	benchOnce.Do(func() {
		councils, components, adoptions := 2_000, 10_000, 200_000
		if os.Getenv("BENCH_SCALE") == "S" {
			councils, components, adoptions = 400, 1_000, 10_000
		}
		bench.dir, benchErr = os.MkdirTemp("", "registry-gobench-")
		if benchErr != nil {
			return
		}
		ctx := context.Background()
		if bench.st, benchErr = store.Open(filepath.Join(bench.dir, "registry.db")); benchErr != nil {
			return
		}
		if _, benchErr = bench.st.Migrate(ctx); benchErr != nil {
			return
		}
		ref, err := seed.Embedded().Read()
		if benchErr = err; err != nil {
			return
		}
		if _, benchErr = bench.st.Synth(ctx, store.SynthOptions{Councils: councils, Components: components, Adoptions: adoptions,
			Seed: 1, Capabilities: ref.Capabilities}); benchErr != nil {
			return
		}
		if bench.key, _, benchErr = bench.st.CreateKey(ctx, models.Actor{Key: "bench"}, models.RoleAdmin, "", "bench", nil); benchErr != nil {
			return
		}
		bench.router = apitest.NewRouter(b, bench.st, api.Config{})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return &bench
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.st != nil {
		bench.st.Close()
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// serve runs one request through the router and checks its status.
func (e *benchEnv) serve(b *testing.B, method, path string, body []byte, key string, want int) {
	var rdr io.Reader
	if body != nil {
		rdr = bytes.NewReader(body)
	}
	w := apitest.Serve(e.router, method, path, rdr, key)
	if w.Code != want {
		b.Fatalf("%s %s: %d, want %d: %s", method, path, w.Code, want, w.Body.String())
	}
}

// Reads answered from the response cache (anonymous) and computed afresh
// (with a key, which bypasses the shared cache).
func BenchmarkRead(b *testing.B) {
	e := world(b)
	paths := map[string]string{
		"component-list":  "/api/v1/components?lifecycle=live&hosting=saas",
		"search":          "/api/v1/components?q=payments",
		"component":       "/api/v1/components/synth-component-000042",
		"council":         "/api/v1/councils/X00000042",
		"opportunities":   "/api/v1/councils/X00000042/opportunities",
		"coverage":        "/api/v1/stats/coverage",
		"coverage-region": "/api/v1/stats/coverage?by=region",
	}
	for _, name := range []string{"component-list", "search", "component", "council", "opportunities", "coverage", "coverage-region"} {
		for _, cached := range []bool{true, false} {
			mode := "cached"
			key := ""
			if !cached {
				mode, key = "computed", e.key
			}
			b.Run(name+"/"+mode, func(b *testing.B) {
				e.serve(b, "GET", paths[name], nil, key, 200) // warm the cache and the engine
				for b.Loop() {
					e.serve(b, "GET", paths[name], nil, key, 200)
				}
			})
		}
	}
}

// BenchmarkVersion is the per-request cost of keying the cache.
func BenchmarkVersion(b *testing.B) {
	e := world(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := e.st.Version(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

var benchWrites atomic.Int64

// BenchmarkAdoptionWrite records new adoptions through the API, from parallel
// clients, on SQLite with synchronous=FULL: every one is committed to disk.
func BenchmarkAdoptionWrite(b *testing.B) {
	e := world(b)
	councils := 400
	if os.Getenv("BENCH_SCALE") != "S" {
		councils = 2_000
	}
	// Components made for this run, so every council × component pair is new.
	run := benchWrites.Add(1)
	comps := b.N/councils + 1
	for k := range comps {
		e.serve(b, "POST", "/api/v1/components", []byte(fmt.Sprintf(`{"slug":"gobench-%d-%d","name":"Go benchmark component",
			"summary":"For benchmarks.","vendor":"synth-vendor-00000","capabilities":["online-card-payments"],"lifecycle":"live"}`, run, k)), e.key, 201)
	}
	var next atomic.Int64
	b.SetParallelism(16) // 32 clients on 2 cores, as in the harness
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1) - 1)
			body := fmt.Sprintf(`{"council":"X%08d","component":"gobench-%d-%d","status":"live"}`, i%councils, run, i/councils)
			e.serve(b, http.MethodPost, "/api/v1/adoptions", []byte(body), e.key, 201)
		}
	})
}

// BenchmarkMix is the harness's mixed phase in process: reads of every kind
// over wide pools with 1% adoption writes, each of which empties the cache.
func BenchmarkMix(b *testing.B) {
	e := world(b)
	councils, components := 2_000, 10_000
	if os.Getenv("BENCH_SCALE") == "S" {
		councils, components = 400, 1_000
	}
	ref, err := seed.Embedded().Read()
	if err != nil {
		b.Fatal(err)
	}
	run := benchWrites.Add(1)
	for k := range b.N/100/councils + 1 {
		e.serve(b, "POST", "/api/v1/components", []byte(fmt.Sprintf(`{"slug":"gobench-mix-%d-%d","name":"Go benchmark component",
			"summary":"For benchmarks.","vendor":"synth-vendor-00000","capabilities":["online-card-payments"],"lifecycle":"live"}`, run, k)), e.key, 201)
	}
	var next, writes atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1))
			capability := ref.Capabilities[i%len(ref.Capabilities)]
			switch i % 100 {
			case 0:
				w := int(writes.Add(1) - 1)
				body := fmt.Sprintf(`{"council":"X%08d","component":"gobench-mix-%d-%d","status":"live"}`, w%councils, run, w/councils)
				e.serve(b, "POST", "/api/v1/adoptions", []byte(body), e.key, 201)
			case 1, 2, 3, 4, 5:
				e.serve(b, "GET", "/api/v1/stats/coverage", nil, "", 200)
			default:
				var path string
				switch i % 6 {
				case 0:
					path = "/api/v1/components?capability=" + capability.Slug + "&lifecycle=live"
				case 1:
					path = "/api/v1/components?q=" + strings.Fields(strings.ToLower(capability.Name))[0]
				case 2:
					path = fmt.Sprintf("/api/v1/components/synth-component-%06d", (i*7919)%components)
				case 3:
					path = fmt.Sprintf("/api/v1/councils/X%08d", (i*104729)%councils)
				default:
					path = fmt.Sprintf("/api/v1/councils/X%08d/opportunities", (i*7907)%councils)
				}
				req := httptest.NewRequest("GET", path, nil)
				w := httptest.NewRecorder()
				e.router.ServeHTTP(w, req)
				if w.Code != 200 && w.Code != 404 { // a former council has no opportunities
					b.Fatalf("GET %s: %d %s", path, w.Code, w.Body.String())
				}
			}
		}
	})
}
