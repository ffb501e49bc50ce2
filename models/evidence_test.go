package models

import (
	"testing"
	"time"

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

func TestWhoCounts(t *testing.T) {
	type adoption struct {
		source             string
		verified, rejected bool
	}
	type says struct {
		counts, pending bool
		verification    string
	}
	tabletest.Check(t, "Counts, Pending and VerificationOf", func(a adoption) says {
		return says{Counts(a.source, a.verified, a.rejected), Pending(a.source, a.verified, a.rejected), VerificationOf(a.verified, a.rejected)}
	}, map[adoption]says{
		{"council", true, false}:   {true, false, "verified"},
		{"vendor", false, false}:   {false, true, "pending"}, // a claim awaiting the council
		{"vendor", true, false}:    {true, false, "verified"},
		{"vendor", false, true}:    {false, false, "rejected"},
		{"vendor", true, true}:     {false, false, "rejected"}, // rejection wins over an earlier verification
		{"evidence", false, false}: {true, false, "pending"},   // counts on its evidence, still unverified
		{"admin", false, false}:    {true, false, "pending"},
		{"council", false, true}:   {false, false, "rejected"},
	})
}

func TestIsFresh(t *testing.T) {
	today := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	tabletest.Check(t, "IsFresh", func(on string) bool {
		if on == "never" {
			return IsFresh(nil, today, 12)
		}
		return IsFresh(&on, today, 12)
	}, map[string]bool{
		"never":      false,
		"2025-12-02": false,
		"2025-12-03": true, // twelve months to the day
		"2026-06-01": true,
		"2026-12-03": true,
	})
}
