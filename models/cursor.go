package models

import (
	"encoding/base64"
	"encoding/json"
)

// A list's next link carries an opaque cursor: base64url (unpadded) of a JSON
// object with one member, the last key of the page ("a") for lists in key
// order, or the offset of the next item ("o") for lists ranked or computed
// whole. Each list takes only the kind it issues; every other string is
// refused by every list alike, with BadCursor.

// CursorProblem is what every list says of a cursor it did not issue.
const CursorProblem = "is not a cursor this service issued; use the next link from a previous page"

// maxCursor bounds a cursor's length: keys are slugs and codes, far shorter.
const maxCursor = 1024

// BadCursor is the error for a cursor no list of this kind issues.
func BadCursor() error {
	var p Problems
	p.Add("cursor", CursorProblem)
	return p.Err()
}

// KeyCursor is the cursor of the page after the one whose last key is key.
func KeyCursor(key any) string { return encodeCursor("a", key) }

// OffsetCursor is the cursor of the page starting at item n (n > 0).
func OffsetCursor(n int) string { return encodeCursor("o", n) }

func encodeCursor(member string, v any) string {
	b, _ := json.Marshal(map[string]any{member: v})
	return base64.RawURLEncoding.EncodeToString(b)
}

// CursorKey reads a KeyCursor: the key the previous page ended at, and false
// for "" (the first page).
func CursorKey[K string | int64](s string) (K, bool, error) {
	var key K
	if s == "" {
		return key, false, nil
	}
	raw, err := cursorMember(s, "a")
	if err != nil || json.Unmarshal(raw, &key) != nil {
		return key, false, BadCursor()
	}
	return key, true, nil
}

// CursorOffset reads an OffsetCursor: 0 for "" (the first page).
func CursorOffset(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	var n int
	raw, err := cursorMember(s, "o")
	if err != nil || json.Unmarshal(raw, &n) != nil || n <= 0 {
		return 0, BadCursor()
	}
	return n, nil
}

// cursorMember is the value of s's one member, which must be member and not null.
func cursorMember(s, member string) (json.RawMessage, error) {
	if len(s) > maxCursor {
		return nil, BadCursor()
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c map[string]json.RawMessage
	if err != nil || json.Unmarshal(b, &c) != nil || len(c) != 1 || c[member] == nil || string(c[member]) == "null" {
		return nil, BadCursor()
	}
	return c[member], nil
}
