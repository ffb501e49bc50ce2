package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/webhooks"
)

// WebhookConfig is what the store needs beyond the database to keep webhooks.
type WebhookConfig struct {
	// Key seals their secrets for the database; without it none can be registered or rotated.
	Key *webhooks.SecretKey
	// Resolver looks up a URL's host when it is registered; nil is the system's.
	Resolver webhooks.Resolver
}

func (c WebhookConfig) resolver() webhooks.Resolver {
	if c.Resolver == nil {
		return net.DefaultResolver
	}
	return c.Resolver
}

// errNoSecretKey is a server started without the key webhook secrets are sealed
// under (PostgreSQL without --secret-key-file): webhooks are off, and say so.
var errNoSecretKey = models.Errorf("unavailable", "webhooks are off on this server: it was started without "+
	"--secret-key-file, the key their secrets are encrypted under")

// newSecret is a fresh signing secret and the sealed form the database keeps.
func (c WebhookConfig) newSecret() (secret, sealed string, err error) {
	if c.Key == nil {
		return "", "", errNoSecretKey
	}
	if secret, err = webhooks.NewSecret(); err != nil {
		return "", "", err
	}
	sealed, err = c.Key.Seal(secret)
	return secret, sealed, err
}

type webhookRow struct {
	ID           int64
	URL          string `gorm:"column:url"`
	Secret       string // sealed under WebhookConfig.Key (plain text only before SealWebhookSecrets)
	Entities     string
	Description  string
	AfterAuditID int64
	CreatedAt    time.Time
}

func (webhookRow) TableName() string { return "webhooks" }

func (r webhookRow) model() models.Webhook {
	return models.Webhook{ID: r.ID, URL: r.URL, Entities: splitList(r.Entities), Description: r.Description, CreatedAt: r.CreatedAt}
}

type deliveryRow struct {
	ID            int64
	WebhookID     int64
	AuditID       int64
	Event         string
	Payload       string
	Attempts      int
	NextAttemptAt time.Time
	LockedUntil   *time.Time
	DeliveredAt   *time.Time
	FailedAt      *time.Time
	LastStatus    int
	LastError     string
	CreatedAt     time.Time
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

// CreateWebhook registers a URL for the change feed and returns its signing
// secret, this once. It hears of changes made from now on. A URL that could
// reach a private address or a port other than 443 is refused (webhooks.CheckURL).
func (s *Store) CreateWebhook(ctx context.Context, actor models.Actor, in models.WebhookInput) (models.CreatedWebhook, error) {
	if err := webhooks.CheckURL(ctx, s.Webhooks.resolver(), *in.URL); err != nil {
		return models.CreatedWebhook{}, err
	}
	secret, sealed, err := s.Webhooks.newSecret()
	if err != nil {
		return models.CreatedWebhook{}, err
	}
	row := webhookRow{URL: *in.URL, Secret: sealed, CreatedAt: s.Now()}
	if in.Entities != nil {
		row.Entities = strings.Join(models.Dedupe(*in.Entities), ",")
	}
	if in.Description != nil {
		row.Description = *in.Description
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var latest sql.NullInt64
		if err := tx.Raw("SELECT max(id) FROM audit_log").Scan(&latest).Error; err != nil {
			return err
		}
		row.AfterAuditID = latest.Int64
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return audit(tx, actor, row.CreatedAt, "webhook", fmt.Sprint(row.ID), "created", nil, row.model())
	})
	if err != nil {
		return models.CreatedWebhook{}, err
	}
	return models.CreatedWebhook{Webhook: row.model(), Secret: secret}, nil
}

// RotateWebhookSecret gives a webhook a new signing secret and returns it,
// this once. Every delivery from now on, retries included, is signed with the
// new secret alone, so signatures under the old one stop verifying.
func (s *Store) RotateWebhookSecret(ctx context.Context, actor models.Actor, id int64) (models.CreatedWebhook, error) {
	secret, sealed, err := s.Webhooks.newSecret()
	if err != nil {
		return models.CreatedWebhook{}, err
	}
	var row webhookRow
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&row, id).Error; err != nil {
			return notFoundAs(err, "webhook", fmt.Sprint(id))
		}
		if err := tx.Model(&row).Update("secret", sealed).Error; err != nil {
			return err
		}
		return audit(tx, actor, s.Now(), "webhook", fmt.Sprint(id), "secret_rotated", nil, nil)
	})
	if err != nil {
		return models.CreatedWebhook{}, err
	}
	w, err := webhookStatus(s.r.WithContext(ctx), row)
	return models.CreatedWebhook{Webhook: w, Secret: secret}, err
}

