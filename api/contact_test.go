package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// contactOf is adoption id's public_contact as stored, "NULL" when there is none.
func (e *env) contactOf(id int) string {
	e.t.Helper()
	return strings.TrimSpace(e.rowsOf("SELECT COALESCE(public_contact, 'NULL') FROM adoptions WHERE id = ?", id))
}

// A council publishes, changes and removes the public contact of its own
// adoptions; a vendor cannot set it, not even on its own pending claim; a bad
// address is refused naming the field; the field reaches the CSV, the export
// and the history.
func TestPublicContactIsTheCouncils(t *testing.T) {
	e := newSeededEnv(t, false)
	lam, swk, vendor := e.key("council", lambeth), e.key("council", southwark), e.key("vendor", gds)

	// The council records an adoption with a contact.
	a := e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-pay", "capability": "online-card-payments",
		"status": "live", "public_contact": "digital@lambeth.example"}, lam).wantStatus(http.StatusCreated).json()
	id := idOf(t, a)
	if a["public_contact"] != "digital@lambeth.example" {
		t.Fatalf("public_contact = %v", a["public_contact"])
	}
	if got := e.contactOf(id); got != `["digital@lambeth.example"]` {
		t.Fatalf("stored public_contact = %s", got)
	}
	path := fmt.Sprintf("/api/v1/adoptions/%d", id)

	// It changes it to a contact page: 200, the row and GET agree.
	page := "https://www.lambeth.example/contact-digital"
	e.do("PATCH", path, map[string]any{"public_contact": page}, lam).wantStatus(http.StatusOK)
	if got := e.contactOf(id); got != `["`+page+`"]` {
		t.Fatalf("stored public_contact = %s", got)
	}
	if got := e.do("GET", path, nil, "").wantStatus(http.StatusOK).json()["public_contact"]; got != page {
		t.Fatalf("GET public_contact = %v", got)
	}
	if h := e.history(id); h[len(h)-1]["changes"].(map[string]any)["public_contact"] == nil {
		t.Errorf("the history does not record the change: %v", h[len(h)-1])
	}

	// Bad addresses are refused naming the field; nothing changes.
	before := e.snapshot()
	for _, bad := range []string{"not an address", "digital@localhost", "http://www.lambeth.example/contact", "javascript:alert(1)",
		"mailto:digital@lambeth.example", "Digital <digital@lambeth.example>", "", "digital@lambeth\u0000.example",
		"https://www.lambeth.example/" + strings.Repeat("a", 500)} {
		t.Run(fmt.Sprintf("%.30q", bad), func(t *testing.T) {
			e.in(t).do("PATCH", path, map[string]any{"public_contact": bad}, lam).wantProblem(http.StatusBadRequest, "public_contact")
		})
	}
	e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-notify", "capability": "email-notifications",
		"status": "live", "public_contact": "nobody"}, lam).wantProblem(http.StatusBadRequest, "public_contact")
	e.do("PATCH", path, map[string]any{"public_contact": page}, swk).wantProblem(http.StatusForbidden)
	if after := e.snapshot(); after != before {
		t.Fatal("a refused write changed the database")
	}

	// A vendor's claim cannot carry one, and the vendor cannot add one to its pending claim.
	p := e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-notify", "capability": "email-notifications",
		"status": "live", "public_contact": "sales@vendor.example"}, vendor).wantProblem(http.StatusForbidden)
	if detail := p["detail"].(string); !strings.Contains(detail, "only council "+lambeth+" or an admin may set or change public_contact") {
		t.Errorf("the refusal does not say why: %q", detail)
	}
	if after := e.snapshot(); after != before {
		t.Fatal("a refused claim changed the database")
	}
	claim := idOf(t, e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-notify", "capability": "email-notifications",
		"status": "live"}, vendor).wantStatus(http.StatusCreated).json())
	claimPath := fmt.Sprintf("/api/v1/adoptions/%d", claim)
	row := e.rowsOf("SELECT * FROM adoptions WHERE id = ?", claim)
	e.do("PATCH", claimPath, map[string]any{"public_contact": "sales@vendor.example"}, vendor).wantProblem(http.StatusForbidden)
	e.do("PATCH", claimPath, map[string]any{"public_contact": nil, "notes": "still the vendor's"}, vendor).wantStatus(http.StatusOK) // none stays none
	if got := e.contactOf(claim); got != `["NULL"]` {
		t.Fatalf("the vendor's claim has public_contact %s", got)
	}
	if e.rowsOf("SELECT public_contact, verified, source FROM adoptions WHERE id = ?", claim) != `[null,false,"vendor"]`+"\n" {
		t.Fatalf("claim row changed: %s (was %s)", e.rowsOf("SELECT * FROM adoptions WHERE id = ?", claim), row)
	}
	// The council may add its contact to the claim; then the vendor cannot remove it.
	e.do("PATCH", claimPath, map[string]any{"public_contact": "notify@lambeth.example"}, lam).wantStatus(http.StatusOK)
	e.do("PATCH", claimPath, map[string]any{"public_contact": nil}, vendor).wantProblem(http.StatusForbidden)
	if got := e.contactOf(claim); got != `["notify@lambeth.example"]` {
		t.Fatalf("claim public_contact = %s", got)
	}
	// An admin may change it; null removes it.
	e.do("PATCH", claimPath, map[string]any{"public_contact": nil}, e.admin).wantStatus(http.StatusOK)
	if got := e.contactOf(claim); got != `["NULL"]` {
		t.Fatalf("claim public_contact after removal = %s", got)
	}

	// The CSV of adoptions has the column, with the value.
	rows := readCSV(t, e.do("GET", "/api/v1/adoptions?council="+lambeth+"&limit=100", nil, "", "Accept", "text/csv").wantStatus(http.StatusOK).Body.Bytes())
	col := slices.Index(rows[0], "public_contact")
	if col < 0 {
		t.Fatalf("CSV header has no public_contact: %v", rows[0])
	}
	if !slices.ContainsFunc(rows[1:], func(r []string) bool { return r[col] == page }) {
		t.Errorf("no CSV row has public_contact %q", page)
	}
	// So has the export's adoptions.csv.
	files := unzip(t, e.do("GET", "/api/v1/export", nil, "").wantStatus(http.StatusOK).Body.Bytes())
	exported := readCSV(t, files["adoptions.csv"])
	if col := slices.Index(exported[0], "public_contact"); col < 0 || !slices.ContainsFunc(exported[1:], func(r []string) bool { return r[col] == page }) {
		t.Errorf("the export's adoptions.csv has no public_contact %q (header %v)", page, exported[0])
	}
}

