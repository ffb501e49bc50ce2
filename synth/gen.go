package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/council-components/registry/models"
)

// New makes the world for o. Every row is decided here, from one seeded
// generator in a fixed order, so the world does not depend on how it is written.
func New(o Options) (*World, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	w := &World{Today: o.Today, Capabilities: o.Capabilities}
	w.Councils = newCouncils(r, o.Councils, o.Today)
	w.Vendors = newVendors(r, VendorCount(o.Components))
	w.Components = newComponents(r, o.Components, o.Capabilities, w.Vendors)
	w.Adoptions = newAdoptions(r, o.Adoptions, w.Councils, w.Components)
	w.Needs = newNeeds(r, NeedCount(o.Councils), o.Councils, len(o.Capabilities))
	return w, nil
}

func newCouncils(r *rand.Rand, n int, today time.Time) []Council {
	out := make([]Council, 0, n)
	for i := range n {
		out = append(out, newCouncil(r, i, today))
	}
	return out
}

// newCouncil makes the i-th council: varied regions, types and populations, a few former.
func newCouncil(r *rand.Rand, i int, today time.Time) Council {
	reg := pickRegion(r)
	short := placePrefixes[r.IntN(len(placePrefixes))] + placeSuffixes[r.IntN(len(placeSuffixes))]
	if k := len(placePrefixes) * len(placeSuffixes); i >= k {
		short += " " + strconv.Itoa(i/k+1) // names repeat past every combination; codes never do
	}
	c := Council{Code: CouncilCode(i), AuthorityCode: fmt.Sprintf("SX%d", i), ShortName: short,
		Region: reg.region, Nation: reg.nation, Current: r.IntN(100) >= 3,
		DeliversServices: true, LowerOrUnitary: true, Powers: "unitary"}
	if !c.Current {
		c.EndDate = today.AddDate(-2, -7, 0)
	}
	c.Type = councilType(r, reg)
	switch c.Type {
	case "combined-authority":
		c.DeliversServices, c.LowerOrUnitary, c.Powers = false, false, ""
	case "county":
		c.LowerOrUnitary, c.Powers = false, "county"
	case "non-metropolitan-district":
		c.Powers = "district"
	}
	c.TypeName = typeName(c.Type)
	c.Name = short + " " + c.TypeName
	if r.IntN(100) >= 2 { // log-uniform 2,000 to 1,500,000; a few unknown
		c.Population = int(math.Exp(math.Log(2000) + r.Float64()*math.Log(1500000.0/2000)))
	}
	return c
}

func pickRegion(r *rand.Rand) region {
	total := 0
	for _, x := range regions {
		total += x.weight
	}
	n := r.IntN(total)
	for _, x := range regions {
		if n < x.weight {
			return x
		}
		n -= x.weight
	}
	return regions[len(regions)-1]
}

// councilType follows the nation: a few combined authorities anywhere.
func councilType(r *rand.Rand, reg region) string {
	switch {
	case r.IntN(100) < 2:
		return "combined-authority"
	case reg.nation == "Scotland":
		return "scottish-unitary"
	case reg.nation == "Wales":
		return "welsh-unitary"
	case reg.nation == "Northern Ireland":
		return "ni-district"
	case reg.region == "London":
		return "london-borough"
	}
	return englishTypes[r.IntN(len(englishTypes))]
}

func typeName(slug string) string {
	for _, t := range models.CouncilTypes {
		if t.Slug == slug {
			return t.Name
		}
	}
	return slug
}

func newVendors(r *rand.Rand, n int) []Vendor {
	out := make([]Vendor, 0, n)
	for i := range n {
		v := Vendor{Slug: VendorSlug(i), Kind: vendorKind(i), Description: "Synthetic vendor for benchmarks."}
		v.Website = "https://" + v.Slug + ".example"
		brand := brands[r.IntN(len(brands))]
		if v.Kind == "in-house" {
			v.Name = fmt.Sprintf("%s council digital team %d", brand, i)
		} else {
			v.Name = fmt.Sprintf("%s %s %d", brand, vendorWords[r.IntN(len(vendorWords))], i)
		}
		out = append(out, v)
	}
	return out
}

// vendorKind spreads kinds evenly by index, so even a small world has every kind.
func vendorKind(i int) string {
	n := (i * 37) % 100
	for _, k := range vendorKinds {
		if n < k.weight {
			return k.kind
		}
		n -= k.weight
	}
	return "commercial"
}
