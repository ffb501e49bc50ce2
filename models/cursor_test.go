package models

import (
	"encoding/base64"
	"strings"
	"testing"
)

// TestCursors: a list takes back the cursors it issues and "" (the first page);
// every other string is refused with BadCursor, by lists of either kind.
func TestCursors(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	if k, ok, err := CursorKey[string](KeyCursor("E09000022")); err != nil || !ok || k != "E09000022" {
		t.Errorf("string key cursor read back as %q %v %v", k, ok, err)
	}
	if k, ok, err := CursorKey[int64](KeyCursor(int64(41))); err != nil || !ok || k != 41 {
		t.Errorf("id key cursor read back as %d %v %v", k, ok, err)
	}
	if n, err := CursorOffset(OffsetCursor(40)); err != nil || n != 40 {
		t.Errorf("offset cursor read back as %d %v", n, err)
	}
	if _, ok, err := CursorKey[string](""); ok || err != nil {
		t.Errorf("no cursor: %v %v, want the first page", ok, err)
	}
	if n, err := CursorOffset(""); n != 0 || err != nil {
		t.Errorf("no cursor: %d %v, want the first page", n, err)
	}
	for _, tc := range []struct {
		name, cursor             string
		stringKey, idKey, offset bool // which readers take it
	}{
		{"a slug key", enc(`{"a":"govuk-pay"}`), true, false, false},
		{"an id key", enc(`{"a":12}`), false, true, false},
		{"an offset", enc(`{"o":20}`), false, false, true},
		{"not base64", "!!!", false, false, false},
		{"padded", enc(`{"o":20}`) + "==", false, false, false},
		{"not JSON", enc("not json"), false, false, false},
		{"null", enc("null"), false, false, false},
		{"empty object", enc("{}"), false, false, false},
		{"null key", enc(`{"a":null}`), false, false, false},
		{"unknown member", enc(`{"z":1}`), false, false, false},
		{"both members", enc(`{"a":"x","o":1}`), false, false, false},
		{"array key", enc(`{"a":[1]}`), false, false, false},
		{"fractional id", enc(`{"a":1.5}`), false, false, false},
		{"zero offset", enc(`{"o":0}`), false, false, false},
		{"negative offset", enc(`{"o":-1}`), false, false, false},
		{"string offset", enc(`{"o":"3"}`), false, false, false},
		{"trailing data", enc(`{"o":5} {}`), false, false, false},
		{"a bare number", "20", false, false, false},
		{"too long", enc(`{"a":"` + strings.Repeat("x", 1024) + `"}`), false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, errS := CursorKey[string](tc.cursor)
			_, _, errI := CursorKey[int64](tc.cursor)
			_, errO := CursorOffset(tc.cursor)
			for _, r := range []struct {
				takes bool
				err   error
			}{{tc.stringKey, errS}, {tc.idKey, errI}, {tc.offset, errO}} {
				if r.takes {
					wantRuleErr(t, r.err, "", "")
					continue
				}
				wantRuleErr(t, r.err, EINVALID, invalidFields, "cursor")
				if msg := r.err.(*Error).Fields[0].Message; msg != CursorProblem {
					t.Errorf("message %q, want %q", msg, CursorProblem)
				}
			}
		})
	}
}
