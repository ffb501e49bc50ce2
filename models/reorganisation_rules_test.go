package models

import (
	"reflect"
	"testing"
)

const unprocessablePlan = "the reorganisation names councils that do not exist or cannot take part"

func TestPlannedOnly(t *testing.T) {
	for _, tc := range []struct {
		status, action, msg string
	}{
		{"planned", "vested", ""},
		{"vested", "changed", "reorganisation 4 is vested; only a planned one can be changed"},
		{"withdrawn", "vested", "reorganisation 4 is withdrawn; only a planned one can be vested"},
		{"historic", "withdrawn", "reorganisation 4 is historic; only a planned one can be withdrawn"},
	} {
		t.Run(tc.status+"/"+tc.action, func(t *testing.T) {
			code := ""
			if tc.msg != "" {
				code = ECONFLICT
			}
			wantRuleErr(t, PlannedOnly(4, tc.status, tc.action), code, tc.msg)
		})
	}
}

func plan(code *string, preds ...string) Reorganisation {
	return Reorganisation{ID: 4, Status: "planned", Predecessors: preds, VestingDate: "2027-04-01",
		Successor: &ReorganisationSuccessor{Code: code, Name: "North Example Council"}}
}

func TestCheckSelfSuccession(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    Reorganisation
		bad  bool
	}{
		{"new code", plan(refOf("E06000099"), "E07000001", "E07000002"), false},
		{"no code yet", plan(nil, "E07000001"), false},
		{"an existing council taking over others", plan(refOf("E07000003"), "E07000001"), false},
		{"successor among its predecessors", plan(refOf("E07000002"), "E07000001", "E07000002"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.CheckSelfSuccession()
			if !tc.bad {
				wantRuleErr(t, err, "", "")
				return
			}
			wantRuleErr(t, err, EINVALID, invalidFields, "successor.code")
			if m := err.(*Error).Fields[0].Message; m != "E07000002 is also a predecessor; a council cannot succeed itself" {
				t.Errorf("message %q", m)
			}
		})
	}
}

func TestSamePlan(t *testing.T) {
	base := plan(refOf("E06000099"), "E07000001")
	for _, tc := range []struct {
		name   string
		change func(*Reorganisation)
		same   bool
	}{
		{"unchanged", func(*Reorganisation) {}, true},
		{"other predecessors (compared apart)", func(r *Reorganisation) { r.Predecessors = []string{"E07000009"} }, true},
		{"date", func(r *Reorganisation) { r.VestingDate = "2028-04-01" }, false},
		{"notes", func(r *Reorganisation) { r.Notes = "new" }, false},
		{"successor name", func(r *Reorganisation) { r.Successor.Name = "Other" }, false},
		{"successor type", func(r *Reorganisation) { r.Successor.Type = "unitary" }, false},
		{"successor code", func(r *Reorganisation) { r.Successor.Code = refOf("E06000098") }, false},
		{"successor code dropped", func(r *Reorganisation) { r.Successor.Code = nil }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := base
			s := *base.Successor
			next.Successor = &s
			tc.change(&next)
			if got := base.SamePlan(next); got != tc.same {
				t.Errorf("SamePlan = %v, want %v", got, tc.same)
			}
		})
	}
}

