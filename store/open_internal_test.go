package store

import (
	"testing"

	"github.com/council-components/registry/store/storetest"
)

// openBlank opens a fresh database of the test's own on the engine under test, not migrated,
// and closes it when the test ends: for tests of the SQL helpers themselves.
func openBlank(t *testing.T) *Store {
	t.Helper()
	st, err := Open(storetest.NewDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
