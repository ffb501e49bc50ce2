package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

type apiKeyRow struct {
	ID         int64
	Prefix     string
	Hash       string
	Role       string
	Org        *string
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
}

func (apiKeyRow) TableName() string { return "api_keys" }

func (r apiKeyRow) model() models.APIKey {
	k := models.APIKey{Prefix: r.Prefix, Role: r.Role, Name: r.Name, CreatedAt: r.CreatedAt,
		LastUsedAt: r.LastUsedAt, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt}
	if r.Org != nil {
		k.Org = *r.Org
	}
	return k
}

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// CreateKey makes a key for role, owned by org (a vendor slug or council code),
// and returns the secret once: only its hash is stored.
func (s *Store) CreateKey(ctx context.Context, actor models.Actor, role, org, name string, expires *time.Time) (string, models.APIKey, error) {
	var p models.Problems
	switch role {
	case models.RoleAdmin:
		if org != "" {
			p.Add("org", "must be empty for an admin key")
		}
	case models.RoleVendor, models.RoleCouncil:
		if org == "" {
			p.Add("org", "is required for a %s key (a vendor slug or council code)", role)
		}
	default:
		p.Add("role", "must be one of admin, vendor, council")
	}
	if len(name) > 200 {
		p.Add("name", "must be at most 200 characters")
	}
	if expires != nil && !expires.After(s.Now()) {
		p.Add("expires_at", "must be in the future")
	}
	if err := p.Err(); err != nil {
		return "", models.APIKey{}, err
	}
	idBytes, secret := make([]byte, 5), make([]byte, 32)
	if _, err := rand.Read(idBytes); err != nil {
		return "", models.APIKey{}, err
	}
	if _, err := rand.Read(secret); err != nil {
		return "", models.APIKey{}, err
	}
	prefix := models.KeyPrefix + lowerBase32.EncodeToString(idBytes)
	key := prefix + "_" + lowerBase32.EncodeToString(secret) // no "_" inside, so the prefix is unambiguous
	row := apiKeyRow{Prefix: prefix, Hash: hashKey(key), Role: role, Name: name, CreatedAt: s.Now(), ExpiresAt: expires}
	if org != "" {
		row.Org = &org
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		table := map[string]string{models.RoleVendor: "vendors", models.RoleCouncil: "councils"}[role]
		col := map[string]string{models.RoleVendor: "slug", models.RoleCouncil: "code"}[role]
		if table != "" {
			var n int64
			if err := tx.Table(table).Where(col+" = ?", org).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				var p models.Problems
				p.Add("org", "no %s has the %s %q", role, col, org)
				return p.ErrWithCode(models.EUNPROCESSABLE, "the key's owner does not exist")
			}
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return audit(tx, actor, row.CreatedAt, "api_key", row.Prefix, "created", nil, row.model())
	})
	if err != nil {
		return "", models.APIKey{}, err
	}
	return key, row.model(), nil
}

// RevokeKey revokes the key with the visible prefix; it stops working at once.
func (s *Store) RevokeKey(ctx context.Context, actor models.Actor, prefix string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var row apiKeyRow
		if err := tx.Where("prefix = ? AND revoked_at IS NULL", prefix).Take(&row).Error; err != nil {
			return notFoundAs(err, "active API key", prefix)
		}
		before := row.model()
		now := s.Now()
		row.RevokedAt = &now
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		return audit(tx, actor, now, "api_key", prefix, "revoked", before, row.model())
	})
}

// ListKeys describes every key, newest first; secrets and hashes are never returned.
func (s *Store) ListKeys(ctx context.Context, p models.Page) (models.List[models.APIKey], error) {
	rows, total, next, err := keysetDesc(s.r.WithContext(ctx), "id", p, func(r apiKeyRow) int64 { return r.ID }, nil)
	return listOf(rows, total, next, err, apiKeyRow.model)
}

// Authenticate returns the key's description when key is known, unrevoked and
// unexpired; otherwise an unauthorized error that does not say which.
func (s *Store) Authenticate(ctx context.Context, key string) (models.APIKey, error) {
	denied := models.Errorf(models.EUNAUTHORIZED, "the API key is not valid")
	prefix, _, ok := strings.Cut(strings.TrimPrefix(key, models.KeyPrefix), "_")
	if !strings.HasPrefix(key, models.KeyPrefix) || !ok || len(key) > 200 {
		return models.APIKey{}, denied
	}
	var row apiKeyRow
	if err := s.r.WithContext(ctx).Where("prefix = ?", models.KeyPrefix+prefix).Take(&row).Error; err != nil {
		if err == gorm.ErrRecordNotFound {
			return models.APIKey{}, denied
		}
		return models.APIKey{}, translate(err)
	}
	now := s.Now()
	if subtle.ConstantTimeCompare([]byte(row.Hash), []byte(hashKey(key))) != 1 ||
		row.RevokedAt != nil || (row.ExpiresAt != nil && !now.Before(*row.ExpiresAt)) {
		return models.APIKey{}, denied
	}
	// Record use at most once a minute, so reads do not turn into writes.
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) > time.Minute {
		_ = s.write(ctx, func(tx *gorm.DB) error {
			return tx.Model(&apiKeyRow{}).Where("id = ?", row.ID).Update("last_used_at", now).Error
		})
	}
	return row.model(), nil
}

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
