package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/synth"
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
	return o.Councils + synth.VendorCount(o.Components) + len(o.Capabilities) + o.Components + o.Adoptions + synth.NeedCount(o.Councils)
}

// world is the generator's options: every stored world is anchored to synth.Epoch.
func (o SynthOptions) world() synth.Options {
	return synth.Options{Councils: o.Councils, Components: o.Components, Adoptions: o.Adoptions, Seed: o.Seed,
		Capabilities: o.Capabilities, Today: synth.Epoch}
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

// synthBatchParams bounds one INSERT's parameters under
// SQLite's (32,766) and PostgreSQL's (65,535) limits.
const synthBatchParams = 30000

// Synth fills an empty database with the deterministic synthetic world of
// package synth, for benchmarks: councils with codes that cannot be GSS codes
// ("X" and eight digits), vendors, components over the given capabilities with
// Zipf-like popularity, adoptions and needs. Every council, vendor and component
// row has synthetic = true; adoptions and needs have source "synthetic". Rows go
// in as multi-row INSERTs in one transaction, so a failure leaves the database
// empty; one audit entry moves the database version so engines and caches reload.
func (s *Store) Synth(ctx context.Context, o SynthOptions) (SynthReport, error) {
	rep := SynthReport{Seed: o.Seed}
	w, err := synth.New(o.world())
	if err != nil {
		return rep, err
	}
	progress := o.Progress
	if progress == nil {
		progress = func(int) {}
	}
	if !s.postgres {
		// Millions of rows go into indexes in random order: a page cache that
		// holds them turns that from disk-bound to CPU-bound. Only for this load.
		if err := s.w.WithContext(ctx).Exec("PRAGMA cache_size = -1048576").Error; err != nil {
			return rep, err
		}
		defer s.w.Exec("PRAGMA cache_size = -8192")
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := requireEmpty(tx); err != nil {
			return err
		}
		sw := &synthWriter{w: w, b: &bulk{tx: tx, postgres: isPostgres(tx), progress: progress}}
		if err := sw.catalogue(&rep); err != nil {
			return err
		}
		if err := sw.records(&rep); err != nil {
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

var (
	synthCouncilCols = []string{"code", "authority_code", "name", "short_name", "type", "type_name", "region", "nation",
		"lower_or_unitary", "delivers_services", "powers", "population", "status", "end_date", "synthetic"}
	synthVendorCols     = []string{"slug", "name", "website", "kind", "description", "synthetic", "version", "created_at", "updated_at"}
	synthCapabilityCols = []string{"slug", "name", "category", "description", "lgsl_codes", "synthetic", "version", "created_at", "updated_at"}
	synthComponentCols  = []string{"slug", "name", "summary", "description", "vendor_id", "licence", "open_source", "hosting", "pricing",
		"lifecycle", "url", "repository_url", "synthetic", "version", "created_at", "updated_at"}
	synthAdoptionCols = []string{"council_id", "component_id", "capability_id", "status", "started_on", "ended_on", "contract_end_on",
		"source", "verified", "version", "created_at", "updated_at"}
	synthNeedCols = []string{"council_id", "capability_id", "needed_by", "status", "source", "version", "created_at", "updated_at"}
)

// synthWriter writes a synthetic world as rows, mapping its indexes to the ids they were stored under.
type synthWriter struct {
	w                                           *synth.World
	b                                           *bulk
	vendorIDs, capIDs, councilIDs, componentIDs []int64
}

// catalogue writes councils, vendors, capabilities and components with their links.
func (sw *synthWriter) catalogue(rep *SynthReport) error {
	w, b, tx := sw.w, sw.b, sw.b.tx
	var err error
	if rep.Councils, err = b.insert("councils", synthCouncilCols, len(w.Councils), sw.council); err != nil {
		return err
	}
	if rep.Vendors, err = b.insert("vendors", synthVendorCols, len(w.Vendors), sw.vendor); err != nil {
		return err
	}
	if rep.Capabilities, err = b.insert("capabilities", synthCapabilityCols, len(w.Capabilities), sw.capability); err != nil {
		return err
	}
	if sw.vendorIDs, err = idsOf(tx, "vendors", "slug", synth.VendorSlug, len(w.Vendors)); err != nil {
		return err
	}
	if sw.capIDs, err = idsOf(tx, "capabilities", "slug", func(i int) string { return w.Capabilities[i].Slug }, len(w.Capabilities)); err != nil {
		return err
	}
	if rep.Components, err = b.insert("components", synthComponentCols, len(w.Components), sw.component); err != nil {
		return err
	}
	if sw.councilIDs, err = idsOf(tx, "councils", "code", synth.CouncilCode, len(w.Councils)); err != nil {
		return err
	}
	if sw.componentIDs, err = idsOf(tx, "components", "slug", synth.ComponentSlug, len(w.Components)); err != nil {
		return err
	}
	return sw.links()
}

// links writes every (component, capability) pair and every component standard.
func (sw *synthWriter) links() error {
	var links [][2]int64
	var standards []synthStandard
	for i, c := range sw.w.Components {
		for _, ci := range c.Capabilities {
			links = append(links, [2]int64{sw.componentIDs[i], sw.capIDs[ci]})
		}
		for _, s := range c.Standards {
			standards = append(standards, synthStandard{sw.componentIDs[i], s})
		}
	}
	progress := sw.b.progress
	sw.b.progress = func(int) {} // links are not counted: they come with their components
	defer func() { sw.b.progress = progress }()
	if _, err := sw.b.insert("component_capabilities", []string{"component_id", "capability_id"}, len(links), func(i int, a []any) []any {
		return append(a, links[i][0], links[i][1])
	}); err != nil {
		return err
	}
	_, err := sw.b.insert("component_standards", []string{"component_id", "standard"}, len(standards), func(i int, a []any) []any {
		return append(a, standards[i].id, standards[i].standard)
	})
	return err
}

type synthStandard struct {
	id       int64
	standard string
}

// records writes adoptions and needs, once the rows they name have ids.
func (sw *synthWriter) records(rep *SynthReport) error {
	var err error
	if rep.Adoptions, err = sw.b.insert("adoptions", synthAdoptionCols, len(sw.w.Adoptions), sw.adoption); err != nil {
		return err
	}
	rep.Needs, err = sw.b.insert("needs", synthNeedCols, len(sw.w.Needs), sw.need)
	return err
}

func (sw *synthWriter) day(d synth.Day) string { return sw.w.Date(d).Format(time.DateOnly) }

func (sw *synthWriter) council(i int, a []any) []any {
	c := sw.w.Councils[i]
	status, end := "current", (*string)(nil)
	if !c.Current {
		status, end = "former", dateOf(c.EndDate)
	}
	var population *int // NULL when unknown
	if c.Population > 0 {
		population = &c.Population
	}
	return append(a, c.Code, c.AuthorityCode, c.Name, c.ShortName, c.Type, c.TypeName, c.Region, c.Nation,
		c.LowerOrUnitary, c.DeliversServices, c.Powers, population, status, end, true)
}

func (sw *synthWriter) vendor(i int, a []any) []any {
	v, now := sw.w.Vendors[i], sw.w.Today
	return append(a, v.Slug, v.Name, v.Website, v.Kind, v.Description, true, 1, now, now)
}

func (sw *synthWriter) capability(i int, a []any) []any {
	c, now := sw.w.Capabilities[i], sw.w.Today
	return append(a, c.Slug, c.Name, c.Category, c.Description, joinInts(c.LGSLCodes), false, 1, now, now)
}

func (sw *synthWriter) component(i int, a []any) []any {
	c, now := sw.w.Components[i], sw.w.Today
	return append(a, c.Slug, c.Name, c.Summary, c.Description, sw.vendorIDs[c.Vendor], c.Licence, c.Licence != nil,
		c.Hosting, c.Pricing, c.Lifecycle, c.URL, c.RepositoryURL, true, 1, now, now)
}

func (sw *synthWriter) adoption(i int, a []any) []any {
	ad, now := sw.w.Adoptions[i], sw.w.Today
	var ended, ends *string
	if ad.HasEnded {
		s := sw.day(ad.Ended)
		ended = &s
	}
	if ad.HasContract {
		s := sw.day(ad.ContractEnd)
		ends = &s
	}
	return append(a, sw.councilIDs[ad.Council], sw.componentIDs[ad.Component], sw.capIDs[ad.Capability], ad.Status,
		sw.day(ad.Started), ended, ends, "synthetic", ad.Verified, 1, now, now)
}

func (sw *synthWriter) need(i int, a []any) []any {
	n, now := sw.w.Needs[i], sw.w.Today
	return append(a, sw.councilIDs[n.Council], sw.capIDs[n.Capability], sw.day(n.NeededBy), n.Status, "synthetic", 1, now, now)
}
