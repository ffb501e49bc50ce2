package harvest_test

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/council-components/registry/harvest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/seed"
)

var upstream = filepath.Join("..", "seed", "data", "evidence", "upstream")

// councils is the matcher every test uses, built once from the shipped names.
var councils *models.CouncilMatcher

func TestMain(m *testing.M) {
	var err error
	if councils, err = seed.CouncilMatcher(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(upstream, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// evidenceRows reads the adoption_evidence.csv rows whose evidence URL contains urlPart.
func evidenceRows(t *testing.T, urlPart string) []map[string]string {
	t.Helper()
	r := csv.NewReader(open(t, filepath.Join("..", "adoption_evidence.csv")))
	header, err := r.Read()
	var out []map[string]string
	for err == nil {
		var rec []string
		if rec, err = r.Read(); err == nil && strings.Contains(rec[slices.Index(header, "evidence_url")], urlPart) {
			out = append(out, map[string]string{})
			for i, h := range header {
				out[len(out)-1][h] = rec[i]
			}
		}
	}
	if !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return out
}

func TestGovUKPayShippedFile(t *testing.T) {
	const file = "govuk-pay-performance-2026-08-03.json"
	p, err := harvest.ParseGovUKPay(open(t, file), file)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range p.Services {
		total += n
	}
	// Counted independently: 623 organisations, 1,753 services (the file's own numberOfServices).
	if p.ObservedOn != "2026-08-03" || len(p.Services) != 623 || total != 1753 || p.Services["Dorset Council"] != 104 {
		t.Fatalf("read %s, %d organisations, %d services, Dorset %d", p.ObservedOn, len(p.Services), total, p.Services["Dorset Council"])
	}
	h, err := p.Observations(councils, harvest.Source{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var got []string
	for _, o := range h.Observations {
		seen[o.Council] = true
		got = append(got, o.Name+" → "+o.Council)
		if o.Component != "govuk-pay" || o.Kind != harvest.KindAdoption || o.Status != "live" ||
			o.Evidence.Source != "govuk-pay-performance" || o.Evidence.URL != harvest.GovUKPayURL ||
			o.Evidence.ObservedOn != "2026-08-03" || !strings.HasPrefix(o.Evidence.Quote, "GOV.UK Pay lists ") {
			t.Errorf("observation %+v", o)
		}
	}
	// adoption_evidence.csv matched this file by hand: the same names to the same councils.
	var want []string
	for _, r := range evidenceRows(t, "pay-product-page/blob/a9c97e9e6124088d7918bbd09ed3ce920a66486c") {
		if r["gss_code"] != "" {
			want = append(want, r["council_name_as_in_source"]+" → "+r["gss_code"])
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("observations differ from adoption_evidence.csv:\n got %v\nwant %v", got, want)
	}
	if len(h.Observations) != 129 || len(seen) != 127 || len(h.Matched) != 128 || len(h.Skipped) != 447 || len(h.Unmatched) != 48 {
		t.Errorf("%d observations of %d councils; %d matched, %d skipped, %d unmatched names; want 129, 127, 128, 447, 48",
			len(h.Observations), len(seen), len(h.Matched), len(h.Skipped), len(h.Unmatched))
	}
	for _, o := range h.Observations {
		if o.Council == "E06000052" && o.Evidence.Quote != "GOV.UK Pay lists 2 live services for Cornwall Council" {
			t.Errorf("Cornwall quote %q", o.Evidence.Quote)
		}
	}
	for _, u := range h.Unmatched {
		if u.Name == "Kingston Council" && (u.Outcome != models.MatchAmbiguous || !slices.Equal(u.Candidates, []string{"E06000010", "E09000021"})) {
			t.Errorf("Kingston Council: %+v", u)
		}
	}
}

func TestGovUKPayHandMadeFile(t *testing.T) {
	const doc = `{"dateUpdated": "10 August 2026", "serviceCountByOrganisation": {
		"Cornwall Council": 1, "Penzance Council": 1, "Kingston Council": 1, "Cheshire Police": 3,
		"Adur & Worthing Councils": 2, "Somerset County Council": 0}}`
	p, err := harvest.ParseGovUKPay(strings.NewReader(doc), "new.json")
	if err != nil {
		t.Fatal(err)
	}
	h, err := p.Observations(councils, harvest.Source{URL: "https://example.org/performance.json"})
	if err != nil {
		t.Fatal(err)
	}
	ev := func(quote string) harvest.Evidence {
		return harvest.Evidence{Source: "govuk-pay-performance", URL: "https://example.org/performance.json", Quote: quote, ObservedOn: "2026-08-10"}
	}
	adur := ev("GOV.UK Pay lists 2 live services for Adur & Worthing Councils")
	want := harvest.Harvest{Source: "govuk-pay-performance", File: "new.json", ObservedOn: "2026-08-10",
		Observations: []harvest.Observation{
			{Council: "E07000223", Component: "govuk-pay", Kind: "adoption", Status: "live", Name: "Adur & Worthing Councils", Evidence: adur},
			{Council: "E07000229", Component: "govuk-pay", Kind: "adoption", Status: "live", Name: "Adur & Worthing Councils", Evidence: adur},
			{Council: "E06000052", Component: "govuk-pay", Kind: "adoption", Status: "live", Name: "Cornwall Council",
				Evidence: ev("GOV.UK Pay lists 1 live service for Cornwall Council")},
		},
		Matched: map[string][]string{"Adur & Worthing Councils": {"E07000223", "E07000229"}, "Cornwall Council": {"E06000052"},
			"Somerset County Council": {"E10000027"}}, // matched, but no live service: no observation
		Skipped: []harvest.Unplaced{{Name: "Cheshire Police", Outcome: "skipped", Reason: "police"}},
		Unmatched: []harvest.Unplaced{
			{Name: "Kingston Council", Outcome: "ambiguous", Reason: "the name fits several councils", Candidates: []string{"E06000010", "E09000021"}},
			{Name: "Penzance Council", Outcome: "unmatched", Reason: "no council has this name"},
		},
	}
	if !sameHarvest(h, want) {
		t.Errorf("got  %+v\nwant %+v", h, want)
	}
}

// sameHarvest compares what a harvest reports, not its bookkeeping.
func sameHarvest(a, b harvest.Harvest) bool {
	return a.Source == b.Source && a.File == b.File && a.ObservedOn == b.ObservedOn &&
		reflect.DeepEqual(a.Observations, b.Observations) && reflect.DeepEqual(a.Matched, b.Matched) &&
		reflect.DeepEqual(a.Skipped, b.Skipped) && reflect.DeepEqual(a.Unmatched, b.Unmatched)
}

func TestGovUKPayBadInput(t *testing.T) {
	real, err := os.ReadFile(filepath.Join(upstream, "govuk-pay-performance-2026-08-03.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, doc string
		want      []string // in the error message
	}{
		{"truncated", string(real[:1000]), []string{"cut.json line 30 (byte 1000)", "unexpected end of JSON input"}},
		{"empty", "", []string{"cut.json", "unexpected end of JSON input"}},
		{"syntax", "{\n\"serviceCountByOrganisation\": {\"Cornwall Council\": 2,,}}", []string{"cut.json line 2 (byte 56)", "invalid character ','"}},
		{"array at the top", `[{"serviceCountByOrganisation": {}}]`, []string{"cut.json line 1", "want a JSON object at the top, got array"}},
		{"no counts", `{"dateUpdated": "3 August 2026", "numberOfServices": 1}`, []string{`cut.json "serviceCountByOrganisation": missing`}},
		{"counts as a list", "{\n\"serviceCountByOrganisation\": [\"Cornwall Council\"]}", []string{`cut.json line 2 "serviceCountByOrganisation": want an object`}},
		{"no organisations", `{"serviceCountByOrganisation": {}}`, []string{`"serviceCountByOrganisation": want an object`}},
		{"count as text", "{\"serviceCountByOrganisation\": {\n\"Adur & Worthing Councils\": \"two\"}}", []string{`cut.json line 2 "Adur & Worthing Councils": in serviceCountByOrganisation, want a whole number of live services, got "two"`}},
		{"negative count", `{"serviceCountByOrganisation": {"Cornwall Council": -1}}`, []string{`"Cornwall Council"`, "got -1"}},
		{"bad date", `{"dateUpdated": "last week", "serviceCountByOrganisation": {"Cornwall Council": 1}}`, []string{`cut.json line 1 "dateUpdated": "last week" is not a date`}},
	} {
		_, err := harvest.ParseGovUKPay(strings.NewReader(tc.doc), "cut.json")
		var fe *harvest.FileError
		if !errors.As(err, &fe) {
			t.Errorf("%s: error %v, want a *FileError", tc.name, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", tc.name, err, w)
			}
		}
	}
}

// A file without dateUpdated needs the caller's date, and the caller's date wins.
func TestGovUKPayObservedOn(t *testing.T) {
	m := councils
	p, err := harvest.ParseGovUKPay(strings.NewReader(`{"serviceCountByOrganisation": {"Cornwall Council": 1}}`), "performance.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Observations(m, harvest.Source{}); err == nil || !strings.Contains(err.Error(), "performance.json: no date") {
		t.Errorf("no date: %v", err)
	}
	h, err := p.Observations(m, harvest.Source{ObservedOn: "2026-09-01"})
	if err != nil || h.ObservedOn != "2026-09-01" || h.Observations[0].Evidence.ObservedOn != "2026-09-01" {
		t.Errorf("with a date: %+v, %v", h, err)
	}
	if _, err := p.Observations(m, harvest.Source{ObservedOn: "1 Sep 2026"}); err == nil {
		t.Error("a date not in YYYY-MM-DD was taken")
	}
}
