package web

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/council-components/registry/internal/tabletest"
	"github.com/council-components/registry/models"
)

func TestProjectKeepsTheUKInsideTheMap(t *testing.T) {
	w := mapWidth()
	for _, tc := range []struct {
		place    string
		lat, lon float64
	}{
		{"Lerwick", 60.15, -1.15}, {"St Mary's, Scilly", 49.91, -6.31}, {"Enniskillen", 54.34, -7.64},
		{"Lowestoft", 52.48, 1.75}, {"Stornoway", 58.21, -6.39},
	} {
		x, y := project(tc.lat, tc.lon)
		if x < mapPad || x > w-mapPad || y < mapPad || y > mapHeight-mapPad {
			t.Errorf("%s at (%.1f, %.1f) is off the %.0f×%.0f map", tc.place, x, y, w, mapHeight)
		}
	}
	// North is up and east is right.
	_, yLondon := project(51.5, -0.1)
	_, yEdinburgh := project(55.95, -3.19)
	xBelfast, _ := project(54.6, -5.93)
	xNorwich, _ := project(52.63, 1.3)
	if yEdinburgh >= yLondon || xBelfast >= xNorwich {
		t.Error("the projection is flipped")
	}
	// Equirectangular: equal steps of latitude are equal steps down the map.
	_, y1 := project(50, 0)
	_, y2 := project(51, 0)
	_, y3 := project(52, 0)
	if math.Abs((y1-y2)-(y2-y3)) > 1e-9 {
		t.Error("latitude is not linear")
	}
}

func TestLineChart(t *testing.T) {
	months := []models.MonthCount{{Month: "2024-11", Live: 0}, {Month: "2024-12", Live: 3}, {Month: "2025-01", Live: 7}, {Month: "2025-02", Live: 5}}
	ch := lineChart(months, "X")
	if ch.Empty || ch.Desc != "From November 2024 to February 2025, live adoptions went from 0 to 5. The highest was 7, in January 2025." {
		t.Errorf("desc %q", ch.Desc)
	}
	if !strings.HasPrefix(ch.Line, "M56.0 256.0 L245.3 ") || strings.Count(ch.Line, "L") != 3 {
		t.Errorf("line %q", ch.Line)
	}
	if len(ch.XTicks) != 1 || ch.XTicks[0].Label != "2025" {
		t.Errorf("x ticks %v", ch.XTicks)
	}
	// Y axis: 0 to 8 in steps of 2, the top tick at the top of the plot.
	if len(ch.YTicks) != 5 || ch.YTicks[4].Label != "8" || ch.YTicks[4].At != ch.Top || ch.YTicks[0].At != ch.Bottom {
		t.Errorf("y ticks %v", ch.YTicks)
	}
	if !lineChart(nil, "X").Empty {
		t.Error("no months should be an empty chart")
	}
}

func TestNiceStepAndPercent(t *testing.T) {
	tabletest.Check(t, "niceStep", niceStep, map[float64]float64{0.3: 1, 1: 1, 1.5: 2, 3: 5, 7: 10, 12: 20, 37: 50, 260: 500})
	tabletest.Check(t, "pct", pct, map[float64]string{0: "0%", 0.004: "under 1%", 0.25: "25%", 0.3333: "33%", 1: "100%"})
	if got := thousands(1234567); got != "1,234,567" {
		t.Errorf("thousands: %q", got)
	}
}

func TestHeatBandsAreOrdered(t *testing.T) {
	last := -1
	for _, s := range []float64{0.001, 0.05, 0.1, 0.2, 0.25, 0.49, 0.5, 1} {
		b := bandOf(s, 1)
		if b < last || b < 1 || b >= len(heatBands) {
			t.Errorf("share %v in band %d after %d", s, b, last)
		}
		last = b
	}
	if bandOf(0, 0) != 0 {
		t.Error("no councils should be band 0")
	}
}

