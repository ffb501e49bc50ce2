// Package seed loads the registry's reference data: every UK council from
// mySociety's register (with GOV.UK's slugs and homepages), a curated
// capability taxonomy, the known shared components and their owners, adoptions
// stated in public evidence, and, on request, a synthetic demo world.
// The data files live in data/ with their sources and licences in data/README.md.
package seed

import (
	"cmp"
	"context"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
)

//go:embed data
var embedded embed.FS

// Files are the reference data files, read from FS (the embedded copy unless a test swaps it).
type Files struct {
	FS fs.FS
	// NoEvidence leaves out the cited adoption evidence (evidence/), keeping
	// councils, capabilities, components and LocalGov Drupal's own statements:
	// the small, fixed world many tests are written against.
	NoEvidence bool
}

// Embedded is the data shipped in the binary.
func Embedded() Files {
	sub, _ := fs.Sub(embedded, "data")
	return Files{FS: sub}
}

// Reference is the embedded data without the cited adoption evidence.
func Reference() Files {
	f := Embedded()
	f.NoEvidence = true
	return f
}

// Store is what seeding needs from storage.
type Store interface {
	Seed(ctx context.Context, d store.SeedData) (store.SeedReport, error)
	CountCouncils(ctx context.Context) (int, error)
}

// Empty reports whether the database has never been seeded.
func Empty(ctx context.Context, st Store) (bool, error) {
	n, err := st.CountCouncils(ctx)
	return n == 0, err
}

// Load reads the embedded reference data (plus the demo world when demo is
// set) and writes it in one transaction.
func Load(ctx context.Context, st Store, demo bool) (store.SeedReport, error) {
	return Embedded().Load(ctx, st, demo)
}

// Load reads f's files and writes them in one transaction.
func (f Files) Load(ctx context.Context, st Store, demo bool) (store.SeedReport, error) {
	d, err := f.Read()
	if err != nil {
		return store.SeedReport{}, err
	}
	if demo {
		Demo(&d)
	}
	return st.Seed(ctx, d)
}

// Read parses and checks every file, naming the file and line of any problem.
func (f Files) Read() (store.SeedData, error) {
	var d store.SeedData
	var err error
	if d.Councils, err = f.councils(); err != nil {
		return d, err
	}
	placeCounties(d.Councils)
	if d.Capabilities, err = f.capabilities(); err != nil {
		return d, err
	}
	if d.Vendors, d.Components, err = f.components(d.Capabilities); err != nil {
		return d, err
	}
	if d.Adoptions, err = f.evidence(d.Councils); err != nil {
		return d, err
	}
	if err = f.programmes(&d); err != nil {
		return d, err
	}
	if f.NoEvidence {
		return d, nil
	}
	if err := f.addAdoptionEvidence(&d); err != nil {
		return d, err
	}
	return d, nil
}

// addAdoptionEvidence merges the cited evidence file into d's adoptions: one
// adoption per council and component, every row one of its evidence items.
func (f Files) addAdoptionEvidence(d *store.SeedData) error {
	known := map[string]bool{}
	for _, c := range d.Councils {
		known[c.Code] = true
	}
	firstCapability := map[string]string{}
	for _, c := range d.Components {
		firstCapability[c.Slug] = c.Capabilities[0]
	}
	has := func(slug string) bool { return firstCapability[slug] != "" }
	found, unmatched, err := f.adoptionEvidence(known, has)
	if err != nil {
		return err
	}
	harvested, err := f.harvestedEvidence()
	if err != nil {
		return err
	}
	found = mergeAdoptions(found, harvested)
	d.Unmatched = append(d.Unmatched, unmatched...)
	for i := range found {
		found[i].Capability = firstCapability[found[i].Component]
	}
	d.Adoptions = mergeAdoptions(d.Adoptions, found)
	return nil
}

// mergeAdoptions adds more to into: one adoption per council and component,
// holding the evidence of both, its status the strongest that supports.
func mergeAdoptions(into, more []models.Adoption) []models.Adoption {
	index := map[[2]string]int{}
	for i, a := range into {
		index[[2]string{a.Council, a.Component}] = i
	}
	for _, a := range more {
		i, ok := index[[2]string{a.Council, a.Component}]
		if !ok {
			index[[2]string{a.Council, a.Component}] = len(into)
			into = append(into, a)
			continue
		}
		into[i].Evidence = append(into[i].Evidence, a.Evidence...)
		into[i].Status, _ = models.EvidenceStatus(into[i].Evidence)
	}
	return into
}

// lineError names the file and line where reference data is wrong.
type lineError struct {
	file string
	line int
	msg  string
}

