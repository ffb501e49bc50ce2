package models

import "time"

// Roles an API key can hold.
const (
	RoleAdmin   = "admin"
	RoleVendor  = "vendor"
	RoleCouncil = "council"
)

// KeyPrefix starts every API key, so a leaked one is easy to recognise.
const KeyPrefix = "ccr_"

// APIKey describes a key without its secret: the store keeps only a SHA-256 hash.
type APIKey struct {
	Prefix     string     `json:"prefix" example:"ccr_k3j9x2ab"`
	Role       string     `json:"role" example:"vendor"`
	Org        string     `json:"org,omitempty" example:"government-digital-service"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}
