package harvest_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/council-components/registry/harvest"
)

const (
	projectFile = "digital-land-project-organisation-2026-08-21.csv"
	orgFile     = "digital-land-local-authority-2025-02-20.csv"
)

func TestDigitalLandShippedFiles(t *testing.T) {
	d, err := harvest.ParseDigitalLand(open(t, projectFile), open(t, orgFile), projectFile, orgFile)
	if err != nil {
		t.Fatal(err)
	}
	// Counted independently: 436 rows, of which 154 local-land-charges and 243
	// open-digital-planning (39 local-plans-rollout are not read); 380 organisations.
	if len(d.Rows) != 397 || len(d.Organisations) != 380 {
		t.Fatalf("read %d rows and %d organisations", len(d.Rows), len(d.Organisations))
	}
	h, err := d.Observations(councils, harvest.Source{})
	if err != nil {
		t.Fatal(err)
	}
	if h.ObservedOn != "2026-08-21" || h.Source != "digital-land-project-organisation" {
		t.Errorf("harvest of %s from %s", h.Source, h.ObservedOn)
	}
	// 274 local authorities; 20 companies and 6 national park authorities are not councils.
	if len(h.Matched) != 274 || len(h.Skipped) != 26 || len(h.Unmatched) != 0 {
		t.Errorf("%d matched, %d skipped, %d unmatched; want 274, 26, 0: %v", len(h.Matched), len(h.Skipped), len(h.Unmatched), h.Unmatched)
	}
	got := map[string][]string{}
	for _, o := range h.Observations {
		k := o.Component + " " + o.Kind + " " + o.Status
		got[k] = append(got[k], o.Council)
		if o.Evidence.Source != "digital-land-project-organisation" || o.Evidence.URL != harvest.DigitalLandURL ||
			o.Evidence.ObservedOn != "2026-08-21" || !strings.HasPrefix(o.Evidence.Quote, "planning.data.gov.uk lists "+o.Name) {
			t.Errorf("observation %+v", o)
		}
	}
	// adoption_evidence.csv matched these files by hand (match=dl-code+gss): the same councils, statuses.
	want := map[string][]string{}
	for _, r := range evidenceRows(t, "5e802e8eb6f80a76dbcf085b26c74f1fe7b33599/specification/project-organisation.csv") {
		kind := "adoption"
		if r["component"] == "open-digital-planning" {
			kind = "membership"
		}
		k := r["component"] + " " + kind + " " + r["status"]
		want[k] = append(want[k], r["gss_code"])
	}
	for k := range want {
		slices.Sort(got[k])
		slices.Sort(want[k])
	}
	if len(got) != 3 || !slices.Equal(got["open-digital-planning membership piloting"], want["open-digital-planning membership piloting"]) ||
		!slices.Equal(got["hmlr-local-land-charges adoption live"], want["hmlr-local-land-charges adoption live"]) ||
		!slices.Equal(got["hmlr-local-land-charges adoption piloting"], []string{"E07000209"}) ||
		len(want["open-digital-planning membership piloting"]) != 217 || len(want["hmlr-local-land-charges adoption live"]) != 153 {
		t.Errorf("observations by kind differ from adoption_evidence.csv: got %d kinds", len(got))
		for k := range want {
			t.Logf("%s: got %d, want %d", k, len(got[k]), len(want[k]))
		}
	}
	quotes := map[string]string{
		"E07000209 hmlr-local-land-charges": "planning.data.gov.uk lists Guildford Borough Council's local land charges register as due to move to HM Land Registry on 17 Sep 2026",
		"E06000004 hmlr-local-land-charges": "planning.data.gov.uk lists Stockton-on-Tees Borough Council's local land charges register as moved to HM Land Registry on 7 Apr 2021",
		"E06000002 open-digital-planning":   "planning.data.gov.uk lists Middlesbrough Borough Council as a member of Open Digital Planning (cohort dpif-round-4.2 from 12 Jan 2026)",
		// Wycombe, a former council, in an ended cohort.
		"E07000007 open-digital-planning": "planning.data.gov.uk lists Wycombe District Council as a member of Open Digital Planning (cohort RIPA-Alpha from 31 Oct 2019 to 31 Mar 2020)",
		"E47000001 open-digital-planning": "planning.data.gov.uk lists Greater Manchester Combined Authority as a member of Open Digital Planning (cohort strategic-project from 20 Jan 2025)",
		// The GLA: its statistical-geography is London's region code, its reference mySociety's code.
		"E61000001 open-digital-planning": "planning.data.gov.uk lists Greater London Authority as a member of Open Digital Planning (cohort BOPS-Discovery from 1 Dec 2018)",
	}
	for _, o := range h.Observations {
		k := o.Council + " " + o.Component
		if want, ok := quotes[k]; ok {
			if o.Evidence.Quote != want {
				t.Errorf("%s quote %q, want %q", k, o.Evidence.Quote, want)
			}
			delete(quotes, k)
		}
	}
	for k := range quotes {
		t.Errorf("no observation %s", k)
	}
}

