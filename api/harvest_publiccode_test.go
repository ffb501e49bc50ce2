package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store/storetest/testdb"
)

// publisher is a local HTTPS server standing for the code hosts: it serves
// each file at its path whatever the host asked for, as the network would
// route raw.githubusercontent.com or example.com.
type publisher struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string][]byte // path → body
}

func newPublisher(t *testing.T) *publisher {
	p := &publisher{files: map[string][]byte{}}
	p.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/elsewhere/publiccode.yml": // a redirect to another host
			http.Redirect(w, r, "https://attacker.example/publiccode.yml", http.StatusFound)
			return
		case "/moved/publiccode.yml": // a redirect on the same host, which is followed
			http.Redirect(w, r, "/italia/medusa/publiccode.yml", http.StatusMovedPermanently)
			return
		}
		p.mu.Lock()
		body, ok := p.files[r.URL.Path]
		p.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(body)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *publisher) serve(path string, body []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.files[path] = body
}

func (p *publisher) remove(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.files, path)
}

// client reaches this server for every host, checking its certificate as
// example.com's (the name httptest's certificate carries).
func (p *publisher) client() *http.Client {
	c := p.Client()
	tr := c.Transport.(*http.Transport)
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	tr.TLSClientConfig.ServerName = "example.com"
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, p.Listener.Addr().String())
	}
	return c
}

// harvestCase is one real file: where the list says it is, the path the
// harvest reads it from, and what the first harvest makes of it.
type harvestCase struct {
	file, entry, path, outcome string
}

var harvestCases = []harvestCase{
	// The six the project keeps (api/testdata/publiccode/README.md).
	{"publiccode/amsterdam-design-system.yml", "https://github.com/Amsterdam/design-system", "/Amsterdam/design-system/HEAD/publiccode.yml", models.HarvestInvalid}, // no categories
	{"publiccode/consul-democracy.yml", "https://github.com/consuldemocracy/consuldemocracy", "/consuldemocracy/consuldemocracy/HEAD/publiccode.yml", models.HarvestCreated},
	{"publiccode/signalen-frontend.yml", "https://github.com/Amsterdam/signals-frontend.git", "/Amsterdam/signals-frontend/HEAD/publiccode.yml", models.HarvestCreated},
	{"publiccode/standard-example.yml", "https://example.com/moved/publiccode.yml", "/italia/medusa/publiccode.yml", models.HarvestCreated},
	{"publiccode/terminvergabe.yml", "https://github.com/Aitema-gmbh/terminvergabe", "/Aitema-gmbh/terminvergabe/HEAD/publiccode.yml", models.HarvestInvalid}, // "government" is no category
	{"publiccode/wai-portal.yml", "https://github.com/AgID/wai-portal", "/AgID/wai-portal/HEAD/publiccode.yml", models.HarvestCreated},
	// Five more from public repositories (api/testdata/harvest/README.md).
	{"harvest/lynis.yml", "https://github.com/CISOfy/lynis", "/CISOfy/lynis/HEAD/publiccode.yml", models.HarvestInvalid},                                                                  // no category maps
	{"harvest/webmappvenezia.yml", "https://github.com/CittaMetropolitanaVenezia/WebMappVenezia", "/CittaMetropolitanaVenezia/WebMappVenezia/HEAD/publiccode.yml", models.HarvestInvalid}, // a two-line shortDescription
	{"harvest/geoworks-mi.yml", "https://github.com/Comune-Milano/geoworks-mi/blob/master/publiccode.yml", "/Comune-Milano/geoworks-mi/master/publiccode.yml", models.HarvestCreated},
	{"harvest/rndt-geoviewer.yml", "https://github.com/AgID/rndt-geoviewer", "/AgID/rndt-geoviewer/HEAD/publiccode.yml", models.HarvestCreated},
	{"harvest/bmore-responsive.yml", "https://github.com/CodeForBaltimore/Bmore-Responsive", "/CodeForBaltimore/Bmore-Responsive/HEAD/publiccode.yml", models.HarvestInvalid}, // emergency-response, production
}

