package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/api/apitest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
)

// The pages' first views (after a write, so no cache helps) at the bench's M
// scale. They read a synthetic world made once by
//
//	registry synth --councils 2000 --components 10000 --adoptions 200000 --db /tmp/m.db
//	REGISTRY_BENCH_DB=/tmp/m.db go test ./web -run '^$' -bench 'M$' -benchtime 20x
//
// and are skipped without REGISTRY_BENCH_DB. Each view follows a write to
// adoption 1, so each is a first view.
func BenchmarkComponentPageM(b *testing.B) { benchPageM(b, "/components/"+mostAdopted(b)) }
func BenchmarkCoveragePageM(b *testing.B)  { benchPageM(b, "/dashboards/coverage") }
func BenchmarkCoverageAPIM(b *testing.B)   { benchPageM(b, "/api/v1/stats/coverage") }
func BenchmarkMigrationsPageM(b *testing.B) {
	benchPageM(b, "/dashboards/migrations")
}
func BenchmarkCollaborationsPageM(b *testing.B) { benchPageM(b, "/dashboards/collaborations") }
func BenchmarkCouncilPageM(b *testing.B)        { benchPageM(b, "/councils/X00000000") }
func BenchmarkDashboardsPageM(b *testing.B)     { benchPageM(b, "/dashboards") }

var benchStore *store.Store

// mStore is the store over REGISTRY_BENCH_DB, opened once.
func mStore(b *testing.B) *store.Store {
	b.Helper()
	dsn := os.Getenv("REGISTRY_BENCH_DB")
	if dsn == "" {
		b.Skip("REGISTRY_BENCH_DB names no synthetic M world (see BenchmarkComponentPageM)")
	}
	if benchStore == nil {
		st, err := store.Open(dsn)
		if err != nil {
			b.Fatal(err)
		}
		benchStore = st
	}
	return benchStore
}

// mostAdopted is the slug of the component with the most adoptions.
func mostAdopted(b *testing.B) string {
	st := mStore(b)
	uses, err := st.LiveUse(context.Background(), "")
	if err != nil || len(uses) == 0 {
		b.Fatal("no live use", err)
	}
	return uses[0].Component.Slug
}

func benchPageM(b *testing.B, path string) {
	st := mStore(b)
	r := apitest.NewRouter(b, st, api.Config{})
	ctx := context.Background()
	admin := models.Actor{Key: "bench", Role: models.RoleAdmin}
	serve := func() {
		if w := apitest.Serve(r, http.MethodGet, path, nil, ""); w.Code != http.StatusOK {
			b.Fatalf("%s: status %d", path, w.Code)
		}
	}
	serve() // the caches every version shares, such as the map's council points, are then warm
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		contact := fmt.Sprintf("https://www.council.example/bench-%d", i)
		if _, err := st.UpdateAdoption(ctx, admin, 1, models.AdoptionInput{PublicContact: models.NullString{Set: true, Value: &contact}}, nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		serve()
	}
}
