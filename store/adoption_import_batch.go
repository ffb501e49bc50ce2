package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/council-components/registry/models"
)

// importPlan is what importing one row does: its result and, unless nothing
// changes, the record to write.
type importPlan struct {
	res     models.AdoptionImportResult
	write   *adoptionRow             // to insert (no id yet) or to save; nil when nothing is written
	before  *models.Adoption         // an update's record as stored
	changes map[string]models.Change // the history event's
}

// importCreations remembers what adoptionToCreate made of each row planned as
// a new adoption, by row number, with its component's version before the
// lookup: the batch that writes the row looks its references up again only if
// the component has been edited since.
type importCreations map[int]importCreation

type importCreation struct {
	a       models.Adoption
	refs    adoptionRefs
	err     error // the row's problem (a *models.Error), if any
	version int   // the component's version when looked up; 0 if it did not exist
}

// importWorld is what planning rows reads: each council and component's
// current adoption and each component's version, loaded for the rows at hand.
// Planning a row updates it, so a later row for the same council and component
// sees that row's outcome.
type importWorld struct {
	db        *gorm.DB // the read pool while planning, the write transaction while writing
	actor     models.Actor
	now       time.Time
	creations importCreations
	versions  map[string]int // component slug → version
	current   map[importPair]*importCurrent
}

// importCurrent is a council and component's current adoption: the record
// with its component's vendor, and the row as stored (no id yet if the import
// has only planned it).
type importCurrent struct {
	adoptionForWrite
	row adoptionRow
}

// planImport plans every row against the database as the read pool sees it, writing nothing.
func (s *Store) planImport(db *gorm.DB, actor models.Actor, creations importCreations, rows []importRow) ([]models.AdoptionImportResult, error) {
	w, err := loadImportWorld(db, actor, s.Now(), creations, rows, false)
	if err != nil {
		return nil, err
	}
	if err := w.lookUpCreations(rows); err != nil {
		return nil, err
	}
	out := make([]models.AdoptionImportResult, len(rows))
	for i, r := range rows {
		p, err := w.plan(r)
		if err != nil {
			return nil, err
		}
		out[i] = p.res
	}
	return out, nil
}

// writeImportBatch plans a batch's rows again against the database inside the
// write transaction tx (the rows' adoptions locked on PostgreSQL) and writes
// them together: the new adoptions, the updated ones, then their history
// events, in row order. It returns the rows' results and the writes' audit
// entries, for the caller to add (addAudits) before it commits. The rows name
// each council and component once.
func (s *Store) writeImportBatch(tx *gorm.DB, actor models.Actor, creations importCreations, rows []importRow) ([]models.AdoptionImportResult, []auditRow, error) {
	w, err := loadImportWorld(tx, actor, s.Now(), creations, rows, true)
	if err != nil {
		return nil, nil, err
	}
	plans := make([]importPlan, len(rows))
	var inserts, updates []adoptionRow
	for i, r := range rows {
		if plans[i], err = w.plan(r); err != nil {
			return nil, nil, err
		}
		switch p := plans[i]; {
		case p.write != nil && p.before == nil:
			inserts = append(inserts, *p.write)
		case p.write != nil:
			updates = append(updates, *p.write)
		}
	}
	if len(inserts) > 0 {
		if err := tx.CreateInBatches(&inserts, 100).Error; err != nil {
			return nil, nil, err
		}
	}
	if len(updates) > 0 { // a hundred to a statement: each insert meets its row's own id, and updates it
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}}, UpdateAll: true}).CreateInBatches(&updates, 100).Error
		if err != nil {
			return nil, nil, err
		}
	}
	for i := range plans {
		if p := &plans[i]; p.write != nil && p.before == nil {
			p.write.ID, inserts = inserts[0].ID, inserts[1:]
			p.res.Adoption = &p.write.ID
		}
	}
	entries, err := recordImported(tx, actor, w.now, plans)
	if err != nil {
		return nil, nil, err
	}
	out := make([]models.AdoptionImportResult, len(plans))
	for i, p := range plans {
		out[i] = p.res
	}
	return out, entries, nil
}

