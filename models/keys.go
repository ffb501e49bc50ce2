package models

import "time"

// Roles an API key can hold.
const (
	RoleAdmin   = "admin"
	RoleVendor  = "vendor"
	RoleCouncil = "council"
)

// Roles lists them, for the API description's enums.
var Roles = []string{RoleAdmin, RoleVendor, RoleCouncil}

// The registry's own writers, named as actors in history and the audit log
// beside the keys' roles: the seed and the evidence harvests.
const (
	RoleSeed    = "seed"
	RoleHarvest = "harvest"
)

// ActorRoles are the roles an actor in history or the audit log may have.
var ActorRoles = []string{RoleAdmin, RoleVendor, RoleCouncil, RoleSeed, RoleHarvest}

// KeyPrefix starts every API key, so a leaked one is easy to recognise.
const KeyPrefix = "ccr_"

// APIKey describes a key without its secret: the store keeps only a SHA-256 hash.
type APIKey struct {
	Prefix     string     `json:"prefix" example:"ccr_k3j9x2ab"`
	Role       string     `json:"role" example:"vendor"`
	Org        string     `json:"org,omitempty" example:"government-digital-service"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at" format:"date-time"`
	LastUsedAt *time.Time `json:"last_used_at" extensions:"x-nullable" format:"date-time"`
	ExpiresAt  *time.Time `json:"expires_at" extensions:"x-nullable" format:"date-time"`
	RevokedAt  *time.Time `json:"revoked_at" extensions:"x-nullable" format:"date-time"`
}
