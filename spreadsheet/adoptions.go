package spreadsheet

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/council-components/registry/models"
)

// AdoptionColumns are the columns of an adoption spreadsheet. council
// is a GSS code or a council's name; component a slug or a component's name;
// capability is needed only when the component provides several.
var AdoptionColumns = []string{"council", "component", "capability", "status", "started_on", "ended_on",
	"contract_end_on", "evidence_url", "notes", "public_contact", "contract_value_gbp", "contract_supplier", "contract_reference"}

// adoptionColumnAliases are other headings spreadsheets use for the same columns.
var adoptionColumnAliases = map[string]string{
	"council_code": "council", "council_name": "council", "gss_code": "council",
	"component_slug": "component", "component_name": "component",
}

// ReadAdoptions reads an adoption spreadsheet saved as CSV: a header row
// naming the columns (any order, case and spacing), then one adoption a row.
// Problems with the file as a whole are returned; problems with a row's values
// are the store's, reported per row.
func ReadAdoptions(r io.Reader) ([]models.AdoptionImportRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, problem("body", "is empty: send a header row naming the columns, then one row per adoption")
	}
	if err != nil {
		return nil, csvError(err)
	}
	cols, err := adoptionHeader(header)
	if err != nil {
		return nil, err
	}
	var rows []models.AdoptionImportRow
	for n := 2; ; n++ { // spreadsheet rows: a cell holding a line break is still one row
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		row, blank, err := adoptionRow(n, record, cols)
		if err != nil {
			return nil, err
		}
		if !blank { // spreadsheets often end with empty rows
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return nil, problem("body", "has a header but no adoptions")
	}
	return rows, nil
}

// adoptionHeader names the column of each header cell ("" for a blank heading),
// reporting unknown, repeated and missing columns.
func adoptionHeader(header []string) ([]string, error) {
	var p models.Problems
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
		case !slices.Contains(AdoptionColumns, name):
			p.Add("header", "column %d, %q, is not a column of the adoption import; the columns are %s", i+1, h, strings.Join(AdoptionColumns, ", "))
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
	return cols, p.Err()
}

// adoptionRow is spreadsheet row n, and whether all its cells are empty.
func adoptionRow(n int, record, cols []string) (models.AdoptionImportRow, bool, error) {
	row := models.AdoptionImportRow{Row: n}
	cells := map[string]*string{
		"council": &row.Council, "component": &row.Component, "capability": &row.Capability, "status": &row.Status,
		"started_on": &row.StartedOn, "ended_on": &row.EndedOn, "contract_end_on": &row.ContractEndOn,
		"evidence_url": &row.EvidenceURL, "notes": &row.Notes, "public_contact": &row.PublicContact,
		"contract_value_gbp": &row.ContractValueGBP, "contract_supplier": &row.ContractSupplier, "contract_reference": &row.ContractReference,
	}
	blank := true
	for i, cell := range record {
		cell = strings.TrimSpace(cell)
		if i >= len(cols) {
			if cell != "" {
				return row, false, problem("body", fmt.Sprintf("row %d has a value in column %d, which has no heading", n, i+1))
			}
			continue
		}
		if cell != "" {
			blank = false
		}
		if cols[i] == "status" {
			cell = strings.ToLower(cell)
		}
		if dst, ok := cells[cols[i]]; ok {
			*dst = cell
		}
	}
	return row, blank, nil
}

func problem(field, msg string) error {
	var p models.Problems
	p.Add(field, "%s", msg)
	return p.Err()
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return problem("body", fmt.Sprintf("is not valid CSV: line %d, column %d: %v", pe.Line, pe.Column, pe.Err))
	}
	return problem("body", "could not be read as CSV")
}
