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

// TestTextRefusesControlCharacters: NUL, escapes and the like are refused in
// every text field, by name, and nothing is written; line breaks are refused in
// one-line fields (names, codes) and kept in prose (descriptions, notes).
func TestTextRefusesControlCharacters(t *testing.T) {
	e := newSeededEnv(t, false)
	own := idOf(t, e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments", "status": "live"}, e.admin).wantStatus(http.StatusCreated).json())
	claim := idOf(t, e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-notify", "capability": "email-notifications", "status": "live"}, e.key("vendor", gds)).wantStatus(http.StatusCreated).json())
	newComponent := func(field, v string) map[string]any {
		c := map[string]any{"slug": "ctl", "name": "Ctl", "summary": "s", "vendor": gds, "capabilities": []string{"online-card-payments"}, "lifecycle": "alpha"}
		c[field] = v
		return c
	}
	reorganisation := func(name, notes string) map[string]any {
		return map[string]any{"predecessors": []string{lambeth, southwark}, "successor": map[string]any{"name": name}, "vesting_date": "2028-04-01", "notes": notes}
	}
	for _, tc := range []struct {
		name, method, path string
		body               func(v string) any
		field              string
		prose              bool // takes line breaks
	}{
		{"vendor name", "POST", "/api/v1/vendors", func(v string) any {
			return map[string]any{"slug": "ctl", "name": v, "website": "https://ctl.example"}
		}, "name", false},
		{"vendor description", "PATCH", "/api/v1/vendors/" + gds, func(v string) any { return map[string]any{"description": v} }, "description", true},
		{"capability name", "PATCH", "/api/v1/capabilities/online-card-payments", func(v string) any { return map[string]any{"name": v} }, "name", false},
		{"capability description", "POST", "/api/v1/capabilities", func(v string) any {
			return map[string]any{"slug": "ctl", "name": "Ctl", "category": "payments", "description": v}
		}, "description", true},
		{"component name", "POST", "/api/v1/components", func(v string) any { return newComponent("name", v) }, "name", false},
		{"component summary", "PATCH", "/api/v1/components/govuk-pay", func(v string) any { return map[string]any{"summary": v} }, "summary", false},
		{"component description", "POST", "/api/v1/components", func(v string) any { return newComponent("description", v) }, "description", true},
		{"adoption notes", "PATCH", fmt.Sprintf("/api/v1/adoptions/%d", own), func(v string) any { return map[string]any{"notes": v} }, "notes", true},
		{"adoption council", "POST", "/api/v1/adoptions", func(v string) any {
			return map[string]any{"council": v, "component": "govuk-pay", "status": "live"}
		}, "council", false},
		{"need notes", "POST", "/api/v1/needs", func(v string) any {
			return map[string]any{"council": lambeth, "capability": "appointment-booking", "needed_by": "2027-04-01", "notes": v}
		}, "notes", true},
		{"rejection reason", "POST", fmt.Sprintf("/api/v1/adoptions/%d/reject", claim), func(v string) any { return map[string]any{"reason": v} }, "reason", true},
		{"successor name", "POST", "/api/v1/reorganisations", func(v string) any { return reorganisation(v, "") }, "successor.name", false},
		{"reorganisation notes", "POST", "/api/v1/reorganisations", func(v string) any { return reorganisation("Ctl Council", v) }, "notes", true},
		{"webhook description", "POST", "/api/v1/webhooks", func(v string) any {
			return map[string]any{"url": "https://hooks.example.gov.uk/ctl", "description": v}
		}, "description", true},
		{"key name", "POST", "/api/v1/keys", func(v string) any { return map[string]any{"role": "admin", "name": v} }, "name", false},
		{"key org", "POST", "/api/v1/keys", func(v string) any { return map[string]any{"role": "vendor", "org": v} }, "org", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			before := e.guarded()
			for _, v := range []string{"a\x00b", "\x00", "a\x1bb", "a\x7fb", "a\x08b"} {
				p := e.do(tc.method, tc.path, tc.body(v), e.admin).wantProblem(http.StatusBadRequest, tc.field)
				if msg := fmt.Sprint(p["errors"]); !strings.Contains(msg, "control character U+00") {
					t.Errorf("%q: %s, want the control character named", v, msg)
				}
			}
			if !tc.prose {
				for _, v := range []string{"a\nb", "a\rb"} {
					e.do(tc.method, tc.path, tc.body(v), e.admin).wantProblem(http.StatusBadRequest, tc.field)
				}
			}
			if after := e.guarded(); after != before {
				t.Errorf("a refused write changed the database")
			}
			if tc.prose { // tabs and line breaks are prose's own
				if r := e.do(tc.method, tc.path, tc.body("one\tline\r\nand another\n"), e.admin); r.Code >= 300 {
					t.Errorf("prose with a tab and line breaks: %d %s", r.Code, r.Body.String())
				}
			}
		})
	}
}

// TestUnreadableQueryIsRefusedByName: a query string Go's parser cannot read (a
// bad %-escape, a ';') would otherwise lose the parameter silently; it is a 400
// naming it, and the rest of the query does not matter.
func TestUnreadableQueryIsRefusedByName(t *testing.T) {
	e := newSeededEnv(t, false)
	for path, param := range map[string]string{
		"/api/v1/stats/adoptions?capability=a;b": "capability", "/api/v1/components?q=%zz": "q",
		"/api/v1/councils?limit=5&region=100%": "region", "/api/v1/adoptions?council=E09000022;status=live": "council",
	} {
		e.do("GET", path, nil, "").wantProblem(http.StatusBadRequest, param)
	}
	e.do("GET", "/api/v1/components?q=100%25", nil, "").wantStatus(http.StatusOK) // a '%' written as %25 is read
}

// TestNULNeverReachesTheDatabase: a NUL in a query parameter is refused by
// name, and one in a path key, a spreadsheet or a publiccode.yml never becomes
// a 500 (PostgreSQL refuses NUL in text) and writes nothing.
func TestNULNeverReachesTheDatabase(t *testing.T) {
	e := newSeededEnv(t, false)
	for path, param := range map[string]string{
		"/api/v1/adoptions?council=%00": "council", "/api/v1/councils?q=a%00": "q", "/api/v1/councils?region=a%0Ab": "region",
		"/api/v1/components?q=%00": "q", "/api/v1/audit?actor=%00": "actor", "/api/v1/needs?council=%1b": "council",
		"/api/v1/projects?council=%00": "council", "/api/v1/reorganisations?council=%00": "council",
	} {
		e.do("GET", path, nil, e.admin).wantProblem(http.StatusBadRequest, param)
	}
	before := e.guarded()
	for _, path := range []string{"/api/v1/councils/%00", "/api/v1/vendors/a%00", "/api/v1/components/x%00/adoptions",
		"/api/v1/councils/%00/peers", "/api/v1/components/%ff/publiccode.yml", "/api/v1/programmes/%00"} {
		noServerError(t, e.do("GET", path, nil, e.admin))
	}
	noServerError(t, e.do("PATCH", "/api/v1/vendors/a%00", map[string]any{"name": "x"}, e.admin))
	sheet := "council,component,status,notes\nLam\x00beth,govuk-pay,live,x\nE09000022,govuk\x00pay,live,x\nE09000022,govuk-pay,live,n\x00\n"
	for _, query := range []string{"", "?strict=true", "?dry_run=true"} {
		noServerError(t, e.do("POST", "/api/v1/adoptions/import"+query, []byte(sheet), e.admin, "Content-Type", "text/csv"))
	}
	file := "publiccodeYmlVersion: \"0\"\nname: \"x\\0y\"\nurl: https://x.example/r\nplatforms: web\ndevelopmentStatus: stable\n" +
		"softwareType: library\ndescription: {en: {shortDescription: s}}\nlegal: {license: MIT}\ncategories: [survey]\n"
	e.importYAML("?vendor="+gds, []byte(file), e.admin).wantProblem(http.StatusBadRequest, "name")
	if e.guarded() != before {
		t.Error("a request holding a NUL changed the database")
	}
}

// TestHistoryShowsKeysToAdminsOnly: an adoption's history names who changed it
// by role and organisation to everyone, as the change feed does; only an admin
// also sees the prefix of the key behind each change.
func TestHistoryShowsKeysToAdminsOnly(t *testing.T) {
	e := newSeededEnv(t, false)
	council := e.key("council", lambeth)
	created := e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments", "status": "piloting"}, council).wantStatus(http.StatusCreated).json()
	path := fmt.Sprintf("/api/v1/adoptions/%d/history", idOf(t, created))
	e.do("PATCH", path[:strings.LastIndex(path, "/")], map[string]any{"status": "live"}, e.admin).wantStatus(http.StatusOK)
	for _, tc := range []struct {
		caller, key string
		keys        []any // each event's actor.key, nil where none is shown
	}{
		{"anonymous", "", []any{nil, nil}},
		{"a vendor", e.key("vendor", gds), []any{nil, nil}},
		{"another council", e.key("council", southwark), []any{nil, nil}},
		{"the council itself", council, []any{nil, nil}},
		{"an admin", e.admin, []any{keyPrefix(council), keyPrefix(e.admin)}},
	} {
		t.Run(tc.caller, func(t *testing.T) {
			r := e.in(t).do("GET", path, nil, tc.key).wantStatus(http.StatusOK)
			items := r.json()["items"].([]any)
			if len(items) != 2 {
				t.Fatalf("%d events, want created and updated", len(items))
			}
			for i, want := range []struct{ role, org string }{{"council", lambeth}, {"admin", ""}} {
				actor := items[i].(map[string]any)["actor"].(map[string]any)
				if actor["role"] != want.role || (want.org != "" && actor["org"] != want.org) || actor["key"] != tc.keys[i] {
					t.Errorf("event %d's actor %v, want role %s, org %q, key %v", i, actor, want.role, want.org, tc.keys[i])
				}
			}
			if tc.keys[0] == nil && strings.Contains(r.Body.String(), "ccr_") {
				t.Errorf("a key prefix is shown: %s", r.Body.String())
			}
		})
	}
}

// keyPrefix is the visible prefix of an API key: ccr_ and its id, before the secret.
func keyPrefix(key string) string {
	id, _, _ := strings.Cut(strings.TrimPrefix(key, models.KeyPrefix), "_")
	return models.KeyPrefix + id
}

// TestEvidenceSourceNeedsEvidence: an admin cannot call an adoption evidence-
// based without evidence (the API takes none); one a harvest backs may be.
func TestEvidenceSourceNeedsEvidence(t *testing.T) {
	e := newSeededEnv(t, false)
	own := idOf(t, e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments", "status": "live"}, e.admin).wantStatus(http.StatusCreated).json())
	before := e.guarded()
	e.do("POST", "/api/v1/adoptions", map[string]any{"council": southwark, "component": "govuk-pay", "capability": "online-card-payments", "status": "live", "source": "evidence"}, e.admin).wantProblem(http.StatusBadRequest, "source")
	e.do("PATCH", fmt.Sprintf("/api/v1/adoptions/%d", own), map[string]any{"source": "evidence", "notes": "seen"}, e.admin).wantProblem(http.StatusBadRequest, "source")
	if e.guarded() != before {
		t.Error("a refused write changed the database")
	}
	// An adoption public evidence shows may be put back to source evidence.
	backed := 0
	for _, it := range e.do("GET", "/api/v1/adoptions?limit=100", nil, "").json()["items"].([]any) {
		a := it.(map[string]any)
		for _, ev := range a["evidence"].([]any) {
			if a["source"] == "evidence" && ev.(map[string]any)["current"] == true {
				backed = idOf(t, a)
			}
		}
	}
	if backed == 0 {
		t.Fatal("the seeded data has no adoption resting on current evidence")
	}
	path := fmt.Sprintf("/api/v1/adoptions/%d", backed)
	if got := e.do("PATCH", path, map[string]any{"source": "admin"}, e.admin).wantStatus(http.StatusOK).json(); got["source"] != "admin" {
		t.Errorf("source %v, want admin", got["source"])
	}
	if got := e.do("PATCH", path, map[string]any{"source": "evidence"}, e.admin).wantStatus(http.StatusOK).json(); got["source"] != "evidence" {
		t.Errorf("source %v, want evidence", got["source"])
	}
}

// TestDependenciesFormNoCycle: a component cannot depend on itself nor on one
// that depends on it, however indirectly, by POST, PATCH or a publiccode.yml
// import; the refusal names depends_on (dependsOn in the file) and writes nothing.
func TestDependenciesFormNoCycle(t *testing.T) {
	e := newEnv(t)
	e.fixture() // acme-bookings depends on govuk-notify
	e.do("PATCH", "/api/v1/components/govuk-notify", map[string]any{"depends_on": []string{"govuk-pay"}}, e.admin).wantStatus(http.StatusOK)
	before := e.guarded()
	e.do("POST", "/api/v1/components", map[string]any{"slug": "loop", "name": "Loop", "summary": "s", "vendor": "acme",
		"capabilities": []string{"online-payments"}, "lifecycle": "alpha", "depends_on": []string{"loop"}}, e.admin).wantProblem(http.StatusBadRequest, "depends_on")
	e.do("PATCH", "/api/v1/components/govuk-pay", map[string]any{"depends_on": []string{"govuk-pay"}}, e.admin).wantProblem(http.StatusBadRequest, "depends_on")
	for _, tc := range []struct{ component, dependsOn, cycle string }{
		{"govuk-notify", "acme-bookings", "govuk-notify → acme-bookings → govuk-notify"},
		{"govuk-pay", "acme-bookings", "govuk-pay → acme-bookings → govuk-notify → govuk-pay"},
	} {
		p := e.do("PATCH", "/api/v1/components/"+tc.component, map[string]any{"depends_on": []string{tc.dependsOn}}, e.admin).wantProblem(http.StatusConflict, "depends_on")
		if msg := fmt.Sprint(p["errors"]); !strings.Contains(msg, tc.cycle) {
			t.Errorf("%s depending on %s: %s, want the cycle %s named", tc.component, tc.dependsOn, msg, tc.cycle)
		}
	}
	file := "publiccodeYmlVersion: \"0\"\nname: GOV.UK Pay\nurl: https://github.com/alphagov/pay-connector\nplatforms: [web]\n" +
		"developmentStatus: stable\nsoftwareType: standalone/web\ndescription: {en: {shortDescription: Online card payments for public services.}}\n" +
		"legal: {license: MIT}\ndependsOn: {open: [{name: Acme Bookings}]}\n"
	p := e.importYAML("?slug=govuk-pay&capabilities=online-payments", []byte(file), e.admin).wantProblem(http.StatusConflict, "dependsOn")
	if msg := fmt.Sprint(p["errors"]); !strings.Contains(msg, "govuk-pay → acme-bookings → govuk-notify → govuk-pay") {
		t.Errorf("import: %s, want the cycle named", msg)
	}
	if e.guarded() != before {
		t.Error("a refused dependency changed the database")
	}
	// Without the cycle the same file imports.
	e.do("PATCH", "/api/v1/components/govuk-notify", map[string]any{"depends_on": []string{}}, e.admin).wantStatus(http.StatusOK)
	if got := e.importYAML("?slug=govuk-pay&capabilities=online-payments", []byte(file), e.admin).wantStatus(http.StatusOK).json(); fmt.Sprint(got["component"].(map[string]any)["depends_on"]) != "[acme-bookings]" {
		t.Errorf("imported depends_on %v", got["component"].(map[string]any)["depends_on"])
	}
}
