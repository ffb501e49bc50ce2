package store

import (
	"fmt"
	"testing"

	"github.com/council-components/registry/models"
)

// TestCountedSQLIsTheModelsRule: the SQL that decides which adoptions count
// (counted, pendingClaim) answers as models.Counts and models.Pending do, for
// every source, verification and rejection, on the engine under test.
func TestCountedSQLIsTheModelsRule(t *testing.T) {
	st := openBlank(t)
	for _, source := range models.AdoptionSources {
		for _, verified := range []bool{false, true} {
			for _, rejected := range []bool{false, true} {
				at := "NULL"
				if rejected {
					at = "CURRENT_TIMESTAMP"
				}
				q := fmt.Sprintf(`WITH t (rejected_at, verified, source) AS (SELECT %s, %t, '%s')
					SELECT (SELECT count(*) FROM t WHERE %s), (SELECT count(*) FROM t WHERE %s)`,
					at, verified, source, counted(""), pendingClaim)
				var counts, pending int
				if err := st.r.Raw(q).Row().Scan(&counts, &pending); err != nil {
					t.Fatal(err)
				}
				if (counts == 1) != models.Counts(source, verified, rejected) || (pending == 1) != models.Pending(source, verified, rejected) {
					t.Errorf("%s, verified %t, rejected %t: SQL counts %d pending %d; models say %t and %t",
						source, verified, rejected, counts, pending, models.Counts(source, verified, rejected), models.Pending(source, verified, rejected))
				}
			}
		}
	}
}