// onLand is whether a point lies inside one of the coastlines (ray casting).
func onLand(lat, lon float64) bool {
	for _, ring := range coastlines {
		in := false
		for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
			a, b := ring[i], ring[j]
			if (a[0] > lat) != (b[0] > lat) && lon < (b[1]-a[1])*(lat-a[0])/(b[0]-a[0])+a[1] {
				in = !in
			}
		}
		if in {
			return true
		}
	}
	return false
}

// The Natural Earth coast has the islands the hand-traced one lacked, and the sea is sea.
func TestOutlineFromNaturalEarth(t *testing.T) {
	for _, tc := range []struct {
		place    string
		lat, lon float64
		land     bool
	}{
		{"Douglas, Isle of Man", 54.16, -4.50, true}, {"St Mary's, Scilly", 49.918, -6.30, true},
		{"Lerwick, Shetland", 60.16, -1.17, true}, {"Kirkwall, Orkney", 58.98, -2.97, true},
		{"Stornoway, Lewis", 58.21, -6.40, true}, {"Portree, Skye", 57.41, -6.20, true},
		{"Newport, Isle of Wight", 50.70, -1.29, true}, {"Llangefni, Anglesey", 53.26, -4.31, true},
		{"Belfast", 54.60, -5.95, true}, {"Birmingham", 52.48, -1.90, true}, {"Enniskillen", 54.34, -7.64, true},
		{"Irish Sea", 53.80, -5.20, false}, {"North Sea", 55.00, 1.00, false}, {"the Minch", 57.90, -5.90, false},
		{"English Channel", 50.30, -1.50, false}, {"Bristol Channel", 51.30, -3.80, false},
	} {
		if got := onLand(tc.lat, tc.lon); got != tc.land {
			t.Errorf("%s: on land %v, want %v", tc.place, got, tc.land)
		}
	}
	path := outlinePath()
	if n := strings.Count(path, "Z"); n < 30 || n != len(coastlines) {
		t.Errorf("%d shapes in the path, %d coastlines", n, len(coastlines))
	}
	// Every point of the path is a projected coordinate on (or just off) the map.
	for _, f := range strings.Fields(strings.NewReplacer("M", " ", "L", " ", "Z", " ").Replace(path)) {
		if v, err := strconv.ParseFloat(f, 64); err != nil || v < -60 || v > mapHeight+60 {
			t.Fatalf("path coordinate %q", f)
		}
	}
}

// Councils close together share a dot, sized by count; every dot is named and linked.
func TestClusterSharesDots(t *testing.T) {
	at := func(code, name string, lat, lon float64, verified bool) adopter {
		return adopter{Council: models.Council{Code: code, Name: name, Latitude: &lat, Longitude: &lon},
			Adoption: models.Adoption{Verified: verified}}
	}
	dots := cluster([]adopter{
		at("E1", "Camden", 51.55, -0.17, true), at("E2", "Islington", 51.54, -0.10, false),
		at("E3", "Hackney", 51.55, -0.06, true), at("S1", "Highland", 57.48, -4.22, true),
	})
	if len(dots) != 2 {
		t.Fatalf("%d dots, want London's and Highland's: %+v", len(dots), dots)
	}
	london, highland := dots[0], dots[1]
	if len(london.Councils) != 3 || london.Verified != 2 || london.R <= highland.R || london.AllVerified() {
		t.Errorf("London dot %+v", london)
	}
	if london.Href() != "#adopters" || london.Label() != "3 councils, 2 verified: Camden, Hackney, Islington" {
		t.Errorf("London dot links %q, named %q", london.Href(), london.Label())
	}
	if highland.Href() != "/councils/S1" || highland.Label() != "Highland, verified" || !highland.AllVerified() || highland.R != 5 {
		t.Errorf("Highland dot %+v, links %q, named %q", highland, highland.Href(), highland.Label())
	}
	var many []adopter
	for i := range 7 {
		many = append(many, at(strconv.Itoa(i), "Council "+strconv.Itoa(i), 52, -1, false))
	}
	if d := cluster(many); len(d) != 1 || d[0].Label() != "7 councils, 0 verified: Council 0, Council 1, Council 2, Council 3 and 3 more" {
		t.Errorf("seven at one place: %+v", d)
	}
}
