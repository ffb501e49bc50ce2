package handlers

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// csvColumn is one CSV column of a response type: a JSON field, with nested
// objects flattened into "parent.child" columns.
type csvColumn struct {
	name  string
	index []int // the field's path through the struct
}

var timeType = reflect.TypeFor[time.Time]()
var rawType = reflect.TypeFor[json.RawMessage]()

// csvColumns lists T's columns in JSON field order. A type that is not a
// struct is one column, "value".
func csvColumns(t reflect.Type) []csvColumn {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType {
		return []csvColumn{{name: "value"}}
	}
	return structColumns(t, "", nil)
}

func structColumns(t reflect.Type, prefix string, index []int) []csvColumn {
	var cols []csvColumn
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		path := append(append([]int{}, index...), i)
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct { // embedded: its fields are promoted, as in JSON
			cols = append(cols, structColumns(ft, prefix, path)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		if ft.Kind() == reflect.Struct && ft != timeType {
			cols = append(cols, structColumns(ft, prefix+name+".", path)...)
			continue
		}
		cols = append(cols, csvColumn{name: prefix + name, index: path})
	}
	return cols
}

// csvHeader is the header row for cols.
func csvHeader(cols []csvColumn) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// csvRecord is v's cells for cols: lists of text joined with ";", times in
// RFC 3339, nulls empty, anything more complex as JSON.
func csvRecord(v reflect.Value, cols []csvColumn) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = csvCell(fieldAt(v, c.index))
	}
	return out
}

// fieldAt follows index through v, stopping (invalid) at a nil pointer.
func fieldAt(v reflect.Value, index []int) reflect.Value {
	for _, i := range index {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v
}

func csvCell(v reflect.Value) string {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return ""
	}
	switch {
	case v.Type() == timeType:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	case v.Type() == rawType:
		if s := string(v.Bytes()); s != "null" {
			return s
		}
		return ""
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64)
	case reflect.Slice, reflect.Array:
		if simple(v.Type().Elem()) {
			parts := make([]string, v.Len())
			for i := range v.Len() {
				parts[i] = csvCell(v.Index(i))
			}
			return strings.Join(parts, ";")
		}
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return ""
	}
	return string(b)
}

// simple reports whether a list of t reads well as "a;b;c".
func simple(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// csvRows is a header and one record per item.
func csvRows[T any](items []T) [][]string {
	cols := csvColumns(reflect.TypeFor[T]())
	rows := make([][]string, 0, len(items)+1)
	rows = append(rows, csvHeader(cols))
	for _, it := range items {
		rows = append(rows, csvRecord(reflect.ValueOf(it), cols))
	}
	return rows
}

// safeCSV writes CSV records guarded against formula injection (a cell
// starting with = + - @ tab or CR gets an apostrophe in front), except
// for plain numbers: a longitude of -0.1183 is data, not a formula, and an
// apostrophe would turn it into text.
type safeCSV struct{ w *csv.Writer }

var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func newSafeCSV(w io.Writer) *safeCSV { return &safeCSV{csv.NewWriter(w)} }

func (s *safeCSV) Write(record []string) error {
	for i, v := range record {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) && !plainNumber.MatchString(v) {
			record[i] = "'" + v
		}
	}
	return s.w.Write(record)
}

func (s *safeCSV) Flush() error {
	s.w.Flush()
	return s.w.Error()
}