func (e *lineError) Error() string {
	return fmt.Sprintf("seed data %s line %d: %s", e.file, e.line, e.msg)
}

// csvFile reads a CSV file with a header into maps, keeping each record's line.
type csvRecord struct {
	line int
	get  func(col string) string
}

// dateColumn is an optional date column and the field it fills.
type dateColumn struct {
	name string
	dst  **string
}

// optDates fills each column's field where the record has a value; valid judges the
// values, and the first it refuses is named, with what a date must look like (form).
func (r csvRecord) optDates(valid func(string) bool, form string, cols ...dateColumn) error {
	for _, col := range cols {
		if v := r.get(col.name); v != "" {
			if !valid(v) {
				return fmt.Errorf("%s %q is not %s", col.name, v, form)
			}
			*col.dst = &v
		}
	}
	return nil
}

func (f Files) readCSV(name string, required []string) ([]csvRecord, error) {
	file, err := f.open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	r := csv.NewReader(file)
	header, err := r.Read()
	if err != nil {
		return nil, &lineError{name, 1, "cannot read the header: " + err.Error()}
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, c := range required {
		if _, ok := cols[c]; !ok {
			return nil, &lineError{name, 1, fmt.Sprintf("the header has no %q column", c)}
		}
	}
	var out []csvRecord
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &lineError{name, pe.Line, pe.Err.Error()}
		}
		if err != nil {
			return nil, fmt.Errorf("seed data %s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		out = append(out, csvRecord{line: line, get: func(col string) string {
			if i, ok := cols[col]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}})
	}
}

const (
	mySocietyFile = "mysociety_uk_local_authorities_past_and_current.csv"
	govukFile     = "govuk_local_links_manager_local_authorities.csv"
	evidenceFile  = "localgov_drupal_adoption_evidence.csv"
)

// councils reads mySociety's register of current and former authorities and
// adds GOV.UK's slug and homepage, matched on GSS code or a former GSS code.
func (f Files) councils() ([]models.Council, error) {
	govuk, err := f.readCSV(govukFile, []string{"gss", "slug", "homepage_url"})
	if err != nil {
		return nil, err
	}
	byGSS := map[string]govukLA{}
	for _, r := range govuk {
		byGSS[r.get("gss")] = govukLA{r.get("slug"), r.get("homepage_url")}
	}

	recs, err := f.readCSV(mySocietyFile, []string{"local-authority-code", "official-name", "nice-name", "gss-code",
		"start-date", "end-date", "replaced-by", "nation", "region", "local-authority-type", "county-la",
		"combined-authority", "former-gss-codes", "current-authority", "gov-uk-slug", "pop-2020", "lat", "long",
		"powers", "lower-or-unitary"})
	if err != nil {
		return nil, err
	}
	// Councils are keyed by GSS code; the few former ones that never had one keep mySociety's code.
	codeOf := map[string]string{}
	for _, r := range recs {
		code := r.get("gss-code")
		if code == "" {
			code = r.get("local-authority-code")
		}
		codeOf[r.get("local-authority-code")] = code
	}
	var out []models.Council
	seen := map[string]bool{}
	for _, r := range recs {
		la := r.get("local-authority-code")
		code := codeOf[la]
		if la == "" || seen[code] {
			return nil, badCouncil(r, "local authority code %q is blank or repeated", la)
		}
		seen[code] = true
		c, err := councilOf(r, code, codeOf)
		if err != nil {
			return nil, err
		}
		addGovUK(&c, r.get("gss-code"), byGSS)
		out = append(out, c)
	}
	return out, nil
}

// govukLA is what GOV.UK's Local Links Manager says of a council.
type govukLA struct{ slug, homepage string }

func badCouncil(r csvRecord, format string, args ...any) error {
	return &lineError{mySocietyFile, r.line, fmt.Sprintf(format, args...)}
}

// councilOf reads one row of mySociety's register; codeOf maps its codes to the registry's.
func councilOf(r csvRecord, code string, codeOf map[string]string) (models.Council, error) {
	t, ok := models.CouncilTypes[r.get("local-authority-type")]
	if !ok {
		return models.Council{}, badCouncil(r, "unknown local-authority-type %q", r.get("local-authority-type"))
	}
	c := models.Council{
		Code: code, AuthorityCode: r.get("local-authority-code"), Name: r.get("official-name"), ShortName: cmp.Or(r.get("nice-name"), r.get("official-name")),
		Type: t.Slug, TypeName: t.Name, Region: cmp.Or(r.get("region"), r.get("nation")), Nation: r.get("nation"), Powers: r.get("powers"),
		Status: "former", Successors: []string{}, Predecessors: []string{},
		FormerGSSCodes: splitCodes(r.get("former-gss-codes")),
	}
	if c.Name == "" || c.Nation == "" {
		return c, badCouncil(r, "official-name and nation are required")
	}
	var err error
	if c.LowerOrUnitary, err = parseBool(r.get("lower-or-unitary")); err != nil {
		return c, badCouncil(r, "lower-or-unitary: %v", err)
	}
	current, err := parseBool(r.get("current-authority"))
	if err != nil {
		return c, badCouncil(r, "current-authority: %v", err)
	}
	if current {
		c.Status = "current"
	}
	c.DeliversServices = c.LowerOrUnitary || t.Slug == "county"
	if err := councilLinks(r, &c, codeOf); err != nil {
		return c, err
	}
	return c, councilFacts(r, &c)
}

