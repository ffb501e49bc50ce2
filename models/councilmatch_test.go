package models_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/seed"
)

var evidenceDir = filepath.Join("..", "seed", "data", "evidence")

var matcher = sync.OnceValues(seed.CouncilMatcher)

func newMatcher(t *testing.T) *models.CouncilMatcher {
	t.Helper()
	m, err := matcher()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// csvRows reads a CSV file with a header into one map per row.
func csvRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]map[string]string, 0, len(recs))
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

const payDate = "2026-08-03" // dateUpdated of the shipped GOV.UK Pay file

// payOracle reads the codes adoption_evidence.csv matched by hand to each name in the
// shipped GOV.UK Pay file: "" for a name it left unmatched.
func payOracle(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, r := range csvRows(t, filepath.Join(evidenceDir, "adoption_evidence.csv")) {
		if strings.Contains(r["evidence_url"], "pay-product-page/blob/a9c97e9e6124088d7918bbd09ed3ce920a66486c") {
			out[r["council_name_as_in_source"]] = append(out[r["council_name_as_in_source"]], r["gss_code"])
		}
	}
	for _, codes := range out {
		sort.Strings(codes)
	}
	return out
}

func payNames(t *testing.T) map[string]int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(evidenceDir, "upstream", "govuk-pay-performance-2026-08-03.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ServiceCountByOrganisation map[string]int `json:"serviceCountByOrganisation"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.ServiceCountByOrganisation
}