const handOrgs = `organisation,name,statistical-geography,reference,start-date,end-date
local-authority:RCC,Redcar and Cleveland Borough Council,E06000003,RCC,,
local-authority:CON,Cornwall Council,E06000052,CON,,
local-authority:XYZ,Cheshire East Council,,XYZ,,
local-authority:BAD,Mixed Up Council,E06000052,RCC,,
local-authority:OLD,Somerset County Council,,,,2023-03-31
`

func TestDigitalLandHandMadeFiles(t *testing.T) {
	const projects = `project,organisation,cohort,start-date,end-date,notes
localgov-drupal,local-authority:RCC,LGD-Contributor,,,
local-land-charges,local-authority:CON,,2019-07-01,2025-01-01,
open-digital-planning,local-authority:CON,dpif-round-3,2025-03-18,,
open-digital-planning,local-authority:CON,dpif-round-2,2024-01-10,,
open-digital-planning,local-authority:XYZ,dpif-round-2,2024-01-10,,
open-digital-planning,local-authority:BAD,dpif-round-2,2024-01-10,,
open-digital-planning,local-authority:OLD,RIPA-Alpha,2019-10-31,2020-03-31,
open-digital-planning,local-authority:NOPE,dpif-round-2,2024-01-10,,
open-digital-planning,national-park-authority:Q72617988,dpif-round-2,2024-01-10,,
local-plans-rollout,local-authority:CON,,2024-01-01,,
`
	d, err := harvest.ParseDigitalLand(strings.NewReader(projects), strings.NewReader(handOrgs), "po.csv", "orgs.csv")
	if err != nil {
		t.Fatal(err)
	}
	h, err := d.Observations(councils, harvest.Source{ObservedOn: "2026-06-01", URL: "https://example.org/po.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range h.Observations {
		got = append(got, strings.Join([]string{o.Council, o.Component, o.Kind, o.Status, o.Evidence.Quote}, " | "))
	}
	want := []string{
		"E06000003 | localgov-drupal | adoption | piloting | planning.data.gov.uk lists Redcar and Cleveland Borough Council on LocalGov Drupal's council list (cohort LGD-Contributor)",
		// The land charges row ended before the harvest: no longer evidence.
		"E06000052 | open-digital-planning | membership | piloting | planning.data.gov.uk lists Cornwall Council as a member of Open Digital Planning (cohort dpif-round-2 from 10 Jan 2024, the first of 2)",
		"E06000049 | open-digital-planning | membership | piloting | planning.data.gov.uk lists Cheshire East Council as a member of Open Digital Planning (cohort dpif-round-2 from 10 Jan 2024)", // by name
		"E10000027 | open-digital-planning | membership | piloting | planning.data.gov.uk lists Somerset County Council as a member of Open Digital Planning (cohort RIPA-Alpha from 31 Oct 2019 to 31 Mar 2020)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("observations:\n got %q\nwant %q", got, want)
	}
	wantUnmatched := []harvest.Unplaced{
		{Name: "local-authority:BAD", Outcome: "unmatched", Reason: "its GSS code and its reference name different councils", Candidates: []string{"E06000052", "E06000003"}},
		{Name: "local-authority:NOPE", Outcome: "unmatched", Reason: "not in the organisation list orgs.csv"},
	}
	if !slices.EqualFunc(h.Unmatched, wantUnmatched, func(a, b harvest.Unplaced) bool {
		return a.Name == b.Name && a.Outcome == b.Outcome && a.Reason == b.Reason && slices.Equal(a.Candidates, b.Candidates)
	}) {
		t.Errorf("unmatched %+v", h.Unmatched)
	}
	if len(h.Skipped) != 1 || h.Skipped[0].Name != "national-park-authority:Q72617988" || len(h.Matched) != 4 {
		t.Errorf("skipped %+v, matched %v", h.Skipped, h.Matched)
	}
	if o := h.Observations[0]; o.Evidence.URL != "https://example.org/po.csv" || o.Evidence.ObservedOn != "2026-06-01" {
		t.Errorf("evidence %+v", o.Evidence)
	}
}

func TestDigitalLandBadInput(t *testing.T) {
	const good = "project,organisation,cohort,start-date,end-date,notes\nlocal-land-charges,local-authority:CON,,2019-07-01,,\n"
	for _, tc := range []struct {
		name, projects, orgs string
		want                 string // a regexp the error must match
	}{
		{"no organisation column", "project,org,cohort,start-date,end-date,notes\n", handOrgs,
			`^harvest po\.csv line 1 "organisation": the header has no such column$`},
		{"no end-date column", "project,organisation,cohort,start-date\n", handOrgs,
			`^harvest po\.csv line 1 "end-date": the header has no such column$`},
		{"no GSS column", good, "organisation,name,reference,start-date,end-date\n",
			`^harvest orgs\.csv line 1 "statistical-geography": the header has no such column$`},
		{"empty file", "", handOrgs, `^harvest po\.csv line 1: cannot read the header: EOF$`},
		{"bad date", good + "local-land-charges,local-authority:RCC,,21/08/2026,,\n", handOrgs,
			`^harvest po\.csv line 3 "start-date": "21/08/2026" is not a valid value$`},
		{"blank organisation", good + "\nopen-digital-planning,,dpif-round-2,2024-01-10,,\n", handOrgs,
			`^harvest po\.csv line 4 "organisation": "" is not a valid value$`},
		{"bad quoting", good + "open-digital-planning,\"local-authority:CON,dpif,,,\n", handOrgs,
			`^harvest po\.csv line 3: extraneous or missing " in quoted-field$`},
		{"short row", good + "open-digital-planning\n", handOrgs, `^harvest po\.csv line 3: wrong number of fields$`},
		{"organisation twice", good, handOrgs + "local-authority:CON,Cornwall Council,E06000052,CON,,\n",
			`^harvest orgs\.csv line 7 "organisation": local-authority:CON is listed twice$`},
	} {
		_, err := harvest.ParseDigitalLand(strings.NewReader(tc.projects), strings.NewReader(tc.orgs), "po.csv", "orgs.csv")
		var fe *harvest.FileError
		if !errors.As(err, &fe) || !regexp.MustCompile(tc.want).MatchString(err.Error()) {
			t.Errorf("%s: error %v, want %s", tc.name, err, tc.want)
		}
	}
}

// Without a date in the file name or from the caller, a harvest cannot say when it saw anything.
func TestDigitalLandNeedsADate(t *testing.T) {
	d, err := harvest.ParseDigitalLand(strings.NewReader("project,organisation,cohort,start-date,end-date\n"),
		strings.NewReader(handOrgs), "project-organisation.csv", "orgs.csv")
	if err != nil {
		t.Fatal(err)
	}
	m := councils
	if _, err := d.Observations(m, harvest.Source{}); err == nil || !strings.Contains(err.Error(), "project-organisation.csv: no date") {
		t.Errorf("no date: %v", err)
	}
	if h, err := d.Observations(m, harvest.Source{ObservedOn: "2026-08-21"}); err != nil || len(h.Observations) != 0 {
		t.Errorf("an empty file: %+v, %v", h, err)
	}
	if got := harvest.DateInName("upstream/digital-land-project-organisation-2026-08-21.csv"); got != "2026-08-21" {
		t.Errorf("DateInName = %q", got)
	}
}