// SealWebhookSecrets seals the secrets an earlier release stored in plain
// text, reporting how many, and lists the webhooks whose sealed secrets do not
// open under the store's key (sealed under another, whose deliveries fail
// until it is restored or their secrets are rotated). Run at every start, it
// changes nothing the second time. Like the delivery queue it is bookkeeping,
// written without an audit entry.
func (s *Store) SealWebhookSecrets(ctx context.Context) (sealed int, unopened []int64, err error) {
	if s.Webhooks.Key == nil {
		return 0, nil, errNoSecretKey
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var rows []webhookRow
		if err := tx.Select("id", "secret").Order("id").Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if webhooks.IsSealed(r.Secret) {
				if _, err := s.Webhooks.Key.Open(r.Secret); err != nil {
					unopened = append(unopened, r.ID)
				}
				continue
			}
			v, err := s.Webhooks.Key.Seal(r.Secret)
			if err != nil {
				return err
			}
			if err := tx.Model(&webhookRow{}).Where("id = ?", r.ID).Update("secret", v).Error; err != nil {
				return err
			}
			sealed++
		}
		return nil
	})
	return sealed, unopened, err
}

// ListWebhooks describes the webhooks in id order with their delivery counts; never their secrets.
func (s *Store) ListWebhooks(ctx context.Context, p models.Page) (models.List[models.Webhook], error) {
	db := s.r.WithContext(ctx)
	rows, total, next, err := keyset(db, "id", p, func(r webhookRow) int64 { return r.ID }, nil)
	out := models.List[models.Webhook]{Items: make([]models.Webhook, len(rows)), Total: total, Next: next}
	if err != nil {
		return out, err
	}
	for i, r := range rows {
		if out.Items[i], err = webhookStatus(db, r); err != nil {
			return out, err
		}
	}
	return out, nil
}

// webhookStatus describes a webhook with the state of its deliveries.
func webhookStatus(db *gorm.DB, r webhookRow) (models.Webhook, error) {
	w := r.model()
	var pending, failed int64
	if err := db.Model(&deliveryRow{}).Where("webhook_id = ? AND delivered_at IS NULL AND failed_at IS NULL", r.ID).Count(&pending).Error; err != nil {
		return w, translate(err)
	}
	if err := db.Model(&deliveryRow{}).Where("webhook_id = ? AND failed_at IS NOT NULL", r.ID).Count(&failed).Error; err != nil {
		return w, translate(err)
	}
	var last []deliveryRow
	if err := db.Where("webhook_id = ? AND delivered_at IS NOT NULL", r.ID).Order("delivered_at DESC").Limit(1).Find(&last).Error; err != nil {
		return w, translate(err)
	}
	w.Pending, w.Failed = int(pending), int(failed)
	if len(last) == 1 {
		w.LastDeliveredAt = last[0].DeliveredAt
	}
	return w, nil
}

// DeleteWebhook removes a webhook and its queued deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, actor models.Actor, id int64) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var row webhookRow
		if err := tx.Take(&row, id).Error; err != nil {
			return notFoundAs(err, "webhook", fmt.Sprint(id))
		}
		if err := tx.Where("webhook_id = ?", id).Delete(&deliveryRow{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&row).Error; err != nil {
			return err
		}
		return audit(tx, actor, s.Now(), "webhook", fmt.Sprint(id), "deleted", row.model(), nil)
	})
}

// queueScan and queuePasses bound the audit entries one call reads per
// webhook, so a long backlog is queued over several passes.
const (
	queueScan   = 500
	queuePasses = 20
)

// QueueWebhookDeliveries queues a delivery of each change each webhook has not
// yet been given, and of the market events (store/webhook_market.go), and reports
// how many it queued. The queue and each webhook's
// place in the audit log are bookkeeping, not registry data, so like a key's
// last use they are written without an audit entry of their own (which would
// itself be a change to deliver).
func (s *Store) QueueWebhookDeliveries(ctx context.Context, now time.Time) (int, error) {
	var hooks int64
	if err := s.r.WithContext(ctx).Model(&webhookRow{}).Count(&hooks).Error; err != nil || hooks == 0 {
		return 0, translate(err) // nothing to queue: spare the writer a transaction
	}
	queued := 0
	err := s.write(ctx, func(tx *gorm.DB) error {
		var hooks []webhookRow
		if err := tx.Order("id").Find(&hooks).Error; err != nil {
			return err
		}
		for _, h := range hooks {
			for range queuePasses {
				n, more, err := queueFor(tx, &h, now)
				if err != nil {
					return err
				}
				queued += n
				if !more {
					break
				}
			}
		}
		n, err := queueContractEndings(tx, hooks, now)
		queued += n
		return err
	})
	if models.ErrorCode(err) == models.ECONFLICT {
		return 0, nil // the other worker queued these; this pass's inserts were rolled back
	}
	return queued, err
}