// hostOwned is a file naming no owner: its vendor is its code host's account.
const hostOwned = `publiccodeYmlVersion: "0.4"
name: Example Booking
url: https://codeberg.org/example-publisher/booking
platforms: [web]
categories: [online-booking]
developmentStatus: beta
softwareType: standalone/web
description:
  en:
    shortDescription: A booking tool made up for this test.
legal:
  license: EUPL-1.2
`

// badEntries are files no harvest may write from, each reported on its own.
var badEntries = []struct{ entry, path, body, outcome string }{
	{"https://example.com/gone/publiccode.yml", "", "", models.HarvestUnreachable},
	{"https://example.com/elsewhere/publiccode.yml", "", "", models.HarvestUnreachable},
	{"https://example.com/big/publiccode.yml", "/big/publiccode.yml", "name: x\n" + strings.Repeat("# padding\n", 110000), models.HarvestInvalid},
	{"https://example.com/broken/publiccode.yml", "/broken/publiccode.yml", "publiccodeYmlVersion: [\"0.4\"\nname: {", models.HarvestInvalid},
	{"https://example.com/page/publiccode.yml", "/page/publiccode.yml", "<!DOCTYPE html><html><body>Not here</body></html>", models.HarvestInvalid},
	{"https://example.com/package/package.yaml", "/package/package.yaml", "name: left-pad\nversion: 1.3.0\n", models.HarvestInvalid},
	{"https://example.org/not-a-file", "", "", models.HarvestInvalid}, // neither a known code host nor a .yml
}

