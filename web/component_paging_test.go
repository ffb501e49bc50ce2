package web_test

import (
	"sort"
	"strings"
	"testing"
)

// A component's adopters come 50 of each status a page, by council name,
// with GOV.UK pagination; every adopter is on exactly one page, the map still
// shows all of them, and a page past the last is not found.
func TestComponentPageAdoptersPaged(t *testing.T) {
	e := newEnv(t)
	const slug = "localgov-drupal"
	var want []string // every live adopter
	adopting := map[string]bool{}
	for _, a := range e.allItems("/api/v1/adoptions?component=" + slug + "&limit=100") {
		adopting[a["council"].(string)] = true
		if a["status"] == "live" {
			want = append(want, "/councils/"+a["council"].(string))
		}
	}
	for _, c := range e.allItems("/api/v1/councils?limit=100") {
		if code := c["code"].(string); !adopting[code] && len(want) < 75 {
			e.post("/api/v1/adoptions", `{"council":"`+code+`","component":"`+slug+`","capability":"website-content-management","status":"live"}`,
				e.adminKey()).want(201, "application/json")
			want = append(want, "/councils/"+code)
		}
	}
	if len(want) != 75 {
		t.Fatalf("%d live adopters: a useless case", len(want))
	}

	first := e.get("/components/"+slug).want(200, "text/html").Body.String()
	for _, s := range []string{"1 to 50 of 75, by council name", `href="/components/` + slug + `?page=2"`,
		`href="/api/v1/adoptions?component=` + slug + `&amp;format=csv&amp;limit=100"`} {
		if !strings.Contains(first, s) {
			t.Errorf("page 1 lacks %q", s)
		}
	}
	second := e.get("/components/"+slug+"?page=2").want(200, "text/html").Body.String()
	if !strings.Contains(second, "51 to 75 of 75, by council name") {
		t.Error("page 2 does not say which adopters it shows")
	}
	var got []string
	for _, page := range []string{first, second} {
		start := strings.Index(page, `id="adopters-live"`)
		if start < 0 {
			t.Fatal("no live adopters table")
		}
		got = append(got, linksUnder(page[start:start+strings.Index(page[start:], "</table>")], "/councils/")...)
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("live adopters over both pages\n%v\nwant\n%v", got, want)
	}
	if strings.Count(first, `class="app-map__dot app-map__adopter`) != strings.Count(second, `class="app-map__dot app-map__adopter`) {
		t.Error("the map differs between pages")
	}

	e.get("/components/"+slug+"?page=3").want(404, "text/html")
	for _, bad := range []string{"0", "two", "-1"} {
		e.get("/components/"+slug+"?page="+bad).want(400, "text/html")
	}
}
