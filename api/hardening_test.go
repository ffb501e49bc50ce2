package api_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/council-components/registry/models"
)

// listRoutes is every GET route the served document says takes a cursor, its
// path parameters filled from pathValues.
func (e *env) listRoutes(pathValues map[string]string) []string {
	e.t.Helper()
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if err := json.Unmarshal(e.do("GET", "/openapi.json", nil, "").wantStatus(http.StatusOK).Body.Bytes(), &doc); err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for path, ops := range doc.Paths {
		for _, p := range ops["get"].Parameters {
			if p.Name == "cursor" && p.In == "query" {
				for name, v := range pathValues {
					path = strings.ReplaceAll(path, "{"+name+"}", v)
				}
				if strings.Contains(path, "{") {
					e.t.Fatalf("no value for a parameter of %s", path)
				}
				out = append(out, path)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestEveryListRefusesAMalformedCursor walks every list with cursors no list
// issues: each is refused alike, 400 naming cursor with the one message.
func TestEveryListRefusesAMalformedCursor(t *testing.T) {
	e := newSeededEnv(t, false)
	adoption := e.do("GET", "/api/v1/adoptions?limit=1", nil, "").json()["items"].([]any)[0].(map[string]any)
	routes := e.listRoutes(map[string]string{"code": lambeth, "slug": "govuk-pay", "id": fmt.Sprint(adoption["id"])})
	if len(routes) < 20 {
		t.Fatalf("only %d list routes found: %v", len(routes), routes)
	}
	encoded := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	cursors := map[string]string{
		"not base64":         "!!!",
		"not JSON":           encoded("not json"),
		"JSON null":          encoded("null"),
		"empty object":       encoded("{}"),
		"unknown member":     encoded(`{"z":1}`),
		"both positions":     encoded(`{"a":"E09000022","o":5}`),
		"key of no type":     encoded(`{"a":[1]}`),
		"negative offset":    encoded(`{"o":-1}`),
		"a bare number":      "-1",
		"padded base64":      encoded(`{"o":5}`) + "==",
		"trailing data":      encoded(`{"o":5} {}`),
		"too long":           strings.Repeat("A", 1500),
		"NUL and high bytes": "%00%ff",
	}
	// A list in key order refuses an offset, a ranked one a key, and each takes its own next link.
	keyCursor, offsetCursor := encoded(`{"a":"E09000022"}`), encoded(`{"o":1}`)
	for _, path := range append(routes, "/api/v1/components?q=payments") {
		t.Run(path, func(t *testing.T) {
			e := e.in(t)
			for name, cur := range cursors {
				t.Run(name, func(t *testing.T) { e.in(t).wantBadCursor(path, cur) })
			}
			cursor := e.nextCursor(path)
			if cursor == "" {
				return // one item or none: no next page to take
			}
			e.do("GET", withQuery(path, "limit=1&cursor="+cursor), nil, e.admin).wantStatus(http.StatusOK)
			other := keyCursor
			if b, _ := base64.RawURLEncoding.DecodeString(cursor); strings.HasPrefix(string(b), `{"a"`) {
				other = offsetCursor
			}
			e.wantBadCursor(path, other)
		})
	}
}

// withQuery is path with query added to what it has.
func withQuery(path, query string) string {
	if strings.Contains(path, "?") {
		return path + "&" + query
	}
	return path + "?" + query
}

// nextCursor is the cursor of the second page of path, one item a page ("" when there is none).
func (e *env) nextCursor(path string) string {
	e.t.Helper()
	r := e.do("GET", withQuery(path, "limit=1"), nil, e.admin).wantStatus(http.StatusOK)
	link, _, _ := strings.Cut(strings.TrimPrefix(r.Header().Get("Link"), "<"), ">")
	next, err := url.Parse(link)
	if err != nil {
		e.t.Fatal(err)
	}
	return next.Query().Get("cursor")
}

// wantBadCursor checks that path answers cursor with 400 naming cursor and the
// one message every list gives.
func (e *env) wantBadCursor(path, cursor string) {
	e.t.Helper()
	p := e.do("GET", withQuery(path, "cursor="+cursor), nil, e.admin).wantProblem(http.StatusBadRequest, "cursor")
	if msg := p["errors"].([]any)[0].(map[string]any)["message"]; msg != models.CursorProblem {
		e.t.Errorf("cursor %.40q: message %q, want %q as on every list", cursor, msg, models.CursorProblem)
	}
}
