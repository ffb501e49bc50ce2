package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/council-components/registry/models"
)

func newComponents(r *rand.Rand, n int, caps []models.Capability, vendors []Vendor) []Component {
	out := make([]Component, 0, n)
	for i := range n {
		out = append(out, newComponent(r, i, caps, vendors))
	}
	return out
}

// newComponent makes the i-th component: 1–3 capabilities, a lifecycle, and
// for some a licence (open source) and standards.
func newComponent(r *rand.Rand, i int, caps []models.Capability, vendors []Vendor) Component {
	c := Component{Slug: ComponentSlug(i), Vendor: r.IntN(len(vendors))}
	vendor := vendors[c.Vendor]
	c.InHouse = vendor.Kind == "in-house"
	c.URL = "https://" + vendor.Slug + ".example/" + c.Slug
	c.Lifecycle = lifecycle(r)
	c.Capabilities = pickCapabilities(r, len(caps))
	describe(r, &c, caps)
	c.Hosting = models.HostingKinds[r.IntN(len(models.HostingKinds))]
	c.Pricing = models.PricingModels[r.IntN(len(models.PricingModels))]
	if r.IntN(100) < 30 {
		l := licences[r.IntN(len(licences))]
		repo := "https://git.example/" + vendor.Slug + "/" + c.Slug
		c.Licence, c.RepositoryURL = &l, &repo
	}
	if r.IntN(100) < 30 {
		for k := 1 + r.IntN(2); len(c.Standards) < k; {
			s := standards[r.IntN(len(standards))]
			if len(c.Standards) == 0 || c.Standards[0] != s {
				c.Standards = append(c.Standards, s)
			}
		}
	}
	return c
}

func lifecycle(r *rand.Rand) string {
	switch n := r.IntN(100); {
	case n < 5:
		return "alpha"
	case n < 15:
		return "beta"
	case n < 85:
		return "live"
	case n < 95:
		return "deprecated"
	}
	return "retired"
}

// pickCapabilities chooses 1–3 distinct capabilities, skewed so some have many
// more products than others.
func pickCapabilities(r *rand.Rand, nCaps int) []int {
	var out []int
	for k := 1 + r.IntN(3); len(out) < k; {
		ci := int(float64(nCaps) * math.Pow(r.Float64(), 1.5))
		dup := false
		for _, x := range out {
			dup = dup || x == ci
		}
		if !dup {
			out = append(out, ci)
		}
	}
	return out
}

// describe names c after its primary capability and writes its summary and description.
func describe(r *rand.Rand, c *Component, caps []models.Capability) {
	primary := caps[c.Capabilities[0]]
	c.Name = brands[r.IntN(len(brands))] + " " + primary.Name
	names := make([]string, len(c.Capabilities))
	for i, ci := range c.Capabilities {
		names[i] = strings.ToLower(caps[ci].Name)
	}
	c.Summary = fmt.Sprintf("%s %s, with %s.", strings.Join(names, " and "), audiences[r.IntN(len(audiences))],
		features[r.IntN(len(features))])
	c.Summary = strings.ToUpper(c.Summary[:1]) + c.Summary[1:]
	c.Description = primary.Description + " Includes " + features[r.IntN(len(features))] + " and " +
		features[r.IntN(len(features))] + "."
}