// recordImported writes the history events of the plans' writes, as every
// adoption write records them, and returns their audit entries.
func recordImported(tx *gorm.DB, actor models.Actor, now time.Time, plans []importPlan) ([]auditRow, error) {
	var ids []int64
	for _, p := range plans {
		if p.write != nil {
			ids = append(ids, p.write.ID)
		}
	}
	after := map[int64]models.Adoption{}
	for chunk := range slices.Chunk(ids, 500) {
		var views []adoptionView
		if err := adoptionsQuery(tx).Where("adoptions.id IN ?", chunk).Scan(&views).Error; err != nil {
			return nil, err
		}
		for _, v := range views {
			after[v.Row.ID] = v.model()
		}
	}
	var events []eventRow
	var entries []auditRow
	for _, p := range plans {
		if p.write == nil {
			continue
		}
		action, before := "updated", any(nil)
		if p.before == nil {
			action = "created"
		} else {
			before = *p.before
		}
		changes, err := json.Marshal(p.changes)
		if err != nil {
			return nil, err
		}
		events = append(events, eventRow{AdoptionID: p.write.ID, At: now, ActorKey: actor.Key, ActorRole: actor.Role,
			ActorOrg: actor.Org, Action: action, Changes: string(changes)})
		entry, err := auditEntry(actor, now, "adoption", fmt.Sprint(p.write.ID), action, before, after[p.write.ID])
		if err != nil {
			return nil, err
		}
		entries = append(entries, entry)
	}
	if len(events) == 0 {
		return nil, nil
	}
	return entries, tx.CreateInBatches(&events, 500).Error
}

// addAudits adds audit entries, in order, as audit adds one: on PostgreSQL
// under the lock that orders them, held from here to the commit.
func addAudits(tx *gorm.DB, entries []auditRow) error {
	if len(entries) == 0 {
		return nil
	}
	if err := orderAudit(tx); err != nil {
		return err
	}
	return tx.CreateInBatches(&entries, 200).Error
}

// loadImportWorld reads, through db, the current adoption of each council and
// component the rows name (lock: locking them, on PostgreSQL, for the write
// transaction db is) and the version of each component they name.
func loadImportWorld(db *gorm.DB, actor models.Actor, now time.Time, creations importCreations, rows []importRow, lock bool) (*importWorld, error) {
	w := &importWorld{db: db, actor: actor, now: now, creations: creations, versions: map[string]int{}, current: map[importPair]*importCurrent{}}
	var pairs []importPair
	var slugs []string
	for _, r := range rows {
		if r.problem != nil {
			continue
		}
		if _, ok := w.current[r.pair]; !ok {
			w.current[r.pair] = nil
			pairs = append(pairs, r.pair)
		}
		if !slices.Contains(slugs, r.Component) {
			slugs = append(slugs, r.Component)
		}
	}
	for chunk := range slices.Chunk(slugs, 500) {
		var versions []struct {
			Slug    string
			Version int
		}
		if err := db.Table("components").Select("slug, version").Where("slug IN ?", chunk).Scan(&versions).Error; err != nil {
			return nil, err
		}
		for _, v := range versions {
			w.versions[v.Slug] = v.Version
		}
	}
	for chunk := range slices.Chunk(pairs, 500) {
		where, args := pairsWhere(chunk)
		q := adoptionsQuery(db).Select(adoptionSelect+", vendors.slug AS vendor").
			Joins("JOIN vendors ON vendors.id = components.vendor_id").
			Where(currentAdoption("adoptions")).
			Where(where, args...).Order("adoptions.id")
		if lock && isPostgres(db) {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "adoptions"}})
		}
		var found []struct {
			View   adoptionView `gorm:"embedded"`
			Vendor string
		}
		if err := q.Scan(&found).Error; err != nil {
			return nil, err
		}
		for _, f := range found {
			pair := importPair{f.View.Row.CouncilID, f.View.Row.ComponentID}
			if w.current[pair] == nil {
				w.current[pair] = &importCurrent{adoptionForWrite{f.View.model(), f.Vendor}, f.View.Row}
			}
		}
	}
	return w, nil
}

// pairsWhere is a condition on adoptions that holds for the given councils
// and components alone, a term a council, which both engines answer from
// the index on council and component (SQLite scans the whole index for a
// list of (council_id, component_id) row values).
func pairsWhere(pairs []importPair) (string, []any) {
	byCouncil := map[int64][]int64{}
	var councils []int64
	for _, p := range pairs {
		if byCouncil[p.council] == nil {
			councils = append(councils, p.council)
		}
		byCouncil[p.council] = append(byCouncil[p.council], p.component)
	}
	terms := make([]string, len(councils))
	args := make([]any, 0, 2*len(councils))
	for i, c := range councils {
		terms[i] = "(adoptions.council_id = ? AND adoptions.component_id IN ?)"
		args = append(args, c, byCouncil[c])
	}
	return "(" + strings.Join(terms, " OR ") + ")", args
}

