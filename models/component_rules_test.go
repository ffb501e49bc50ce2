package models

import (
	"testing"

	"github.com/council-components/registry/internal/tabletest"
)

func TestObsolete(t *testing.T) {
	tabletest.Check(t, "Obsolete", Obsolete, map[string]bool{
		"alpha": false, "beta": false, "live": false, "deprecated": true, "retired": true, "": false,
	})
}

func TestDeprecates(t *testing.T) {
	type move struct{ before, after string }
	tabletest.Check(t, "Deprecates", func(m move) bool { return Deprecates(m.before, m.after) }, map[move]bool{
		{"live", "deprecated"}:       true,
		{"beta", "deprecated"}:       true,
		{"alpha", "deprecated"}:      true,
		{"deprecated", "deprecated"}: false, // already announced
		{"deprecated", "retired"}:    false,
		{"live", "retired"}:          false, // only a deprecation is announced
		{"live", "live"}:             false,
		{"deprecated", "live"}:       false,
	})
}
