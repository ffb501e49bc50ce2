package seed

import (
	"testing"

	"github.com/council-components/registry/models"
)

func TestServiceTiers(t *testing.T) {
	tiers, err := ServiceTiers()
	if err != nil {
		t.Fatal(err)
	}
	if len(tiers) != 124 {
		t.Errorf("%d services, want GOV.UK's 124", len(tiers))
	}
	for code, want := range map[int]string{209: models.TierCountyUnitary, 524: models.TierDistrictUnitary, 471: models.TierAll} {
		if tiers[code] != want {
			t.Errorf("LGSL %d is provided by %q, want %q", code, tiers[code], want)
		}
	}
	for code, tier := range tiers {
		if tier != models.TierCountyUnitary && tier != models.TierDistrictUnitary && tier != models.TierAll {
			t.Errorf("LGSL %d has tier %q", code, tier)
		}
	}
}
