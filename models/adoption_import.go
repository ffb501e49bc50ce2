package models

import (
	"strconv"
	"strings"
)

// AdoptionImportRow is one spreadsheet row, as written (cells trimmed); package
// spreadsheet reads them.
type AdoptionImportRow struct {
	Row                                                   int // the spreadsheet's row number: the header is row 1
	Council, Component, Capability, Status                string
	StartedOn, EndedOn, ContractEndOn, EvidenceURL, Notes string
	PublicContact                                         string
	ContractValueGBP, ContractSupplier, ContractReference string
}

// MaxAdoptionImportRows is the most rows one adoption import takes; a larger
// spreadsheet is refused whole (413) and is to be split.
const MaxAdoptionImportRows = 50_000

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

// Tally counts the results by action.
func (r *AdoptionImportReport) Tally() {
	r.Created, r.Updated, r.Unchanged, r.Failed = 0, 0, 0, 0
	for _, res := range r.Results {
		switch res.Action {
		case "created":
			r.Created++
		case "updated":
			r.Updated++
		case "unchanged":
			r.Unchanged++
		default:
			r.Failed++
		}
	}
}

// AdoptionImportResult is one row's outcome.
type AdoptionImportResult struct {
	Row       int               `json:"row" example:"7"`
	Action    string            `json:"action" example:"updated"` // created, updated, unchanged or failed
	Council   string            `json:"council" example:"E09000022"`
	Component string            `json:"component" example:"localgov-drupal"`
	Adoption  *int64            `json:"adoption" extensions:"x-nullable"` // the record created or updated; null for failures and for records not kept (a dry run's, a refused strict run's)
	Changes   map[string]Change `json:"changes,omitempty"`
	Errors    []FieldError      `json:"errors,omitempty"`
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
	in.PublicContact = null(row.PublicContact)
	in.ContractSupplier, in.ContractReference = null(row.ContractSupplier), null(row.ContractReference)
	in.ContractValueGBP = poundsCell(row.ContractValueGBP, create)
	return in
}

// poundsCell reads a contract value cell: whole pounds, with or without a £ sign and thousands
// separators. What is not a number is sent on as -1, which validation refuses naming the column.
func poundsCell(v string, create bool) NullInt64 {
	if v == "" {
		return NullInt64{Set: create}
	}
	n, err := strconv.ParseInt(strings.NewReplacer("£", "", ",", "").Replace(v), 10, 64)
	if err != nil {
		n = -1
	}
	return NullInt64{Set: true, Value: &n}
}

// DiffAdoptions lists the fields a spreadsheet can set that differ between two versions of an adoption.
func DiffAdoptions(before, after Adoption) map[string]Change {
	out := DiffTracked(before.Tracked(), after.Tracked())
	diff(out, "capability", before.Capability, after.Capability)
	return out
}

// TrackedAdoption is what an adoption's history records a change of whichever
// way the adoption is written (the API, a spreadsheet, evidence, a vesting):
// its status, dates, evidence and contact, contract and notes.
type TrackedAdoption struct {
	Status, Notes                                                 string
	StartedOn, EndedOn, ContractEndOn, EvidenceURL, PublicContact *string
	ContractValueGBP                                              *int64
	ContractSupplier, ContractReference                           *string
}

// Tracked is a's fields that its history tracks.
func (a Adoption) Tracked() TrackedAdoption {
	return TrackedAdoption{Status: a.Status, Notes: a.Notes, StartedOn: a.StartedOn, EndedOn: a.EndedOn,
		ContractEndOn: a.ContractEndOn, EvidenceURL: a.EvidenceURL, PublicContact: a.PublicContact,
		ContractValueGBP: a.ContractValueGBP, ContractSupplier: a.ContractSupplier, ContractReference: a.ContractReference}
}

// DiffTracked lists the tracked fields that differ between two versions of an adoption.
func DiffTracked(before, after TrackedAdoption) map[string]Change {
	out := map[string]Change{}
	diff(out, "status", before.Status, after.Status)
	diffNull(out, "started_on", before.StartedOn, after.StartedOn)
	diffNull(out, "ended_on", before.EndedOn, after.EndedOn)
	diffNull(out, "contract_end_on", before.ContractEndOn, after.ContractEndOn)
	diffNull(out, "evidence_url", before.EvidenceURL, after.EvidenceURL)
	diffNull(out, "public_contact", before.PublicContact, after.PublicContact)
	diffNull(out, "contract_value_gbp", before.ContractValueGBP, after.ContractValueGBP)
	diffNull(out, "contract_supplier", before.ContractSupplier, after.ContractSupplier)
	diffNull(out, "contract_reference", before.ContractReference, after.ContractReference)
	diff(out, "notes", before.Notes, after.Notes)
	return out
}

// diff records field's move from a to b in out when they differ.
func diff[T comparable](out map[string]Change, field string, a, b T) {
	if a != b {
		out[field] = Change{From: a, To: b}
	}
}

// diffNull is diff for optional values, which differ when one is null or what they point to does.
func diffNull[T comparable](out map[string]Change, field string, a, b *T) {
	if (a == nil) != (b == nil) || (a != nil && *a != *b) {
		out[field] = Change{From: a, To: b}
	}
}
