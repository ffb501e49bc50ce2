package models

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// AdoptionImportColumns are the columns of an adoption spreadsheet. council
// is a GSS code or a council's name; component a slug or a component's name;
// capability is needed only when the component provides several.
var AdoptionImportColumns = []string{"council", "component", "capability", "status", "started_on", "ended_on",
	"contract_end_on", "evidence_url", "notes"}

// adoptionColumnAliases are other headings spreadsheets use for the same columns.
var adoptionColumnAliases = map[string]string{
	"council_code": "council", "council_name": "council", "gss_code": "council",
	"component_slug": "component", "component_name": "component",
}

// AdoptionImportRow is one spreadsheet row, as written (cells trimmed).
type AdoptionImportRow struct {
	Row                                                   int // the spreadsheet's row number: the header is row 1
	Council, Component, Capability, Status                string
	StartedOn, EndedOn, ContractEndOn, EvidenceURL, Notes string
}

// AdoptionImportOptions: DryRun reports what would change and writes nothing;
// Strict applies nothing when any row has an error.
type AdoptionImportOptions struct {
	DryRun, Strict bool
}

// AdoptionImportReport says what an import did (or, in a dry run, would do) row by row.
type AdoptionImportReport struct {
	DryRun    bool                   `json:"dry_run"`
	Strict    bool                   `json:"strict"`
	Applied   bool                   `json:"applied"` // whether the valid rows were written
	Rows      int                    `json:"rows" example:"120"`
	Created   int                    `json:"created" example:"80"`
	Updated   int                    `json:"updated" example:"30"`
	Unchanged int                    `json:"unchanged" example:"8"`
	Failed    int                    `json:"failed" example:"2"`
	Results   []AdoptionImportResult `json:"results"`
}

// AdoptionImportResult is one row's outcome.
type AdoptionImportResult struct {
	Row       int               `json:"row" example:"7"`
	Action    string            `json:"action" example:"updated"` // created, updated, unchanged or failed
	Council   string            `json:"council" example:"E09000022"`
	Component string            `json:"component" example:"localgov-drupal"`
	Adoption  *int64            `json:"adoption"` // the record created or updated; null in a dry run's creations and for failures
	Changes   map[string]Change `json:"changes,omitempty"`
	Errors    []FieldError      `json:"errors,omitempty"`
}

// ParseAdoptionCSV reads an adoption spreadsheet saved as CSV: a header row
// naming the columns (any order, case and spacing), then one adoption a row.
// Problems with the file as a whole are returned; problems with a row's values
// are the store's, reported per row.
func ParseAdoptionCSV(r io.Reader) ([]AdoptionImportRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, csvProblem("body", "is empty: send a header row naming the columns, then one row per adoption")
	}
	if err != nil {
		return nil, csvError(err)
	}
	var p Problems
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))))
		if alias, ok := adoptionColumnAliases[name]; ok {
			name = alias
		}
		switch {
		case name == "":
			continue // a blank heading: an empty spreadsheet column
		case !contains(AdoptionImportColumns, name):
			p.Add("header", "column %d, %q, is not a column of the adoption import; the columns are %s", i+1, h, strings.Join(AdoptionImportColumns, ", "))
		case seen[name]:
			p.Add("header", "column %q is given twice", name)
		}
		cols[i], seen[name] = name, true
	}
	for _, required := range []string{"council", "component", "status"} {
		if !seen[required] {
			p.Add("header", "has no %q column", required)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var rows []AdoptionImportRow
	for n := 2; ; n++ { // spreadsheet rows: a cell holding a line break is still one row
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		row := AdoptionImportRow{Row: n}
		blank := true
		for i, cell := range record {
			cell = strings.TrimSpace(cell)
			if i >= len(cols) {
				if cell != "" {
					return nil, csvProblem("body", fmt.Sprintf("row %d has a value in column %d, which has no heading", n, i+1))
				}
				continue
			}
			if cell != "" {
				blank = false
			}
			switch cols[i] {
			case "council":
				row.Council = cell
			case "component":
				row.Component = cell
			case "capability":
				row.Capability = cell
			case "status":
				row.Status = strings.ToLower(cell)
			case "started_on":
				row.StartedOn = cell
			case "ended_on":
				row.EndedOn = cell
			case "contract_end_on":
				row.ContractEndOn = cell
			case "evidence_url":
				row.EvidenceURL = cell
			case "notes":
				row.Notes = cell
			}
		}
		if !blank { // spreadsheets often end with empty rows
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return nil, csvProblem("body", "has a header but no adoptions")
	}
	return rows, nil
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

func csvProblem(field, msg string) error {
	var p Problems
	p.Add(field, "%s", msg)
	return p.Err()
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return csvProblem("body", fmt.Sprintf("is not valid CSV: line %d, column %d: %v", pe.Line, pe.Column, pe.Err))
	}
	return csvProblem("body", "could not be read as CSV")
}

// Input is the row as an adoption create (every cell) or update (only the cells
// with a value: an empty cell leaves the stored value alone).
func (row AdoptionImportRow) Input(create bool) AdoptionInput {
	var in AdoptionInput
	text := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	null := func(v string) NullString {
		if v == "" {
			return NullString{Set: create}
		}
		return NullString{Set: true, Value: &v}
	}
	if create {
		in.Council, in.Component = &row.Council, &row.Component
	}
	in.Capability, in.Status, in.Notes = text(row.Capability), text(row.Status), text(row.Notes)
	in.StartedOn, in.EndedOn, in.ContractEndOn, in.EvidenceURL = null(row.StartedOn), null(row.EndedOn), null(row.ContractEndOn), null(row.EvidenceURL)
	return in
}

// DiffAdoptions lists the fields a spreadsheet can set that differ between two versions of an adoption.
func DiffAdoptions(before, after Adoption) map[string]Change {
	out := map[string]Change{}
	text := func(field, a, b string) {
		if a != b {
			out[field] = Change{From: a, To: b}
		}
	}
	null := func(field string, a, b *string) {
		if (a == nil) != (b == nil) || (a != nil && *a != *b) {
			out[field] = Change{From: a, To: b}
		}
	}
	text("status", before.Status, after.Status)
	text("capability", before.Capability, after.Capability)
	null("started_on", before.StartedOn, after.StartedOn)
	null("ended_on", before.EndedOn, after.EndedOn)
	null("contract_end_on", before.ContractEndOn, after.ContractEndOn)
	null("evidence_url", before.EvidenceURL, after.EvidenceURL)
	text("notes", before.Notes, after.Notes)
	return out
}
