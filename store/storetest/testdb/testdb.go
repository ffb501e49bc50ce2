// Package testdb opens the registry's store on a test database from
// storetest. It lives apart from storetest because the store's own internal
// tests use storetest, which therefore cannot import the store.
package testdb

import (
	"context"
	"testing"

	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
)

// Open opens and migrates the database at dsn, closing it when the test ends.
func Open(t testing.TB, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

// New is an empty, migrated database of this test's own.
func New(t testing.TB) *store.Store {
	t.Helper()
	return Open(t, storetest.NewDSN(t))
}

// Seeded is a database of this test's own holding the reference data without
// the cited adoption evidence (seed.Reference: the small, fixed world most
// tests are written against), and the demo world when demo is set, copied
// from one seeded once per test run.
func Seeded(t testing.TB, demo bool) string {
	t.Helper()
	name := "seeded"
	if demo {
		name = "seeded_demo"
	}
	return storetest.Clone(t, name, func(dsn string) error {
		st, err := store.Open(dsn)
		if err != nil {
			return err
		}
		defer st.Close() // on SQLite the last close folds the WAL into the file, so a plain copy has everything
		if _, err := st.Migrate(context.Background()); err != nil {
			return err
		}
		_, err = seed.Reference().Load(context.Background(), st, demo)
		return err
	})
}

// WantNothingNew fails t for each kind of record a repeated seed, named by
// run in the message, created or updated.
func WantNothingNew(t testing.TB, rep store.SeedReport, run string) {
	t.Helper()
	for kind, n := range rep.Created {
		if n != 0 {
			t.Errorf("%s created %d %s", run, n, kind)
		}
	}
	for kind, n := range rep.Updated {
		if n != 0 {
			t.Errorf("%s updated %d %s", run, n, kind)
		}
	}
}
