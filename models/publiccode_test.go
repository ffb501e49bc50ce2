package models

import (
	"strings"
	"testing"

	"github.com/council-components/registry/internal/tabletest"
)

func TestSlugify(t *testing.T) {
	tabletest.Check(t, "Slugify", func(in string) string {
		got := Slugify(in)
		if got != "" && !ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q, which is not a slug", in, got)
		}
		return got
	}, map[string]string{
		"aitema|Termin":                  "aitema-termin",
		"Web Analytics Italia - Portale": "web-analytics-italia-portale",
		"Città di Bologna":               "citta-di-bologna",
		"GOV.UK Pay":                     "gov-uk-pay",
		"  --  ":                         "",
		strings.Repeat("long name ", 30): strings.TrimSuffix(strings.Repeat("long-name-", 10), "-"),
	})
}
