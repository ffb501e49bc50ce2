package store

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// SynthOptions sizes a synthetic world. The same options always write the same rows.
type SynthOptions struct {
	Councils, Components, Adoptions int
	Seed                            uint64
	// Capabilities is the taxonomy components are built on (the real one from the seed data).
	Capabilities []models.Capability
	// Progress, when set, is told how many more rows have been written; they add up to Total.
	Progress func(rows int)
}

// Total is how many rows Progress reports in all.
func (o SynthOptions) Total() int {
	return o.Councils + synthVendorCount(o.Components) + len(o.Capabilities) + o.Components + o.Adoptions + synthNeedCount(o.Councils)
}

// SynthReport counts the rows a synthetic world has.
type SynthReport struct {
	Councils     int `json:"councils"`
	Vendors      int `json:"vendors"`
	Capabilities int `json:"capabilities"`
	Components   int `json:"components"`
	Adoptions    int `json:"adoptions"`
	Needs        int `json:"needs"`
	Seed         uint64
}

func (r SynthReport) String() string {
	return fmt.Sprintf("synthesised %d councils, %d vendors, %d capabilities, %d components, %d adoptions, %d needs (seed %d)",
		r.Councils, r.Vendors, r.Capabilities, r.Components, r.Adoptions, r.Needs, r.Seed)
}

// synthToday anchors every synthetic date, so a seed always writes the same bytes.
var synthToday = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func synthVendorCount(components int) int { return max(10, components/25) }
func synthNeedCount(councils int) int     { return councils / 2 }

// synthBatchRows bounds one INSERT's rows so its parameters stay under
// SQLite's (32,766) and PostgreSQL's (65,535) limits.
const synthBatchParams = 30000

// Synth fills an empty database with a deterministic synthetic world for
// benchmarks: councils with codes that cannot be GSS codes ("X" and eight
// digits), vendors, components over the given capabilities with Zipf-like
// popularity, adoptions and needs. Every council, vendor and component row has
// synthetic = true; adoptions and needs have source "synthetic". Rows go in as
// multi-row INSERTs in one transaction, so a failure leaves the database empty;
// one audit entry moves the database version so engines and caches reload.
func (s *Store) Synth(ctx context.Context, o SynthOptions) (SynthReport, error) {
	rep := SynthReport{Seed: o.Seed}
	var p models.Problems
	if o.Councils < 1 {
		p.Add("councils", "must be at least 1")
	}
	if o.Components < 1 {
		p.Add("components", "must be at least 1")
	}
	if o.Adoptions < 0 {
		p.Add("adoptions", "must not be negative")
	}
	if len(o.Capabilities) == 0 {
		p.Add("capabilities", "a taxonomy is needed")
	}
	if o.Councils > 0 && o.Components > 0 && o.Adoptions > o.Councils*o.Components/2 {
		p.Add("adoptions", "at most half of councils × components (%d), so each pair is used once", o.Councils*o.Components/2)
	}
	if err := p.Err(); err != nil {
		return rep, err
	}
	progress := o.Progress
	if progress == nil {
		progress = func(int) {}
	}
	g := newSynthGen(o)
	if !s.postgres {
		// Millions of rows go into indexes in random order: a page cache that
		// holds them turns that from disk-bound to CPU-bound. Only for this load.
		if err := s.w.WithContext(ctx).Exec("PRAGMA cache_size = -1048576").Error; err != nil {
			return rep, err
		}
		defer s.w.Exec("PRAGMA cache_size = -8192")
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := requireEmpty(tx); err != nil {
			return err
		}
		b := &bulk{tx: tx, postgres: isPostgres(tx), progress: progress}
		var err error
		if rep.Councils, err = b.insert("councils", g.councilCols, o.Councils, g.council); err != nil {
			return err
		}
		if rep.Vendors, err = b.insert("vendors", g.vendorCols, len(g.vendors), g.vendor); err != nil {
			return err
		}
		if rep.Capabilities, err = b.insert("capabilities", g.capabilityCols, len(o.Capabilities), g.capability); err != nil {
			return err
		}
		if g.vendorIDs, err = idsOf(tx, "vendors", "slug", g.vendorSlug, len(g.vendors)); err != nil {
			return err
		}
		if g.capIDs, err = idsOf(tx, "capabilities", "slug", func(i int) string { return o.Capabilities[i].Slug }, len(o.Capabilities)); err != nil {
			return err
		}
		if rep.Components, err = b.insert("components", g.componentCols, o.Components, g.component); err != nil {
			return err
		}
		if g.councilIDs, err = idsOf(tx, "councils", "code", synthCouncilCode, o.Councils); err != nil {
			return err
		}
		if g.componentIDs, err = idsOf(tx, "components", "slug", synthComponentSlug, o.Components); err != nil {
			return err
		}
		links, standards := g.links()
		b.progress = func(int) {} // links are not counted: they come with their components
		if _, err := b.insert("component_capabilities", []string{"component_id", "capability_id"}, len(links), func(i int, a []any) []any {
			return append(a, links[i][0], links[i][1])
		}); err != nil {
			return err
		}
		if _, err := b.insert("component_standards", []string{"component_id", "standard"}, len(standards), func(i int, a []any) []any {
			return append(a, standards[i].id, standards[i].standard)
		}); err != nil {
			return err
		}
		b.progress = progress
		if rep.Adoptions, err = b.insert("adoptions", g.adoptionCols, o.Adoptions, g.adoption); err != nil {
			return err
		}
		if rep.Needs, err = b.insert("needs", g.needCols, synthNeedCount(o.Councils), g.need); err != nil {
			return err
		}
		if err := reindexComponentsWhere(tx, "components.synthetic = ?", true); err != nil {
			return err
		}
		return audit(tx, models.Actor{Key: "synth", Role: models.RoleAdmin}, s.Now(), "reference_data", "synth", "synthesised", nil, rep)
	})
	if err == nil && s.postgres {
		// Fresh statistics, so the planner does not take millions of rows for none, and a
		// visibility map, so adoption counts are answered from the index alone (index-only scans).
		err = translate(s.w.WithContext(ctx).Exec("VACUUM ANALYZE").Error)
	}
	return rep, err
}

