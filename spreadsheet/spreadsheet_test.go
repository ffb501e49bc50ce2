package spreadsheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/council-components/registry/models"
)

func TestReadAdoptionsHeadingsAndCells(t *testing.T) {
	sheet := "\ufeffGSS Code, Component-Name ,STATUS,,notes\n" +
		"E09000022, govuk-pay ,Live,,\"two\nlines\"\n" +
		",,,,\n" +
		"S12000036,notify,piloting\n"
	rows, err := ReadAdoptions(strings.NewReader(sheet))
	if err != nil {
		t.Fatal(err)
	}
	want := []models.AdoptionImportRow{
		{Row: 2, Council: "E09000022", Component: "govuk-pay", Status: "live", Notes: "two\nlines"},
		{Row: 4, Council: "S12000036", Component: "notify", Status: "piloting"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %+v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
}

func TestReadAdoptionsRefusesUnusableFiles(t *testing.T) {
	for _, tc := range []struct{ name, body, field string }{
		{"empty", "", "body"},
		{"unknown column", "council,component,statuss\nE09000022,govuk-pay,live\n", "header"},
		{"a column twice", "council,component,status,council_code\nE09000022,govuk-pay,live,x\n", "header"},
		{"header only", "council,component,status\n", "body"},
		{"a cell without a heading", "council,component,status\nE09000022,govuk-pay,live,extra\n", "body"},
		{"broken quoting", "council,component,status\n\"E09000022,govuk-pay,live\nx\"y,z,w\n", "body"},
	} {
		_, err := ReadAdoptions(strings.NewReader(tc.body))
		var e *models.Error
		if !errors.As(err, &e) || e.Code != models.EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
			t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
		}
	}
}

func TestWriterNeutralisesFormulasButNotNumbers(t *testing.T) {
	for _, tc := range []struct{ cell, want string }{
		{`=HYPERLINK("x")`, `'=HYPERLINK("x")`},
		{"+1 555", "'+1 555"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\r=1", "'\r=1"},
		{"\x00=1", "'\x00=1"},
		{"|cmd", "'|cmd"},
		{`cmd|' /c calc'!A1`, `cmd|' /c calc'!A1`}, // the pipe runs only at the start
		{"＝1+1", "'＝1+1"},
		{"＋1", "'＋1"},
		{"－1", "'－1"},
		{"＠SUM", "'＠SUM"},
		{"｜cmd", "'｜cmd"},
		// Plain numbers, text and nothing are left as they are.
		{"-0.1183", "-0.1183"},
		{"+44", "+44"},
		{"1e5", "1e5"},
		{"plain", "plain"},
		{"a=b", "a=b"},
		{"'quoted", "'quoted"},
		{"", ""},
	} {
		got, err := csv.NewReader(strings.NewReader(written(t, tc.cell, "next"))).Read()
		if err != nil || len(got) != 2 || got[0] != tc.want || got[1] != "next" {
			t.Errorf("%q written as %q (%v), want %q", tc.cell, got, err, tc.want)
		}
	}
	// A record as a whole: each cell neutralised or not, and quoted as CSV quotes it.
	want := "\"'=HYPERLINK(\"\"x\"\")\",'+1 555,-0.1183,'@SUM,'\tx,1e5,plain,\n"
	if got := written(t, "=HYPERLINK(\"x\")", "+1 555", "-0.1183", "@SUM", "\tx", "1e5", "plain", ""); got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}

// FuzzWriterNeutralises: whatever the cell, a reader gets it back as it was or
// behind an apostrophe, and never starting with a formula unless it is a number.
func FuzzWriterNeutralises(f *testing.F) {
	for _, seed := range []string{"=1+1", "|cmd", "＝1", "-0.1183", "plain", "", "\r\n=1", "\"=1\"", "\xff="} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		got, err := csv.NewReader(strings.NewReader(written(t, cell, "next"))).Read()
		if err != nil || len(got) != 2 {
			t.Fatalf("%q read back as %q, %v", cell, got, err)
		}
		sent := strings.ReplaceAll(cell, "\r\n", "\n") // a reader reads a quoted CRLF as LF
		if got[0] != sent && got[0] != "'"+sent {
			t.Errorf("%q read back as %q", cell, got[0])
		}
		if first, _ := utf8.DecodeRuneInString(got[0]); strings.ContainsRune(formulaStarts, first) && !plainNumber.MatchString(got[0]) {
			t.Errorf("%q read back as %q, a formula", cell, got[0])
		}
	})
}

// written is record as a Writer writes it.
func written(t *testing.T, record ...string) string {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Write(record); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestRowsFlattenResources(t *testing.T) {
	type inner struct {
		Code string `json:"code"`
	}
	type item struct {
		Name    string     `json:"name"`
		Tags    []string   `json:"tags"`
		Parent  *inner     `json:"parent"`
		When    time.Time  `json:"when"`
		Skipped string     `json:"-"`
		Maybe   *time.Time `json:"maybe"`
	}
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("BST", 3600))
	rows := Rows([]item{{Name: "a", Tags: []string{"x", "y"}, Parent: &inner{"E1"}, When: at}, {Name: "b"}})
	want := [][]string{
		{"name", "tags", "parent.code", "when", "maybe"},
		{"a", "x;y", "E1", "2024-05-01T11:00:00Z", ""},
		{"b", "", "", "", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("row %d: %q, want %q", i, rows[i], want[i])
		}
	}
}
