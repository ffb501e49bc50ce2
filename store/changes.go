package store

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// ListChanges returns the public change feed, newest first: the audit log
// without API keys and webhooks, each entry reduced to what changed, when,
// and the role and organisation of who changed it.
func (s *Store) ListChanges(ctx context.Context, f models.ChangeFilter, p models.Page) (models.List[models.ChangeEntry], error) {
	where := func(q *gorm.DB) *gorm.DB {
		q = q.Where("entity NOT IN ?", models.PrivateEntities)
		q = whereGiven(q, "entity = ?", f.Entity)
		return q
	}
	rows, total, next, err := keysetDesc(s.r.WithContext(ctx), "id", p, func(r auditRow) int64 { return r.ID }, where)
	return listOf(rows, total, next, err, auditRow.change)
}

// change is the public view of an audit entry.
func (r auditRow) change() models.ChangeEntry {
	c := models.ChangeEntry{ID: r.ID, At: r.At.UTC(), Entity: r.Entity, Key: r.EntityKey, Action: r.Action,
		Actor: models.ChangeActor{Role: r.ActorRole, Org: r.ActorOrg}, Fields: []string{},
		Resource: models.ResourcePath(r.Entity, r.EntityKey)}
	if r.Before != nil && r.After != nil {
		c.Fields = changedFields(*r.Before, *r.After)
	}
	return c
}

// changedFields names the top-level fields whose values differ between two
// JSON objects, leaving out the bookkeeping every write changes.
func changedFields(before, after string) []string {
	var a, b map[string]json.RawMessage
	if json.Unmarshal([]byte(before), &a) != nil || json.Unmarshal([]byte(after), &b) != nil {
		return []string{}
	}
	out := []string{}
	for k, v := range b {
		if k == "updated_at" || k == "created_at" || k == "version" {
			continue
		}
		if w, ok := a[k]; !ok || !bytes.Equal(compactJSON(w), compactJSON(v)) {
			out = append(out, k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func compactJSON(raw json.RawMessage) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return raw
	}
	return buf.Bytes()
}
