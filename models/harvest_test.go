package models

import (
	"reflect"
	"strings"
	"testing"
)

func TestNewHarvestReport(t *testing.T) {
	run := HarvestRun{Source: "govuk-pay-performance", File: "performance.json", ObservedOn: "2026-08-03",
		Matched: map[string][]string{
			"Cornwall Council":         {"E06000052"},
			"Adur & Worthing Councils": {"E07000223", "E07000229"},
			"Nobody":                   {},
		},
		Skipped:   []string{"Penzance Town Council", "Devon and Cornwall Police"},
		Unmatched: []UnmatchedName{{Name: "APHA", Reason: "no council has this name"}}}
	r := NewHarvestReport(run)
	for _, tc := range []struct {
		what      string
		got, want any
	}{
		{"matched", r.Matched, map[string]string{"Cornwall Council": "E06000052"}},
		{"matched_joint", r.MatchedJoint, map[string][]string{"Adur & Worthing Councils": {"E07000223", "E07000229"}}},
		{"skipped, sorted", r.Skipped, []string{"Devon and Cornwall Police", "Penzance Town Council"}},
		{"unmatched, with a list of candidates even when empty", r.Unmatched, []UnmatchedName{{Name: "APHA", Reason: "no council has this name", Candidates: []string{}}}},
		{"the run's own lists untouched", run.Skipped[0], "Penzance Town Council"},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.what, tc.got, tc.want)
		}
	}
}

func TestHarvestTooOld(t *testing.T) {
	for _, tc := range []struct {
		on, newest string
		refused    bool
	}{
		{"2026-08-03", "", false},           // the first harvest of its source
		{"2026-08-03", "2026-08-03", false}, // the same file again
		{"2026-09-01", "2026-08-03", false}, // a newer file
		{"2026-08-03", "2026-09-01", true},  // an older file never overrides newer evidence
	} {
		err := HarvestTooOld("govuk-pay-performance", "old.json", tc.on, tc.newest)
		if (err != nil) != tc.refused || (err != nil && (ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), "old.json"))) {
			t.Errorf("%s after %q: %v", tc.on, tc.newest, err)
		}
	}
}
