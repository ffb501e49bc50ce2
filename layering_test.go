package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLayering holds the layout's rules over every import, direct or not: the
// store knows neither the reuse engine nor HTTP; the domain knows no codec,
// storage or HTTP; the pages and handlers reach storage only through the
// interfaces they declare.
func TestLayering(t *testing.T) {
	const mod = "github.com/council-components/registry/"
	forbidden := map[string][]string{
		"store":    {mod + "reuse", mod + "handlers", mod + "api", mod + "web"},
		"models":   {mod + "store", mod + "publiccode", mod + "spreadsheet", mod + "handlers", mod + "api", mod + "web", "gorm.io/gorm", "net/http", "encoding/csv", "go.yaml.in/yaml/v3", "go.yaml.in/yaml/v4"},
		"web":      {mod + "store", mod + "seed"},
		"handlers": {mod + "store", mod + "seed"},
	}
	for pkg, never := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "./"+pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps ./%s: %v", pkg, err)
		}
		deps := strings.Fields(string(out))
		for _, n := range never {
			if slices.Contains(deps, n) {
				t.Errorf("%s imports %s, directly or through another package", pkg, n)
			}
		}
	}
}
