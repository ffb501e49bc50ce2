package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest/testdb"
)

func synthStore(t *testing.T, o store.SynthOptions) (*store.Store, store.SynthReport) {
	t.Helper()
	st := testdb.New(t)
	rep, err := st.Synth(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return st, rep
}

func synthOptions(t *testing.T) store.SynthOptions {
	t.Helper()
	ref, err := seed.Embedded().Read()
	if err != nil {
		t.Fatal(err)
	}
	return store.SynthOptions{Councils: 60, Components: 80, Adoptions: 900, Seed: 7, Capabilities: ref.Capabilities}
}

// dump is every synthetic row that does not depend on generated ids, for comparing worlds.
func dump(t *testing.T, st *store.Store) string {
	t.Helper()
	db, err := st.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, q := range []string{
		"SELECT code, name, type, region, nation, coalesce(population, 0), status FROM councils ORDER BY code",
		"SELECT slug, name, kind FROM vendors ORDER BY slug",
		"SELECT p.slug, p.name, p.summary, p.lifecycle, v.slug FROM components p JOIN vendors v ON v.id = p.vendor_id ORDER BY p.slug",
		`SELECT c.code, p.slug, cap.slug, a.status, a.verified, coalesce(a.contract_end_on, ''), a.source FROM adoptions a
			JOIN councils c ON c.id = a.council_id JOIN components p ON p.id = a.component_id
			JOIN capabilities cap ON cap.id = a.capability_id ORDER BY c.code, p.slug`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				b.WriteString(v.String + "|")
			}
			b.WriteString("\n")
		}
		rows.Close()
	}
	return b.String()
}

func count(t *testing.T, st *store.Store, q string) int {
	t.Helper()
	db, _ := st.SQLDB()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestSynthWritesAFlaggedDeterministicWorld(t *testing.T) {
	o := synthOptions(t)
	st, rep := synthStore(t, o)
	if rep.Councils != 60 || rep.Components != 80 || rep.Adoptions != 900 || rep.Capabilities != len(o.Capabilities) || rep.Vendors < 1 || rep.Needs < 1 {
		t.Fatalf("report %+v", rep)
	}
	for q, want := range map[string]int{
		"SELECT count(*) FROM councils WHERE synthetic AND code LIKE 'X%'":                          60,
		"SELECT count(*) FROM components WHERE synthetic":                                           80,
		"SELECT count(*) FROM vendors WHERE synthetic":                                              rep.Vendors,
		"SELECT count(*) FROM adoptions WHERE source = 'synthetic'":                                 900,
		"SELECT count(*) FROM needs WHERE source = 'synthetic'":                                     rep.Needs,
		"SELECT count(DISTINCT council_id * 100000 + component_id) FROM adoptions":                  900,
		"SELECT count(*) FROM component_search":                                                     80,
		"SELECT count(*) FROM audit_log WHERE entity = 'reference_data' AND action = 'synthesised'": 1,
		"SELECT count(*) FROM audit_log":                                                            1,
		// every adoption's capability is one its component provides
		`SELECT count(*) FROM adoptions a WHERE NOT EXISTS (SELECT 1 FROM component_capabilities cc
			WHERE cc.component_id = a.component_id AND cc.capability_id = a.capability_id)`: 0,
	} {
		if got := count(t, st, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	for _, q := range []string{
		"SELECT count(*) FROM components WHERE lifecycle IN ('deprecated', 'retired')",
		"SELECT count(*) FROM vendors WHERE kind = 'in-house'",
		"SELECT count(*) FROM adoptions WHERE status = 'live' AND verified",
		"SELECT count(*) FROM adoptions WHERE contract_end_on IS NOT NULL",
		"SELECT count(DISTINCT type) FROM councils",
	} {
		if count(t, st, q) == 0 {
			t.Errorf("%s = 0: the world is not varied enough", q)
		}
	}

	// The catalogue works on it: search, filters, the reuse engine.
	ctx := context.Background()
	hits, err := st.ListComponents(ctx, models.ComponentFilter{Q: strings.Fields(o.Capabilities[0].Name)[0]}, models.Page{})
	if err != nil || hits.Total == 0 {
		t.Fatalf("search for %q: %v, %d hits", o.Capabilities[0].Name, err, hits.Total)
	}
	eng, err := reuse.NewKeeper(st).Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Opportunities("X00000001", 12, st.Today(), 20); err != nil {
		t.Fatal(err)
	}

	// The same seed writes the same world; another seed, another.
	again, _ := synthStore(t, o)
	if dump(t, st) != dump(t, again) {
		t.Fatal("two runs with the same seed wrote different worlds")
	}
	o.Seed++
	other, _ := synthStore(t, o)
	if dump(t, st) == dump(t, other) {
		t.Fatal("another seed wrote the same world")
	}
}

func TestSynthRefusesADatabaseThatHoldsAnything(t *testing.T) {
	o := synthOptions(t)
	st, _ := synthStore(t, o)
	_, err := st.Synth(context.Background(), o)
	if models.ErrorCode(err) != models.ECONFLICT || !strings.Contains(err.Error(), "empty database") {
		t.Fatalf("second synth: %v, want a conflict saying the database must be empty", err)
	}
	if got := count(t, st, "SELECT count(*) FROM councils"); got != o.Councils {
		t.Fatalf("%d councils after a refused synth", got)
	}

	seeded := testdb.Open(t, testdb.Seeded(t, false))
	if _, err := seeded.Synth(context.Background(), o); models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("synth over reference data: %v, want a conflict", err)
	}

	o.Adoptions = o.Councils * o.Components
	if _, err := seeded.Synth(context.Background(), o); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("more adoptions than pairs allow: %v, want invalid", err)
	}
}
