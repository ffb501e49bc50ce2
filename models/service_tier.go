package models

// Tiers of council that provide a local service, as GOV.UK's list of local
// services (seed/data/govuk_local_services_lgsl_tier.csv) writes them.
const (
	TierCountyUnitary   = "county/unitary"
	TierDistrictUnitary = "district/unitary"
	TierAll             = "all"
)

// ServiceApplies reports whether a council with these powers (mySociety's
// column: "upper tier", "lower tier", "unitary", ...) provides a capability
// whose services are these LGSL codes, by the tier GOV.UK says provides each
// code (tiers). It says no only when the data is sure: the council is a county
// or a district of a two-tier area, the capability has codes, every code has a
// known tier, and none of them is provided by the council's tier. Unitary
// councils, and councils the list does not describe (Northern Ireland
// districts, combined authorities), provide everything as far as it knows.
func ServiceApplies(powers string, codes []int, tiers map[int]string) bool {
	own := map[string]string{"upper tier": TierCountyUnitary, "lower tier": TierDistrictUnitary}[powers]
	if own == "" || len(codes) == 0 {
		return true
	}
	for _, code := range codes {
		switch tiers[code] {
		case "": // GOV.UK does not say who provides it
			return true
		case own, TierAll:
			return true
		}
	}
	return false
}