// plan is what importing r does in w, which it then brings up to date. A
// problem with the row is its result; an error means the database failed.
func (w *importWorld) plan(r importRow) (importPlan, error) {
	p := importPlan{res: models.AdoptionImportResult{Row: r.Row, Council: r.Council, Component: r.Component}}
	err := r.problem
	switch cur := w.current[r.pair]; {
	case err != nil:
	case cur == nil:
		err = w.planCreate(&p, r)
	default:
		err = w.planUpdate(&p, r, cur)
	}
	var e *models.Error
	if !errors.As(err, &e) {
		return p, err
	}
	failed := importPlan{res: models.AdoptionImportResult{Row: r.Row, Council: r.Council, Component: r.Component, Action: "failed", Errors: e.Fields}}
	if len(e.Fields) == 0 {
		failed.res.Errors = []models.FieldError{{Field: "row", Message: e.Message}}
	}
	return failed, nil
}

// planCreate plans a new adoption as CreateAdoption makes one.
func (w *importWorld) planCreate(p *importPlan, r importRow) error {
	in := r.Input(true)
	if err := in.Validate(true); err != nil {
		return err
	}
	c, err := w.toCreate(r.Row, in)
	if err != nil {
		return err
	}
	a := c.a
	if err := a.FinishDates(*dateOf(w.now)); err != nil {
		return err
	}
	row := newAdoptionRow(a, c.refs, w.now)
	p.res.Action, p.res.Changes = "created", models.DiffAdoptions(models.Adoption{}, a)
	p.write, p.changes = &row, createdChanges(row)
	w.settle(r.pair, row, a, c.refs.vendorSlug)
	return nil
}

// toCreate is adoptionToCreate's answer for the row numbered n, remembered
// while its component stays unedited.
func (w *importWorld) toCreate(n int, in models.AdoptionInput) (importCreation, error) {
	if c, ok := w.creations[n]; ok && c.version == w.versions[*in.Component] {
		return c, c.err
	}
	c, err := w.lookUpCreation(in)
	if err != nil {
		return c, err
	}
	w.creations[n] = c
	return c, c.err
}

// lookUpCreation asks adoptionToCreate about in; an error means the database failed.
func (w *importWorld) lookUpCreation(in models.AdoptionInput) (importCreation, error) {
	version := w.versions[*in.Component] // read before the lookup, so an edit during it is seen later
	a, refs, err := adoptionToCreate(w.db, w.actor, in)
	var e *models.Error
	if err != nil && !errors.As(err, &e) {
		return importCreation{}, err
	}
	return importCreation{a: a, refs: refs, err: err, version: version}, nil
}

// importLookups is how many rows' references planning looks up at once: the
// lookups are round trips, many to a row that creates an adoption.
const importLookups = 8

// lookUpCreations asks adoptionToCreate, importLookups rows at a time, about
// each row that creates an adoption as planning begins (the first row for a
// council and component with none), so that planning, row by row, finds the
// answers remembered.
func (w *importWorld) lookUpCreations(rows []importRow) error {
	var todo []importRow
	seen := map[importPair]bool{}
	for _, r := range rows {
		if r.problem != nil || seen[r.pair] {
			continue
		}
		seen[r.pair] = true
		if w.current[r.pair] == nil && r.Input(true).Validate(true) == nil {
			todo = append(todo, r)
		}
	}
	found := make([]importCreation, len(todo))
	errs := make([]error, len(todo))
	next := make(chan int)
	var wg sync.WaitGroup
	for range importLookups {
		wg.Go(func() {
			for i := range next {
				found[i], errs[i] = w.lookUpCreation(todo[i].Input(true))
			}
		})
	}
	for i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for i, r := range todo {
		w.creations[r.Row] = found[i]
	}
	return nil
}

