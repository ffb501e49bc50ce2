package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// importBatch is the most rows one write transaction of an import holds: tens
// of milliseconds of the writer, so another writer waits no longer than that.
const importBatch = 500

// errRollback undoes a write after its outcome is known: a dry run, or a strict run with errors.
var errRollback = errors.New("roll back the import")

// ImportAdoptions records spreadsheet rows as adoptions under the rules of
// CreateAdoption and UpdateAdoption, with the same history and audit entries.
// A row for a council and component with a current adoption updates it (empty
// cells leave fields alone); otherwise it creates one; a failed row leaves no
// trace.
//
// The rows are planned first, by reads alone: names resolved, every rule
// checked, each row seeing the ones above it. A dry run, or a strict run with a
// failed row, ends there, without taking the write lock. Otherwise the rows
// are written in batches of importBatch, each its own short transaction, or,
// for a strict run, all in one transaction, quick because everything was
// resolved beforehand. Each batch plans its rows again against what the
// database then holds, so a write made since the planning is never undone; a
// strict run that finds a row failing then writes nothing. progress, when set,
// hears the number of rows written (in a dry run, planned).
func (s *Store) ImportAdoptions(ctx context.Context, actor models.Actor, rows []models.AdoptionImportRow, opt models.AdoptionImportOptions, progress func(done int)) (models.AdoptionImportReport, error) {
	rep := models.AdoptionImportReport{DryRun: opt.DryRun, Strict: opt.Strict, Rows: len(rows)}
	if len(rows) > models.MaxAdoptionImportRows {
		return rep, models.Errorf(models.ETOOLARGE, "the spreadsheet has %d rows; one import takes at most %d: split it into several files",
			len(rows), models.MaxAdoptionImportRows)
	}
	if progress == nil {
		progress = func(int) {}
	}
	db := s.r.WithContext(ctx)
	named, err := s.nameImportRows(db, rows)
	if err != nil {
		return rep, translate(err)
	}
	creations := importCreations{}
	planned, err := s.planImport(db, actor, creations, named)
	if err != nil {
		return rep, translate(err)
	}
	rep.Results, rep.Applied = planned, !opt.DryRun && !(opt.Strict && anyFailed(planned))
	if rep.Applied && opt.Strict {
		rep.Results, rep.Applied, err = s.writeImportAtOnce(ctx, actor, creations, named, planned, progress)
	} else if rep.Applied {
		rep.Results, err = s.writeImportInBatches(ctx, actor, creations, named, progress)
	} else {
		progress(len(rows))
	}
	if err != nil {
		return rep, err
	}
	rep.Tally()
	return rep, nil
}

// writeImportInBatches writes the rows a batch at a time, each batch in its own transaction.
func (s *Store) writeImportInBatches(ctx context.Context, actor models.Actor, creations importCreations, named []importRow, progress func(int)) ([]models.AdoptionImportResult, error) {
	results := make([]models.AdoptionImportResult, 0, len(named))
	for _, batch := range importBatches(named) {
		var written []models.AdoptionImportResult
		err := s.writeRacing(ctx, func(tx *gorm.DB) error {
			var entries []auditRow
			var err error
			if written, entries, err = s.writeImportBatch(tx, actor, creations, batch); err != nil {
				return err
			}
			return addAudits(tx, entries)
		})
		if err != nil {
			return nil, err
		}
		results = append(results, written...)
		progress(len(results))
	}
	return results, nil
}

// writeImportAtOnce writes every row in one transaction, which a row failing
// against the database as it now is rolls back: the results say so (applied
// false). planned are the rows' results from the planning, for the rows not
// reached. The audit entries go in last, so on PostgreSQL the lock that orders
// them, which every other write takes too, is held only for that.
func (s *Store) writeImportAtOnce(ctx context.Context, actor models.Actor, creations importCreations, named []importRow, planned []models.AdoptionImportResult, progress func(int)) ([]models.AdoptionImportResult, bool, error) {
	var results []models.AdoptionImportResult
	err := s.writeRacing(ctx, func(tx *gorm.DB) error {
		results = make([]models.AdoptionImportResult, 0, len(named))
		var entries []auditRow
		for _, batch := range importBatches(named) {
			written, audits, err := s.writeImportBatch(tx, actor, creations, batch)
			if err != nil {
				return err
			}
			results, entries = append(results, written...), append(entries, audits...)
			progress(len(results))
			if anyFailed(written) {
				return errRollback
			}
		}
		return addAudits(tx, entries)
	})
	if errors.Is(err, errRollback) {
		results = append(results, planned[len(results):]...)
		return notKept(results), false, nil
	}
	return results, err == nil, err
}

// writeRacing runs fn as s.write does, once more if it lost a race to create an
// adoption (PostgreSQL: another writer created the same council and component
// between fn's read and its insert); the second run plans against that record.
func (s *Store) writeRacing(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.write(ctx, fn)
	if models.ErrorCode(err) == models.ECONFLICT {
		err = s.write(ctx, fn)
	}
	return err
}

// importBatches cuts the rows into batches of at most importBatch, each naming
// a council and component once, so a batch can write all its rows together.
func importBatches(rows []importRow) [][]importRow {
	var out [][]importRow
	start, seen := 0, map[importPair]bool{}
	for i, r := range rows {
		if i-start == importBatch || (r.problem == nil && seen[r.pair]) {
			out = append(out, rows[start:i])
			start, seen = i, map[importPair]bool{}
		}
		if r.problem == nil {
			seen[r.pair] = true
		}
	}
	return append(out, rows[start:])
}

func anyFailed(results []models.AdoptionImportResult) bool {
	for _, r := range results {
		if r.Action == "failed" {
			return true
		}
	}
	return false
}