// requireEmpty refuses to add a synthetic world to a database that holds anything.
func requireEmpty(tx *gorm.DB) error {
	var found []string
	for _, table := range []string{"councils", "vendors", "capabilities", "components", "adoptions", "needs"} {
		var n int64
		if err := tx.Table(table).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			found = append(found, fmt.Sprintf("%d %s", n, table))
		}
	}
	if len(found) > 0 {
		return models.Errorf(models.ECONFLICT, "synth fills only an empty database, and this one has %s: point --db at a new file or database",
			strings.Join(found, ", "))
	}
	return nil
}

// bulk writes rows as multi-row INSERTs with bound parameters.
type bulk struct {
	tx       *gorm.DB
	postgres bool
	progress func(int)
	args     []any
}

// insert writes n rows into table; row appends the i-th row's values (in cols' order) to a.
func (b *bulk) insert(table string, cols []string, n int, row func(i int, a []any) []any) (int, error) {
	per := max(1, synthBatchParams/len(cols))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	var full string // the statement for a whole batch, built once
	for start := 0; start < n; start += per {
		rows := min(per, n-start)
		b.args = b.args[:0]
		for i := start; i < start+rows; i++ {
			b.args = row(i, b.args)
		}
		query := full
		if rows != per || full == "" {
			query = head + b.values(len(cols), rows)
			if rows == per {
				full = query
			}
		}
		// Straight to the transaction's connection: gorm would rescan 30,000 placeholders.
		if _, err := b.tx.Statement.ConnPool.ExecContext(b.tx.Statement.Context, query, b.args...); err != nil {
			return start, fmt.Errorf("synth %s: %w", table, err)
		}
		b.progress(rows)
	}
	return n, nil
}

// values is "(?, ?), (?, ?)…" in the driver's placeholder style.
func (b *bulk) values(cols, rows int) string {
	var sb strings.Builder
	n := 0
	for r := range rows {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := range cols {
			if c > 0 {
				sb.WriteString(", ")
			}
			if b.postgres {
				n++
				sb.WriteString("$" + strconv.Itoa(n))
			} else {
				sb.WriteByte('?')
			}
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// idsOf maps the i-th synthetic key (key(i), i < n) to its row id.
func idsOf(tx *gorm.DB, table, col string, key func(int) string, n int) ([]int64, error) {
	rows, err := tx.Raw("SELECT id, " + col + " FROM " + table).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey := make(map[string]int64, n)
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return nil, err
		}
		byKey[k] = id
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]int64, n)
	for i := range ids {
		if ids[i] = byKey[key(i)]; ids[i] == 0 {
			return nil, fmt.Errorf("synth: %s %q was not stored", table, key(i))
		}
	}
	return ids, nil
}

