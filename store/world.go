package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// The store is the reuse keeper's source (reuse.Source): the database version,
// the whole world, and what changed between two versions. Every write goes
// through the audit log, so the log's highest id is a version of the whole
// database that all replicas share.

// Version is the id of the newest audit entry: it changes with every write.
// It is read on every cacheable request, so it goes straight to the pool,
// past gorm's statement building.
func (s *Store) Version(ctx context.Context) (int64, error) {
	db, err := s.r.DB()
	if err != nil {
		return 0, err
	}
	var v sql.NullInt64
	err = db.QueryRowContext(ctx, "SELECT max(id) FROM audit_log").Scan(&v)
	return v.Int64, translate(err)
}

// LoadWorld reads everything the reuse engine is built from, with plain SQL:
// at national scale these are millions of rows. A read cut short is an error,
// never a smaller world.
func (s *Store) LoadWorld(ctx context.Context) (models.World, error) {
	db := s.r.WithContext(ctx)
	var w models.World
	rows, err := db.Raw(`SELECT code, short_name, type, region, nation, coalesce(population, 0),
		status = 'current', delivers_services FROM councils`).Rows()
	if w.Councils, err = scanRows(rows, err, scanWorldCouncil); err != nil {
		return models.World{}, err
	}
	rows, err = db.Raw("SELECT slug, name FROM capabilities").Rows()
	if w.Capabilities, err = scanRows(rows, err, scanWorldCapability); err != nil {
		return models.World{}, err
	}
	if w.Components, err = loadWorldComponents(db, ""); err != nil {
		return models.World{}, err
	}
	var n int64 // sized up front: growing a slice of millions by doubling would hold two copies at once
	if err := db.Raw("SELECT count(*) FROM adoptions").Scan(&n).Error; err != nil {
		return models.World{}, translate(err)
	}
	rows, err = db.Raw(worldAdoptionSQL + " WHERE " + counted("a")).Rows()
	if w.Adoptions, err = scanWorldAdoptions(make([]models.WorldAdoption, 0, n), rows, err, s.grader()); err != nil {
		return models.World{}, err
	}
	if err := quoteEvidence(db, w.Adoptions, nil); err != nil {
		return models.World{}, err
	}
	rows, err = db.Raw(worldNeedSQL).Rows()
	if w.Needs, err = scanRows(rows, err, scanWorldNeed); err != nil {
		return models.World{}, err
	}
	if w.Planned, err = loadEnginePlanned(ctx, db); err != nil {
		return models.World{}, err
	}
	return w, nil
}

// WorldChanges reads what the writes logged after since (up to until) changed.
// Adoptions and needs are read in batches after the other changes: after a
// burst of writes that is a few queries, not one per write.
func (s *Store) WorldChanges(ctx context.Context, since, until int64) (models.WorldChanges, error) {
	grade := s.grader()
	db := s.r.WithContext(ctx)
	// Applied in batches, even a large import is cheaper than a rebuild, which at
	// national scale takes seconds and, while it runs, memory for a second engine.
	w, err := readWritten(db, since, until, 100_000)
	if err != nil || w.broad {
		return models.WorldChanges{Rebuild: w.broad}, err
	}
	var ch models.WorldChanges
	for _, e := range w.entries {
		if err := worldEntityChange(db, &ch, e.entity, e.key); err != nil {
			return models.WorldChanges{}, err
		}
	}
	if err := worldRecordChanges(db, &ch, w.adoptions, w.needs, grade); err != nil {
		return models.WorldChanges{}, err
	}
	return ch, nil
}

// written is what the writes between two versions touched, as the audit log
// names it: the list pages' counts and the reuse engine take these in one by
// one, and start again from the database when broad is set.
type written struct {
	adoptions, needs []int64
	entries          []writtenEntry // components, vendors and capabilities, in the order written
	// broad: more entries than the caller applies one by one, or something
	// only a full read takes in (reference data, a reorganisation, anything new).
	broad bool
}

