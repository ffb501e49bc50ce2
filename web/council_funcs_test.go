package web

import (
	"testing"

	"github.com/council-components/registry/models"
)

func TestMatchStrength(t *testing.T) {
	for _, tc := range []struct {
		score, closest float64
		want           string
	}{
		{0.8, 0.9, "Strong match"},
		{0.5, 0.5, "Strong match"},
		{0.5, 0.49, "Good match"}, // backed by peers, none of them close
		{0.6, 0, "Good match"},
		{0.3, 0, "Good match"},
		{0.1, 0.6, "Good match"}, // one close peer runs it
		{0.29, 0.49, "Possible match"},
		{0.2, 0, "Possible match"}, // national take-up alone
		{0, 0, "Possible match"},
	} {
		if got := matchStrength(tc.score, tc.closest); got != tc.want {
			t.Errorf("matchStrength(%v, %v) = %q, want %q", tc.score, tc.closest, got, tc.want)
		}
	}
}

func TestLikeness(t *testing.T) {
	for sim, want := range map[float64]string{1: "Very similar", 0.75: "Very similar", 0.74: "Similar", 0.5: "Similar", 0.49: "Somewhat similar", 0: "Somewhat similar"} {
		if got := likeness(sim); got != want {
			t.Errorf("likeness(%v) = %q, want %q", sim, got, want)
		}
	}
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