func synthCouncilCode(i int) string   { return fmt.Sprintf("X%08d", i) }
func synthComponentSlug(i int) string { return fmt.Sprintf("synth-component-%06d", i) }

// synthGen decides every synthetic row up front from one seeded generator, in a
// fixed order, so the world does not depend on how rows are batched.
type synthGen struct {
	o            SynthOptions
	now          time.Time
	councils     []synthCouncil
	vendors      []synthVendor
	components   []synthComponent
	adoptions    []synthAdoption
	needs        []synthNeed
	vendorIDs    []int64
	capIDs       []int64
	councilIDs   []int64
	componentIDs []int64

	councilCols, vendorCols, capabilityCols, componentCols, adoptionCols, needCols []string
}

type synthCouncil struct {
	name, short, typ, region, nation, powers string
	current, services, lowerOrUnitary        bool
	population                               *int
}

type synthVendor struct {
	name, kind string
}

type synthComponent struct {
	name, summary, description, lifecycle, hosting, pricing string
	vendor                                                  int
	caps                                                    []int
	licence                                                 *string
	standards                                               []string
}

type synthAdoption struct {
	council, component, capability int32
	status                         string
	verified                       bool
	startedDay, endedDay, endsDay  int16 // days from synthToday; endedDay/endsDay 0 = none
	hasEnded, hasContract          bool
}

type synthNeed struct {
	council, capability int32
	day                 int16
	status              string
}

type synthRegion struct {
	region, nation string
	weight         int
}

// Regions weighted roughly by how many councils each has.
var synthRegions = []synthRegion{
	{"London", "England", 33}, {"South East", "England", 70}, {"East of England", "England", 50},
	{"South West", "England", 30}, {"West Midlands", "England", 33}, {"East Midlands", "England", 40},
	{"Yorkshire and The Humber", "England", 22}, {"North West", "England", 40}, {"North East", "England", 12},
	{"Scotland", "Scotland", 32}, {"Wales", "Wales", 22}, {"Northern Ireland", "Northern Ireland", 11},
}

var synthEnglishTypes = []string{
	"non-metropolitan-district", "non-metropolitan-district", "non-metropolitan-district",
	"non-metropolitan-district", "unitary", "unitary", "metropolitan-district", "county",
}

var (
	synthPlacePrefixes = []string{"Ash", "Bar", "Brook", "Carl", "Dun", "East", "Elm", "Fair", "Glen", "Green", "Hart", "High",
		"Kings", "Lang", "Lin", "Marsh", "Mill", "New", "North", "Oak", "Pen", "Queens", "Red", "Rother", "Salt", "Shep",
		"South", "Stan", "Stone", "Thorn", "Wal", "West", "Whit", "Wick", "Wood", "Yar"}
	synthPlaceSuffixes = []string{"borough", "bridge", "bury", "by", "caster", "combe", "dale", "den", "field", "ford", "gate",
		"ham", "hampton", "hill", "holme", "ing", "leigh", "ley", "mouth", "ness", "port", "stead", "stow", "thorpe", "ton",
		"well", "wich", "worth"}
	synthBrands = []string{"Acorn", "Beacon", "Bridge", "Civic", "Compass", "Crest", "Delta", "Ember", "Fern", "Granite",
		"Harbour", "Horizon", "Juniper", "Keystone", "Lantern", "Ledger", "Meridian", "Northstar", "Oakfield", "Orbit",
		"Pioneer", "Quay", "Ridge", "Sage", "Sentinel", "Summit", "Thistle", "Tidal", "Unity", "Vantage", "Willow", "Zenith"}
	synthVendorWords = []string{"Software", "Digital", "Systems", "Technologies", "Solutions", "Labs", "Cloud", "Data"}
	synthFeatures    = []string{"an open API", "single sign-on", "audit trails", "accessible forms", "mobile apps",
		"reporting dashboards", "bulk import", "webhooks", "role-based access", "offline working", "Welsh language support",
		"payment integration", "GOV.UK Notify integration", "document storage", "workflow automation"}
	synthAudiences = []string{"for councils", "for local government", "for public services", "for residents and staff", "for front-line teams"}
	synthLicences  = []string{"MIT", "Apache-2.0", "GPL-3.0-or-later", "AGPL-3.0-only", "EUPL-1.2"}
	synthStandards = []string{"wcag-2-2", "open-referral-uk", "openid-connect", "lgsl", "open311", "pci-dss", "iso-27001", "cyber-essentials"}
)

