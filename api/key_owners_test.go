package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

// A key belongs to the vendor it was made for, not to the slug: deleting the vendor revokes
// its keys (audited), and a vendor created afterwards under the same slug is not theirs.
func TestDeletedVendorKeyIsRefused(t *testing.T) {
	e := newSeededEnv(t, false)
	vendor := map[string]any{"slug": "short-lived", "name": "Short-lived", "website": "https://short-lived.example"}
	e.do("POST", "/api/v1/vendors", vendor, e.admin).wantStatus(http.StatusCreated)
	created := e.do("POST", "/api/v1/keys", map[string]any{"role": "vendor", "org": "short-lived", "name": "team"}, e.admin).wantStatus(http.StatusCreated).json()
	key, prefix := created["key"].(string), created["prefix"].(string)
	e.do("PATCH", "/api/v1/vendors/short-lived", map[string]any{"description": "by its own key"}, key).wantStatus(http.StatusOK)

	e.do("DELETE", "/api/v1/vendors/short-lived", nil, e.admin).wantStatus(http.StatusNoContent)
	if n := e.count("SELECT count(*) FROM api_keys WHERE prefix = ? AND revoked_at IS NOT NULL", prefix); n != 1 {
		t.Error("deleting the vendor left its key unrevoked")
	}
	audit := e.do("GET", "/api/v1/audit?entity=api_key&entity_key="+prefix, nil, e.admin).wantStatus(http.StatusOK).json()
	if items := audit["items"].([]any); len(items) != 2 || items[0].(map[string]any)["action"] != "revoked" {
		t.Errorf("the key's audit entries %v, want its creation and its revocation", items)
	}

	e.do("POST", "/api/v1/vendors", vendor, e.admin).wantStatus(http.StatusCreated)
	before := e.guarded()
	for _, r := range []struct {
		method, path string
		body         map[string]any
	}{
		{"PATCH", "/api/v1/vendors/short-lived", map[string]any{"description": "taken over"}},
		{"POST", "/api/v1/components", map[string]any{"slug": "squatter", "name": "Squatter", "summary": "s", "vendor": "short-lived",
			"capabilities": []string{"online-card-payments"}, "lifecycle": "alpha"}},
	} {
		p := e.do(r.method, r.path, r.body, key).wantProblem(http.StatusUnauthorized)
		if p["detail"] != "the API key is not valid, or has been revoked or has expired" {
			t.Errorf("%s %s: detail %q", r.method, r.path, p["detail"])
		}
	}
	if e.guarded() != before {
		t.Fatal("the deleted vendor's key changed the database")
	}
	// The new vendor's own key works.
	fresh := e.key("vendor", "short-lived")
	e.do("PATCH", "/api/v1/vendors/short-lived", map[string]any{"description": "by the new vendor"}, fresh).wantStatus(http.StatusOK)
}

// Once a reorganisation vests, a former council's key records, edits, settles and states
// nothing, for itself or for its successor, and is told who took over; it still reads as
// anyone may. The successor's own key, made by an admin, writes.
func TestFormerCouncilKeyMayNotWrite(t *testing.T) {
	e := newSeededEnv(t, false)
	const successor = "E06009998"
	key := e.key("council", basildon)
	adoption := idOf(t, e.do("POST", "/api/v1/adoptions", map[string]any{"council": basildon, "component": "govuk-pay",
		"capability": "online-card-payments", "status": "live"}, key).wantStatus(http.StatusCreated).json())
	claim := idOf(t, e.do("POST", "/api/v1/adoptions", map[string]any{"council": basildon, "component": "govuk-notify",
		"capability": "email-notifications", "status": "live"}, e.key("vendor", gds)).wantStatus(http.StatusCreated).json())
	need := idOf(t, e.do("POST", "/api/v1/needs", map[string]any{"council": basildon, "capability": "appointment-booking",
		"needed_by": "2027-04-01"}, key).wantStatus(http.StatusCreated).json())
	abolish(t, e, basildon, successor, "2026-11-01")

	const refusal = "E07000066 was abolished on 2026-11-01 and its duties passed to E06009998; ask an administrator for a key for the successor"
	before := e.guarded()
	for _, r := range []struct {
		method, path string
		body         map[string]any
	}{
		{"POST", "/api/v1/adoptions", map[string]any{"council": basildon, "component": "fixmystreet", "capability": "street-fault-reporting", "status": "live"}},
		{"POST", "/api/v1/adoptions", map[string]any{"council": successor, "component": "fixmystreet", "capability": "street-fault-reporting", "status": "live"}},
		{"PATCH", fmt.Sprintf("/api/v1/adoptions/%d", adoption), map[string]any{"notes": "still ours"}},
		{"POST", fmt.Sprintf("/api/v1/adoptions/%d/verify", claim), nil},
		{"POST", fmt.Sprintf("/api/v1/adoptions/%d/reject", claim), map[string]any{"reason": "no"}},
		{"POST", fmt.Sprintf("/api/v1/adoptions/%d/confirm", adoption), nil},
		{"POST", "/api/v1/needs", map[string]any{"council": basildon, "capability": "online-card-payments", "needed_by": "2027-06-01"}},
		{"POST", "/api/v1/needs", map[string]any{"council": successor, "capability": "online-card-payments", "needed_by": "2027-06-01"}},
		{"PATCH", fmt.Sprintf("/api/v1/needs/%d", need), map[string]any{"status": "met"}},
	} {
		p := e.do(r.method, r.path, r.body, key).wantProblem(http.StatusForbidden)
		if p["detail"] != refusal {
			t.Errorf("%s %s: detail %q, want %q", r.method, r.path, p["detail"], refusal)
		}
	}
	if e.guarded() != before {
		t.Fatal("a former council's refused writes changed the database")
	}

	// Reads answer as they answer anyone.
	for _, path := range []string{"/api/v1/councils/" + basildon, fmt.Sprintf("/api/v1/needs/%d", need), fmt.Sprintf("/api/v1/adoptions/%d", adoption)} {
		if got, anon := e.do("GET", path, nil, key).wantStatus(http.StatusOK).Body.String(), e.do("GET", path, nil, "").Body.String(); got != anon {
			t.Errorf("GET %s with the former council's key differs from an anonymous read", path)
		}
	}

	// The successor gets a key of its own from an admin; none is made for the former council.
	p := e.do("POST", "/api/v1/keys", map[string]any{"role": "council", "org": basildon}, e.admin).wantProblem(http.StatusUnprocessableEntity, "org")
	if msg := p["errors"].([]any)[0].(map[string]any)["message"]; msg != "E07000066 was abolished on 2026-11-01 and its duties passed to E06009998; make the key for the successor instead" {
		t.Errorf("a key for the former council: %q", msg)
	}
	next := e.do("POST", "/api/v1/keys", map[string]any{"role": "council", "org": successor, "name": "successor"}, e.admin).wantStatus(http.StatusCreated).json()["key"].(string)
	e.do("POST", "/api/v1/needs", map[string]any{"council": successor, "capability": "online-card-payments", "needed_by": "2027-06-01"}, next).wantStatus(http.StatusCreated)
}
