// Package spreadsheet speaks CSV, the format of spreadsheets: it reads
// adoption spreadsheets (the adoption import, handlers/interop.go and the
// "import adoptions" command) and writes the registry's resources as CSV rows,
// guarded against formula injection (the lists' text/csv and the full export).
package spreadsheet

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// column is one CSV column of a response type: a JSON field, with nested
// objects flattened into "parent.child" columns.
type column struct {
	name  string
	index []int // the field's path through the struct
}

var timeType = reflect.TypeFor[time.Time]()
var rawType = reflect.TypeFor[json.RawMessage]()

// columns lists T's columns in JSON field order. A type that is not a
// struct is one column, "value".
func columns(t reflect.Type) []column {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType {
		return []column{{name: "value"}}
	}
	return structColumns(t, "", nil)
}

func structColumns(t reflect.Type, prefix string, index []int) []column {
	var cols []column
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
		cols = append(cols, column{name: prefix + name, index: path})
	}
	return cols
}

// headerOf is the header row for cols.
func headerOf(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// recordOf is v's cells for cols: lists of text joined with ";", times in
// RFC 3339, nulls empty, anything more complex as JSON.
func recordOf(v reflect.Value, cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = cellOf(fieldAt(v, c.index))
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

func cellOf(v reflect.Value) string {
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
				parts[i] = cellOf(v.Index(i))
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

// Rows is a header and one record per item: the CSV of a list of resources,
// one column per JSON field (nested objects as "parent.child").
func Rows[T any](items []T) [][]string {
	cols := columns(reflect.TypeFor[T]())
	rows := make([][]string, 0, len(items)+1)
	rows = append(rows, headerOf(cols))
	for _, it := range items {
		rows = append(rows, recordOf(reflect.ValueOf(it), cols))
	}
	return rows
}
