package main

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	// A real line's shape, with a command name holding a space and a ')'.
	line := "4242 (registry (x) y) S 1 4242 4242 0 -1 4194560 12345 0 0 0 731 169 0 0 20 0 9 0 12345 1000000 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
	got, err := parseStatCPU(line)
	if err != nil {
		t.Fatal(err)
	}
	if want := (731 + 169) * 10 * time.Millisecond; got != want {
		t.Errorf("parseStatCPU = %v, want %v (utime 731 + stime 169 ticks of 10 ms)", got, want)
	}
	for _, bad := range []string{"", "4242 registry S 1", "4242 (registry) S 1 2 3", "4242 (r) S 1 2 3 4 5 6 7 8 9 10 x 169 0"} {
		if _, err := parseStatCPU(bad); err == nil {
			t.Errorf("parseStatCPU(%q): no error", bad)
		}
	}
	if got := cpuPerRequest(2*time.Second, 100_000); got != 20 {
		t.Errorf("cpuPerRequest(2 s, 100,000) = %v µs, want 20", got)
	}
	if got := cpuPerRequest(time.Second, 0); got != 0 {
		t.Errorf("cpuPerRequest with no requests = %v, want 0", got)
	}
}

func TestProcCPUOfThisProcess(t *testing.T) {
	before, err := procCPU(os.Getpid())
	if err != nil {
		t.Skip("no /proc:", err)
	}
	for x, deadline := 0.0, time.Now().Add(50*time.Millisecond); time.Now().Before(deadline); x += math.Sqrt(x + 1) {
	}
	after, _ := procCPU(os.Getpid())
	if after < before {
		t.Errorf("CPU time went back: %v then %v", before, after)
	}
}

func TestReadBackStale(t *testing.T) {
	for _, c := range []struct {
		check readBack
		body  string
		stale bool
	}{
		{readBack{field: "adoption_count", want: 3.0, atLeast: true}, `{"adoption_count":3}`, false},
		{readBack{field: "adoption_count", want: 3.0, atLeast: true}, `{"adoption_count":4}`, false}, // another writer's too
		{readBack{field: "adoption_count", want: 3.0, atLeast: true}, `{"adoption_count":2}`, true},  // the write is not seen
		{readBack{field: "total", want: 5.0}, `{"total":5,"items":[]}`, false},
		{readBack{field: "total", want: 5.0}, `{"total":6}`, true},
		{readBack{field: "notes", want: "run w1 n7"}, `{"notes":"run w1 n7"}`, false},
		{readBack{field: "notes", want: "run w1 n7"}, `{"notes":"run w1 n6"}`, true}, // the previous write's
		{readBack{field: "notes", want: "x"}, `{"summary":"x"}`, true},
		{readBack{field: "total", want: 1.0}, `{"total":"1"}`, true},
		{readBack{field: "total", want: 1.0}, `not json`, true},
	} {
		msg := c.check.stale([]byte(c.body))
		if (msg != "") != c.stale {
			t.Errorf("%+v on %s: stale = %q, want stale %v", c.check, c.body, msg, c.stale)
		}
	}
}

func TestRouteKey(t *testing.T) {
	for uri, want := range map[string]string{
		"/api/v1/adoptions":                    "route POST /api/v1/adoptions",
		"/api/v1/adoptions/1883":               "route POST /api/v1/adoptions/*",
		"/api/v1/components/x-1?limit=1":       "route POST /api/v1/components/*",
		"/api/v1/components?vendor=v&limit=1":  "route POST /api/v1/components",
		"/api/v1/councils/E06000001/peers?x=1": "route POST /api/v1/councils/E06000001/*",
	} {
		if got := routeKey("POST", uri); got != want {
			t.Errorf("routeKey(%q) = %q, want %q", uri, got, want)
		}
	}
}

func TestNiceScale(t *testing.T) {
	for _, c := range []struct{ most, top, step float64 }{
		{0, 1, 0.25},
		{math.NaN(), 1, 0.25},
		{7, 7, 1},
		{10, 10, 2},
		{36_000, 40_000, 5_000},
		{6_086, 7_000, 1_000},
		{0.9, 1, 0.2},
		{123, 140, 20},
	} {
		top, step := niceScale(c.most)
		if math.Abs(top-c.top) > 1e-9 || math.Abs(step-c.step) > 1e-9 {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", c.most, top, step, c.top, c.step)
		}
		if n := top / step; !(c.most > 0) || n < 4-1e-9 || n > 8+1e-9 || top < c.most {
			if c.most > 0 {
				t.Errorf("niceScale(%v): %v steps to %v", c.most, n, top)
			}
		}
	}
}

func TestChartDrawsEveryFigureAndSkipsGaps(t *testing.T) {
	var b strings.Builder
	chart{Title: "t <&>", XLabel: "scale", YLabel: "requests/s", X: []string{"S", "M", "L"},
		Series: []series{{Name: "a", Y: []float64{1, math.NaN(), 3}}, {Name: "a ceiling", Y: []float64{2, 2, 2}, Dashed: true}}}.draw(&b)
	svg := b.String()
	for _, want := range []string{"<svg", "</svg>", "t &lt;&amp;&gt;", ">requests/s<", ">scale<", ">a ceiling<", `stroke-dasharray`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	if n := strings.Count(svg, "<circle"); n != 5 {
		t.Errorf("%d markers, want 5 (one per figure, none for the gap)", n)
	}
	if n := strings.Count(svg, "<polyline"); n != 1 {
		t.Errorf("%d lines, want 1 (the series with a gap has no two figures side by side)", n)
	}
}

func TestFigure(t *testing.T) {
	for x, want := range map[float64]string{0: "0", 0.25: "0.25", 7: "7", 12.34: "12.3", 250: "250", 3000: "3,000", 1234567: "1,234,567"} {
		if got := figure(x); got != want {
			t.Errorf("figure(%v) = %q, want %q", x, got, want)
		}
	}
}
