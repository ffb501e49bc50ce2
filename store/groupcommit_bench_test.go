package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
)

// Benchmarks of concurrent writes through the store's real write path (and
// its read-back of what was written), on the engine under test:
//
//	go test ./store/ -run '^$' -bench ConcurrentWrites -cpu 2 -benchtime 5s
//
// RunParallel runs GOMAXPROCS × parallelism (32 by default) writers.

const benchCouncils, benchComponents = 500, 400

var benchAdmin = models.Actor{Key: "ccr_bench", Role: models.RoleAdmin}

// writeWorld is a store with benchCouncils councils and benchComponents
// components, none adopted: every (council, component) pair can be adopted once.
func writeWorld(b *testing.B) *store.Store {
	b.Helper()
	st, err := store.Open(storetest.NewDSN(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	d := store.SeedData{
		Vendors:      []store.SeedVendor{{Vendor: models.Vendor{Slug: "acme", Name: "Acme", Website: "https://acme.example", Kind: "commercial"}}},
		Capabilities: []models.Capability{{Slug: "online-card-payments", Name: "Online card payments", Category: "payments", Description: "Take card payments."}},
	}
	for i := range benchCouncils {
		d.Councils = append(d.Councils, models.Council{Code: fmt.Sprintf("E99%06d", i+1), AuthorityCode: fmt.Sprintf("T%05d", i+1), Name: fmt.Sprintf("Bench council %d", i+1),
			ShortName: fmt.Sprintf("Bench %d", i+1), Type: "UA", TypeName: "Unitary authority", Nation: "England", Status: "current",
			LowerOrUnitary: true, DeliversServices: true})
	}
	for i := range benchComponents {
		d.Components = append(d.Components, store.SeedComponent{Component: models.Component{Slug: fmt.Sprintf("bench-%04d", i), Name: fmt.Sprintf("Bench component %d", i),
			Summary: "A component to adopt.", Vendor: "acme", Capabilities: []string{"online-card-payments"}, Lifecycle: "live", Hosting: "saas", Pricing: "free"}})
	}
	if _, err := st.Seed(ctx, d); err != nil {
		b.Fatal(err)
	}
	return st
}

// reportWrites adds writes/s to the benchmark's report.
func reportWrites(b *testing.B, start time.Time, n int64) {
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "writes/s")
}

// runWriters runs write(i) for i = 0, 1, … from parallel writers, b.N in all,
// and reports writes/s.
func runWriters(b *testing.B, write func(i int64) error) {
	var next atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := write(next.Add(1) - 1); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportWrites(b, start, next.Load())
}

// BenchmarkConcurrentAdoptionWrites: concurrent CreateAdoption calls, each a new adoption.
func BenchmarkConcurrentAdoptionWrites(b *testing.B) {
	st := writeWorld(b)
	ctx := context.Background()
	runWriters(b, func(i int64) error {
		if i >= benchCouncils*benchComponents {
			return fmt.Errorf("the world has run out of pairs to adopt")
		}
		council, component := fmt.Sprintf("E99%06d", i%benchCouncils+1), fmt.Sprintf("bench-%04d", i/benchCouncils)
		_, err := st.CreateAdoption(ctx, benchAdmin, models.AdoptionInput{Council: &council, Component: &component, Status: ptr("live")})
		return err
	})
}

// BenchmarkConcurrentComponentWrites: concurrent CreateComponent calls, each a new component.
func BenchmarkConcurrentComponentWrites(b *testing.B) {
	st := writeWorld(b)
	ctx := context.Background()
	runWriters(b, func(i int64) error {
		slug := fmt.Sprintf("new-%07d", i)
		_, err := st.CreateComponent(ctx, benchAdmin, models.ComponentInput{Slug: &slug, Name: ptr("New component " + slug), Summary: ptr("Written by the benchmark."),
			Vendor: ptr("acme"), Capabilities: &[]string{"online-card-payments"}, Lifecycle: ptr("live")})
		return err
	})
}

func ptr[T any](v T) *T { return &v }
