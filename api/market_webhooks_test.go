package api_test

import (
	"context"
	"encoding/json"
	"maps"
	"strconv"
	"testing"
	"time"

	"github.com/council-components/registry/store/storetest/testdb"
)

// contract.ending fires once per contract at 18, 12 and 6 months before its end, and
// component.retiring once when a component becomes deprecated; a restart (a new store on the
// same database) repeats none of them and skips none.
func TestMarketWebhookEventsOnceAcrossRestarts(t *testing.T) {
	e := marketWorld(t)
	e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/all"}, e.admin).wantStatus(201)
	e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/needs", "entities": []string{"need"}}, e.admin).wantStatus(201)
	ctx := context.Background()
	pass := func(now time.Time) {
		t.Helper()
		if _, err := e.st.QueueWebhookDeliveries(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	endings := func() map[string]int { // "council component contract end" → months before, as delivered
		t.Helper()
		db, err := e.st.SQLDB()
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.Query("SELECT payload FROM webhook_deliveries WHERE event = 'contract.ending' ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var payload string
			var body struct {
				MonthsBefore                                int `json:"months_before"`
				Council, Component, ContractEndOn, Renewals string
			}
			if err := rows.Scan(&payload); err != nil || json.Unmarshal([]byte(payload), &body) != nil {
				t.Fatalf("payload %q: %v", payload, err)
			}
			key := body.Council + " " + body.Component
			if _, dup := out[key+" "+itoa(body.MonthsBefore)]; dup {
				t.Errorf("%s announced twice at %d months", key, body.MonthsBefore)
			}
			out[key+" "+itoa(body.MonthsBefore)]++
		}
		return out
	}
	want := map[string]int{ // today 2026-11-29: within 12 months, or 6 for Lewisham's tax contract
		lambeth + " book-b 12": 1, southwark + " book-a 12": 1, lewisham + " book-a 12": 1, lewisham + " tax-2 6": 1, bromley + " core 12": 1}
	pass(fixedNow)
	if got := endings(); !maps.Equal(got, want) {
		t.Fatalf("first pass: %v, want %v", got, want)
	}
	if n := e.count("SELECT count(*) FROM webhook_deliveries WHERE event = 'contract.ending' AND webhook_id = (SELECT max(id) FROM webhooks)"); n != 0 {
		t.Errorf("the webhook for needs alone was sent %d contract endings", n)
	}
	pass(fixedNow.Add(time.Hour))
	restarted := *e
	restarted.st = testdb.Open(t, e.dsn)
	if _, err := restarted.st.QueueWebhookDeliveries(ctx, fixedNow.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := endings(); !maps.Equal(got, want) {
		t.Fatalf("after a restart the same day: %v, want %v", got, want)
	}

	// Four months on, after the restart: Lambeth's, Southwark's and Bromley's contracts are within
	// six months; Lewisham's booking contract not yet (2027-10-20), its tax one has ended.
	later := time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC)
	if _, err := restarted.st.QueueWebhookDeliveries(ctx, later); err != nil {
		t.Fatal(err)
	}
	if _, err := restarted.st.QueueWebhookDeliveries(ctx, later.AddDate(0, 0, 1)); err != nil {
		t.Fatal(err)
	}
	want[lambeth+" book-b 6"], want[southwark+" book-a 6"], want[bromley+" core 6"] = 1, 1, 1
	if got := endings(); !maps.Equal(got, want) {
		t.Fatalf("four months on: %v, want %v", got, want)
	}

	// Deprecating core announces component.retiring once; a later edit does not again.
	e.do("PATCH", "/api/v1/components/core", map[string]any{"lifecycle": "deprecated"}, e.admin).wantStatus(200)
	pass(fixedNow)
	e.do("PATCH", "/api/v1/components/core", map[string]any{"summary": "Still deprecated."}, e.admin).wantStatus(200)
	pass(fixedNow)
	if _, err := testdb.Open(t, e.dsn).QueueWebhookDeliveries(ctx, fixedNow); err != nil {
		t.Fatal(err)
	}
	if n := e.count("SELECT count(*) FROM webhook_deliveries WHERE event = 'component.retiring'"); n != 1 {
		t.Fatalf("%d component.retiring deliveries, want 1 (to the webhook hearing of components)", n)
	}
	var body struct {
		Component, Lifecycle, Impact string
		Councils                     int
	}
	db, _ := e.st.SQLDB()
	var payload string
	if err := db.QueryRow("SELECT payload FROM webhook_deliveries WHERE event = 'component.retiring'").Scan(&payload); err != nil || json.Unmarshal([]byte(payload), &body) != nil {
		t.Fatal(err)
	}
	if body.Component != "core" || body.Lifecycle != "deprecated" || body.Councils != 2 || body.Impact != "/api/v1/components/core/impact" {
		t.Errorf("component.retiring %s", payload)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