type writtenEntry struct{ entity, key string }

// readWritten reads the audit log's entries after since, up to until; more
// than most of them is broad.
func readWritten(db *gorm.DB, since, until int64, most int) (written, error) {
	rows, err := db.Raw("SELECT entity, entity_key FROM audit_log WHERE id > ? AND id <= ? ORDER BY id LIMIT ?", since, until, most+1).Rows()
	logged, err := scanRows(rows, err, func(r *sql.Rows) (e writtenEntry, err error) { return e, r.Scan(&e.entity, &e.key) })
	if err != nil || len(logged) > most {
		return written{broad: err == nil}, err
	}
	var w written
	for _, e := range logged {
		switch e.entity {
		case "adoption":
			w.adoptions = appendID(w.adoptions, e.key)
		case "need":
			w.needs = appendID(w.needs, e.key)
		case "component", "vendor", "capability":
			w.entries = append(w.entries, e)
		case "api_key", "webhook": // neither counts nor reuses anything
		default:
			return written{broad: true}, nil
		}
	}
	return w, nil
}

func appendID(ids []int64, key string) []int64 {
	id, _ := strconv.ParseInt(key, 10, 64)
	return append(ids, id)
}

// worldEntityChange adds the current state of a changed component, vendor or
// capability to ch.
func worldEntityChange(db *gorm.DB, ch *models.WorldChanges, entity, key string) error {
	switch entity {
	case "component":
		comps, err := loadWorldComponents(db, "WHERE c.slug = ?", key)
		if err != nil {
			return err
		}
		if len(comps) == 0 { // deleted: nobody can have adopted it, so it is simply never offered again
			comps = []models.WorldComponent{{Slug: key, Name: key, Lifecycle: "retired"}}
		}
		ch.Components = append(ch.Components, comps[0])
	case "vendor": // a vendor's kind decides whether its components are in-house builds
		comps, err := loadWorldComponents(db, "WHERE v.slug = ?", key)
		if err != nil {
			return err
		}
		ch.Components = append(ch.Components, comps...)
	case "capability":
		var name string
		err := db.Raw("SELECT name FROM capabilities WHERE slug = ?", key).Row().Scan(&name)
		if err == nil {
			ch.Capabilities = append(ch.Capabilities, models.WorldCapability{Slug: key, Name: name})
		} else if err != sql.ErrNoRows {
			return translate(err)
		}
	}
	return nil
}

// worldRecordChanges adds the current state of the given adoptions and needs
// to ch, and lists those that are gone (or, for adoptions, rejected or
// awaiting the council's verification: they do not count).
func worldRecordChanges(db *gorm.DB, ch *models.WorldChanges, adoptionIDs, needIDs []int64, grade grader) error {
	for ids := range slices.Chunk(sortedUnique(adoptionIDs), 500) {
		rows, err := db.Raw(worldAdoptionSQL+" WHERE a.id IN ? AND "+counted("a"), ids).Rows()
		as, err := scanWorldAdoptions(nil, rows, err, grade)
		if err != nil {
			return err
		}
		if err := quoteEvidence(db, as, ids); err != nil {
			return err
		}
		ch.Adoptions = append(ch.Adoptions, as...)
		ch.DeletedAdoptions = append(ch.DeletedAdoptions, missing(ids, as, func(a models.WorldAdoption) int64 { return a.ID })...)
	}
	for ids := range slices.Chunk(sortedUnique(needIDs), 500) {
		rows, err := db.Raw(worldNeedSQL+" WHERE n.id IN ?", ids).Rows()
		ns, err := scanRows(rows, err, scanWorldNeed)
		if err != nil {
			return err
		}
		ch.Needs = append(ch.Needs, ns...)
		ch.DeletedNeeds = append(ch.DeletedNeeds, missing(ids, ns, func(n models.WorldNeed) int64 { return n.ID })...)
	}
	return nil
}

// sortedUnique sorts s and drops its repeats, in place.
func sortedUnique[T cmp.Ordered](s []T) []T {
	slices.Sort(s)
	return slices.Compact(s)
}

