package store

import (
	"context"
	"database/sql"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/reuse"
)

// reuseState is the in-memory reuse engine and the last audit entry it has
// seen. Every write goes through the audit log, so the log's highest id is a
// version of the whole database that all replicas share: an engine that has
// seen it is current, and one that has not catches up on the next read.
type reuseState struct {
	mu   sync.Mutex
	eng  *reuse.Engine
	seen int64
}

// Engine returns the reuse engine, first applying any writes (from this
// replica or another) that it has not seen.
func (s *Store) Engine(ctx context.Context) (*reuse.Engine, error) {
	// The version is read before taking the lock, so concurrent readers do not
	// queue behind one another's queries; an engine that has seen this version
	// or a later one is current for this caller.
	latest, err := s.Version(ctx)
	if err != nil {
		return nil, err
	}
	s.reuse.mu.Lock()
	defer s.reuse.mu.Unlock()
	db := s.r.WithContext(ctx)
	if s.reuse.eng != nil && latest <= s.reuse.seen {
		return s.reuse.eng, nil
	}
	if s.reuse.eng != nil {
		rebuild, err := s.applyChanges(ctx, db, s.reuse.eng, s.reuse.seen, latest)
		if err != nil {
			return nil, err
		}
		if !rebuild {
			s.reuse.seen = latest
			return s.reuse.eng, nil
		}
	}
	s.reuse.eng = nil // let the old engine go as soon as in-flight requests are done with it
	eng, err := loadEngine(ctx, db)
	if err != nil {
		return nil, err
	}
	// The rows it was built from (at national scale, more than the engine itself)
	// are garbage now: collect them and return the memory, or the collector would
	// let the heap grow to twice the size it had while loading.
	debug.FreeOSMemory()
	s.reuse.eng, s.reuse.seen = eng, latest
	return eng, nil
}

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

// applyChanges brings eng up to date with the writes logged after since; it
// reports rebuild when a change (such as a reseed) is too broad to apply piecemeal.
func (s *Store) applyChanges(ctx context.Context, db *gorm.DB, eng *reuse.Engine, since, until int64) (rebuild bool, err error) {
	rows, err := db.Raw("SELECT entity, entity_key FROM audit_log WHERE id > ? AND id <= ? ORDER BY id", since, until).Rows()
	if err != nil {
		return false, translate(err)
	}
	type change struct{ entity, key string }
	var changes []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.entity, &c.key); err != nil {
			rows.Close()
			return false, err
		}
		changes = append(changes, c)
	}
	rows.Close()
	// Applied in batches, even a large import is cheaper than a rebuild, which at
	// national scale takes seconds and, while it runs, memory for a second engine.
	if len(changes) > 100_000 {
		return true, nil
	}
	// Adoptions and needs are read in batches after the other changes: after a
	// burst of writes that is a few queries, not one per write under the lock.
	var adoptionIDs, needIDs []int64
	for _, c := range changes {
		switch c.entity {
		case "adoption":
			id, _ := strconv.ParseInt(c.key, 10, 64)
			adoptionIDs = append(adoptionIDs, id)
		case "need":
			id, _ := strconv.ParseInt(c.key, 10, 64)
			needIDs = append(needIDs, id)
		case "component":
			comps, err := loadEngineComponents(ctx, db, "WHERE c.slug = ?", c.key)
			if err != nil {
				return false, err
			}
			if len(comps) == 0 { // deleted: nobody can have adopted it, so it is simply never offered again
				comps = []reuse.Component{{Slug: c.key, Name: c.key, Lifecycle: "retired"}}
			}
			eng.PutComponent(comps[0])
		case "vendor": // a vendor's kind decides whether its components are in-house builds
			comps, err := loadEngineComponents(ctx, db, "WHERE v.slug = ?", c.key)
			if err != nil {
				return false, err
			}
			for _, comp := range comps {
				eng.PutComponent(comp)
			}
		case "capability":
			var name string
			err := db.Raw("SELECT name FROM capabilities WHERE slug = ?", c.key).Row().Scan(&name)
			if err == nil {
				eng.PutCapability(reuse.Capability{Slug: c.key, Name: name})
			} else if err != sql.ErrNoRows {
				return false, err
			}
		case "api_key", "webhook":
		default: // reference data, reorganisations and anything new: start again
			return true, nil
		}
	}
	return false, applyRecords(ctx, db, eng, adoptionIDs, needIDs)
}

// applyRecords puts the current state of the given adoptions and needs into
// eng, and deletes those that are gone (or, for adoptions, rejected).
func applyRecords(ctx context.Context, db *gorm.DB, eng *reuse.Engine, adoptionIDs, needIDs []int64) error {
	slices.Sort(adoptionIDs)
	adoptionIDs = slices.Compact(adoptionIDs)
	slices.Sort(needIDs)
	needIDs = slices.Compact(needIDs)
	for ids := range slices.Chunk(adoptionIDs, 500) {
		as, err := scanEngineAdoptions(db.Raw(engineAdoptionSQL+" WHERE a.id IN ? AND a.rejected_at IS NULL", ids).Rows())
		if err != nil {
			return err
		}
		found := make(map[int64]bool, len(as))
		for _, a := range as {
			eng.PutAdoption(a)
			found[a.ID] = true
		}
		for _, id := range ids {
			if !found[id] {
				eng.DeleteAdoption(id)
			}
		}
	}
	for ids := range slices.Chunk(needIDs, 500) {
		ns, err := scanEngineNeeds(db.Raw(engineNeedSQL+" WHERE n.id IN ?", ids).Rows())
		if err != nil {
			return err
		}
		found := make(map[int64]bool, len(ns))
		for _, n := range ns {
			eng.PutNeed(n)
			found[n.ID] = true
		}
		for _, id := range ids {
			if !found[id] {
				eng.DeleteNeed(id)
			}
		}
	}
	return nil
}