func newSynthGen(o SynthOptions) *synthGen {
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	g := &synthGen{o: o, now: synthToday,
		councilCols: []string{"code", "authority_code", "name", "short_name", "type", "type_name", "region", "nation",
			"lower_or_unitary", "delivers_services", "powers", "population", "status", "end_date", "synthetic"},
		vendorCols:     []string{"slug", "name", "website", "kind", "description", "synthetic", "version", "created_at", "updated_at"},
		capabilityCols: []string{"slug", "name", "category", "description", "lgsl_codes", "synthetic", "version", "created_at", "updated_at"},
		componentCols: []string{"slug", "name", "summary", "description", "vendor_id", "licence", "open_source", "hosting", "pricing",
			"lifecycle", "url", "repository_url", "synthetic", "version", "created_at", "updated_at"},
		adoptionCols: []string{"council_id", "component_id", "capability_id", "status", "started_on", "ended_on", "contract_end_on",
			"source", "verified", "version", "created_at", "updated_at"},
		needCols: []string{"council_id", "capability_id", "needed_by", "status", "source", "version", "created_at", "updated_at"},
	}
	typeNames := map[string]string{}
	for _, t := range models.CouncilTypes {
		typeNames[t.Slug] = t.Name
	}
	total := 0
	for _, x := range synthRegions {
		total += x.weight
	}
	for i := range o.Councils {
		reg := synthRegions[len(synthRegions)-1]
		for n, j := r.IntN(total), 0; j < len(synthRegions); j++ {
			if n < synthRegions[j].weight {
				reg = synthRegions[j]
				break
			}
			n -= synthRegions[j].weight
		}
		short := synthPlacePrefixes[r.IntN(len(synthPlacePrefixes))] + synthPlaceSuffixes[r.IntN(len(synthPlaceSuffixes))]
		if k := len(synthPlacePrefixes) * len(synthPlaceSuffixes); i >= k {
			short += " " + strconv.Itoa(i/k+1) // names repeat past every combination; codes never do
		}
		c := synthCouncil{short: short, region: reg.region, nation: reg.nation, current: r.IntN(100) >= 3,
			services: true, lowerOrUnitary: true, powers: "unitary"}
		switch {
		case r.IntN(100) < 2:
			c.typ, c.services, c.lowerOrUnitary, c.powers = "combined-authority", false, false, ""
		case reg.nation == "Scotland":
			c.typ = "scottish-unitary"
		case reg.nation == "Wales":
			c.typ = "welsh-unitary"
		case reg.nation == "Northern Ireland":
			c.typ = "ni-district"
		case reg.region == "London":
			c.typ = "london-borough"
		default:
			c.typ = synthEnglishTypes[r.IntN(len(synthEnglishTypes))]
		}
		switch c.typ {
		case "county":
			c.lowerOrUnitary, c.powers = false, "county"
		case "non-metropolitan-district":
			c.powers = "district"
		}
		c.name = short + " " + typeNames[c.typ]
		if r.IntN(100) >= 2 { // log-uniform 2,000 to 1,500,000; a few unknown
			pop := int(math.Exp(math.Log(2000) + r.Float64()*math.Log(1500000.0/2000)))
			c.population = &pop
		}
		g.councils = append(g.councils, c)
	}

	kinds := []struct {
		kind   string
		weight int
	}{{"commercial", 60}, {"public-sector", 14}, {"community", 8}, {"non-profit", 6}, {"in-house", 12}}
	for i := range synthVendorCount(o.Components) {
		v := synthVendor{kind: "commercial"}
		for n, j := (i*37)%100, 0; j < len(kinds); j++ { // spread evenly, so even a small world has every kind
			if n < kinds[j].weight {
				v.kind = kinds[j].kind
				break
			}
			n -= kinds[j].weight
		}
		brand := synthBrands[r.IntN(len(synthBrands))]
		if v.kind == "in-house" {
			v.name = fmt.Sprintf("%s council digital team %d", brand, i)
		} else {
			v.name = fmt.Sprintf("%s %s %d", brand, synthVendorWords[r.IntN(len(synthVendorWords))], i)
		}
		g.vendors = append(g.vendors, v)
	}

	nCaps := len(o.Capabilities)
	for range o.Components {
		c := synthComponent{vendor: r.IntN(len(g.vendors))}
		switch n := r.IntN(100); {
		case n < 5:
			c.lifecycle = "alpha"
		case n < 15:
			c.lifecycle = "beta"
		case n < 85:
			c.lifecycle = "live"
		case n < 95:
			c.lifecycle = "deprecated"
		default:
			c.lifecycle = "retired"
		}
		for k := 1 + r.IntN(3); len(c.caps) < k; {
			// Skewed so some capabilities have many more products than others.
			ci := int(float64(nCaps) * math.Pow(r.Float64(), 1.5))
			dup := false
			for _, x := range c.caps {
				dup = dup || x == ci
			}
			if !dup {
				c.caps = append(c.caps, ci)
			}
		}
		primary := o.Capabilities[c.caps[0]]
		brand := synthBrands[r.IntN(len(synthBrands))]
		c.name = brand + " " + primary.Name
		names := make([]string, len(c.caps))
		for i, ci := range c.caps {
			names[i] = strings.ToLower(o.Capabilities[ci].Name)
		}
		c.summary = fmt.Sprintf("%s %s, with %s.", strings.Join(names, " and "), synthAudiences[r.IntN(len(synthAudiences))],
			synthFeatures[r.IntN(len(synthFeatures))])
		c.summary = strings.ToUpper(c.summary[:1]) + c.summary[1:]
		c.description = primary.Description + " Includes " + synthFeatures[r.IntN(len(synthFeatures))] + " and " +
			synthFeatures[r.IntN(len(synthFeatures))] + "."
		c.hosting = models.HostingKinds[r.IntN(len(models.HostingKinds))]
		c.pricing = models.PricingModels[r.IntN(len(models.PricingModels))]
		if r.IntN(100) < 30 {
			l := synthLicences[r.IntN(len(synthLicences))]
			c.licence = &l
		}
		if r.IntN(100) < 30 {
			for k := 1 + r.IntN(2); len(c.standards) < k; {
				s := synthStandards[r.IntN(len(synthStandards))]
				if len(c.standards) == 0 || c.standards[0] != s {
					c.standards = append(c.standards, s)
				}
			}
		}
		g.components = append(g.components, c)
	}

	rank := r.Perm(o.Components) // popularity rank → component, so popularity is not index order
	zipf := rand.NewZipf(r, 1.1, 2, uint64(max(1, o.Components-1)))
	seen := make(map[uint64]struct{}, o.Adoptions)
	g.adoptions = make([]synthAdoption, 0, o.Adoptions)
	for len(g.adoptions) < o.Adoptions {
		ci, k := r.IntN(o.Councils), rank[min(int(zipf.Uint64()), o.Components-1)]
		if len(seen) > o.Adoptions/2 && r.IntN(4) == 0 {
			k = r.IntN(o.Components) // a uniform share keeps a dense world from stalling on taken pairs
		}
		key := uint64(ci)<<32 | uint64(k)
		if _, dup := seen[key]; dup {
			continue
		}
		seen[key] = struct{}{}
		comp := &g.components[k]
		a := synthAdoption{council: int32(ci), component: int32(k), capability: int32(comp.caps[r.IntN(len(comp.caps))]),
			verified: r.IntN(100) < 85, startedDay: int16(-60 - r.IntN(6*365))}
		switch n := r.IntN(100); {
		case !g.councils[ci].current || n < 16:
			a.status = "retired"
			a.hasEnded, a.endedDay = true, int16(min(-1, int(a.startedDay)+30+r.IntN(3*365)))
		case n < 22:
			a.status = "exploring"
		case n < 30:
			a.status = "piloting"
		case n < 38:
			a.status = "retiring"
		default:
			a.status = "live"
		}
		if a.status != "retired" && r.IntN(100) < 65 {
			a.hasContract, a.endsDay = true, int16(-182+r.IntN(3*365))
		}
		g.adoptions = append(g.adoptions, a)
	}
	clear(seen)

	for range synthNeedCount(o.Councils) {
		n := synthNeed{council: int32(r.IntN(o.Councils)), capability: int32(r.IntN(nCaps)),
			day: int16(-182 + r.IntN(3*365)), status: "open"}
		switch x := r.IntN(10); {
		case x < 2:
			n.status = "met"
		case x < 3:
			n.status = "withdrawn"
		}
		g.needs = append(g.needs, n)
	}
	return g
}