// missing returns the ids that found does not hold.
func missing[T any](ids []int64, found []T, id func(T) int64) []int64 {
	have := make(map[int64]bool, len(found))
	for _, f := range found {
		have[id(f)] = true
	}
	var out []int64
	for _, i := range ids {
		if !have[i] {
			out = append(out, i)
		}
	}
	return out
}

func loadWorldComponents(db *gorm.DB, where string, args ...any) ([]models.WorldComponent, error) {
	type row struct {
		id int64
		c  models.WorldComponent
	}
	rows, err := db.Raw(`SELECT c.id, c.slug, c.name, c.lifecycle, v.kind = 'in-house', v.slug, v.name
		FROM components c JOIN vendors v ON v.id = c.vendor_id `+where+` ORDER BY c.id`, args...).Rows()
	rs, err := scanRows(rows, err, func(r *sql.Rows) (x row, err error) {
		return x, r.Scan(&x.id, &x.c.Slug, &x.c.Name, &x.c.Lifecycle, &x.c.InHouse, &x.c.Vendor, &x.c.VendorName)
	})
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	comps := make([]models.WorldComponent, len(rs))
	index := make(map[int64]int, len(rs))
	for i, x := range rs {
		comps[i], index[x.id] = x.c, i
	}
	q := `SELECT cc.component_id, cap.slug FROM component_capabilities cc JOIN capabilities cap ON cap.id = cc.capability_id`
	if where != "" {
		q += ` JOIN components c ON c.id = cc.component_id JOIN vendors v ON v.id = c.vendor_id ` + where
	}
	type link struct {
		id   int64
		slug string
	}
	rows, err = db.Raw(q, args...).Rows()
	links, err := scanRows(rows, err, func(r *sql.Rows) (l link, err error) { return l, r.Scan(&l.id, &l.slug) })
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if i, ok := index[l.id]; ok {
			comps[i].Capabilities = append(comps[i].Capabilities, l.slug)
		}
	}
	q = `SELECT cd.component_id, d.slug FROM component_dependencies cd JOIN components d ON d.id = cd.depends_on_id`
	if where != "" {
		q += ` JOIN components c ON c.id = cd.component_id JOIN vendors v ON v.id = c.vendor_id ` + where
	}
	rows, err = db.Raw(q+` ORDER BY d.slug`, args...).Rows()
	if links, err = scanRows(rows, err, func(r *sql.Rows) (l link, err error) { return l, r.Scan(&l.id, &l.slug) }); err != nil {
		return nil, err
	}
	for _, l := range links {
		if i, ok := index[l.id]; ok {
			comps[i].DependsOn = append(comps[i].DependsOn, l.slug)
		}
	}
	return comps, nil
}

const worldAdoptionSQL = `SELECT a.id, co.code, p.slug, cap.slug, a.status, a.verified, coalesce(a.contract_end_on, ''),
	a.source, coalesce(a.confirmed_on, ''), EXISTS (SELECT 1 FROM adoption_evidence e WHERE e.adoption_id = a.id AND e.current),
	coalesce(a.contract_supplier, '')
	FROM adoptions a JOIN councils co ON co.id = a.council_id JOIN components p ON p.id = a.component_id
	JOIN capabilities cap ON cap.id = a.capability_id`