func TestCheckPlanCouncils(t *testing.T) {
	current := func(code, name string) Council {
		return Council{Code: code, Name: name, Status: "current", TypeName: "Unitary authority"}
	}
	former := Council{Code: "E07000002", Name: "Gone", Status: "former"}
	for _, tc := range []struct {
		name      string
		r         Reorganisation
		found     map[string]Council
		successor *Council
		fields    map[string]string // field → message
	}{
		{"current predecessors, new successor", plan(refOf("E06000099"), "E07000001"),
			map[string]Council{"E07000001": current("E07000001", "One")}, nil, nil},
		{"existing current successor", plan(refOf("E06000001"), "E07000001"),
			map[string]Council{"E07000001": current("E07000001", "One")}, refOf(current("E06000001", "Big")), nil},
		{"unknown predecessor", plan(nil, "E07000009"), map[string]Council{}, nil,
			map[string]string{"predecessors": `no council has the code "E07000009"`}},
		{"former predecessor", plan(nil, "E07000002"), map[string]Council{"E07000002": former}, nil,
			map[string]string{"predecessors": "E07000002 (Gone) is a former council; only current councils can be reorganised"}},
		{"former successor", plan(refOf("E07000002"), "E07000001"),
			map[string]Council{"E07000001": current("E07000001", "One")}, &former,
			map[string]string{"successor.code": "E07000002 (Gone) is a former council; name a current council or a new code"}},
		{"type for an existing successor", func() Reorganisation {
			r := plan(refOf("E06000001"), "E07000001")
			r.Successor.Type = "unitary"
			return r
		}(), map[string]Council{"E07000001": current("E07000001", "One")}, refOf(current("E06000001", "Big")),
			map[string]string{"successor.type": "is only for a new council; E06000001 (Big) already exists as a Unitary authority"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.CheckPlanCouncils(tc.found, tc.successor)
			if tc.fields == nil {
				wantRuleErr(t, err, "", "")
				return
			}
			wantRuleErr(t, err, EUNPROCESSABLE, unprocessablePlan)
			got := map[string]string{}
			for _, f := range err.(*Error).Fields {
				got[f.Field] = f.Message
			}
			if !reflect.DeepEqual(got, tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
		})
	}
}

func TestCheckVest(t *testing.T) {
	cur := []Council{{Code: "E07000001", Status: "current"}, {Code: "E07000002", Status: "current"}}
	gone := []Council{{Code: "E07000001", Status: "current"}, {Code: "E07000002", Status: "former"}}
	for _, tc := range []struct {
		name  string
		r     Reorganisation
		preds []Council
		today string
		msg   string
	}{
		{"on the vesting date", plan(refOf("E06000099")), cur, "2027-04-01", ""},
		{"after it", plan(refOf("E06000099")), cur, "2027-09-01", ""},
		{"before it", plan(refOf("E06000099")), cur, "2027-03-31",
			"reorganisation 4 vests on 2027-04-01; it cannot vest before then (today is 2027-03-31)"},
		{"before it and no code: the date first", plan(nil), gone, "2027-03-31",
			"reorganisation 4 vests on 2027-04-01; it cannot vest before then (today is 2027-03-31)"},
		{"no successor code", plan(nil), cur, "2027-04-01",
			"reorganisation 4 has no successor code yet; set successor.code before vesting"},
		{"no successor at all", Reorganisation{ID: 4, VestingDate: "2027-04-01"}, cur, "2027-04-01",
			"reorganisation 4 has no successor code yet; set successor.code before vesting"},
		{"a predecessor is former", plan(refOf("E06000099")), gone, "2027-04-01",
			"predecessor E07000002 is no longer a current council; change the predecessors or withdraw reorganisation 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := ""
			if tc.msg != "" {
				code = ECONFLICT
			}
			wantRuleErr(t, tc.r.CheckVest(tc.preds, tc.today), code, tc.msg)
		})
	}
	r := plan(refOf("E06000001"))
	wantRuleErr(t, r.CheckSuccessor(Council{Code: "E06000001", Status: "current"}), "", "")
	wantRuleErr(t, r.CheckSuccessor(Council{Code: "E06000001", Status: "former"}), ECONFLICT,
		"successor E06000001 is a former council; change successor.code or withdraw reorganisation 4")
}

