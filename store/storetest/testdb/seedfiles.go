package testdb

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/council-components/registry/seed"
)

// SeedCSV reads one of the shipped reference data files, by its path under
// seed/data (e.g. "evidence/adoption_evidence.csv"), as rows keyed by its
// header with each value trimmed: for tests that check what the database
// holds against the file read on its own.
func SeedCSV(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := seed.Embedded().FS.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = strings.TrimSpace(rec[i])
		}
		out = append(out, row)
	}
	return out
}
