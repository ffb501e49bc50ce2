package spreadsheet

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

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
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Write([]string{"=HYPERLINK(\"x\")", "+1 555", "-0.1183", "@SUM", "\tx", "1e5", "plain", ""}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\"'=HYPERLINK(\"\"x\"\")\",'+1 555,-0.1183,'@SUM,'\tx,1e5,plain,\n"
	if got := buf.String(); got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
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
