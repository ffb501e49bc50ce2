package reuse

import "testing"

// Market intelligence at each scale: a council's renewal calendar (18 months), the national one
// (its first page of 20, described in full: the API's default), the national and one region's
// supplier concentration, and the impact of retiring a widely used component.

func BenchmarkCouncilRenewals(b *testing.B) {
	atEachScale(b, func(b *testing.B, env *benchEnv, i int) {
		if _, err := env.e.CouncilRenewals(env.codes[i%len(env.codes)], synthToday, DefaultRenewalMonths); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkNationalRenewals(b *testing.B) {
	atEachScale(b, func(_ *testing.B, env *benchEnv, _ int) { env.e.Renewals(synthToday, DefaultRenewalMonths, 0, 20) })
}

func BenchmarkConcentration(b *testing.B) {
	atEachScale(b, func(_ *testing.B, env *benchEnv, _ int) {
		env.e.Concentration("", "", synthToday, DefaultRenewalMonths)
	})
}

func BenchmarkRegionConcentration(b *testing.B) {
	atEachScale(b, func(_ *testing.B, env *benchEnv, _ int) {
		env.e.Concentration(env.w.councils[0].Region, "", synthToday, DefaultRenewalMonths)
	})
}

func BenchmarkImpact(b *testing.B) {
	atEachScale(b, func(b *testing.B, env *benchEnv, _ int) {
		if _, err := env.e.Impact(env.w.comps[0].Slug); err != nil {
			b.Fatal(err)
		}
	})
}
