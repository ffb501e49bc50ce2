package seed

import (
	"encoding/csv"
	"fmt"
	"strconv"
)

// tiersFile is GOV.UK's list of local services with the tier of council that
// provides each (see data/README.md).
const tiersFile = "govuk_local_services_lgsl_tier.csv"

// ServiceTiers reads which tier of council provides each LGSL service: code to
// "county/unitary", "district/unitary" or "all" (the models.Tier* values).
func ServiceTiers() (map[int]string, error) {
	f, err := Embedded().FS.Open(tiersFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tiersFile, err)
	}
	tiers := make(map[int]string, len(rows))
	for i, r := range rows {
		if i == 0 {
			continue // LGSL,Description,Providing Tier
		}
		code, err := strconv.Atoi(r[0])
		if err != nil || len(r) != 3 {
			return nil, fmt.Errorf("%s line %d: want an LGSL code, a description and a tier", tiersFile, i+1)
		}
		tiers[code] = r[2]
	}
	return tiers, nil
}