func TestCouncilMatchHardCases(t *testing.T) {
	m := newMatcher(t)
	for _, tc := range []struct {
		name, on string
		outcome  string
		codes    []string // matched codes, or every candidate when ambiguous
	}{
		// Ambiguous, never guessed.
		{"Kingston Council", payDate, models.MatchAmbiguous, []string{"E06000010", "E09000021"}},
		{"Newcastle Council", payDate, models.MatchAmbiguous, []string{"E07000195", "E08000021"}},
		// A town council is not its unitary, however its name is written.
		{"Penzance Council", payDate, models.MatchUnmatched, nil},
		{"Penzance Town Council", payDate, models.MatchSkipped, nil},
		{"Cornwall Council", payDate, models.MatchMatched, []string{"E06000052"}},
		// "X Council", "X Borough/District/County/City Council".
		{"Blackpool Council", payDate, models.MatchMatched, []string{"E06000009"}},
		{"Uttlesford Council", payDate, models.MatchMatched, []string{"E07000077"}},
		{"Bracknell Forest Borough Council", payDate, models.MatchMatched, []string{"E06000036"}},
		{"Croydon Borough Council", payDate, models.MatchMatched, []string{"E09000008"}},
		{"Uttlesford District Council", payDate, models.MatchMatched, []string{"E07000077"}},
		{"Surrey Council", payDate, models.MatchMatched, []string{"E10000030"}},
		{"Durham County Council", payDate, models.MatchMatched, []string{"E06000047"}},
		{"Milton Keynes City Council", payDate, models.MatchMatched, []string{"E06000042"}},
		{"Hull Council", payDate, models.MatchMatched, []string{"E06000010"}},
		{"Stockport MBC", payDate, models.MatchMatched, []string{"E08000007"}},
		// "City of X", "London Borough of X", "Royal Borough of X".
		{"City of Bradford", payDate, models.MatchMatched, []string{"E08000032"}},
		{"City of Westminster", payDate, models.MatchMatched, []string{"E09000033"}},
		{"London Borough of Croydon", payDate, models.MatchMatched, []string{"E09000008"}},
		{"London Borough of Barking and Dagenham Council", payDate, models.MatchMatched, []string{"E09000002"}},
		{"Royal Borough of Greenwich", payDate, models.MatchMatched, []string{"E09000011"}},
		{"Royal Borough of Windsor & Maidenhead", payDate, models.MatchMatched, []string{"E06000040"}},
		// "&", punctuation and case.
		{"Bath & North East Somerset Council", payDate, models.MatchMatched, []string{"E06000022"}},
		{"KING'S LYNN & WEST NORFOLK BOROUGH COUNCIL", payDate, models.MatchMatched, []string{"E07000146"}},
		{"St. Helens Council", payDate, models.MatchMatched, []string{"E08000013"}},
		{"stockton on tees borough council", payDate, models.MatchMatched, []string{"E06000004"}},
		{"  The  North Yorkshire Council ", payDate, models.MatchMatched, []string{"E06000065"}},
		// Welsh and Gaelic names.
		{"Cyngor Sir Ceredigion", payDate, models.MatchMatched, []string{"W06000008"}},
		{"Cyngor Caerdydd", payDate, models.MatchMatched, []string{"W06000015"}},
		{"Cyngor Bwrdeistref Sirol Caerffili", payDate, models.MatchMatched, []string{"W06000018"}},
		{"Cyngor Dinas Casnewydd", payDate, models.MatchMatched, []string{"W06000022"}},
		{"Cyngor Sir Benfro", payDate, models.MatchMatched, []string{"W06000009"}},
		{"Cyngor Gwynedd", payDate, models.MatchMatched, []string{"W06000002"}},
		{"Cyngor Bro Morgannwg", payDate, models.MatchMatched, []string{"W06000014"}},
		{"Cyngor Rhondda Cynon Taf", payDate, models.MatchMatched, []string{"W06000016"}},
		{"Comhairle nan Eilean Siar", payDate, models.MatchMatched, []string{"S12000013"}},
		{"Na h-Eileanan Siar", payDate, models.MatchMatched, []string{"S12000013"}},
		{"Western Isles Council", payDate, models.MatchMatched, []string{"S12000013"}},
		// Former councils by date.
		{"Somerset", "2022-06-01", models.MatchMatched, []string{"E10000027"}},
		{"Somerset", "2024-01-01", models.MatchMatched, []string{"E06000066"}},
		{"North Yorkshire", "2020-01-01", models.MatchMatched, []string{"E10000023"}},
		{"North Yorkshire", "2023-04-01", models.MatchMatched, []string{"E06000065"}},
		{"Dorset", "2018-01-01", models.MatchMatched, []string{"E10000009"}},
		{"Dorset", "2024-01-01", models.MatchMatched, []string{"E06000059"}},
		{"Buckinghamshire", "2019-05-01", models.MatchMatched, []string{"E10000002"}},
		{"Buckinghamshire", "2021-05-01", models.MatchMatched, []string{"E06000060"}},
		{"Somerset County Council", payDate, models.MatchMatched, []string{"E10000027"}}, // GOV.UK Pay keeps old accounts
		{"Allerdale Borough Council", "2022-01-01", models.MatchMatched, []string{"E07000026"}},
		// Joint accounts and departments.
		{"Adur & Worthing Councils", payDate, models.MatchMatched, []string{"E07000223", "E07000229"}},
		{"London Councils", payDate, models.MatchUnmatched, nil},
		{"York & North Yorkshire Combined Authority - Police", payDate, models.MatchMatched, []string{"E47000012"}},
		{"Firearms Licensing - West Yorkshire Police", payDate, models.MatchSkipped, nil},
		// Not principal councils.
		{"Beech Parish Council", payDate, models.MatchSkipped, nil},
		{"OSWESTRY TOWN COUNCIL", payDate, models.MatchSkipped, nil},
		{"Tarbolton Community Council", payDate, models.MatchSkipped, nil},
		{"Cheshire Police", payDate, models.MatchSkipped, nil},
		{"Police and Crime Commissioner for Gwent", payDate, models.MatchSkipped, nil},
		{"London Fire Brigade (LFB)", payDate, models.MatchSkipped, nil},
		{"NHS Devon ICB", payDate, models.MatchSkipped, nil},
		{"West Suffolk NHS", payDate, models.MatchSkipped, nil},
		{"1223 (Caerphilly) Squadron", payDate, models.MatchSkipped, nil},
		{"152 (City of Hull) Squadron RAFAC", payDate, models.MatchSkipped, nil},
		{"Army Cadets", payDate, models.MatchSkipped, nil},
		{"Bolton Sixth Form College", payDate, models.MatchSkipped, nil},
		{"St Paul's School for Girls CCF (RAF)", payDate, models.MatchSkipped, nil},
		{"Loch Lomond and The Trossachs National Park Authority", payDate, models.MatchSkipped, nil},
		{"Welsh Government", payDate, models.MatchSkipped, nil},
		// Unplaced names.
		{"County Hall", payDate, models.MatchUnmatched, nil},
		{"", payDate, models.MatchUnmatched, nil},
	} {
		got := m.Match(tc.name, tc.on)
		if got.Outcome != tc.outcome {
			t.Errorf("Match(%q, %s) = %+v, want %s", tc.name, tc.on, got, tc.outcome)
			continue
		}
		codes := got.Codes
		if got.Outcome == models.MatchAmbiguous {
			codes = got.Candidates
		}
		if !slices.Equal(codes, tc.codes) {
			t.Errorf("Match(%q, %s) codes = %v (%+v), want %v", tc.name, tc.on, codes, got, tc.codes)
		}
		if got.Outcome == models.MatchMatched && got.Code != got.Codes[0] {
			t.Errorf("Match(%q) Code %q is not Codes[0] %v", tc.name, got.Code, got.Codes)
		}
	}
}

