package handlers

import (
	"io"

	"github.com/council-components/registry/spreadsheet"
)

// The CSV encoding is package spreadsheet's; these short names are what the
// HTTP writers (writeCSV, writeCSV) call.

// csvRows is a header and one record per item.
func csvRows[T any](items []T) [][]string { return spreadsheet.Rows(items) }

// newSafeCSV writes CSV guarded against formula injection.
func newSafeCSV(w io.Writer) *spreadsheet.Writer { return spreadsheet.NewWriter(w) }