// loadEngine reads everything the engine needs, with plain SQL: at national
// scale these are millions of rows.
func loadEngine(ctx context.Context, db *gorm.DB) (*reuse.Engine, error) {
	var councils []reuse.Council
	rows, err := db.Raw(`SELECT code, short_name, type, region, nation, coalesce(population, 0),
		status = 'current', delivers_services FROM councils`).Rows()
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c reuse.Council
		if err := rows.Scan(&c.Code, &c.Name, &c.Type, &c.Region, &c.Nation, &c.Population, &c.Current, &c.DeliversServices); err != nil {
			rows.Close()
			return nil, err
		}
		councils = append(councils, c)
	}
	rows.Close()
	var caps []reuse.Capability
	rows, err = db.Raw("SELECT slug, name FROM capabilities").Rows()
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c reuse.Capability
		if err := rows.Scan(&c.Slug, &c.Name); err != nil {
			rows.Close()
			return nil, err
		}
		caps = append(caps, c)
	}
	rows.Close()
	comps, err := loadEngineComponents(ctx, db, "")
	if err != nil {
		return nil, err
	}
	var n int64 // sized up front: growing a slice of millions by doubling would hold two copies at once
	if err := db.Raw("SELECT count(*) FROM adoptions").Scan(&n).Error; err != nil {
		return nil, err
	}
	rows, err = db.Raw(engineAdoptionSQL + " WHERE a.rejected_at IS NULL").Rows()
	adoptions, err := scanEngineAdoptionsInto(make([]reuse.Adoption, 0, n), rows, err)
	if err != nil {
		return nil, err
	}
	needs, err := scanEngineNeeds(db.Raw(engineNeedSQL).Rows())
	if err != nil {
		return nil, err
	}
	eng := reuse.New(councils, caps, comps, adoptions, needs)
	planned, err := loadEnginePlanned(ctx, db)
	if err != nil {
		return nil, err
	}
	eng.SetReorganisations(planned) // planned mergers show in collaborations
	return eng, nil
}

func loadEngineComponents(ctx context.Context, db *gorm.DB, where string, args ...any) ([]reuse.Component, error) {
	rows, err := db.Raw(`SELECT c.id, c.slug, c.name, c.lifecycle, v.kind = 'in-house'
		FROM components c JOIN vendors v ON v.id = c.vendor_id `+where+` ORDER BY c.id`, args...).Rows()
	if err != nil {
		return nil, err
	}
	var comps []reuse.Component
	index := map[int64]int{}
	for rows.Next() {
		var id int64
		var c reuse.Component
		if err := rows.Scan(&id, &c.Slug, &c.Name, &c.Lifecycle, &c.InHouse); err != nil {
			rows.Close()
			return nil, err
		}
		index[id] = len(comps)
		comps = append(comps, c)
	}
	rows.Close()
	if len(comps) == 0 {
		return comps, nil
	}
	q := `SELECT cc.component_id, cap.slug FROM component_capabilities cc JOIN capabilities cap ON cap.id = cc.capability_id`
	if where != "" {
		q += ` JOIN components c ON c.id = cc.component_id JOIN vendors v ON v.id = c.vendor_id ` + where
	}
	rows, err = db.Raw(q, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			comps[i].Capabilities = append(comps[i].Capabilities, slug)
		}
	}
	return comps, rows.Err()
}

const engineAdoptionSQL = `SELECT a.id, co.code, p.slug, cap.slug, a.status, a.verified, coalesce(a.contract_end_on, '')
	FROM adoptions a JOIN councils co ON co.id = a.council_id JOIN components p ON p.id = a.component_id
	JOIN capabilities cap ON cap.id = a.capability_id`

func scanEngineAdoptions(rows *sql.Rows, err error) ([]reuse.Adoption, error) {
	return scanEngineAdoptionsInto(nil, rows, err)
}

// scanEngineAdoptionsInto appends to out. Codes, slugs and statuses repeat
// across millions of rows, so each distinct one is kept once (at national
// scale that is hundreds of megabytes less while the engine loads).
func scanEngineAdoptionsInto(out []reuse.Adoption, rows *sql.Rows, err error) ([]reuse.Adoption, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	strs := map[string]string{}
	intern := func(b sql.RawBytes) string {
		if s, ok := strs[string(b)]; ok {
			return s
		}
		s := string(b)
		strs[s] = s
		return s
	}
	var council, component, capability, status, contractEnd sql.RawBytes
	for rows.Next() {
		var a reuse.Adoption
		if err := rows.Scan(&a.ID, &council, &component, &capability, &status, &a.Verified, &contractEnd); err != nil {
			return nil, err
		}
		a.Council, a.Component, a.Capability, a.Status = intern(council), intern(component), intern(capability), intern(status)
		a.ContractEndOn = parseDay(string(contractEnd))
		out = append(out, a)
	}
	return out, rows.Err()
}

const engineNeedSQL = `SELECT n.id, co.code, cap.slug, n.needed_by, n.status FROM needs n
	JOIN councils co ON co.id = n.council_id JOIN capabilities cap ON cap.id = n.capability_id`

func scanEngineNeeds(rows *sql.Rows, err error) ([]reuse.Need, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []reuse.Need
	for rows.Next() {
		var n reuse.Need
		var by string
		if err := rows.Scan(&n.ID, &n.Council, &n.Capability, &by, &n.Status); err != nil {
			return nil, err
		}
		n.NeededBy = parseDay(by)
		out = append(out, n)
	}
	return out, rows.Err()
}

func parseDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
