package seed

import (
	"math"

	"github.com/council-components/registry/models"
)

// placeCounties puts each county council at the mean of its districts' points (of its
// successors' where no district has one) and gives it its districts' region when they all
// agree. mySociety's own points for counties are wrong (Devon near Cardiff, Lancashire in
// Northamptonshire, Kent in East London), and it files Derbyshire under the West Midlands.
func placeCounties(councils []models.Council) {
	byCode := map[string]int{}
	districts := map[string][]int{}
	for i, c := range councils {
		byCode[c.Code] = i
		if c.County != nil {
			districts[*c.County] = append(districts[*c.County], i)
		}
	}
	for i := range councils {
		c := &councils[i]
		if c.Type != "county" {
			continue
		}
		from := located(councils, districts[c.Code])
		if len(from) == 0 {
			var successors []int
			for _, s := range c.Successors {
				if j, ok := byCode[s]; ok {
					successors = append(successors, j)
				}
			}
			from = located(councils, successors)
		}
		if len(from) == 0 {
			continue
		}
		var lat, long float64
		region := from[0].Region
		for _, p := range from {
			lat, long = lat+*p.Latitude, long+*p.Longitude
			if p.Region != region {
				region = ""
			}
		}
		lat, long = round6(lat/float64(len(from))), round6(long/float64(len(from)))
		c.Latitude, c.Longitude = &lat, &long
		if region != "" {
			c.Region = region
		}
	}
}

// located returns the councils at idx that have a point.
func located(councils []models.Council, idx []int) []models.Council {
	var out []models.Council
	for _, i := range idx {
		if c := councils[i]; c.Latitude != nil && c.Longitude != nil {
			out = append(out, c)
		}
	}
	return out
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
