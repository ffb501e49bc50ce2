package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
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
	// The owner's row, not its slug: a vendor created later under the same slug is
	// another vendor. Cleared if the row is deleted (a vendor's delete revokes its keys first).
	VendorID  *int64
	CouncilID *int64
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
	if err := models.CheckNewKey(role, org, name, expires, s.Now()); err != nil {
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
		if err := bindOwner(tx, &row); err != nil {
			return err
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
		return revokeKey(tx, actor, s.Now(), row)
	})
}

// revokeKey revokes the key row at now and audits it.
func revokeKey(tx *gorm.DB, actor models.Actor, now time.Time, row apiKeyRow) error {
	before := row.model()
	row.RevokedAt = &now
	if err := tx.Save(&row).Error; err != nil {
		return err
	}
	return audit(tx, actor, now, "api_key", row.Prefix, "revoked", before, row.model())
}

// revokeVendorKeys revokes, each audited, the active keys of the vendor with vendorID, in the
// transaction that deletes the vendor: its keys die with it.
func revokeVendorKeys(tx *gorm.DB, actor models.Actor, now time.Time, vendorID int64) error {
	var rows []apiKeyRow
	if err := tx.Where("vendor_id = ? AND revoked_at IS NULL", vendorID).Order("id").Find(&rows).Error; err != nil {
		return err
	}
	for _, row := range rows {
		if err := revokeKey(tx, actor, now, row); err != nil {
			return err
		}
	}
	return nil
}

// bindOwner points a new vendor or council key at its owner's row: the vendor with the slug,
// or the council with the code, that the key's org names. A missing owner is refused, and so
// is a former council, whose key could not write: its successor gets the key instead.
func bindOwner(tx *gorm.DB, row *apiKeyRow) error {
	if row.Org == nil {
		return nil // an admin key has no owner
	}
	table, col, cols := "vendors", "slug", "id"
	if row.Role == models.RoleCouncil {
		table, col, cols = "councils", "code", "id, status"
	}
	var owner struct {
		ID     int64
		Status string
	}
	err := tx.Table(table).Select(cols).Where(col+" = ?", *row.Org).Take(&owner).Error
	var p models.Problems
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		p.Add("org", "no %s has the %s %q", row.Role, col, *row.Org)
		return p.ErrWithCode(models.EUNPROCESSABLE, "the key's owner does not exist")
	case err != nil:
		return err
	case row.Role == models.RoleVendor:
		row.VendorID = &owner.ID
		return nil
	}
	if err := models.CanOwnCouncilKey(owner.Status, func() (*models.FormerCouncil, error) {
		return formerCouncil(tx, owner.ID, *row.Org)
	}); err != nil {
		return err
	}
	row.CouncilID = &owner.ID
	return nil
}

// formerCouncil describes the abolished council with id and code as its keys are told: the
// vesting date of the reorganisation it was a predecessor in, and its successors.
func formerCouncil(db *gorm.DB, id int64, code string) (*models.FormerCouncil, error) {
	f := models.FormerCouncil{Code: code}
	var dates []string
	if err := db.Raw(`SELECT r.vesting_date FROM reorganisations r
		JOIN reorganisation_councils rc ON rc.reorganisation_id = r.id
		WHERE rc.council_id = ? AND rc.role = ? AND r.status IN ?
		ORDER BY r.vesting_date DESC LIMIT 1`, id, rolePredecessor, models.TakenEffectStatuses).Scan(&dates).Error; err != nil {
		return nil, translate(err)
	}
	if len(dates) > 0 {
		f.AbolishedOn = dates[0]
	}
	if err := db.Raw(`SELECT c.code FROM council_successions cs JOIN councils c ON c.id = cs.successor_id
		WHERE cs.predecessor_id = ? ORDER BY c.code`, id).Scan(&f.Successors).Error; err != nil {
		return nil, translate(err)
	}
	return &f, nil
}

// ListKeys describes every key, newest first; secrets and hashes are never returned.
func (s *Store) ListKeys(ctx context.Context, p models.Page) (models.List[models.APIKey], error) {
	rows, total, next, err := keysetDesc(s.r.WithContext(ctx), "id", p, func(r apiKeyRow) int64 { return r.ID }, nil)
	return listOf(rows, total, next, err, apiKeyRow.model)
}

// Authenticate returns the key's description when key is known, unrevoked and
// unexpired, and its owner is still the vendor or council it was made for; otherwise
// an unauthorized error that does not say which. A former council's key is marked
// (models.APIKey.Former): it still reads, and the write rules refuse it.
func (s *Store) Authenticate(ctx context.Context, key string) (models.APIKey, error) {
	denied := models.Errorf(models.EUNAUTHORIZED, "the API key is not valid")
	prefix, _, ok := strings.Cut(strings.TrimPrefix(key, models.KeyPrefix), "_")
	if !strings.HasPrefix(key, models.KeyPrefix) || !ok || len(key) > 200 {
		return models.APIKey{}, denied
	}
	db := s.r.WithContext(ctx)
	var row keyWithOwner
	err := db.Table("api_keys").
		Select("api_keys.*, vendors.slug AS vendor_slug, councils.code AS council_code, councils.status AS council_status").
		Joins("LEFT JOIN vendors ON vendors.id = api_keys.vendor_id").
		Joins("LEFT JOIN councils ON councils.id = api_keys.council_id").
		Where("api_keys.prefix = ?", models.KeyPrefix+prefix).Take(&row).Error
	if err != nil {
		if err == gorm.ErrRecordNotFound {
			return models.APIKey{}, denied
		}
		return models.APIKey{}, translate(err)
	}
	now := s.Now()
	kr := row.Key
	if subtle.ConstantTimeCompare([]byte(kr.Hash), []byte(hashKey(key))) != 1 ||
		kr.RevokedAt != nil || (kr.ExpiresAt != nil && !now.Before(*kr.ExpiresAt)) || !row.ownerStands() {
		return models.APIKey{}, denied
	}
	k := kr.model()
	if row.CouncilStatus != nil && *row.CouncilStatus == "former" {
		if k.Former, err = formerCouncil(db, *kr.CouncilID, k.Org); err != nil {
			return models.APIKey{}, err
		}
	}
	// Record use at most once a minute, so reads do not turn into writes.
	if kr.LastUsedAt == nil || now.Sub(*kr.LastUsedAt) > time.Minute {
		_ = s.write(ctx, func(tx *gorm.DB) error {
			return tx.Model(&apiKeyRow{}).Where("id = ?", kr.ID).Update("last_used_at", now).Error
		})
	}
	return k, nil
}

// keyWithOwner is a key and its owner's row as it stands, read together by Authenticate.
type keyWithOwner struct {
	Key           apiKeyRow `gorm:"embedded"`
	VendorSlug    *string
	CouncilCode   *string
	CouncilStatus *string
}

// ownerStands reports whether a vendor or council key's owner is still the row it was made
// for, under the slug or code the key names: a deleted vendor's key has no owner left (the
// id is cleared with the row), even when another vendor takes the slug.
func (r keyWithOwner) ownerStands() bool {
	org := r.Key.Org
	switch {
	case org == nil:
		return r.Key.Role == models.RoleAdmin
	case r.Key.Role == models.RoleVendor:
		return r.VendorSlug != nil && *r.VendorSlug == *org
	case r.Key.Role == models.RoleCouncil:
		return r.CouncilCode != nil && *r.CouncilCode == *org
	}
	return false
}

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
