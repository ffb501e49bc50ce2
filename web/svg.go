package web

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/council-components/registry/models"
)

// Charts and maps are drawn on the server as SVG, so they need no script, no
// CDN and no map tiles; each carries a title and description, and the page
// beside it has the same figures as a table.

// chart is a line chart of live adoptions per month.
type chart struct {
	Empty          bool
	Title, Desc    string
	Width, Height  int
	Left, Right    float64 // plot area, in SVG units
	Top, Bottom    float64
	Line, Area     string // path data
	YTicks, XTicks []tick
	Months         []models.MonthCount
}

type tick struct {
	At    float64
	Label string
}

func lineChart(months []models.MonthCount, name string) chart {
	ch := chart{Width: 640, Height: 300, Left: 56, Right: 624, Top: 16, Bottom: 256, Months: months,
		Title: "Live adoptions of " + name + " per month"}
	if len(months) == 0 {
		ch.Empty = true
		return ch
	}
	peak, peakAt := 0, 0
	for i, m := range months {
		if m.Live > peak {
			peak, peakAt = m.Live, i
		}
	}
	step := niceStep(float64(max(peak, 1)) / 4)
	top := step * math.Ceil(float64(max(peak, 1))/step)
	x := func(i int) float64 {
		if len(months) == 1 {
			return (ch.Left + ch.Right) / 2
		}
		return ch.Left + float64(i)*(ch.Right-ch.Left)/float64(len(months)-1)
	}
	y := func(v int) float64 { return ch.Bottom - float64(v)/top*(ch.Bottom-ch.Top) }
	var line strings.Builder
	for i, m := range months {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&line, "%s%.1f %.1f ", cmd, x(i), y(m.Live))
	}
	ch.Line = strings.TrimSpace(line.String())
	ch.Area = fmt.Sprintf("%s L%.1f %.1f L%.1f %.1f Z", ch.Line, x(len(months)-1), ch.Bottom, x(0), ch.Bottom)
	for v := 0.0; v <= top+step/2; v += step {
		ch.YTicks = append(ch.YTicks, tick{At: y(int(v)), Label: strconv.Itoa(int(v))})
	}
	// One label a January, thinned so they never crowd.
	years := 0
	for _, m := range months {
		if strings.HasSuffix(m.Month, "-01") {
			years++
		}
	}
	every := max(1, (years+7)/8)
	n := 0
	for i, m := range months {
		if strings.HasSuffix(m.Month, "-01") {
			if n%every == 0 {
				ch.XTicks = append(ch.XTicks, tick{At: x(i), Label: m.Month[:4]})
			}
			n++
		}
	}
	first, last := months[0], months[len(months)-1]
	ch.Desc = fmt.Sprintf("From %s to %s, live adoptions went from %d to %d. The highest was %d, in %s.",
		monthName(first.Month), monthName(last.Month), first.Live, last.Live, peak, monthName(months[peakAt].Month))
	return ch
}

// niceStep rounds a raw tick step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

func monthName(ym string) string {
	t, err := time.Parse("2006-01", ym)
	if err != nil {
		return ym
	}
	return t.Format("January 2006")
}

// The map's extent: the UK from the Isles of Scilly to Shetland, and from
// County Fermanagh to the Suffolk coast.
const (
	mapWest, mapEast   = -8.3, 1.9
	mapSouth, mapNorth = 49.8, 61.0
	mapHeight, mapPad  = 560.0, 12.0
)

// ukMap plots councils by latitude and longitude with an equirectangular
// projection whose x scale is true at the middle latitude.
type ukMap struct {
	Title, Desc   string
	Width, Height int
	Outline       string  // the coast, for orientation
	Councils      []point // every current council, as a faint background
	Adopters      []dot   // the councils using it, those close together as one dot
	Unplaced      int     // adopters with no recorded location
}

type point struct {
	X, Y float64
}

// dot is one or more councils using the component, close together on the
// map: one circle, sized by how many, linked to the council (or, for several,
// to the list of adopters) and named in its title.
type dot struct {
	X, Y, R  float64
	Councils []models.Ref // by name
	Verified int          // how many of them verified the adoption
}

// clusterRadius is how close, in map units, councils must be to share a dot.
const clusterRadius = 9.0

// Href is where the dot leads: the council's page, or the list of adopters.
func (d dot) Href() string {
	if len(d.Councils) == 1 {
		return "/councils/" + d.Councils[0].Slug
	}
	return "#adopters"
}

