package store_test

import (
	"cmp"
	"context"
	"slices"
	"testing"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest/testdb"
)

// liveUseSQL is what LiveUse answered when it was a query: kept here as the
// reference its in-memory counts must agree with.
const liveUseSQL = `SELECT cap.slug, cap.name, p.slug, p.name, count(DISTINCT a.council_id)
	FROM adoptions a JOIN capabilities cap ON cap.id = a.capability_id JOIN components p ON p.id = a.component_id
	WHERE a.status = 'live' AND a.rejected_at IS NULL AND (a.verified OR a.source <> 'vendor')
	GROUP BY cap.slug, cap.name, p.slug, p.name`

// TestLiveUseAgreesWithTheQuery: on the real reference data and the demo
// world, and again after writes that start, end and reject live use, LiveUse
// gives exactly what the query gives, in its order.
func TestLiveUseAgreesWithTheQuery(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t, testdb.Seeded(t, true))
	check := func(when string) {
		t.Helper()
		want := liveUseByQuery(t, st)
		got, err := st.LiveUse(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Fatalf("%s: LiveUse gives %d rows, the query %d; first %v / %v", when, len(got), len(want), first(got), first(want))
		}
		one := want[0].Capability.Slug
		forOne, err := st.LiveUse(ctx, one)
		if err != nil {
			t.Fatal(err)
		}
		wantOne := slices.DeleteFunc(slices.Clone(want), func(u models.ComponentUse) bool { return u.Capability.Slug != one })
		if !slices.Equal(forOne, wantOne) {
			t.Errorf("%s: LiveUse(%s) gives %v, want %v", when, one, forOne, wantOne)
		}
	}
	check("as seeded")

	admin := models.Actor{Key: "ccr_test", Role: models.RoleAdmin}
	live, err := st.ListAdoptions(ctx, models.AdoptionFilter{Status: "live"}, models.Page{Limit: 3})
	if err != nil || len(live.Items) < 3 {
		t.Fatalf("live adoptions: %v %v", live.Items, err)
	}
	retiring, piloting := "retiring", "piloting"
	if _, err := st.UpdateAdoption(ctx, admin, live.Items[0].ID, models.AdoptionInput{Status: &retiring}, nil); err != nil {
		t.Fatal(err)
	}
	check("after a live adoption starts retiring")
	pilots, err := st.ListAdoptions(ctx, models.AdoptionFilter{Status: piloting}, models.Page{Limit: 1})
	if err != nil || len(pilots.Items) == 0 {
		t.Fatalf("piloting adoptions: %v %v", pilots.Items, err)
	}
	status := "live"
	if _, err := st.UpdateAdoption(ctx, admin, pilots.Items[0].ID, models.AdoptionInput{Status: &status}, nil); err != nil {
		t.Fatal(err)
	}
	check("after a pilot goes live")
}

func liveUseByQuery(t *testing.T, st *store.Store) []models.ComponentUse {
	t.Helper()
	db, err := st.ReaderDB()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(liveUseSQL)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []models.ComponentUse
	for rows.Next() {
		var u models.ComponentUse
		if err := rows.Scan(&u.Capability.Slug, &u.Capability.Name, &u.Component.Slug, &u.Component.Name, &u.LiveCouncils); err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(x, y models.ComponentUse) int {
		return cmp.Or(cmp.Compare(y.LiveCouncils, x.LiveCouncils), cmp.Compare(x.Capability.Slug, y.Capability.Slug), cmp.Compare(x.Component.Slug, y.Component.Slug))
	})
	return out
}

func first(us []models.ComponentUse) any {
	if len(us) == 0 {
		return nil
	}
	return us[0]
}