// The adoption import (an admin's) takes a public_contact column: it sets the
// contact, an empty cell leaves it alone, and a bad one fails its row naming the field.
func TestImportPublicContact(t *testing.T) {
	e := newSeededEnv(t, false)
	page := "https://www.lambeth.example/contact"
	sheet := "council,component,capability,status,public_contact\n" + lambeth + ",govuk-pay,online-card-payments,live," + page + "\n"
	rep := e.do("POST", "/api/v1/adoptions/import", sheet, e.admin, "Content-Type", "text/csv").wantStatus(http.StatusOK).json()
	if rep["created"].(float64) != 1 {
		t.Fatalf("import report: %v", rep)
	}
	if n := e.count("SELECT count(*) FROM adoptions WHERE public_contact = ?", page); n != 1 {
		t.Fatalf("rows with the imported contact = %d", n)
	}
	rep = e.do("POST", "/api/v1/adoptions/import", "council,component,status,notes,public_contact\n"+lambeth+",govuk-pay,live,renewed,\n", e.admin,
		"Content-Type", "text/csv").wantStatus(http.StatusOK).json()
	if rep["updated"].(float64) != 1 || e.count("SELECT count(*) FROM adoptions WHERE public_contact = ?", page) != 1 {
		t.Fatalf("an empty cell changed the contact: %v", rep)
	}

	before := e.snapshot()
	rep = e.do("POST", "/api/v1/adoptions/import", "council,component,capability,status,public_contact\n"+lambeth+",govuk-notify,email-notifications,live,nobody\n", e.admin,
		"Content-Type", "text/csv").wantStatus(http.StatusOK).json()
	res := rep["results"].([]any)[0].(map[string]any)
	if res["action"] != "failed" || !strings.Contains(fmt.Sprint(res["errors"]), "public_contact") {
		t.Fatalf("an invalid contact was not refused naming the field: %v", res)
	}
	if after := e.snapshot(); after != before {
		t.Fatal("a refused import changed the database")
	}
}
