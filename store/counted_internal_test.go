package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

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

// TestCurrentAdoptionSQLIsTheModelsRule: the SQL that finds a council's current
// adoption of a component (currentAdoption) answers as models.CurrentAdoption
// does, for every status and rejection, on the engine under test; and the
// unique index that keeps one current adoption per pair says the same.
func TestCurrentAdoptionSQLIsTheModelsRule(t *testing.T) {
	st := openBlank(t)
	for _, status := range models.AdoptionStatuses {
		for _, rejected := range []bool{false, true} {
			at := "NULL"
			if rejected {
				at = "CURRENT_TIMESTAMP"
			}
			for _, alias := range []string{"", "t"} {
				q := fmt.Sprintf(`WITH t (status, rejected_at) AS (SELECT '%s', %s) SELECT count(*) FROM t WHERE %s`,
					status, at, currentAdoption(alias))
				var n int
				if err := st.r.Raw(q).Row().Scan(&n); err != nil {
					t.Fatal(err)
				}
				if want := models.CurrentAdoption(status, rejected); (n == 1) != want {
					t.Errorf("%s, rejected %t, alias %q: SQL finds %d; models say %t", status, rejected, alias, n, want)
				}
			}
		}
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		b, err := migrations.ReadFile("migrations/" + engine + "/00001_catalogue.sql")
		if err != nil {
			t.Fatal(err)
		}
		if want := "ON adoptions (council_id, component_id) WHERE " + currentAdoption("") + ";"; !strings.Contains(string(b), want) {
			t.Errorf("%s: adoptions_current_pair is not %q", engine, want)
		}
	}
}

// TestBarsRefilingSQLIsTheModelsRule: the SQL that finds a rejected claim
// barring a vendor's new one (barsRefiling) answers as models.BarsRefiling
// does, for every source, rejection and clearing, on the engine under test.
func TestBarsRefilingSQLIsTheModelsRule(t *testing.T) {
	st := openBlank(t)
	at := func(set bool) string {
		if set {
			return "CURRENT_TIMESTAMP"
		}
		return "NULL"
	}
	for _, source := range models.AdoptionSources {
		for _, rejected := range []bool{false, true} {
			for _, cleared := range []bool{false, true} {
				q := fmt.Sprintf(`WITH t (source, rejected_at, rejection_cleared_at) AS (SELECT '%s', %s, %s) SELECT count(*) FROM t WHERE %s`,
					source, at(rejected), at(cleared), barsRefiling)
				var n int
				if err := st.r.Raw(q).Row().Scan(&n); err != nil {
					t.Fatal(err)
				}
				if want := models.BarsRefiling(source, rejected, cleared); (n == 1) != want {
					t.Errorf("%s, rejected %t, cleared %t: SQL finds %d; models say %t", source, rejected, cleared, n, want)
				}
			}
		}
	}
}

// TestAdoptionFilterSQLIsTheModelsRule: the list filters' SQL finds the
// adoptions models.VerificationOf and models.IsFresh name, for every
// verification (and none) and confirmation date, on the engine under test.
func TestAdoptionFilterSQLIsTheModelsRule(t *testing.T) {
	st := openBlank(t)
	today := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	since := models.FreshSince(today, 12)
	for _, verified := range []bool{false, true} {
		for _, rejected := range []bool{false, true} {
			at := "NULL"
			if rejected {
				at = "CURRENT_TIMESTAMP"
			}
			for _, filter := range append([]string{""}, models.Verifications...) {
				q := fmt.Sprintf(`WITH adoptions (verified, rejected_at) AS (SELECT %t, %s) SELECT count(*) FROM adoptions WHERE %s`,
					verified, at, verificationIs(filter))
				var n int
				if err := st.r.Raw(q).Row().Scan(&n); err != nil {
					t.Fatal(err)
				}
				want := models.VerificationOf(verified, rejected) == filter || filter == "" && !rejected
				if (n == 1) != want {
					t.Errorf("verified %t, rejected %t, verification %q: SQL finds %d; models say %t", verified, rejected, filter, n, want)
				}
			}
		}
	}
	for _, on := range []string{"2025-12-02", since, "2026-12-03"} {
		var n int
		q := fmt.Sprintf(`WITH adoptions (confirmed_on) AS (SELECT '%s') SELECT count(*) FROM adoptions WHERE %s`, on, confirmedFresh)
		if err := st.r.Raw(q, since).Row().Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := models.IsFresh(&on, today, 12); (n == 1) != want {
			t.Errorf("confirmed on %s: SQL finds %d fresh; models say %t", on, n, want)
		}
	}
}
