package web

import (
	"testing"

	"github.com/council-components/registry/internal/tabletest"
	"github.com/council-components/registry/models"
)

func TestMatchStrength(t *testing.T) {
	for _, tc := range []struct {
		score, closest float64
		want           string
	}{
		{0.9081, 0.4, "Strong match"}, // 9 of 10 peers, none of them very close
		{0.5, 0, "Strong match"},
		{0.4999, 0.9, "Good match"},
		{0.31, 0, "Good match"},
		{0.3, 0.74, "Possible match"}, // no more than national take-up can give
		{0.25, 0.8, "Good match"},     // a very similar peer runs it
		{0.19, 0.8, "Possible match"},
		{0.2, 0, "Possible match"},
		{0, 0, "Possible match"},
	} {
		if got := matchStrength(tc.score, tc.closest); got != tc.want {
			t.Errorf("matchStrength(%v, %v) = %q, want %q", tc.score, tc.closest, got, tc.want)
		}
	}
}

func TestLikeness(t *testing.T) {
	tabletest.Check(t, "likeness", likeness, map[float64]string{1: "Very similar", 0.75: "Very similar", 0.74: "Similar", 0.5: "Similar", 0.49: "Somewhat similar", 0: "Somewhat similar"})
}

func TestListSep(t *testing.T) {
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"Dover"}, "Dover"},
		{[]string{"Elmbridge", "Dover"}, "Elmbridge and Dover"},
		{[]string{"Folkestone and Hythe", "Elmbridge"}, "Folkestone and Hythe, and Elmbridge"},
		{[]string{"Elmbridge", "Folkestone and Hythe", "Dover"}, "Elmbridge, Folkestone and Hythe, and Dover"},
		{[]string{"A", "B", "C", "D"}, "A, B, C and D"},
	} {
		refs := make([]models.Ref, len(tc.names))
		for i, n := range tc.names {
			refs[i].Name = n
		}
		got := ""
		for i, n := range tc.names {
			got += listSep(i, refs) + n
		}
		if got != tc.want {
			t.Errorf("%v joined as %q, want %q", tc.names, got, tc.want)
		}
	}
}
