package models

import (
	"slices"
	"testing"

	"github.com/council-components/registry/internal/tabletest"
)

func TestContractEndingStage(t *testing.T) {
	type on struct{ end, today string }
	type stage struct {
		months int
		due    bool
	}
	tabletest.Check(t, "ContractEndingStage", func(o on) stage {
		m, due := ContractEndingStage(o.end, o.today)
		return stage{m, due}
	}, map[on]stage{
		// A contract ending on 2027-10-15: its stages' days are 2026-04-15, 2026-10-15 and 2027-04-15.
		{"2027-10-15", "2026-04-14"}: {0, false},
		{"2027-10-15", "2026-04-15"}: {18, true},
		{"2027-10-15", "2026-10-14"}: {18, true},
		{"2027-10-15", "2026-10-15"}: {12, true},
		{"2027-10-15", "2027-04-14"}: {12, true},
		{"2027-10-15", "2027-04-15"}: {6, true},
		{"2027-10-15", "2027-10-15"}: {6, true},
		{"2027-10-15", "2027-11-01"}: {6, true}, // ended: the store does not look for these
		// The end of a month the stage's month lacks: 2027-08-31 less 6 months runs on to 2027-03-03.
		{"2027-08-31", "2027-02-28"}: {12, true},
		{"2027-08-31", "2027-03-02"}: {12, true},
		{"2027-08-31", "2027-03-03"}: {6, true},
		// A leap day: 2028-02-29 less 12 months is 2027-03-01, less 18 is 2026-08-29.
		{"2028-02-29", "2026-08-28"}: {0, false},
		{"2028-02-29", "2026-08-29"}: {18, true},
		{"2028-02-29", "2027-02-28"}: {18, true},
		{"2028-02-29", "2027-03-01"}: {12, true},
		// Not a date: nothing to announce.
		{"soon", "2027-01-01"}:       {0, false},
		{"", "2027-01-01"}:           {0, false},
		{"2027-13-01", "2027-01-01"}: {0, false},
	})
	if want := []int{6, 12, 18}; !slices.Equal(ContractEndingMonths, want) {
		t.Errorf("ContractEndingMonths = %v, want %v (most urgent first)", ContractEndingMonths, want)
	}
}
