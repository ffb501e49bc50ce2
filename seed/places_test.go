package seed

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/council-components/registry/models"
)

// km is the distance between two councils' points, near enough at the scale of the UK.
func km(a, b models.Council) float64 {
	mid := (*a.Latitude + *b.Latitude) / 2 * math.Pi / 180
	return math.Hypot((*a.Latitude-*b.Latitude)*111.2, (*a.Longitude-*b.Longitude)*111.2*math.Cos(mid))
}

// outsideRegion says why c's point does not lie in its region, or "" if it does. Regions
// are where their lower-tier and unitary councils are: a county, combined authority or
// the GLA lies in its region when the nearest of those points is of its region (a
// bounding box would not do: Cardiff is inside the South West's). A lower-tier or unitary
// council helps place its region, so it is checked against the others: one of its eight
// nearest must be of its region (High Peak, on the edge of the East Midlands, needs eight).
func outsideRegion(c models.Council, all []models.Council) string {
	var ref []models.Council
	for _, o := range all {
		if o.LowerOrUnitary && o.Latitude != nil && o.Code != c.Code {
			ref = append(ref, o)
		}
	}
	sort.Slice(ref, func(i, j int) bool { return km(c, ref[i]) < km(c, ref[j]) })
	near := ref[:1]
	if c.LowerOrUnitary {
		near = ref[:8]
	}
	if slices.ContainsFunc(near, func(o models.Council) bool { return o.Region == c.Region }) {
		return ""
	}
	var names []string
	for _, o := range near {
		names = append(names, fmt.Sprintf("%s (%s, %.0f km)", o.ShortName, o.Region, km(c, o)))
	}
	return fmt.Sprintf("%s (%s) at %.4f,%.4f is nearest %v", c.Name, c.Region, *c.Latitude, *c.Longitude, names)
}

func TestEveryCouncilLiesInItsRegion(t *testing.T) {
	d, err := Embedded().Read()
	if err != nil {
		t.Fatal(err)
	}
	checked, former := 0, 0
	for _, c := range d.Councils {
		if c.Latitude == nil {
			continue
		}
		if why := outsideRegion(c, d.Councils); why != "" {
			t.Error(why)
		}
		checked++
		if c.Status == "former" {
			former++
		}
	}
	// 470 councils, 58 of them (52 former) without a point in mySociety's file; the former
	// Buckinghamshire and Northamptonshire county councils gain one from their successors.
	if checked != 414 || former != 23 {
		t.Errorf("checked %d councils (%d former), want 414 (23 former)", checked, former)
	}
}

// The check fails for the points mySociety gives counties, so it can fail.
func TestMySocietyCountyPointsFailTheRegionCheck(t *testing.T) {
	raw, err := Embedded().councils()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]models.Council{}
	for _, c := range raw {
		byName[c.Name] = c
	}
	for _, name := range []string{"Devon County Council", "Lancashire County Council", "Kent County Council",
		"Gloucestershire County Council", "Hertfordshire County Council", "Warwickshire County Council"} {
		c, ok := byName[name]
		if !ok || c.Latitude == nil {
			t.Fatalf("%s has no point in mySociety's file", name)
		}
		if outsideRegion(c, raw) == "" {
			t.Errorf("%s at mySociety's %.4f,%.4f passes the region check", name, *c.Latitude, *c.Longitude)
		}
	}
}

func TestCountiesArePlacedFromTheirDistricts(t *testing.T) {
	d, err := Embedded().Read()
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]models.Council{}
	for _, c := range d.Councils {
		byCode[c.Code] = c
	}
	for _, tc := range []struct {
		code, region string
		lat, long    float64
	}{
		{"E10000008", "South West", 50.744486, -3.747765},    // Devon: mean of its 8 districts, not near Cardiff
		{"E10000017", "North West", 53.797593, -2.578137},    // Lancashire
		{"E10000016", "South East", 51.258824, 0.711629},     // Kent
		{"E10000007", "East Midlands", 53.12432, -1.50842},   // Derbyshire: mySociety says West Midlands
		{"E10000019", "East Midlands", 53.081988, -0.288591}, // Lincolnshire: mySociety says Yorkshire and The Humber
		{"E10000002", "South East", 51.784964, -0.811571},    // Buckinghamshire (former): its successor's point
		{"E10000021", "East Midlands", 52.324156, -0.8312},   // Northamptonshire (former): its two successors'
		{"E10000009", "South West", 50.806366, -2.333556},    // Dorset (former): mySociety puts it in Devon
	} {
		c := byCode[tc.code]
		if c.Latitude == nil || math.Abs(*c.Latitude-tc.lat) > 1e-5 || math.Abs(*c.Longitude-tc.long) > 1e-5 || c.Region != tc.region {
			t.Errorf("%s: %v,%v %s; want %v,%v %s", c.Name, deref64(c.Latitude), deref64(c.Longitude), c.Region, tc.lat, tc.long, tc.region)
		}
	}
	if c := byCode["E09000022"]; c.Latitude == nil || math.Abs(*c.Latitude-51.4538) > 0.01 {
		t.Errorf("Lambeth moved: %v", deref64(c.Latitude))
	}
}

func deref64(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}