func TestNewSuccessorCouncil(t *testing.T) {
	district := func(code, region string, county, ca *string) Council {
		return Council{Code: code, Type: "non-metropolitan-district", Region: region, Nation: "England",
			County: county, CombinedAuthority: ca, Status: "current"}
	}
	start := "2027-04-01"
	for _, tc := range []struct {
		name  string
		typ   string // the admin's
		preds []Council
		want  Council
	}{
		{"districts merged: their type, region, county and combined authority",
			"", []Council{district("E07000001", "East", refOf("E10000001"), refOf("E47000001")), district("E07000002", "East", refOf("E10000001"), refOf("E47000001"))},
			Council{Type: "non-metropolitan-district", TypeName: "Non-metropolitan district", Region: "East", Nation: "England",
				LowerOrUnitary: true, DeliversServices: true, County: refOf("E10000001"), CombinedAuthority: refOf("E47000001")}},
		{"the admin's type wins; a county is kept only for a district",
			"unitary", []Council{district("E07000001", "East", refOf("E10000001"), nil), district("E07000002", "East", refOf("E10000001"), nil)},
			Council{Type: "unitary", TypeName: "Unitary authority", Region: "East", Nation: "England", LowerOrUnitary: true, DeliversServices: true}},
		{"mixed types and regions: unitary, region falls back to the nation",
			"", []Council{district("E07000001", "East", nil, refOf("E47000001")), {Code: "E10000001", Type: "county", Region: "West", Nation: "England", Status: "current"}},
			Council{Type: "unitary", TypeName: "Unitary authority", Region: "England", Nation: "England", LowerOrUnitary: true, DeliversServices: true}},
		{"a county: delivers services, not lower tier",
			"county", []Council{district("E07000001", "East", nil, nil)},
			Council{Type: "county", TypeName: "County council", Region: "East", Nation: "England", DeliversServices: true}},
		{"a combined authority: neither",
			"combined-authority", []Council{district("E07000001", "East", nil, nil)},
			Council{Type: "combined-authority", TypeName: "Combined authority", Region: "East", Nation: "England"}},
		{"no predecessors known",
			"", nil,
			Council{Type: "unitary", TypeName: "Unitary authority", LowerOrUnitary: true, DeliversServices: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := plan(refOf("E06000099"))
			r.Successor.Type = tc.typ
			want := tc.want
			want.Code, want.AuthorityCode, want.Name, want.ShortName = "E06000099", "E06000099", "North Example Council", "North Example Council"
			want.Status, want.StartDate = "current", &start
			if got := NewSuccessorCouncil(r, tc.preds); !reflect.DeepEqual(got, want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestSucceededBy(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Council
		want Council
	}{
		{"current becomes former", Council{Code: "A", Status: "current"},
			Council{Code: "A", Status: "former", EndDate: refOf("2027-03-31"), Successors: []string{"S"}}},
		{"successor already listed", Council{Code: "A", Status: "current", Successors: []string{"S"}},
			Council{Code: "A", Status: "former", EndDate: refOf("2027-03-31"), Successors: []string{"S"}}},
		{"another successor kept", Council{Code: "A", Status: "current", Successors: []string{"R"}},
			Council{Code: "A", Status: "former", EndDate: refOf("2027-03-31"), Successors: []string{"R", "S"}}},
		{"former left alone", Council{Code: "A", Status: "former", EndDate: refOf("2000-01-01")},
			Council{Code: "A", Status: "former", EndDate: refOf("2000-01-01")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := append([]string(nil), tc.c.Successors...)
			if got := tc.c.SucceededBy("S", "2027-04-01"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if !reflect.DeepEqual(before, append([]string(nil), tc.c.Successors...)) {
				t.Errorf("the register's own list changed: %v", tc.c.Successors)
			}
		})
	}
}

func TestHistoricGroups(t *testing.T) {
	c := func(code string, start, end *string, succs ...string) Council {
		return Council{Code: code, StartDate: start, EndDate: end, Successors: succs}
	}
	councils := []Council{
		// Cumbria and two districts into two unitaries on one date: one group with two successors.
		c("CUMBRIA", nil, refOf("2023-03-31"), "CUMBERLAND", "WESTMORLAND"),
		c("ALLERDALE", nil, refOf("2023-03-31"), "CUMBERLAND"),
		c("EDEN", nil, refOf("2023-03-31"), "WESTMORLAND"),
		c("CUMBERLAND", refOf("2023-04-01"), nil),
		c("WESTMORLAND", refOf("2023-04-01"), nil),
		// A merger the same day, unconnected: a group of its own.
		c("CRAVEN", nil, refOf("2023-03-31"), "NYORKS"),
		c("NYORKS", refOf("2023-04-01"), nil),
		// No successor start date: the day after the predecessor's end.
		c("OLD", nil, refOf("2009-03-31"), "NEWX"),
		// The successor's start date is the better witness than an end date on vesting day.
		c("LATE", nil, refOf("2019-04-01"), "DORSET"),
		c("DORSET", refOf("2019-04-01"), nil),
		// No successor, or no date at all: no reorganisation.
		c("NI-DISTRICT", nil, refOf("2015-03-31")),
		c("UNDATED", nil, nil, "NOWHERE"),
	}
	want := []HistoricGroup{
		{Vesting: "2009-04-01", Preds: []string{"OLD"}, Succs: []string{"NEWX"}, Edges: map[string][]string{"OLD": {"NEWX"}}},
		{Vesting: "2019-04-01", Preds: []string{"LATE"}, Succs: []string{"DORSET"}, Edges: map[string][]string{"LATE": {"DORSET"}}},
		{Vesting: "2023-04-01", Preds: []string{"ALLERDALE", "CUMBRIA", "EDEN"}, Succs: []string{"CUMBERLAND", "WESTMORLAND"},
			Edges: map[string][]string{"CUMBRIA": {"CUMBERLAND", "WESTMORLAND"}, "ALLERDALE": {"CUMBERLAND"}, "EDEN": {"WESTMORLAND"}}},
		{Vesting: "2023-04-01", Preds: []string{"CRAVEN"}, Succs: []string{"NYORKS"}, Edges: map[string][]string{"CRAVEN": {"NYORKS"}}},
	}
	got := HistoricGroups(councils)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
	if k := got[2].Key(); k != "historic:2023-04-01:CUMBERLAND,WESTMORLAND" {
		t.Errorf("Key = %q", k)
	}
	if HistoricGroups(nil) != nil {
		t.Error("no councils should make no groups")
	}

	vested := []Reorganisation{{Predecessors: []string{"CRAVEN"}, VestingDate: "2023-04-01"}, {Predecessors: []string{"OLD"}, VestingDate: "2010-04-01"}}
	kept := WithoutPlanned(got, vested)
	if len(kept) != 3 || kept[2].Key() != "historic:2023-04-01:CUMBERLAND,WESTMORLAND" || kept[0].Key() != "historic:2009-04-01:NEWX" {
		t.Errorf("WithoutPlanned kept %+v; want all but Craven's (OLD's plan vested on another date)", kept)
	}
}

func TestMergingSuccessor(t *testing.T) {
	code := "E06000099"
	for _, tc := range []struct {
		name      string
		status    string
		successor *ReorganisationSuccessor
		want      string
		ok        bool
	}{
		{"planned, successor by code", "planned", &ReorganisationSuccessor{Code: &code}, code, true},
		{"withdrawn, successor by code", "withdrawn", &ReorganisationSuccessor{Code: &code}, code, true},
		{"vested", "vested", &ReorganisationSuccessor{Code: &code}, "", false},
		{"historic", "historic", &ReorganisationSuccessor{Code: &code}, "", false},
		{"planned, code not yet known", "planned", &ReorganisationSuccessor{Name: "North Example Council"}, "", false},
		{"planned, no successor", "planned", nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Reorganisation{Status: tc.status, Successor: tc.successor}.MergingSuccessor()
			if got != tc.want || ok != tc.ok {
				t.Errorf("MergingSuccessor() = %q, %t; want %q, %t", got, ok, tc.want, tc.ok)
			}
		})
	}
}