// Unplaced names come with close candidates, and never with a wrong match.
func TestCouncilMatchCandidates(t *testing.T) {
	m := newMatcher(t)
	for name, want := range map[string]string{
		"Warwickshire Registration Service Notice Fees": "E10000031",
		"Fife Resource Solutions":                       "S12000047",
		"Cyngor Sir Ynys Môn":                           "W06000001", // mySociety's alt-name lost the ô
	} {
		got := m.Match(name, payDate)
		if got.Outcome != models.MatchUnmatched || !slices.Contains(got.Candidates, want) || len(got.Candidates) > 3 {
			t.Errorf("Match(%q) = %+v, want unmatched with candidate %s among at most 3", name, got, want)
		}
	}
}

// Real names from the upstream files, with the code adoption_evidence.csv gives each.
func TestCouncilMatchRealNames(t *testing.T) {
	m := newMatcher(t)
	oracle := payOracle(t)
	for _, tc := range []struct{ name, want string }{
		{"Middlesbrough Borough Council", "E06000002"},
		{"Redcar & Cleveland Borough Council", "E06000003"},
		{"City Of York Council", "E06000014"},
		{"Telford & Wrekin Council", "E06000020"},
		{"Luton Council", "E06000032"},
		{"Bracknell Forest Council", "E06000036"},
		{"Cumberland Council", "E06000063"},
		{"The North Yorkshire Council", "E06000065"},
		{"Allerdale Borough Council", "E07000026"},
		{"Stockport MBC", "E08000007"},
		{"Barnsley MBC", "E08000016"},
		{"Doncaster Council", "E08000017"},
		{"Bradford Council", "E08000032"},
		{"Gateshead Council", "E08000037"},
		{"Croydon Council", "E09000008"},
		{"Haringey Council", "E09000014"},
		{"Harrow Council", "E09000015"},
		{"Royal Borough of Kingston upon Thames", "E09000021"},
		{"Cumbria County Council", "E10000006"},
		{"Somerset County Council", "E10000027"},
		{"Armagh City, Banbridge & Craigavon Borough Council", "N09000002"},
		{"Lisburn & Castlereagh City Council", "N09000007"},
		{"The City of Edinburgh Council", "S12000036"},
		{"Neath Port Talbot Council", "W06000012"},
		{"Conwy County Borough Council", "W06000003"},
		{"Newcastle-under-Lyme Borough Council", "E07000195"},
		{"Wolverhampton City Council", "E08000031"},
		{"York & North Yorkshire Combined Authority - Police", "E47000012"},
	} {
		if codes := oracle[tc.name]; !slices.Equal(codes, []string{tc.want}) {
			t.Errorf("adoption_evidence.csv gives %q %v, the table says %s", tc.name, codes, tc.want)
		}
		if got := m.Match(tc.name, payDate); got.Outcome != models.MatchMatched || got.Code != tc.want {
			t.Errorf("Match(%q) = %+v, want %s", tc.name, got, tc.want)
		}
	}
	// planning.data.gov.uk's names (its organisation list), checked against its own GSS codes.
	for _, tc := range []struct{ name, on, want string }{
		{"Adur District Council", "2025-02-20", "E07000223"},
		{"Bournemouth, Christchurch and Poole Council", "2025-02-20", "E06000058"},
		{"Westmorland and Furness Council", "2025-02-20", "E06000064"},
		{"Wycombe District Council", "2019-10-31", "E07000007"},
	} {
		if got := m.Match(tc.name, tc.on); got.Outcome != models.MatchMatched || got.Code != tc.want {
			t.Errorf("Match(%q) = %+v, want %s", tc.name, got, tc.want)
		}
	}
}