// notKept clears the records results name that were never kept: the creations of a run rolled back.
func notKept(results []models.AdoptionImportResult) []models.AdoptionImportResult {
	for i := range results {
		if results[i].Action == "created" {
			results[i].Adoption = nil
		}
	}
	return results
}

// importPair is a council and a component, by id.
type importPair struct{ council, component int64 }

// importRow is a spreadsheet row with the council and component it names
// resolved (its Council and Component become their code and slug), or the
// problem that leaves it failed whatever the database holds.
type importRow struct {
	models.AdoptionImportRow
	pair    importPair
	problem error
}

// nameImportRows finds the council and component each row names, looking each
// distinct name up once.
func (s *Store) nameImportRows(db *gorm.DB, rows []models.AdoptionImportRow) ([]importRow, error) {
	today := *dateOf(s.Now())
	councils, components := map[string]found{}, map[string]found{}
	out := make([]importRow, len(rows))
	for i, row := range rows {
		council, ok := councils[row.Council]
		if !ok {
			var err error
			if council, err = findCouncil(db, s.Names, today, row.Council); err != nil {
				return nil, err
			}
			councils[row.Council] = council
		}
		component, ok := components[row.Component]
		if !ok {
			var err error
			if component, err = findComponent(db, row.Component); err != nil {
				return nil, err
			}
			components[row.Component] = component
		}
		var p models.Problems
		if council.problem != "" {
			p.Add("council", "%s", council.problem)
		}
		if component.problem != "" {
			p.Add("component", "%s", component.problem)
		}
		out[i] = importRow{AdoptionImportRow: row, problem: p.ErrWithCode(models.EUNPROCESSABLE, "the row names things that do not exist")}
		if out[i].problem == nil {
			out[i].Council, out[i].Component = council.key, component.key
			out[i].pair = importPair{council.id, component.id}
		}
	}
	return out, nil
}

// found is a council or component a row names, or why it names none.
type found struct {
	id      int64
	key     string // the code or slug
	problem string
}

// findCouncil reads a GSS code, else a council's full or short name, preferring
// current councils to former ones with the same name, else the name as people
// write it, through the one council-name matcher (names may be nil).
func findCouncil(tx *gorm.DB, names *models.CouncilMatcher, today, v string) (found, error) {
	if v == "" {
		return found{problem: "is required: a GSS code such as E09000022, or the council's name"}, nil
	}
	var rows []councilRow
	if err := tx.Select("id, code, status").Where("code = ?", strings.ToUpper(v)).Find(&rows).Error; err != nil {
		return found{}, err
	}
	if len(rows) == 0 {
		err := tx.Select("id, code, status").Where("lower(name) = ? OR lower(short_name) = ?", strings.ToLower(v), strings.ToLower(v)).
			Order("code").Find(&rows).Error
		if err != nil {
			return found{}, err
		}
		var current []councilRow
		for _, r := range rows {
			if r.Status == "current" {
				current = append(current, r)
			}
		}
		if len(current) > 0 {
			rows = current
		}
	}
	if len(rows) == 0 {
		return matchCouncil(tx, names, today, v)
	}
	return onlyMatch(rows, func(r councilRow) (int64, string) { return r.ID, r.Code }, v, "councils", "GSS code"), nil
}

// matchCouncil places a name no council has exactly ("London Borough of
// Lambeth", "Cyngor Caerdydd"), or says why not: ambiguous names are reported
// with their candidates, never guessed.
func matchCouncil(tx *gorm.DB, names *models.CouncilMatcher, today, v string) (found, error) {
	none := found{problem: fmt.Sprintf("no council has the code or name %q", v)}
	if names == nil {
		return none, nil
	}
	m := names.Match(v, today)
	switch {
	case m.Outcome == models.MatchMatched && len(m.Codes) == 1:
		var row councilRow
		err := tx.Select("id, code").Where("code = ?", m.Code).Take(&row).Error
		if err == gorm.ErrRecordNotFound {
			return none, nil
		}
		return found{id: row.ID, key: row.Code}, err
	case len(m.Candidates) > 0:
		none.problem += fmt.Sprintf(" (%s; did you mean %s? use the GSS code)", m.Outcome, strings.Join(m.Candidates, ", "))
	}
	return none, nil
}

// findComponent reads a slug, else a component's name.
func findComponent(tx *gorm.DB, v string) (found, error) {
	if v == "" {
		return found{problem: "is required: a component slug such as govuk-pay, or its name"}, nil
	}
	var rows []componentRow
	if err := tx.Select("id, slug").Where("slug = ?", v).Find(&rows).Error; err != nil {
		return found{}, err
	}
	if len(rows) == 0 {
		if err := tx.Select("id, slug").Where("lower(name) = ?", strings.ToLower(v)).Order("slug").Find(&rows).Error; err != nil {
			return found{}, err
		}
	}
	if len(rows) == 0 {
		return found{problem: fmt.Sprintf("no component has the slug or name %q", v)}, nil
	}
	return onlyMatch(rows, func(r componentRow) (int64, string) { return r.ID, r.Slug }, v, "components", "slug"), nil
}

// onlyMatch is the one row v matched (key gives its id and its code or slug) or, when v matched
// several, the problem that lists them: v "names several <kinds> (...); use the <use>".
func onlyMatch[R any](rows []R, key func(R) (int64, string), v, kinds, use string) found {
	if len(rows) == 1 {
		id, k := key(rows[0])
		return found{id: id, key: k}
	}
	keys := make([]string, len(rows))
	for i, r := range rows {
		_, keys[i] = key(r)
	}
	return found{problem: fmt.Sprintf("%q names several %s (%s); use the %s", v, kinds, strings.Join(keys, ", "), use)}
}