// planUpdate plans a change to the current adoption cur as UpdateAdoption
// makes one: the checks of adoptionToUpdate on the record in hand, then the
// same change.
func (w *importWorld) planUpdate(p *importPlan, r importRow, cur *importCurrent) error {
	in := r.Input(false)
	if err := in.Validate(false); err != nil {
		return err
	}
	if err := w.actor.CanSetProvenance(in); err != nil {
		return err
	}
	if err := w.actor.CanWriteAdoption(cur.Council, cur.vendor, cur.Source, cur.Verified); err != nil {
		return err
	}
	next := cur.Adoption
	in.Apply(&next)
	if err := w.actor.CanSetPublicContact(cur.Council, cur.PublicContact, next.PublicContact); err != nil {
		return err
	}
	if err := checkContractSupplier(w.db, next.ContractSupplier); err != nil {
		return err
	}
	if err := cur.CheckUpdate(next); err != nil {
		return err
	}
	if err := next.FinishDates(*dateOf(w.now)); err != nil {
		return err
	}
	row, changes, err := changedAdoptionRow(w.db, w.actor, in, cur.Adoption, cur.row, next, w.now)
	if err != nil {
		return err
	}
	if id := cur.ID; id != 0 {
		p.res.Adoption = &id
	}
	if len(changes) == 0 {
		p.res.Action = "unchanged"
		return nil
	}
	p.res.Action, p.res.Changes = "updated", models.DiffAdoptions(cur.Adoption, next)
	p.write, p.before, p.changes = &row, &cur.Adoption, changes
	w.settle(r.pair, row, next, cur.vendor)
	return nil
}

// settle makes row (the adoption a, its component's vendor vendor) what later
// rows see for pair: the current adoption, or none once it is retired.
func (w *importWorld) settle(pair importPair, row adoptionRow, a models.Adoption, vendor string) {
	if !models.CurrentAdoption(row.Status, row.RejectedAt != nil) {
		w.current[pair] = nil
		return
	}
	v := adoptionView{Row: row, CouncilCode: a.Council, ComponentSlug: a.Component, CapabilitySlug: a.Capability}
	w.current[pair] = &importCurrent{adoptionForWrite{v.model(), vendor}, row}
}

// newAdoptionRow is the row CreateAdoption stores for a (its references refs), at now.
func newAdoptionRow(a models.Adoption, refs adoptionRefs, now time.Time) adoptionRow {
	row := adoptionRow{CouncilID: refs.councilID, ComponentID: refs.componentID, CapabilityID: refs.capabilityID,
		Status: a.Status, StartedOn: a.StartedOn, EndedOn: a.EndedOn, ContractEndOn: a.ContractEndOn, Notes: a.Notes,
		EvidenceURL: a.EvidenceURL, PublicContact: a.PublicContact, Source: a.Source, Verified: a.Verified, Version: 1, CreatedAt: now, UpdatedAt: now,
		ContractValueGBP: a.ContractValueGBP, ContractSupplier: a.ContractSupplier, ContractReference: a.ContractReference}
	if row.Verified {
		row.VerifiedOn, row.ConfirmedOn = dateOf(now), dateOf(now)
	}
	return row
}

// changedAdoptionRow is the row UpdateAdoption stores when actor, sending in,
// takes the adoption cur (stored as old) to next, and the changes that makes;
// none means there is nothing to write. A new capability is looked up through db.
func changedAdoptionRow(db *gorm.DB, actor models.Actor, in models.AdoptionInput, cur models.Adoption, old adoptionRow, next models.Adoption, now time.Time) (adoptionRow, map[string]models.Change, error) {
	row := old
	if next.Capability != cur.Capability {
		refs, err := resolveAdoptionRefs(db, cur.Council, cur.Component, next.Capability)
		if err != nil {
			return old, nil, err
		}
		row.CapabilityID = refs.capabilityID
	}
	row.Status, row.StartedOn, row.EndedOn, row.ContractEndOn = next.Status, next.StartedOn, next.EndedOn, next.ContractEndOn
	row.Notes, row.EvidenceURL, row.PublicContact = next.Notes, next.EvidenceURL, next.PublicContact
	row.ContractValueGBP, row.ContractSupplier, row.ContractReference = next.ContractValueGBP, next.ContractSupplier, next.ContractReference
	row.Source, row.Verified = actor.UpdatedProvenance(in, row.Source, row.Verified)
	changes := diffAdoption(old, row)
	if next.Capability != cur.Capability {
		changes["capability"] = models.Change{From: cur.Capability, To: next.Capability}
	}
	if len(changes) > 0 {
		row.Version++
		row.UpdatedAt = now
	}
	return row, changes, nil
}
