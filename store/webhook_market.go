package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Market events for webhooks, beyond the audit log's changes:
//
//   - contract.ending, when a council's contract (an in-use adoption's contract end) comes within
//     18, 12 and then 6 months of its end: once for each, looked for once a day. A contract
//     first seen already within 12 months is announced at 12 (or 6), not at 18 as well: an
//     announcement is always of where the contract stands now.
//   - component.retiring, when a component becomes deprecated.
//
// Each is recorded in market_events in the transaction that queues its deliveries, so a
// restart neither repeats one nor skips one. Their deliveries go through the same queue as
// changes, with a negative audit_id (minus the event's id), to the webhooks that hear of
// adoptions (contract.ending) or components (component.retiring).

// ContractEnding is the body of a contract.ending delivery.
type ContractEnding struct {
	Event         string `json:"event"` // contract.ending
	MonthsBefore  int    `json:"months_before"`
	AdoptionID    int64  `json:"adoption_id"`
	Council       string `json:"council"`
	Component     string `json:"component"`
	Capability    string `json:"capability"`
	ContractEndOn string `json:"contract_end_on"`
	Resource      string `json:"resource"` // the adoption
	Renewals      string `json:"renewals"` // the council's renewal calendar, with the alternatives
}

// ComponentRetiring is the body of a component.retiring delivery.
type ComponentRetiring struct {
	Event     string    `json:"event"` // component.retiring
	Component string    `json:"component"`
	Lifecycle string    `json:"lifecycle"`
	At        time.Time `json:"at"`
	AuditID   int64     `json:"audit_id"` // the change that deprecated it
	Councils  int       `json:"councils"` // councils with it in use
	Resource  string    `json:"resource"`
	Impact    string    `json:"impact"` // what retiring it would touch
}

// newMarketEvent records an event once; new is false when it was recorded before.
func newMarketEvent(tx *gorm.DB, kind, key string, now time.Time) (id int64, isNew bool, err error) {
	res := tx.Exec("INSERT INTO market_events (kind, event_key, created_at) VALUES (?, ?, ?) ON CONFLICT (kind, event_key) DO NOTHING", kind, key, now)
	if res.Error != nil || res.RowsAffected == 0 {
		return 0, false, res.Error
	}
	err = tx.Raw("SELECT id FROM market_events WHERE kind = ? AND event_key = ?", kind, key).Row().Scan(&id)
	return id, true, err
}

// queueMarketEvent queues an event's delivery to each webhook that hears of entity.
func queueMarketEvent(tx *gorm.DB, hooks []webhookRow, entity string, eventID int64, event string, body any, now time.Time) (int, error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range hooks {
		if wanted := splitList(h.Entities); len(wanted) > 0 && !slices.Contains(wanted, entity) {
			continue
		}
		d := deliveryRow{WebhookID: h.ID, AuditID: -eventID, Event: event, Payload: string(payload), NextAttemptAt: now, CreatedAt: now}
		if err := tx.Create(&d).Error; err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// queueContractEndings announces, once a day, the contracts that have reached a stage (18, 12
// or 6 months before their end) not announced yet, to every webhook hearing of adoptions.
func queueContractEndings(tx *gorm.DB, hooks []webhookRow, now time.Time) (int, error) {
	today := now.UTC().Format(time.DateOnly)
	if _, isNew, err := newMarketEvent(tx, "contract.scan", today, now); err != nil || !isNew {
		return 0, err
	}
	until := now.UTC().AddDate(0, models.ContractEndingMonths[len(models.ContractEndingMonths)-1], 0).Format(time.DateOnly)
	rows, err := tx.Raw(`SELECT a.id, co.code, p.slug, cap.slug, a.contract_end_on
		FROM adoptions a JOIN councils co ON co.id = a.council_id JOIN components p ON p.id = a.component_id
		JOIN capabilities cap ON cap.id = a.capability_id
		WHERE a.contract_end_on >= ? AND a.contract_end_on <= ? AND a.status IN ? AND `+counted("a")+` ORDER BY a.id`,
		today, until, models.InUseStatuses).Rows()
	endings, err := scanRows(rows, err, func(r *sql.Rows) (c ContractEnding, err error) {
		return c, r.Scan(&c.AdoptionID, &c.Council, &c.Component, &c.Capability, &c.ContractEndOn)
	})
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, c := range endings {
		var due bool
		if c.MonthsBefore, due = models.ContractEndingStage(c.ContractEndOn, today); !due {
			continue // not at a stage yet, or not a date: nothing to announce
		}
		id, isNew, err := newMarketEvent(tx, "contract.ending", fmt.Sprintf("%d:%s:%d", c.AdoptionID, c.ContractEndOn, c.MonthsBefore), now)
		if err != nil {
			return 0, err
		}
		if !isNew {
			continue
		}
		c.Event = "contract.ending"
		c.Resource = fmt.Sprintf("/api/v1/adoptions/%d", c.AdoptionID)
		c.Renewals = "/api/v1/councils/" + c.Council + "/renewals"
		n, err := queueMarketEvent(tx, hooks, "adoption", id, c.Event, c, now)
		if err != nil {
			return 0, err
		}
		queued += n
	}
	return queued, nil
}

// queueComponentRetiring announces e to webhook h when it is the change that deprecated a
// component.
func queueComponentRetiring(tx *gorm.DB, h webhookRow, e auditRow, now time.Time) (int, error) {
	if e.Entity != "component" || e.Before == nil || e.After == nil {
		return 0, nil
	}
	var before, after struct{ Lifecycle string }
	if json.Unmarshal([]byte(*e.Before), &before) != nil || json.Unmarshal([]byte(*e.After), &after) != nil ||
		!models.Deprecates(before.Lifecycle, after.Lifecycle) {
		return 0, nil
	}
	key := fmt.Sprint(e.ID)
	id, isNew, err := newMarketEvent(tx, "component.retiring", key, now)
	if err != nil {
		return 0, err
	}
	if !isNew { // announced to the other webhooks already: find it for this one
		if err := tx.Raw("SELECT id FROM market_events WHERE kind = 'component.retiring' AND event_key = ?", key).Row().Scan(&id); err != nil {
			return 0, err
		}
	}
	body := ComponentRetiring{Event: "component.retiring", Component: e.EntityKey, Lifecycle: after.Lifecycle, At: e.At.UTC(), AuditID: e.ID,
		Resource: "/api/v1/components/" + e.EntityKey, Impact: "/api/v1/components/" + e.EntityKey + "/impact"}
	err = tx.Raw(`SELECT count(DISTINCT a.council_id) FROM adoptions a JOIN components p ON p.id = a.component_id
		WHERE p.slug = ? AND a.status IN ? AND `+counted("a"), e.EntityKey, models.InUseStatuses).Row().Scan(&body.Councils)
	if err != nil {
		return 0, err
	}
	return queueMarketEvent(tx, []webhookRow{h}, "component", id, body.Event, body, now)
}
