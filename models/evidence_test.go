package models

import (
	"testing"

	"github.com/council-components/registry/internal/tabletest"
)

// evidenceItems are evidence items by name, for the tables below.
var evidenceItems = map[string][]EvidenceItem{
	"none":                            nil,
	"live":                            {{Status: "live", Current: true}},
	"piloting":                        {{Status: "piloting", Current: true}},
	"live, stale":                     {{Status: "live", Current: false}},
	"piloting, live":                  {{Status: "piloting", Current: true}, {Status: "live", Current: true}},
	"live no longer listed, piloting": {{Status: "live", Current: false}, {Status: "piloting", Current: true}},
}

func TestEvidenceStatus(t *testing.T) {
	type want struct {
		status string
		ok     bool
	}
	tabletest.Check(t, "EvidenceStatus", func(name string) want {
		s, ok := EvidenceStatus(evidenceItems[name])
		return want{s, ok}
	}, map[string]want{
		"none":                            {"", false},
		"live":                            {"live", true},
		"piloting":                        {"piloting", true},
		"live, stale":                     {"", false},
		"piloting, live":                  {"live", true},
		"live no longer listed, piloting": {"piloting", true},
	})
}

func TestSettledStatus(t *testing.T) {
	type record struct{ source, status, evidence string }
	tabletest.Check(t, "SettledStatus", func(r record) string { return SettledStatus(r.source, r.status, evidenceItems[r.evidence]) }, map[record]string{
		{"evidence", "exploring", "live"}:                       "live",
		{"evidence", "live", "piloting, live"}:                  "live",
		{"evidence", "live", "live no longer listed, piloting"}: "piloting", // it follows what is still listed
		{"evidence", "piloting", "none"}:                        "piloting", // no current item: kept, and flagged elsewhere
		{"evidence", "live", "live, stale"}:                     "live",
		{"evidence", "retiring", "live"}:                        "retiring", // winding down: kept
		{"evidence", "retired", "live"}:                         "retired",
		{"council", "piloting", "live"}:                         "piloting", // a council's own record keeps its status
		{"vendor", "exploring", "live"}:                         "exploring",
		{"admin", "live", "piloting"}:                           "live",
	})
}