// councilLinks reads the county, combined authority and successors, by the registry's codes.
func councilLinks(r csvRecord, c *models.Council, codeOf map[string]string) error {
	for _, ref := range []struct {
		col string
		dst **string
	}{{"county-la", &c.County}, {"combined-authority", &c.CombinedAuthority}} {
		if v := r.get(ref.col); v != "" {
			target, ok := codeOf[v]
			if !ok {
				return badCouncil(r, "%s %q is not an authority in the file", ref.col, v)
			}
			*ref.dst = &target
		}
	}
	for _, succ := range splitCodes(r.get("replaced-by")) {
		target, ok := codeOf[succ]
		if !ok {
			return badCouncil(r, "replaced-by %q is not an authority in the file", succ)
		}
		c.Successors = append(c.Successors, target)
	}
	return nil
}

// councilFacts reads the population, place, dates and GOV.UK slug.
func councilFacts(r csvRecord, c *models.Council) error {
	if v := r.get("pop-2020"); v != "" {
		p, err := strconv.ParseFloat(v, 64)
		if err != nil || p < 0 {
			return badCouncil(r, "pop-2020 %q is not a number", v)
		}
		n := int(math.Round(p))
		c.Population = &n
	}
	var err error
	if c.Latitude, err = optFloat(r.get("lat"), -90, 90); err != nil {
		return badCouncil(r, "lat: %v", err)
	}
	if c.Longitude, err = optFloat(r.get("long"), -180, 180); err != nil {
		return badCouncil(r, "long: %v", err)
	}
	if err := r.optDates(models.ValidDate, "a YYYY-MM-DD date", dateColumn{"start-date", &c.StartDate}, dateColumn{"end-date", &c.EndDate}); err != nil {
		return badCouncil(r, "%v", err)
	}
	if v := r.get("gov-uk-slug"); v != "" {
		c.GovUKSlug = &v
	}
	return nil
}

// addGovUK adds GOV.UK's slug (where mySociety has none) and homepage,
// matched on the GSS code or a former one.
func addGovUK(c *models.Council, gss string, byGSS map[string]govukLA) {
	for _, code := range append([]string{gss}, c.FormerGSSCodes...) {
		if g, ok := byGSS[code]; ok && code != "" {
			if c.GovUKSlug == nil && g.slug != "" {
				c.GovUKSlug = &g.slug
			}
			if g.homepage != "" && models.ValidHTTPURL(g.homepage) {
				c.HomepageURL = &g.homepage
			}
			return
		}
	}
}

// splitCodes splits mySociety's comma-separated lists of GSS codes.
func splitCodes(s string) []string { return splitList(s, ",") }

// splitList splits a list on sep, trimming each item and dropping empty ones.
func splitList(s, sep string) []string {
	out := []string{}
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseBool(s string) (bool, error) {
	switch s {
	case "True", "true":
		return true, nil
	case "False", "false", "":
		return false, nil
	}
	return false, fmt.Errorf("%q is not True or False", s)
}

func optFloat(s string, lo, hi float64) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < lo || v > hi {
		return nil, fmt.Errorf("%q is not a number from %g to %g", s, lo, hi)
	}
	return &v, nil
}

// readJSON decodes a JSON file strictly, naming the line of a syntax error.
func (f Files) readJSON(name string, dst any) error {
	b, err := fs.ReadFile(f.FS, name)
	if err != nil {
		return fmt.Errorf("seed data %s: %w", name, err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return &lineError{name, lineAt(b, se.Offset), err.Error()}
		case errors.As(err, &te):
			return &lineError{name, lineAt(b, te.Offset), err.Error()}
		}
		return fmt.Errorf("seed data %s: %w", name, err)
	}
	return nil
}

func lineAt(b []byte, offset int64) int {
	return strings.Count(string(b[:min(int(offset), len(b))]), "\n") + 1
}
