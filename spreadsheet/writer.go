package spreadsheet

import (
	"encoding/csv"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Writer writes CSV records guarded against formula injection: a cell a
// spreadsheet would run as a formula or command gets an apostrophe in front,
// except a plain number: a longitude of -0.1183 is data, not a formula, and an
// apostrophe would turn it into text.
type Writer struct{ w *csv.Writer }

// formulaStarts are the first characters that make a spreadsheet read a cell
// as a formula or a command: OWASP's list (= + - @ tab CR), NUL (OWASP ASVS),
// | (DDE commands such as cmd|' /c calc'!A1) and the full-width = + - @ | that
// spreadsheets in East Asian locales read as their ASCII forms.
const formulaStarts = "=+-@\t\r\x00|＝＋－＠｜"

var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// NewWriter is a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{csv.NewWriter(w)} }

// Write writes one record, neutralising cells that would run as formulas.
func (s *Writer) Write(record []string) error {
	for i, v := range record {
		record[i] = neutralised(v)
	}
	return s.w.Write(record)
}

// neutralised is v as Write writes it: with an apostrophe in front when it
// starts with one of formulaStarts and is not a plain number.
func neutralised(v string) string {
	first, _ := utf8.DecodeRuneInString(v)
	if v == "" || !strings.ContainsRune(formulaStarts, first) || plainNumber.MatchString(v) {
		return v
	}
	return "'" + v
}

// Flush writes what is buffered and reports any error from the writes.
func (s *Writer) Flush() error {
	s.w.Flush()
	return s.w.Error()
}
