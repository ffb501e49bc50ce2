package models

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/council-components/registry/internal/tabletest"
)

func TestAdoptionStatusRules(t *testing.T) {
	for _, tc := range []struct {
		status string
		inUse  bool
		rank   int
		next   []string // every status it may move to, itself included
	}{
		{"exploring", false, 0, []string{"exploring", "piloting", "live", "retired"}},
		{"piloting", true, 2, []string{"piloting", "live", "retiring", "retired"}},
		{"live", true, 3, []string{"live", "retiring", "retired"}},
		{"retiring", true, 1, []string{"retiring", "retired"}},
		{"retired", false, 0, []string{"retired"}},
		{"unknown", false, 0, []string{"unknown"}},
	} {
		t.Run(tc.status, func(t *testing.T) {
			if got := InUse(tc.status); got != tc.inUse {
				t.Errorf("InUse = %v, want %v", got, tc.inUse)
			}
			if got := StatusRank(tc.status); got != tc.rank {
				t.Errorf("StatusRank = %d, want %d", got, tc.rank)
			}
			var next []string
			for _, to := range append(slices.Clone(AdoptionStatuses), "unknown") {
				if CanMove(tc.status, to) {
					next = append(next, to)
				}
			}
			if !sameSet(next, tc.next) {
				t.Errorf("may move to %v, want %v", next, tc.next)
			}
		})
	}
	if want := []string{"piloting", "live", "retiring"}; !reflect.DeepEqual(InUseStatuses, want) {
		t.Errorf("InUseStatuses = %v, want %v", InUseStatuses, want)
	}
	if want := []string{"live", "retiring", "retired"}; !reflect.DeepEqual(WasLiveStatuses, want) {
		t.Errorf("WasLiveStatuses = %v, want %v", WasLiveStatuses, want)
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestCheckUpdate(t *testing.T) {
	for _, tc := range []struct {
		name         string
		verification string
		from, to     string
		code, msg    string
	}{
		{"same status", "verified", "live", "live", "", ""},
		{"forward", "pending", "piloting", "live", "", ""},
		{"backward", "verified", "live", "piloting", EINVALID, invalidFields},
		{"out of retired", "verified", "retired", "live", EINVALID, invalidFields},
		{"rejected, even without a move", "rejected", "live", "live", ECONFLICT, "adoption 7 was rejected; record a new one instead"},
		{"rejected before a bad move", "rejected", "live", "exploring", ECONFLICT, "adoption 7 was rejected; record a new one instead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cur := Adoption{ID: 7, Status: tc.from, Verification: tc.verification}
			err := cur.CheckUpdate(Adoption{ID: 7, Status: tc.to})
			if tc.code == EINVALID {
				wantRuleErr(t, err, tc.code, tc.msg, "status")
				if e := err.(*Error); e.Fields[0].Message != "cannot move from "+tc.from+" to "+tc.to+"; to start again, record a new adoption" {
					t.Errorf("message %q", e.Fields[0].Message)
				}
				return
			}
			wantRuleErr(t, err, tc.code, tc.msg)
		})
	}
}

func TestFinishDates(t *testing.T) {
	for _, tc := range []struct {
		name    string
		a       Adoption
		ended   *string // after FinishDates on 2026-03-01
		invalid []string
	}{
		{"retired without an end ends today", Adoption{Status: "retired"}, refOf("2026-03-01"), nil},
		{"retired keeps its end", Adoption{Status: "retired", EndedOn: refOf("2025-01-01")}, refOf("2025-01-01"), nil},
		{"live has no end", Adoption{Status: "live"}, nil, nil},
		{"retired today but started later", Adoption{Status: "retired", StartedOn: refOf("2027-01-01")}, refOf("2026-03-01"), []string{"ended_on"}},
		{"live with an end", Adoption{Status: "live", EndedOn: refOf("2025-01-01")}, refOf("2025-01-01"), []string{"ended_on"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			err := a.FinishDates("2026-03-01")
			if tc.invalid != nil {
				wantRuleErr(t, err, EINVALID, invalidFields, tc.invalid...)
			} else {
				wantRuleErr(t, err, "", "")
			}
			if !reflect.DeepEqual(a.EndedOn, tc.ended) {
				t.Errorf("ended_on = %v, want %v", deref(a.EndedOn), deref(tc.ended))
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestCanSettle(t *testing.T) {
	for _, tc := range []struct {
		name         string
		verification string
		verified     bool
		action       string
		changes      bool
		code, msg    string
	}{
		{"verify a pending claim", "pending", false, "verified", true, "", ""},
		{"reject a pending claim", "pending", false, "rejected", true, "", ""},
		{"verify twice", "verified", true, "verified", false, "", ""},
		{"reject a verified one", "verified", true, "rejected", false, ECONFLICT, "adoption 7 is verified; to end it, set its status to retired"},
		{"verify a rejected claim", "rejected", false, "verified", false, ECONFLICT, "adoption 7 was already rejected"},
		{"reject twice", "rejected", false, "rejected", false, ECONFLICT, "adoption 7 was already rejected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := Adoption{ID: 7, Verification: tc.verification, Verified: tc.verified}
			changes, err := a.CanSettle(tc.action)
			wantRuleErr(t, err, tc.code, tc.msg)
			if changes != tc.changes {
				t.Errorf("changes = %v, want %v", changes, tc.changes)
			}
		})
	}
}

func TestMergeAdoptions(t *testing.T) {
	names := map[string]string{"E1": "North", "E2": "South", "E3": "East"}
	src := func(id int64, council, status string, started, contract *string, verified bool) Adoption {
		return Adoption{ID: id, Council: council, Component: "drupal", Capability: "cap-" + council, Status: status,
			StartedOn: started, ContractEndOn: contract, Source: "src-" + council, Verified: verified,
			EvidenceURL: refOf("https://" + council), Notes: "notes of " + council}
	}
	claim := func(id int64, council, status string, started, contract *string) Adoption {
		a := src(id, council, status, started, contract, false)
		a.Source = "vendor"
		return a
	}
	for _, tc := range []struct {
		name string
		srcs []Adoption
		best int
		want Adoption
	}{
		{
			name: "one source",
			srcs: []Adoption{src(1, "E1", "piloting", refOf("2020-01-01"), nil, false)},
			want: Adoption{Component: "drupal", Capability: "cap-E1", Status: "piloting", StartedOn: refOf("2020-01-01"),
				EvidenceURL: refOf("https://E1"), Source: "src-E1",
				Notes: "Carried over on 2023-04-01, when the reorganisation vested, from North (E1, adoption 1).\n\nnotes of E1"},
		},
		{
			name: "live beats piloting and retiring; earliest start, latest contract, any verified",
			srcs: []Adoption{
				src(1, "E1", "retiring", refOf("2019-05-01"), refOf("2030-01-01"), true),
				src(2, "E2", "live", refOf("2021-01-01"), refOf("2026-01-01"), false),
				src(3, "E3", "piloting", nil, refOf("2031-06-30"), false),
			},
			best: 1,
			want: Adoption{Component: "drupal", Capability: "cap-E2", Status: "live", StartedOn: refOf("2019-05-01"),
				ContractEndOn: refOf("2031-06-30"), EvidenceURL: refOf("https://E2"), Source: "src-E2", Verified: true,
				Notes: "Carried over on 2023-04-01, when the reorganisation vested, from North (E1, adoption 1), " +
					"South (E2, adoption 2) and East (E3, adoption 3).\n\nnotes of E2"},
		},
		{
			name: "a vendor's unverified claim decides nothing beside use that counts",
			srcs: []Adoption{
				claim(6, "E1", "live", refOf("2018-01-01"), refOf("2035-01-01")),
				src(7, "E2", "piloting", refOf("2022-01-01"), refOf("2027-01-01"), true),
			},
			best: 1,
			want: Adoption{Component: "drupal", Capability: "cap-E2", Status: "piloting", StartedOn: refOf("2022-01-01"),
				ContractEndOn: refOf("2027-01-01"), EvidenceURL: refOf("https://E2"), Source: "src-E2", Verified: true,
				Notes: "Carried over on 2023-04-01, when the reorganisation vested, from North (E1, adoption 6) " +
					"and South (E2, adoption 7).\n\nnotes of E2"},
		},
		{
			name: "claims alone carry as a claim",
			srcs: []Adoption{
				claim(8, "E1", "piloting", nil, refOf("2028-01-01")),
				claim(9, "E2", "live", refOf("2021-01-01"), nil),
			},
			best: 1,
			want: Adoption{Component: "drupal", Capability: "cap-E2", Status: "live", StartedOn: refOf("2021-01-01"),
				ContractEndOn: refOf("2028-01-01"), EvidenceURL: refOf("https://E2"), Source: "vendor",
				Notes: "Carried over on 2023-04-01, when the reorganisation vested, from North (E1, adoption 8) " +
					"and South (E2, adoption 9).\n\nnotes of E2"},
		},
		{
			name: "a tie goes to the first",
			srcs: []Adoption{src(4, "E1", "live", nil, nil, false), src(5, "E2", "live", nil, nil, false)},
			want: Adoption{Component: "drupal", Capability: "cap-E1", Status: "live", EvidenceURL: refOf("https://E1"), Source: "src-E1",
				Notes: "Carried over on 2023-04-01, when the reorganisation vested, from North (E1, adoption 4) and South (E2, adoption 5).\n\nnotes of E1"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := BestAdoption(tc.srcs); got != tc.best {
				t.Errorf("BestAdoption = %d, want %d", got, tc.best)
			}
			if got := MergeAdoptions(tc.srcs, names, "2023-04-01"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("MergeAdoptions =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
	noNotes := Adoption{ID: 9, Council: "E1", Status: "live"}
	if got := MergeAdoptions([]Adoption{noNotes}, names, "2023-04-01").Notes; got != "Carried over on 2023-04-01, when the reorganisation vested, from North (E1, adoption 9)." {
		t.Errorf("notes without the best's own notes: %q", got)
	}
}

func TestMergeFrom(t *testing.T) {
	for _, tc := range []struct {
		name             string
		status           string
		contract         *string
		carried          []string // statuses carried in
		wantStatus       string
		wantContractFrom string
	}{
		{"piloting raised to live", "piloting", nil, []string{"live", "retiring"}, "live", "2031-01-01"},
		{"live stays live", "live", refOf("2028-01-01"), []string{"piloting"}, "live", "2028-01-01"},
		{"exploring raised to live", "exploring", nil, []string{"live"}, "live", "2031-01-01"},
		{"retiring cannot go back to live", "retiring", nil, []string{"live"}, "retiring", "2031-01-01"},
		{"exploring cannot move to retiring", "exploring", nil, []string{"retiring"}, "exploring", "2031-01-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var srcs []Adoption
			for i, st := range tc.carried {
				end := []string{"2031-01-01", "2029-01-01"}[i%2]
				srcs = append(srcs, Adoption{Status: st, ContractEndOn: &end})
			}
			got := Adoption{ID: 3, Status: tc.status, ContractEndOn: tc.contract, Notes: "kept"}.MergeFrom(srcs)
			if got.Status != tc.wantStatus || deref(got.ContractEndOn) != tc.wantContractFrom || got.Notes != "kept" || got.ID != 3 {
				t.Errorf("got %s, contract %s, notes %q; want %s, %s", got.Status, deref(got.ContractEndOn), got.Notes, tc.wantStatus, tc.wantContractFrom)
			}
		})
	}
	// A vendor's unverified claim moves no record that counts; among claims it does.
	claimed := []Adoption{{Status: "live", Source: "vendor", ContractEndOn: refOf("2031-01-01")}}
	for _, tc := range []struct {
		name, source, wantStatus string
		wantContract             *string
	}{
		{"the council's record", "council", "piloting", nil},
		{"a claim", "vendor", "live", refOf("2031-01-01")},
	} {
		got := Adoption{ID: 3, Status: "piloting", Source: tc.source}.MergeFrom(claimed)
		if got.Status != tc.wantStatus || deref(got.ContractEndOn) != deref(tc.wantContract) {
			t.Errorf("a claim carried into %s: %s, contract %q; want %s, %q", tc.name, got.Status, deref(got.ContractEndOn), tc.wantStatus, deref(tc.wantContract))
		}
	}
	if got := LatestContractEnd([]Adoption{{}, {}}); got != nil {
		t.Errorf("LatestContractEnd with none = %v, want nil", *got)
	}
}

func TestRetiredByVesting(t *testing.T) {
	for _, tc := range []struct {
		name    string
		started *string
		want    string
	}{
		{"ends the day before vesting", refOf("2010-01-01"), "2023-03-31"},
		{"no start", nil, "2023-03-31"},
		{"started on the last day", refOf("2023-03-31"), "2023-03-31"},
		{"started on or after vesting ends the day it started", refOf("2023-05-01"), "2023-05-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Adoption{ID: 1, Status: "live", StartedOn: tc.started}.RetiredByVesting("2023-04-01")
			if got.Status != "retired" || deref(got.EndedOn) != tc.want {
				t.Errorf("got %s ending %s, want retired ending %s", got.Status, deref(got.EndedOn), tc.want)
			}
		})
	}
}

func TestJoinAnd(t *testing.T) {
	for in, want := range map[string]string{"": "", "a": "a", "a|b": "a and b", "a|b|c": "a, b and c"} {
		var ss []string
		if in != "" {
			ss = strings.Split(in, "|")
		}
		if got := joinAnd(ss); got != want {
			t.Errorf("joinAnd(%q) = %q, want %q", ss, got, want)
		}
	}
}

func TestCurrentAdoption(t *testing.T) {
	type in struct {
		status   string
		rejected bool
	}
	tabletest.Check(t, "CurrentAdoption", func(c in) bool { return CurrentAdoption(c.status, c.rejected) }, map[in]bool{
		{"exploring", false}: true,
		{"piloting", false}:  true,
		{"live", false}:      true,
		{"retiring", false}:  true,
		{"retired", false}:   false,
		{"exploring", true}:  false,
		{"live", true}:       false,
		{"retiring", true}:   false,
		{"retired", true}:    false,
	})
}

func TestCanConfirm(t *testing.T) {
	for _, tc := range []struct {
		verification string
		code, msg    string
	}{
		{"pending", "", ""},
		{"verified", "", ""},
		{"rejected", ECONFLICT, "adoption 7 was rejected; record it again instead of confirming it"},
	} {
		t.Run(tc.verification, func(t *testing.T) {
			wantRuleErr(t, Adoption{ID: 7, Verification: tc.verification}.CanConfirm(), tc.code, tc.msg)
		})
	}
}

func TestRefiling(t *testing.T) {
	tabletest.Check(t, "RefilingChecked", RefilingChecked, map[string]bool{
		"vendor": true, "council": false, "admin": false, "evidence": false, "demo": false, "synthetic": false,
	})
	type stored struct {
		source            string
		rejected, cleared bool
	}
	tabletest.Check(t, "BarsRefiling", func(s stored) bool { return BarsRefiling(s.source, s.rejected, s.cleared) }, map[stored]bool{
		{"vendor", true, false}:   true,
		{"vendor", true, true}:    false,
		{"vendor", false, false}:  false,
		{"vendor", false, true}:   false,
		{"council", true, false}:  false,
		{"admin", true, false}:    false,
		{"evidence", true, false}: false,
	})
}

func TestCanClearRejection(t *testing.T) {
	for _, tc := range []struct {
		name              string
		rejected, cleared bool
		code, msg         string
	}{
		{"rejected", true, false, "", ""},
		{"already cleared", true, true, ECONFLICT, "adoption 7 has no rejection to clear"},
		{"never rejected", false, false, ECONFLICT, "adoption 7 has no rejection to clear"},
		{"cleared but not rejected", false, true, ECONFLICT, "adoption 7 has no rejection to clear"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRuleErr(t, CanClearRejection(7, tc.rejected, tc.cleared), tc.code, tc.msg)
		})
	}
}
