package models

import (
	"encoding/json"
	"time"
)

// AuditEntry records one write: who made it, to what, when, and the record
// before and after (null when created or deleted).
type AuditEntry struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at" format:"date-time"`
	Actor     Actor           `json:"actor"`
	Entity    string          `json:"entity" example:"component"`
	EntityKey string          `json:"entity_key" example:"govuk-pay"`
	Action    string          `json:"action" example:"updated"`
	Before    json.RawMessage `json:"before" swaggertype:"object" extensions:"x-nullable"`
	After     json.RawMessage `json:"after" swaggertype:"object" extensions:"x-nullable"`
}

// AuditFilter narrows the audit log: by entity kind and key, and by the actor's key prefix or owner.
type AuditFilter struct {
	Entity, EntityKey, Actor string
}

// AuditEntities are the kinds of record the audit log names; reference_data
// is a seed or synth run.
var AuditEntities = []string{"vendor", "capability", "component", "adoption", "need", "api_key", "reorganisation", "webhook", "reference_data"}