func (g *synthGen) day(offset int16) string {
	return g.now.AddDate(0, 0, int(offset)).Format(time.DateOnly)
}

func (g *synthGen) council(i int, a []any) []any {
	c := g.councils[i]
	status, end := "current", (*string)(nil)
	if !c.current {
		status, end = "former", dateOf(g.now.AddDate(-2, -7, 0))
	}
	return append(a, synthCouncilCode(i), fmt.Sprintf("SX%d", i), c.name, c.short, c.typ, typeName(c.typ), c.region, c.nation,
		c.lowerOrUnitary, c.services, c.powers, c.population, status, end, true)
}

func typeName(slug string) string {
	for _, t := range models.CouncilTypes {
		if t.Slug == slug {
			return t.Name
		}
	}
	return slug
}

func (g *synthGen) vendorSlug(i int) string { return fmt.Sprintf("synth-vendor-%05d", i) }

func (g *synthGen) vendor(i int, a []any) []any {
	v := g.vendors[i]
	return append(a, g.vendorSlug(i), v.name, fmt.Sprintf("https://%s.example", g.vendorSlug(i)), v.kind,
		"Synthetic vendor for benchmarks.", true, 1, g.now, g.now)
}

func (g *synthGen) capability(i int, a []any) []any {
	c := g.o.Capabilities[i]
	return append(a, c.Slug, c.Name, c.Category, c.Description, joinInts(c.LGSLCodes), false, 1, g.now, g.now)
}

