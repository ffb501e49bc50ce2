package models

import "testing"

func TestServiceApplies(t *testing.T) {
	tiers := map[int]string{209: TierCountyUnitary, 287: TierCountyUnitary, 524: TierDistrictUnitary, 471: TierAll, 137: TierDistrictUnitary}
	for _, tc := range []struct {
		name, powers string
		codes        []int
		want         bool
	}{
		{"a district does not assess care needs", "lower tier", []int{209}, false},
		{"nor manage direct payments and care assessments", "lower tier", []int{209, 287}, false},
		{"a county does", "upper tier", []int{209}, true},
		{"a unitary does", "unitary", []int{209}, true},
		{"a county does not collect bins", "upper tier", []int{524}, false},
		{"a district does", "lower tier", []int{524}, true},
		{"one code its tier provides is enough", "lower tier", []int{209, 137}, true},
		{"every tier provides a service for all", "lower tier", []int{471}, true},
		{"a code GOV.UK gives no tier for may apply", "lower tier", []int{209, 999}, true},
		{"a capability with no codes applies", "lower tier", nil, true},
		{"the list does not describe Northern Ireland", "ni district", []int{209}, true},
		{"nor councils without powers recorded", "", []int{209}, true},
	} {
		if got := ServiceApplies(tc.powers, tc.codes, tiers); got != tc.want {
			t.Errorf("%s: ServiceApplies(%q, %v) = %v, want %v", tc.name, tc.powers, tc.codes, got, tc.want)
		}
	}
}
