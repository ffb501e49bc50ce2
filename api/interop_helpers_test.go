package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"testing"
)

// unzip reads every file of an archive, failing on a damaged one.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a ZIP archive: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = data
	}
	return out
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, b)
	}
	return rows
}

// atomSummary is what the tests read from an Atom feed.
type atomSummary struct {
	Next    string
	Entries []struct{ Title, Author, Link, Summary string }
}

func parseAtom(t *testing.T, b []byte) atomSummary {
	t.Helper()
	var feed struct {
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Entries []struct {
			Title  string `xml:"http://www.w3.org/2005/Atom title"`
			Author string `xml:"http://www.w3.org/2005/Atom author>name"`
			Link   struct {
				Href string `xml:"href,attr"`
			} `xml:"http://www.w3.org/2005/Atom link"`
			Summary string `xml:"http://www.w3.org/2005/Atom summary"`
		} `xml:"http://www.w3.org/2005/Atom entry"`
	}
	if err := xml.Unmarshal(b, &feed); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b)
	}
	var out atomSummary
	for _, l := range feed.Links {
		if l.Rel == "next" {
			out.Next = l.Href
		}
	}
	for _, e := range feed.Entries {
		out.Entries = append(out.Entries, struct{ Title, Author, Link, Summary string }{e.Title, e.Author, e.Link.Href, e.Summary})
	}
	return out
}