// queueFor queues the next changes for one webhook and moves it on past
// them, reporting how many it queued and whether more may be waiting.
func queueFor(tx *gorm.DB, h *webhookRow, now time.Time) (int, bool, error) {
	var entries []auditRow
	err := tx.Where("id > ? AND entity NOT IN ?", h.AfterAuditID, models.PrivateEntities).Order("id").Limit(queueScan).Find(&entries).Error
	if err != nil || len(entries) == 0 {
		return 0, false, err
	}
	queued := 0
	wanted := splitList(h.Entities)
	for _, e := range entries {
		if len(wanted) > 0 && !slices.Contains(wanted, e.Entity) {
			continue
		}
		payload, err := json.Marshal(e.change())
		if err != nil {
			return 0, false, err
		}
		d := deliveryRow{WebhookID: h.ID, AuditID: e.ID, Event: e.Entity + "." + e.Action, Payload: string(payload),
			NextAttemptAt: now, CreatedAt: now}
		if err := tx.Create(&d).Error; err != nil {
			return 0, false, err
		}
		queued++
		n, err := queueComponentRetiring(tx, *h, e, now)
		if err != nil {
			return 0, false, err
		}
		queued += n
	}
	// Conditional, so two replicas queueing at once cannot both move the same webhook on.
	last := entries[len(entries)-1].ID
	res := tx.Model(&webhookRow{}).Where("id = ? AND after_audit_id = ?", h.ID, h.AfterAuditID).Update("after_audit_id", last)
	if res.Error != nil {
		return 0, false, res.Error
	}
	if res.RowsAffected != 1 {
		return 0, false, models.Errorf(models.ECONFLICT, "webhook %d was queued by another worker", h.ID)
	}
	h.AfterAuditID = last
	return queued, len(entries) == queueScan, nil
}

// ClaimWebhookDeliveries leases up to limit due deliveries to the caller until
// now+lease; a worker that dies mid-delivery leaves them to be claimed again.
func (s *Store) ClaimWebhookDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]models.WebhookDelivery, error) {
	var due []int64
	if err := s.r.WithContext(ctx).Model(&deliveryRow{}).Where("delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?", now).
		Limit(1).Pluck("id", &due).Error; err != nil || len(due) == 0 {
		return nil, translate(err) // nothing due: spare the writer a transaction
	}
	var out []models.WebhookDelivery
	err := s.write(ctx, func(tx *gorm.DB) error {
		var due []struct {
			ID, WebhookID int64
			Event         string
			Payload       string
			Attempts      int
			URL           string `gorm:"column:url"`
			Secret        string
		}
		err := tx.Table("webhook_deliveries d").
			Select("d.id, d.webhook_id, d.event, d.payload, d.attempts, w.url, w.secret").
			Joins("JOIN webhooks w ON w.id = d.webhook_id").
			Where("d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= ? AND (d.locked_until IS NULL OR d.locked_until <= ?)", now, now).
			Order("d.next_attempt_at, d.id").Limit(limit).Scan(&due).Error
		if err != nil {
			return err
		}
		for _, d := range due {
			res := tx.Model(&deliveryRow{}).Where("id = ? AND (locked_until IS NULL OR locked_until <= ?)", d.ID, now).
				Update("locked_until", now.Add(lease))
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 1 {
				out = append(out, models.WebhookDelivery{ID: d.ID, WebhookID: d.WebhookID, URL: d.URL, Secret: d.Secret,
					Event: d.Event, Payload: []byte(d.Payload), Attempts: d.Attempts})
			}
		}
		return nil
	})
	return out, err
}

// FinishWebhookDelivery records an attempt: delivered, to be retried, or given up.
func (s *Store) FinishWebhookDelivery(ctx context.Context, id int64, now time.Time, o models.DeliveryOutcome) error {
	if len(o.Error) > 500 {
		o.Error = o.Error[:500]
	}
	set := map[string]any{"attempts": gorm.Expr("attempts + 1"), "last_status": o.Status, "last_error": o.Error, "locked_until": nil}
	switch {
	case o.Delivered:
		set["delivered_at"] = now
	case o.RetryAt != nil:
		set["next_attempt_at"] = *o.RetryAt
	default:
		set["failed_at"] = now
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&deliveryRow{}).Where("id = ?", id).Updates(set).Error
	})
}
