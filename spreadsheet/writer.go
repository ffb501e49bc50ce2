package spreadsheet

import (
	"encoding/csv"
	"io"
	"regexp"
	"strings"
)

// Writer writes CSV records guarded against formula injection (a cell
// starting with = + - @ tab or CR gets an apostrophe in front), except
// for plain numbers: a longitude of -0.1183 is data, not a formula, and an
// apostrophe would turn it into text.
type Writer struct{ w *csv.Writer }

var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// NewWriter is a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{csv.NewWriter(w)} }

// Write writes one record, neutralising cells that would run as formulas.
func (s *Writer) Write(record []string) error {
	for i, v := range record {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) && !plainNumber.MatchString(v) {
			record[i] = "'" + v
		}
	}
	return s.w.Write(record)
}

// Flush writes what is buffered and reports any error from the writes.
func (s *Writer) Flush() error {
	s.w.Flush()
	return s.w.Error()
}
