package web

import (
	"math"
	"strings"
	"testing"

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
	for raw, want := range map[float64]float64{0.3: 1, 1: 1, 1.5: 2, 3: 5, 7: 10, 12: 20, 37: 50, 260: 500} {
		if got := niceStep(raw); got != want {
			t.Errorf("niceStep(%v) = %v, want %v", raw, got, want)
		}
	}
	for share, want := range map[float64]string{0: "0%", 0.004: "under 1%", 0.25: "25%", 0.3333: "33%", 1: "100%"} {
		if got := pct(share); got != want {
			t.Errorf("pct(%v) = %q, want %q", share, got, want)
		}
	}
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