func harvestReport(t *testing.T, r response) models.PubliccodeHarvestReport {
	t.Helper()
	r.wantStatus(http.StatusOK)
	var rep models.PubliccodeHarvestReport
	if err := json.Unmarshal(r.Body.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestHarvestPubliccode(t *testing.T) {
	pub := newPublisher(t)
	e := newEnvWith(t, testdb.Seeded(t, false), api.Config{HarvestClient: pub.client()})
	var urls []string
	want := map[string]string{}
	for _, c := range harvestCases {
		body, err := os.ReadFile(filepath.Join("testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		pub.serve(c.path, body)
		urls = append(urls, c.entry)
		want[c.entry] = c.outcome
	}
	pub.serve("/example-publisher/booking/publiccode.yml", []byte(hostOwned))
	urls = append(urls, "https://example.com/example-publisher/booking/publiccode.yml")
	want[urls[len(urls)-1]] = models.HarvestCreated
	for _, b := range badEntries {
		if b.path != "" {
			pub.serve(b.path, []byte(b.body))
		}
		urls = append(urls, b.entry)
		want[b.entry] = b.outcome
	}
	harvestAll := func(t *testing.T, query string) models.PubliccodeHarvestReport {
		return harvestReport(t, e.in(t).do("POST", "/api/v1/harvests/publiccode"+query, urls, e.admin))
	}
	outcomes := func(rep models.PubliccodeHarvestReport) map[string]string {
		got := map[string]string{}
		for _, f := range rep.Files {
			got[f.Entry] = f.Outcome
		}
		return got
	}
	before := e.snapshot()
	audits := e.count("SELECT count(*) FROM audit_log")

	var first models.PubliccodeHarvestReport
	t.Run("dry run reports and writes nothing", func(t *testing.T) {
		rep := harvestAll(t, "?dry_run=true")
		if !rep.DryRun || e.snapshot() != before || e.count("SELECT count(*) FROM audit_log") != audits {
			t.Fatalf("a dry run wrote: %+v", rep)
		}
		first = rep
	})

	t.Run("first harvest", func(t *testing.T) {
		rep := harvestAll(t, "")
		if got := outcomes(rep); !maps.Equal(got, want) {
			t.Errorf("outcomes:\n got %v\nwant %v", got, want)
		}
		if rep.Created != 7 || rep.Updated != 0 || rep.Unchanged != 0 || rep.Invalid != 10 || rep.Unreachable != 2 {
			t.Errorf("counts: %d created, %d updated, %d unchanged, %d invalid, %d unreachable", rep.Created, rep.Updated, rep.Unchanged, rep.Invalid, rep.Unreachable)
		}
		if first.Created != rep.Created || first.Invalid != rep.Invalid || !slices.Equal(first.VendorsCreated, rep.VendorsCreated) {
			t.Errorf("the dry run's report differs: %+v", first)
		}
		for _, f := range rep.Files {
			if f.Outcome == models.HarvestInvalid && f.Message == "" {
				t.Errorf("%s: invalid without a message", f.Entry)
			}
		}
		// The validator's own messages, by YAML path.
		if f := fileOf(rep, "https://github.com/Aitema-gmbh/terminvergabe"); !hasProblem(f, "categories[1]") {
			t.Errorf("terminvergabe: problems %+v", f.Problems)
		}
		// What only strict mode would refuse comes back as warnings: WAI's file is version 0.2.
		if f := fileOf(rep, "https://github.com/AgID/wai-portal"); f.Outcome != models.HarvestCreated || !hasWarning(f, "publiccodeYmlVersion") {
			t.Errorf("wai-portal: %s, warnings %+v", f.Outcome, f.Warnings)
		}
		if f := fileOf(rep, "https://github.com/CISOfy/lynis"); !hasProblem(f, "categories") || !slices.Contains(f.UnmappedCategories, "it-security") {
			t.Errorf("lynis: %+v", f)
		}
		if !slices.Contains(rep.UnmappedCategories, "it-security") || slices.Contains(rep.UnmappedCategories, "geographic-information-systems") {
			t.Errorf("unmapped categories: %v", rep.UnmappedCategories)
		}
		// Owners become vendors.
		for _, v := range []string{"gemeente-amsterdam", "comune-di-milano", "agenzia-per-l-italia-digitale", "example-publisher"} {
			if !slices.Contains(rep.VendorsCreated, v) {
				t.Errorf("vendor %s not created: %v", v, rep.VendorsCreated)
			}
			e.in(t).do("GET", "/api/v1/vendors/"+v, nil, "").wantStatus(http.StatusOK)
		}
		if v := e.in(t).do("GET", "/api/v1/vendors/example-publisher", nil, "").json(); v["website"] != "https://codeberg.org/example-publisher" {
			t.Errorf("the code host's owner: %v", v)
		}
		// A file refused after its owner was made a vendor leaves no vendor behind.
		e.in(t).do("GET", "/api/v1/vendors/citta-metropolitana-di-venezia", nil, "").wantStatus(http.StatusNotFound)
		signalen := fileOf(rep, "https://github.com/Amsterdam/signals-frontend.git")
		c := e.in(t).do("GET", "/api/v1/components/"+*signalen.Component, nil, "").wantStatus(http.StatusOK).json()
		if c["vendor"] != "gemeente-amsterdam" || c["harvest_missing_since"] != nil || !slices.Contains(toStrings(c["capabilities"]), "case-management") {
			t.Errorf("signalen: %v", c)
		}
	})

	t.Run("second harvest changes nothing", func(t *testing.T) {
		after := e.snapshot()
		n := e.count("SELECT count(*) FROM audit_log")
		rep := harvestAll(t, "")
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 7 || len(rep.VendorsCreated) != 0 || len(rep.Missing) != 0 {
			t.Errorf("second run: %+v", rep)
		}
		if e.snapshot() != after || e.count("SELECT count(*) FROM audit_log") != n {
			t.Error("a second harvest wrote")
		}
	})

	t.Run("a file that disappears is flagged, not deleted", func(t *testing.T) {
		pub.remove("/AgID/rndt-geoviewer/HEAD/publiccode.yml")
		rep := harvestAll(t, "")
		slug := *fileOf(first, "https://github.com/AgID/rndt-geoviewer").Component
		if got := fileOf(rep, "https://github.com/AgID/rndt-geoviewer"); got.Outcome != models.HarvestUnreachable || !slices.Equal(rep.Missing, []string{slug}) {
			t.Fatalf("outcome %s, missing %v", got.Outcome, rep.Missing)
		}
		c := e.in(t).do("GET", "/api/v1/components/"+slug, nil, "").wantStatus(http.StatusOK).json()
		if c["harvest_missing_since"] == nil {
			t.Errorf("%s not flagged: %v", slug, c)
		}
		// Still missing: the flag keeps its first date, nothing else is written.
		n := e.count("SELECT count(*) FROM audit_log")
		if rep := harvestAll(t, ""); !slices.Equal(rep.Missing, []string{slug}) || e.count("SELECT count(*) FROM audit_log") != n {
			t.Errorf("second miss: %v", rep.Missing)
		}
		// Back again: the flag is cleared.
		body, _ := os.ReadFile(filepath.Join("testdata", "harvest", "rndt-geoviewer.yml"))
		pub.serve("/AgID/rndt-geoviewer/HEAD/publiccode.yml", body)
		rep = harvestAll(t, "")
		c = e.in(t).do("GET", "/api/v1/components/"+slug, nil, "").wantStatus(http.StatusOK).json()
		if len(rep.Missing) != 0 || c["harvest_missing_since"] != nil {
			t.Errorf("found again, yet missing %v, flag %v", rep.Missing, c["harvest_missing_since"])
		}
	})
}

// TestHarvestPubliccodeBadRequests: a body that is not a list of https URLs
// is refused whole (400), and the real client reaches no private address.
func TestHarvestPubliccodeBadRequests(t *testing.T) {
	e := newEnv(t)
	for body, field := range map[string]string{
		`{"urls": ["https://github.com/a/b"]}`: "body",
		`[]`:                                   "body",
		`["/etc/passwd"]`:                      "[0]",
		`["https://github.com/a/b", "file:///etc/passwd"]`: "[1]",
		`["http://github.com/a/b"]`:                        "[0]",
		`"https://github.com/a/b"`:                         "body",
		`[1]`:                                              "body",
	} {
		e.in(t).do("POST", "/api/v1/harvests/publiccode", body, e.admin).wantProblem(http.StatusBadRequest, field)
	}
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf("https://github.com/a/r%d", i)
	}
	e.do("POST", "/api/v1/harvests/publiccode", many, e.admin).wantProblem(http.StatusBadRequest, "body")

	// The router's own client (webhooks.PublicClient) will not dial a loopback address.
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("name: x")) }))
	defer srv.Close()
	rep := harvestReport(t, e.do("POST", "/api/v1/harvests/publiccode", []string{srv.URL + "/publiccode.yml"}, e.admin))
	if rep.Unreachable != 1 || !strings.Contains(rep.Files[0].Message, "no answer") {
		t.Errorf("a loopback URL: %+v", rep.Files)
	}
	if e.count("SELECT count(*) FROM components") != 0 {
		t.Error("a refused harvest wrote")
	}
}

func fileOf(rep models.PubliccodeHarvestReport, entry string) models.PubliccodeHarvestFile {
	for _, f := range rep.Files {
		if f.Entry == entry {
			return f
		}
	}
	return models.PubliccodeHarvestFile{}
}

func hasProblem(f models.PubliccodeHarvestFile, field string) bool {
	return slices.ContainsFunc(f.Problems, func(p models.FieldError) bool { return p.Field == field })
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func hasWarning(f models.PubliccodeHarvestFile, field string) bool {
	return slices.ContainsFunc(f.Warnings, func(w models.FieldError) bool { return w.Field == field })
}