// Label names the dot's councils, the first few by name.
func (d dot) Label() string {
	names := make([]string, 0, 4)
	for _, c := range d.Councils[:min(len(d.Councils), 4)] {
		names = append(names, c.Name)
	}
	if len(d.Councils) == 1 {
		if d.Verified == 1 {
			return names[0] + ", verified"
		}
		return names[0]
	}
	label := fmt.Sprintf("%d councils, %d verified: %s", len(d.Councils), d.Verified, strings.Join(names, ", "))
	if more := len(d.Councils) - len(names); more > 0 {
		label += fmt.Sprintf(" and %d more", more)
	}
	return label
}

// AllVerified is whether every council in the dot verified its adoption.
func (d dot) AllVerified() bool { return d.Verified == len(d.Councils) }

// cluster gathers adopters into dots: each joins the first dot whose first
// council is within clusterRadius, else starts its own. Dots grow with the
// square root of their count, so area shows how many.
func cluster(using []adopter) []dot {
	var dots []dot
	for _, a := range using {
		x, y := project(*a.Council.Latitude, *a.Council.Longitude)
		i := slices.IndexFunc(dots, func(d dot) bool { return math.Hypot(d.X-x, d.Y-y) <= clusterRadius })
		if i < 0 {
			dots = append(dots, dot{X: round1(x), Y: round1(y)})
			i = len(dots) - 1
		}
		dots[i].Councils = append(dots[i].Councils, models.Ref{Slug: a.Council.Code, Name: a.Council.Name})
		if a.Adoption.Verified {
			dots[i].Verified++
		}
	}
	for i := range dots {
		dots[i].R = round1(min(5*math.Sqrt(float64(len(dots[i].Councils))), 18))
		slices.SortFunc(dots[i].Councils, func(x, y models.Ref) int { return cmp.Compare(x.Name, y.Name) })
	}
	// Larger dots first, so smaller ones stay visible and clickable on top; verified last among equals.
	slices.SortStableFunc(dots, func(x, y dot) int {
		return cmp.Or(cmp.Compare(len(y.Councils), len(x.Councils)), cmp.Compare(x.Verified, y.Verified))
	})
	return dots
}

func project(lat, lon float64) (x, y float64) {
	scale := (mapHeight - 2*mapPad) / (mapNorth - mapSouth)
	kx := math.Cos((mapNorth + mapSouth) / 2 * math.Pi / 180)
	return mapPad + (lon-mapWest)*kx*scale, mapPad + (mapNorth-lat)*scale
}

func mapWidth() float64 {
	x, _ := project(mapSouth, mapEast)
	return x + mapPad
}

func councilMap(background []models.Council, using []adopter, name string) ukMap {
	m := ukMap{Width: int(math.Ceil(mapWidth())), Height: int(mapHeight), Title: "Map of the councils using " + name, Outline: outlinePath()}
	for _, c := range background {
		if c.Latitude != nil && c.Longitude != nil {
			x, y := project(*c.Latitude, *c.Longitude)
			m.Councils = append(m.Councils, point{X: round1(x), Y: round1(y)})
		}
	}
	nations := map[string]int{}
	verified := 0
	var placed []adopter
	for _, a := range using {
		c := a.Council
		if c.Latitude == nil || c.Longitude == nil {
			m.Unplaced++
			continue
		}
		nations[c.Nation]++
		if a.Adoption.Verified {
			verified++
		}
		placed = append(placed, a)
	}
	m.Adopters = cluster(placed)
	var parts []string
	for _, n := range []string{"England", "Scotland", "Wales", "Northern Ireland"} {
		if nations[n] > 0 {
			parts = append(parts, fmt.Sprintf("%d in %s", nations[n], n))
		}
	}
	switch {
	case len(placed) == 0:
		m.Desc = "No council with a recorded location is using " + name + " (piloting, live or retiring)."
	default:
		m.Desc = fmt.Sprintf("%s of the UK's councils are using %s (piloting, live or retiring), %d of them verified: %s. Councils close together share a dot, sized and numbered by how many; small grey dots are the other councils.",
			plural(len(placed), "One", strconv.Itoa(len(placed))), name, verified, strings.Join(parts, ", "))
	}
	return m
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// councilPoints is every current council with its location, for the map's
// background; it is read once per database version.
func (s *Site) councilPoints(ctx context.Context) ([]models.Council, error) {
	version, err := s.store.Version(ctx)
	if err != nil {
		return nil, err
	}
	s.points.mu.Lock()
	defer s.points.mu.Unlock()
	if s.points.councils != nil && s.points.version == version {
		return s.points.councils, nil
	}
	all, err := walk(func(p models.Page) (models.List[models.Council], error) {
		return s.store.ListCouncils(ctx, models.CouncilFilter{}, p)
	})
	if err != nil {
		return nil, err
	}
	s.points.councils, s.points.version = all, version
	return all, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
