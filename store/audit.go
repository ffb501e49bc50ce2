package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

type auditRow struct {
	ID        int64
	At        time.Time
	ActorKey  string
	ActorRole string
	ActorOrg  string
	Entity    string
	EntityKey string
	Action    string
	Before    *string
	After     *string
}

func (auditRow) TableName() string { return "audit_log" }

func (r auditRow) model() models.AuditEntry {
	raw := func(s *string) json.RawMessage {
		if s == nil {
			return json.RawMessage("null")
		}
		return json.RawMessage(*s)
	}
	return models.AuditEntry{ID: r.ID, At: r.At, Actor: models.Actor{Key: r.ActorKey, Role: r.ActorRole, Org: r.ActorOrg},
		Entity: r.Entity, EntityKey: r.EntityKey, Action: r.Action, Before: raw(r.Before), After: raw(r.After)}
}

// auditOrderLock is the advisory lock key that orders audit entries on PostgreSQL.
const auditOrderLock = 7_270_001

// audit records a write in the same transaction as the write itself, so the
// log and the data can never disagree. before or after is nil when there is none.
func audit(tx *gorm.DB, actor models.Actor, at time.Time, entity, key, action string, before, after any) error {
	if err := orderAudit(tx); err != nil {
		return err
	}
	row, err := auditEntry(actor, at, entity, key, action, before, after)
	if err != nil {
		return err
	}
	return insertAudit(tx, row)
}

// insertAudit stores row as tx.Create(&row) would, without its reflection: the id is the database's.
func insertAudit(tx *gorm.DB, r auditRow) error {
	return tx.Exec(`INSERT INTO audit_log (at, actor_key, actor_role, actor_org, entity, entity_key, action, "before", "after")
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.At, r.ActorKey, r.ActorRole, r.ActorOrg, r.Entity, r.EntityKey, r.Action, r.Before, r.After).Error
}

// orderAudit makes audit ids become visible in order on PostgreSQL. Audit ids are the
// database's version: replicas catch up to the newest one they see. PostgreSQL hands out ids
// at insert but makes them visible at commit, so without this a later id could be seen while
// an earlier one is still in flight, and be skipped. The lock is held to commit.
func orderAudit(tx *gorm.DB) error {
	if !isPostgres(tx) {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", auditOrderLock).Error
}

// auditEntry is the audit log's row for a write; before or after is nil when there is none.
func auditEntry(actor models.Actor, at time.Time, entity, key, action string, before, after any) (auditRow, error) {
	enc := func(v any) (*string, error) {
		if v == nil {
			return nil, nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		s := string(b)
		return &s, nil
	}
	b, err := enc(before)
	if err != nil {
		return auditRow{}, err
	}
	a, err := enc(after)
	if err != nil {
		return auditRow{}, err
	}
	return auditRow{At: at, ActorKey: actor.Key, ActorRole: actor.Role, ActorOrg: actor.Org,
		Entity: entity, EntityKey: key, Action: action, Before: b, After: a}, nil
}

// auditRecord records a write of the kind's record id: before is the record as it was (nil when
// there was none) and get reads it as the write left it.
func auditRecord[M any](tx *gorm.DB, actor models.Actor, at time.Time, kind string, id int64, action string,
	before *M, get func(*gorm.DB, int64) (M, error)) error {
	after, err := get(tx, id)
	if err != nil {
		return err
	}
	return auditRecordAs(tx, actor, at, kind, id, action, before, after)
}

// auditWritten records a write as auditRecord does, but with after, the record as
// the write left it, built from what the write already holds rather than read
// back, when known is set (see readsBackAs); otherwise get reads it back.
func auditWritten[M any](tx *gorm.DB, actor models.Actor, at time.Time, kind string, id int64, action string,
	before *M, after M, known bool, get func(*gorm.DB, int64) (M, error)) error {
	if !known {
		return auditRecord(tx, actor, at, kind, id, action, before, get)
	}
	return auditRecordAs(tx, actor, at, kind, id, action, before, after)
}

// auditRecordAs records a write of the kind's record id that left it as after.
func auditRecordAs[M any](tx *gorm.DB, actor models.Actor, at time.Time, kind string, id int64, action string, before *M, after M) error {
	var b any // stays an untyped nil when there was no record, so the entry has no before
	if before != nil {
		b = *before
	}
	return audit(tx, actor, at, kind, fmt.Sprint(id), action, b, after)
}

// readsBackAs is t as the writer's SQLite connection reads back a DATETIME column it
// was written to: go-sqlite3 stores t as text in its first timestamp format (the offset
// to the minute) and reads it back parsed, in UTC (_loc=UTC, see openSQLite). Every
// other value a write stores on SQLite reads back as it was written. ok is false when
// the text would not parse back as it is, or db is PostgreSQL, whose timestamps read
// back rounded to the microsecond and in the server's time zone: the record is read back there.
func readsBackAs(db *gorm.DB, t time.Time) (time.Time, bool) {
	if isPostgres(db) {
		return time.Time{}, false
	}
	format := sqlite3.SQLiteTimestampFormats[0]
	s := strings.TrimSuffix(t.Format(format), "Z")
	back, err := time.ParseInLocation(format, s, time.UTC)
	if err != nil {
		return time.Time{}, false
	}
	return back.In(time.UTC), true
}

// ListAudit returns audit entries, newest first.
func (s *Store) ListAudit(ctx context.Context, f models.AuditFilter, p models.Page) (models.List[models.AuditEntry], error) {
	where := func(q *gorm.DB) *gorm.DB {
		q = whereGiven(q, "entity = ?", f.Entity)
		q = whereGiven(q, "entity_key = ?", f.EntityKey)
		q = whereGiven(q, "actor_key = ? OR actor_org = ?", f.Actor)
		return q
	}
	rows, total, next, err := keysetDesc(s.r.WithContext(ctx), "id", p, func(r auditRow) int64 { return r.ID }, where)
	return listOf(rows, total, next, err, auditRow.model)
}
