package models

import (
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"aitema|Termin":                  "aitema-termin",
		"Web Analytics Italia - Portale": "web-analytics-italia-portale",
		"Città di Bologna":               "citta-di-bologna",
		"GOV.UK Pay":                     "gov-uk-pay",
		"  --  ":                         "",
		strings.Repeat("long name ", 30): strings.TrimSuffix(strings.Repeat("long-name-", 10), "-"),
	} {
		if got := Slugify(in); got != want || (got != "" && !ValidSlug(got)) {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}
