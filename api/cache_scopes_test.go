package api_test

import (
	"encoding/json"
	"fmt"
	"testing"
)

// A write forgets the cached answers it can change, and no others: after
// each kind of write, every answer it changed is read afresh and shows it,
// and answers it cannot change are still served from the cache, unchanged.
func TestCacheKeepsWhatAWriteCannotChange(t *testing.T) {
	e := newSeededEnv(t, false)
	paths := map[string]string{
		"lambeth":     "/api/v1/councils/" + lambeth,
		"southwark":   "/api/v1/councils/" + southwark,
		"pay":         "/api/v1/components/govuk-pay",
		"notify":      "/api/v1/components/govuk-notify",
		"pay list":    "/api/v1/components?capability=online-card-payments",
		"notify list": "/api/v1/components?capability=email-notifications",
		"councils":    "/api/v1/councils?q=lambeth",
		"search":      "/api/v1/components?q=notifications",
		"coverage":    "/api/v1/stats/coverage",
		"vendors":     "/api/v1/vendors",
	}
	// warm reads every answer until it is cached and returns them.
	warm := func() map[string]map[string]any {
		t.Helper()
		held := map[string]map[string]any{}
		for name, path := range paths {
			e.do("GET", path, nil, "").wantStatus(200)
			r := e.do("GET", path, nil, "").wantStatus(200)
			if r.Header().Get("X-Cache") != "hit" {
				t.Fatalf("%s: the repeat read was not cached", name)
			}
			held[name] = r.json()
		}
		return held
	}
	// after reads every answer once: those kept must be served from the
	// cache as they were, every other one read afresh.
	after := func(write string, held map[string]map[string]any, kept ...string) map[string]map[string]any {
		t.Helper()
		keep := map[string]bool{}
		for _, k := range kept {
			keep[k] = true
		}
		fresh := map[string]map[string]any{}
		for name, path := range paths {
			r := e.do("GET", path, nil, "").wantStatus(200)
			fresh[name] = r.json()
			switch got := r.Header().Get("X-Cache"); {
			case keep[name] && got != "hit":
				t.Errorf("after %s: %s was read afresh (%s), want kept", write, name, got)
			case !keep[name] && got != "miss":
				t.Errorf("after %s: %s was served from the cache, want read afresh", write, name)
			case keep[name] && !sameJSON(fresh[name], held[name]):
				t.Errorf("after %s: kept %s differs from what was cached", write, name)
			}
		}
		return fresh
	}
	count := func(body map[string]any) float64 { return body["adoption_count"].(float64) }
	itemCount := func(body map[string]any, key, value string) float64 {
		t.Helper()
		for _, it := range body["items"].([]any) {
			if item := it.(map[string]any); item[key] == value {
				return item["adoption_count"].(float64)
			}
		}
		t.Fatalf("%s is not on the page", value)
		return 0
	}

	// An adoption of GOV.UK Pay by Lambeth changes Lambeth, Pay, the lists
	// holding either, search (it ranks by adopters) and the statistics.
	held := warm()
	lam := e.key("council", lambeth)
	r := e.do("POST", "/api/v1/adoptions", map[string]any{"council": lambeth, "component": "govuk-pay",
		"capability": "online-card-payments", "status": "live"}, lam).wantStatus(201).json()
	fresh := after("an adoption", held, "southwark", "notify", "notify list")
	if count(fresh["lambeth"]) != count(held["lambeth"])+1 || count(fresh["pay"]) != count(held["pay"])+1 ||
		itemCount(fresh["pay list"], "slug", "govuk-pay") != itemCount(held["pay list"], "slug", "govuk-pay")+1 ||
		itemCount(fresh["councils"], "code", lambeth) != itemCount(held["councils"], "code", lambeth)+1 {
		t.Errorf("the fresh answers do not count the adoption: %v %v", fresh["lambeth"], fresh["pay"])
	}

	// Ending it changes the same answers again.
	held = warm()
	e.do("PATCH", fmt.Sprintf("/api/v1/adoptions/%v", r["id"]), map[string]any{"status": "retired", "ended_on": "2026-10-01"}, lam).wantStatus(200)
	fresh = after("an adoption's end", held, "southwark", "notify", "notify list")
	if count(fresh["lambeth"]) != count(held["lambeth"])-1 || count(fresh["pay"]) != count(held["pay"])-1 {
		t.Errorf("the fresh answers still count the ended adoption: %v %v", fresh["lambeth"], fresh["pay"])
	}

	// A need of Southwark's changes Southwark and whatever reads needs.
	held = warm()
	e.do("POST", "/api/v1/needs", map[string]any{"council": southwark, "capability": "appointment-booking",
		"needed_by": "2027-04-01"}, e.key("council", southwark)).wantStatus(201)
	after("a need", held, "lambeth", "pay", "notify", "pay list", "notify list", "councils")

	// A component's update changes it, every component list and search; not the councils.
	held = warm()
	e.do("PATCH", "/api/v1/components/govuk-notify", map[string]any{"summary": "Emails, texts and letters to residents."}, e.admin).wantStatus(200)
	fresh = after("a component's update", held, "lambeth", "southwark", "pay", "councils")
	if fresh["notify"]["summary"] != "Emails, texts and letters to residents." {
		t.Errorf("the fresh component shows %v", fresh["notify"]["summary"])
	}

	// A vendor's write may change anything.
	held = warm()
	e.do("PATCH", "/api/v1/vendors/government-digital-service", map[string]any{"name": "Government Digital Service (GDS)"}, e.admin).wantStatus(200)
	after("a vendor's update", held)

	// So does a component's deletion: others' dependencies may name it.
	e.do("POST", "/api/v1/components", map[string]any{"slug": "short-lived", "name": "Short-lived", "summary": "Made to be deleted.",
		"vendor": "government-digital-service", "capabilities": []string{"email-notifications"}, "lifecycle": "alpha"}, e.admin).wantStatus(201)
	held = warm()
	e.do("DELETE", "/api/v1/components/short-lived", nil, e.admin).wantStatus(204)
	after("a component's deletion", held)
}

func sameJSON(a, b map[string]any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