func (g *synthGen) component(i int, a []any) []any {
	c := g.components[i]
	slug := synthComponentSlug(i)
	url := "https://" + g.vendorSlug(c.vendor) + ".example/" + slug
	var repo *string
	if c.licence != nil {
		r := "https://git.example/" + g.vendorSlug(c.vendor) + "/" + slug
		repo = &r
	}
	return append(a, slug, c.name, c.summary, c.description, g.vendorIDs[c.vendor], c.licence, c.licence != nil,
		c.hosting, c.pricing, c.lifecycle, url, repo, true, 1, g.now, g.now)
}

type synthStandard struct {
	id       int64
	standard string
}

// links lists every (component, capability) pair and every component standard.
func (g *synthGen) links() ([][2]int64, []synthStandard) {
	var links [][2]int64
	var standards []synthStandard
	for i, c := range g.components {
		for _, ci := range c.caps {
			links = append(links, [2]int64{g.componentIDs[i], g.capIDs[ci]})
		}
		for _, s := range c.standards {
			standards = append(standards, synthStandard{g.componentIDs[i], s})
		}
	}
	return links, standards
}

func (g *synthGen) adoption(i int, a []any) []any {
	ad := g.adoptions[i]
	var ended, ends *string
	if ad.hasEnded {
		s := g.day(ad.endedDay)
		ended = &s
	}
	if ad.hasContract {
		s := g.day(ad.endsDay)
		ends = &s
	}
	return append(a, g.councilIDs[ad.council], g.componentIDs[ad.component], g.capIDs[ad.capability], ad.status,
		g.day(ad.startedDay), ended, ends, "synthetic", ad.verified, 1, g.now, g.now)
}

func (g *synthGen) need(i int, a []any) []any {
	n := g.needs[i]
	return append(a, g.councilIDs[n.council], g.capIDs[n.capability], g.day(n.day), n.status, "synthetic", 1, g.now, g.now)
}