// scanWorldAdoptions appends to out. Codes, slugs and statuses repeat across
// millions of rows, so each distinct one is kept once (at national scale that
// is hundreds of megabytes less while the engine loads).
func scanWorldAdoptions(out []models.WorldAdoption, rows *sql.Rows, err error, grade grader) ([]models.WorldAdoption, error) {
	strs := map[string]string{}
	intern := func(b sql.RawBytes) string {
		if s, ok := strs[string(b)]; ok {
			return s
		}
		s := string(b)
		strs[s] = s
		return s
	}
	var council, component, capability, status, contractEnd, source, confirmed, supplier sql.RawBytes
	var evidenced bool
	err = eachRow(rows, err, func(r *sql.Rows) error {
		var a models.WorldAdoption
		if err := r.Scan(&a.ID, &council, &component, &capability, &status, &a.Verified, &contractEnd, &source, &confirmed, &evidenced, &supplier); err != nil {
			return err
		}
		a.Council, a.Component, a.Capability, a.Status = intern(council), intern(component), intern(capability), intern(status)
		a.ContractEndOn = parseDay(string(contractEnd))
		a.ContractSupplier = intern(supplier)
		a.Strength = grade(string(source), a.Verified, string(confirmed), evidenced)
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// grader grades an adoption's strength from its row (see models.StrengthOf).
type grader func(source string, verified bool, confirmedOn string, evidenced bool) models.Strength

// grader grades on the store's today and freshness window.
func (s *Store) grader() grader {
	today, months := s.Now(), s.freshMonths()
	return func(source string, verified bool, confirmedOn string, evidenced bool) models.Strength {
		var on *string
		if confirmedOn != "" {
			on = &confirmedOn
		}
		return models.StrengthOf(source, verified, on, evidenced, today, months)
	}
}

// quoteEvidence gives each evidenced adoption (of ids; nil for all) the
// newest current item, as a reason quotes it: "GOV.UK Pay lists 2 live
// services for Cornwall Council, 3 Aug 2026".
func quoteEvidence(db *gorm.DB, as []models.WorldAdoption, ids []int64) error {
	q := "SELECT adoption_id, quote, observed_on FROM adoption_evidence WHERE current"
	args := []any{}
	if ids != nil {
		q += " AND adoption_id IN ?"
		args = append(args, ids)
	}
	type item struct {
		id          int64
		quote, date string
	}
	rows, err := db.Raw(q+" ORDER BY adoption_id, observed_on, id", args...).Rows()
	items, err := scanRows(rows, err, func(r *sql.Rows) (it item, err error) { return it, r.Scan(&it.id, &it.quote, &it.date) })
	if err != nil {
		return err
	}
	newest := make(map[int64]string, len(items))
	for _, it := range items { // ordered oldest first: the last one wins
		if d := parseDay(it.date); !d.IsZero() && it.quote != "" {
			newest[it.id] = it.quote + ", " + d.Format("2 Jan 2006")
		}
	}
	for i := range as {
		as[i].Evidence = newest[as[i].ID]
	}
	return nil
}

const worldNeedSQL = `SELECT n.id, co.code, cap.slug, n.needed_by, n.status FROM needs n
	JOIN councils co ON co.id = n.council_id JOIN capabilities cap ON cap.id = n.capability_id`

func scanWorldCouncil(r *sql.Rows) (c models.WorldCouncil, err error) {
	return c, r.Scan(&c.Code, &c.Name, &c.Type, &c.Region, &c.Nation, &c.Population, &c.Current, &c.DeliversServices)
}

func scanWorldCapability(r *sql.Rows) (c models.WorldCapability, err error) {
	return c, r.Scan(&c.Slug, &c.Name)
}

func scanWorldNeed(r *sql.Rows) (n models.WorldNeed, err error) {
	var by string
	err = r.Scan(&n.ID, &n.Council, &n.Capability, &by, &n.Status)
	n.NeededBy = parseDay(by)
	return n, err
}

// eachRow calls visit for every row and closes rows. Its error is the query's,
// the first visit's, or the one that cut the rows short (rows.Err: a cancelled
// context, a closed connection), so no caller mistakes a partial read for all.
func eachRow(rows *sql.Rows, err error, visit func(*sql.Rows) error) error {
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := visit(rows); err != nil {
			return translate(err)
		}
	}
	return translate(rows.Err())
}

// scanRows scans every row with scan; see eachRow for its errors.
func scanRows[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	var out []T
	err = eachRow(rows, err, func(r *sql.Rows) error {
		v, err := scan(r)
		out = append(out, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func parseDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
