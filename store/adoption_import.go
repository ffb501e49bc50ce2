package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// importBatch is how many rows a non-strict import writes per transaction:
// enough to spare a commit per row, few enough not to hold the writer long.
const importBatch = 200

// errRollback undoes a dry run, or a strict run with errors, after every row has been tried.
var errRollback = errors.New("roll back the import")

// ImportAdoptions records spreadsheet rows as adoptions through CreateAdoption
// and UpdateAdoption, so each row meets the API's rules and leaves the same
// history and audit entries. A row for a council and component with a current
// adoption updates it (empty cells leave fields alone); otherwise it creates
// one. Each row is a savepoint: a failed row leaves no trace. A dry run, or a
// strict run with any failed row, rolls everything back. progress, when set,
// hears the number of rows done.
func (s *Store) ImportAdoptions(ctx context.Context, actor models.Actor, rows []models.AdoptionImportRow, opt models.AdoptionImportOptions, progress func(done int)) (models.AdoptionImportReport, error) {
	rep := models.AdoptionImportReport{DryRun: opt.DryRun, Strict: opt.Strict, Rows: len(rows), Results: make([]models.AdoptionImportResult, 0, len(rows))}
	batch := importBatch
	if opt.DryRun || opt.Strict { // every row must see the earlier ones, and all stand or fall together
		batch = max(len(rows), 1)
	}
	for start := 0; start < len(rows); start += batch {
		chunk := rows[start:min(start+batch, len(rows))]
		var results []models.AdoptionImportResult
		err := s.write(ctx, func(tx *gorm.DB) error {
			results = results[:0]
			ts := inTx(s, tx)
			failed := 0
			for _, row := range chunk {
				res, err := ts.importAdoptionRow(ctx, tx, actor, row, opt.DryRun)
				if err != nil {
					return err
				}
				if res.Action == "failed" {
					failed++
				}
				results = append(results, res)
				if progress != nil {
					progress(start + len(results))
				}
			}
			if opt.DryRun || (opt.Strict && failed > 0) {
				return errRollback
			}
			return nil
		})
		if err != nil && !errors.Is(err, errRollback) {
			return rep, err
		}
		rep.Results = append(rep.Results, results...)
	}
	for _, r := range rep.Results {
		switch r.Action {
		case "created":
			rep.Created++
		case "updated":
			rep.Updated++
		case "unchanged":
			rep.Unchanged++
		default:
			rep.Failed++
		}
	}
	rep.Applied = !opt.DryRun && !(opt.Strict && rep.Failed > 0)
	if !rep.Applied {
		for i := range rep.Results { // nothing was kept, so there is no record to point at
			if rep.Results[i].Action == "created" {
				rep.Results[i].Adoption = nil
			}
		}
	}
	return rep, nil
}

// importAdoptionRow applies one row. A problem with the row is its result; an
// error means the import cannot go on (the database failed).
func (s *Store) importAdoptionRow(ctx context.Context, tx *gorm.DB, actor models.Actor, row models.AdoptionImportRow, dryRun bool) (models.AdoptionImportResult, error) {
	res := models.AdoptionImportResult{Row: row.Row, Council: row.Council, Component: row.Component}
	fail := func(err error) (models.AdoptionImportResult, error) {
		var e *models.Error
		if !errors.As(err, &e) {
			return res, err
		}
		res.Action = "failed"
		res.Errors = e.Fields
		if len(res.Errors) == 0 {
			res.Errors = []models.FieldError{{Field: "row", Message: e.Message}}
		}
		return res, nil
	}
	var p models.Problems
	council, err := findCouncil(tx, s.Names, *dateOf(s.Now()), row.Council)
	if err != nil {
		return res, err
	}
	if council.problem != "" {
		p.Add("council", "%s", council.problem)
	}
	component, err := findComponent(tx, row.Component)
	if err != nil {
		return res, err
	}
	if component.problem != "" {
		p.Add("component", "%s", component.problem)
	}
	if err := p.ErrWithCode(models.EUNPROCESSABLE, "the row names things that do not exist"); err != nil {
		return fail(err)
	}
	res.Council, res.Component = council.key, component.key
	row.Council, row.Component = council.key, component.key

	var current []int64
	if err := tx.Table("adoptions").Where("council_id = ? AND component_id = ? AND status <> ? AND rejected_at IS NULL",
		council.id, component.id, "retired").Pluck("id", &current).Error; err != nil {
		return res, err
	}
	if len(current) == 0 {
		in := row.Input(true)
		if err := in.Validate(true); err != nil {
			return fail(err)
		}
		a, err := s.CreateAdoption(ctx, actor, in)
		if err != nil {
			return fail(err)
		}
		res.Action, res.Adoption, res.Changes = "created", &a.ID, models.DiffAdoptions(models.Adoption{}, a)
		return res, nil
	}
	id := current[0]
	in := row.Input(false)
	if err := in.Validate(false); err != nil {
		return fail(err)
	}
	before, err := getAdoption(tx, id)
	if err != nil {
		return res, err
	}
	after, err := s.UpdateAdoption(ctx, actor, id, in, nil)
	if err != nil {
		return fail(err)
	}
	res.Adoption = &id
	if after.Version == before.Version {
		res.Action = "unchanged"
		return res, nil
	}
	res.Action, res.Changes = "updated", models.DiffAdoptions(before, after)
	return res, nil
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
