package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// An adoption's optional contract fields: set, shown, changed and removed through the API,
// refused naming the field when wrong, in the CSV, the export and the import, and the
// concentration report counts the contract's supplier in place of the component's vendor.
func TestAdoptionContractFields(t *testing.T) {
	e := marketWorld(t)
	created := e.do("POST", "/api/v1/adoptions", map[string]any{"council": hackney, "component": "book-b", "capability": "test-booking", "status": "live",
		"contract_end_on": "2028-03-31", "contract_value_gbp": 120000, "contract_supplier": "mono", "contract_reference": "HK-2024-017"}, e.admin).wantStatus(201).json()
	if created["contract_value_gbp"].(float64) != 120000 || created["contract_supplier"] != "mono" || created["contract_reference"] != "HK-2024-017" {
		t.Fatalf("created %v", created)
	}
	id := idOf(t, created)
	path := fmt.Sprintf("/api/v1/adoptions/%d", id)

	// Booking in London: acme 4 councils, beta 1 (Lambeth), and Hackney's book-b counts for mono,
	// its contract's supplier: HHI (16+1+1)/36 = 5,000.
	booking := itemsOf(e.do("GET", "/api/v1/market/concentration?capability=test-booking&region=London", nil, "").wantStatus(200).json())[0]
	var vendors []string
	for _, v := range booking["vendors"].([]any) {
		vendors = append(vendors, fmt.Sprintf("%s:%v", slugOf(v.(map[string]any)["vendor"]), v.(map[string]any)["councils"]))
	}
	if booking["hhi"].(float64) != 5000 || !slices.Equal(vendors, []string{"acme:4", "beta:1", "mono:1"}) {
		t.Errorf("concentration with a supplier: HHI %v, vendors %v", booking["hhi"], vendors)
	}

	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"contract_value_gbp": -1}, "contract_value_gbp"},
		{map[string]any{"contract_value_gbp": "lots"}, "contract_value_gbp"},
		{map[string]any{"contract_value_gbp": 2e12}, "contract_value_gbp"},
		{map[string]any{"contract_supplier": "No Such Slug"}, "contract_supplier"},
		{map[string]any{"contract_supplier": "no-such-vendor"}, "contract_supplier"},
		{map[string]any{"contract_reference": strings.Repeat("x", 201)}, "contract_reference"},
	} {
		e.do("PATCH", path, bad.body, e.admin).wantProblem(http.StatusBadRequest, bad.field)
	}
	patched := e.do("PATCH", path, map[string]any{"contract_value_gbp": nil, "contract_supplier": nil}, e.admin).wantStatus(200).json()
	if patched["contract_value_gbp"] != nil || patched["contract_supplier"] != nil || patched["contract_reference"] != "HK-2024-017" {
		t.Errorf("after removing two: %v", patched)
	}
	history := e.do("GET", path+"/history", nil, "").wantStatus(200).Body.String()
	if !strings.Contains(history, "contract_value_gbp") || !strings.Contains(history, "contract_supplier") {
		t.Errorf("history does not record the contract changes: %s", history)
	}

	rows := readCSV(t, e.do("GET", "/api/v1/adoptions?council="+hackney+"&limit=100", nil, "", "Accept", "text/csv").wantStatus(200).Body.Bytes())
	if col := slices.Index(rows[0], "contract_reference"); col < 0 || !slices.ContainsFunc(rows[1:], func(r []string) bool { return r[col] == "HK-2024-017" }) {
		t.Errorf("CSV: header %v", rows[0])
	}
	files := unzip(t, e.do("GET", "/api/v1/export", nil, "").wantStatus(200).Body.Bytes())
	if exported := readCSV(t, files["adoptions.csv"]); !slices.Contains(exported[0], "contract_value_gbp") || !slices.Contains(exported[0], "contract_supplier") {
		t.Errorf("export header %v", exported[0])
	}

	sheet := "council,component,capability,status,contract_value_gbp,contract_supplier,contract_reference\n" +
		camden + ",book-a,test-booking,live,\"£45,500\",mono,CAM/77\n"
	rep := e.do("POST", "/api/v1/adoptions/import", sheet, e.admin, "Content-Type", "text/csv").wantStatus(200).json()
	if rep["created"].(float64) != 1 || e.count("SELECT count(*) FROM adoptions WHERE contract_value_gbp = 45500 AND contract_supplier = 'mono' AND contract_reference = 'CAM/77'") != 1 {
		t.Fatalf("import: %v", rep)
	}
	for _, cells := range []struct{ cells, field string }{{"lots,,", "contract_value_gbp"}, {",no-such-vendor,", "contract_supplier"}} {
		rep := e.do("POST", "/api/v1/adoptions/import", "council,component,capability,status,contract_value_gbp,contract_supplier,contract_reference\n"+
			camden+",book-c,test-booking,live,"+cells.cells+"\n", e.admin, "Content-Type", "text/csv").wantStatus(200).json()
		res := rep["results"].([]any)[0].(map[string]any)
		if res["action"] != "failed" || !strings.Contains(fmt.Sprint(res["errors"]), cells.field) {
			t.Errorf("import %q: %v", cells.cells, res)
		}
	}
}