// Every name in the shipped GOV.UK Pay file gets the code adoption_evidence.csv gives it;
// names the file left out or unmatched are never matched.
func TestCouncilMatchAgreesWithEvidenceFile(t *testing.T) {
	m := newMatcher(t)
	oracle := payOracle(t)
	names := payNames(t)
	if len(names) != 623 {
		t.Fatalf("the GOV.UK Pay file lists %d organisations, want 623", len(names))
	}
	covered, matched := 0, 0
	for name := range names {
		got := m.Match(name, payDate)
		want, listed := oracle[name]
		if listed {
			covered++
		}
		if got.Outcome == models.MatchMatched {
			matched++
		}
		switch {
		case listed && want[0] == "":
			if got.Outcome == models.MatchMatched {
				t.Errorf("%q: matched %v; the evidence file leaves it unmatched", name, got.Codes)
			}
		case listed:
			if codes := slices.Sorted(slices.Values(got.Codes)); !slices.Equal(codes, want) {
				t.Errorf("%q: %+v; the evidence file says %v", name, got, want)
			}
		case got.Outcome == models.MatchMatched:
			t.Errorf("%q: matched %v; the evidence file has no row for it", name, got.Codes)
		}
	}
	if covered != 129 || matched != 128 {
		t.Errorf("%d names covered by the evidence file, %d matched; want 129 and 128", covered, matched)
	}
}

// Every local authority in planning.data.gov.uk's organisation list matches, by name
// alone, the council its GSS code names.
func TestCouncilMatchDigitalLandNames(t *testing.T) {
	m := newMatcher(t)
	rows := csvRows(t, filepath.Join(evidenceDir, "upstream", "digital-land-local-authority-2025-02-20.csv"))
	checked := 0
	for _, r := range rows {
		c, ok := m.Lookup(r["statistical-geography"])
		if !ok {
			if c, ok = m.Lookup(r["reference"]); !ok {
				continue
			}
		}
		on := "2025-02-20"
		if end := r["end-date"]; end != "" {
			on = end // the list's end-date is the council's last day
		}
		got := m.Match(r["name"], on)
		if got.Outcome != models.MatchMatched || got.Code != c.Code {
			t.Errorf("%s %q on %s: %+v, want %s", r["organisation"], r["name"], on, got, c.Code)
		}
		checked++
	}
	if checked < 370 {
		t.Errorf("only %d of %d organisations checked", checked, len(rows))
	}
}
