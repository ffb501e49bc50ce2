package spreadsheet

import (
	"archive/zip"
	"io"
	"reflect"
	"time"

	"github.com/council-components/registry/models"
)

// Archive writes a full export as a ZIP: one CSV file per table of
// models.ExportTables, with the lists' columns, then a README.md explaining them.
type Archive struct {
	zw     *zip.Writer
	at     time.Time
	out    *Writer
	table  string
	counts map[string]int
}

// NewArchive starts an archive on w whose files are dated at.
func NewArchive(w io.Writer, at time.Time) *Archive {
	return &Archive{zw: zip.NewWriter(w), at: at, counts: map[string]int{}}
}

// Sink receives the records of an export into the archive.
func (a *Archive) Sink() models.ExportSink {
	return models.ExportSink{
		Begin:      a.begin,
		Council:    func(v models.Council) error { return a.record(v) },
		Vendor:     func(v models.Vendor) error { return a.record(v) },
		Capability: func(v models.Capability) error { return a.record(v) },
		Component:  func(v models.Component) error { return a.record(v) },
		Adoption:   func(v models.Adoption) error { return a.record(v) },
	}
}

// begin ends the file being written and starts table's, with its header row.
func (a *Archive) begin(t string) error {
	if a.out != nil {
		if err := a.out.Flush(); err != nil {
			return err
		}
	}
	w, err := a.zw.CreateHeader(&zip.FileHeader{Name: t + ".csv", Method: zip.Deflate, Modified: a.at})
	if err != nil {
		return err
	}
	a.out, a.table = NewWriter(w), t
	return a.out.Write(headerOf(exportColumns[t]))
}

func (a *Archive) record(v any) error {
	a.counts[a.table]++
	return a.out.Write(recordOf(reflect.ValueOf(v), exportColumns[a.table]))
}

// Close ends the last file, adds the README (naming the database version the
// export was read at) and writes the ZIP's directory. An archive left unclosed
// after an error has no directory, so no client can take it for a whole one.
func (a *Archive) Close(version int64) error {
	if a.out != nil {
		if err := a.out.Flush(); err != nil {
			return err
		}
	}
	w, err := a.zw.CreateHeader(&zip.FileHeader{Name: "README.md", Method: zip.Deflate, Modified: a.at})
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(exportReadme(a.at, version, a.counts))); err != nil {
		return err
	}
	return a.zw.Close()
}
