package models

import (
	"fmt"
	"strings"
	"time"
)

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

// CheckNewKey checks what a new key is asked for: an admin key names no
// owner, a vendor or council key names one (a vendor slug or council code),
// the name is short and an expiry is after now. Whether the owner exists is
// the store's to check.
func CheckNewKey(role, org, name string, expires *time.Time, now time.Time) error {
	var p Problems
	switch role {
	case RoleAdmin:
		if org != "" {
			p.Add("org", "must be empty for an admin key")
		}
	case RoleVendor, RoleCouncil:
		if org == "" {
			p.Add("org", "is required for a %s key (a vendor slug or council code)", role)
		}
	default:
		p.Add("role", "must be one of admin, vendor, council")
	}
	if len(name) > 200 {
		p.Add("name", "must be at most 200 characters")
	}
	if expires != nil && !expires.After(now) {
		p.Add("expires_at", "must be in the future")
	}
	return p.Err()
}

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
	// Former is set by Authenticate on a key whose council was abolished, for the write rules
	// (models/access.go); it is not part of the key's description.
	Former *FormerCouncil `json:"-" swaggerignore:"true"`
}

// FormerCouncil is an abolished council as its old keys see it: its code, the day it was
// abolished (the vesting date of its reorganisation; "" when none is recorded) and the
// councils its duties passed to.
type FormerCouncil struct {
	Code        string
	AbolishedOn string
	Successors  []string
}

// String says what became of the council, e.g. "E07000066 was abolished on 2027-04-01 and
// its duties passed to E06000070".
func (f FormerCouncil) String() string {
	s := f.Code + " was abolished"
	if f.AbolishedOn != "" {
		s += " on " + f.AbolishedOn
	}
	if len(f.Successors) > 0 {
		s += " and its duties passed to " + strings.Join(f.Successors, " and ")
	}
	return s
}

// keyRefusal is why a former council's key may not write, and what to do instead.
func (f FormerCouncil) keyRefusal() string {
	switch len(f.Successors) {
	case 0:
		return fmt.Sprintf("%s; a former council's key no longer writes", f)
	case 1:
		return fmt.Sprintf("%s; ask an administrator for a key for the successor", f)
	}
	return fmt.Sprintf("%s; ask an administrator for a key for whichever successor now does this work", f)
}
