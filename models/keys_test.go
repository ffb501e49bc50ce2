package models

import (
	"strings"
	"testing"
	"time"
)

func TestCheckNewKey(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Second)
	for _, tc := range []struct {
		name, role, org, keyName string
		expires                  *time.Time
		fields                   []string // refused, naming these; none: accepted
	}{
		{name: "admin", role: RoleAdmin},
		{name: "vendor with its slug, expiring later", role: RoleVendor, org: "acme", expires: &later},
		{name: "council with its code", role: RoleCouncil, org: "E09000022", keyName: strings.Repeat("n", 200)},
		{name: "admin with an owner", role: RoleAdmin, org: "acme", fields: []string{"org"}},
		{name: "vendor without one", role: RoleVendor, fields: []string{"org"}},
		{name: "council without one", role: RoleCouncil, fields: []string{"org"}},
		{name: "unknown role", role: "seed", org: "x", fields: []string{"role"}},
		{name: "long name", role: RoleAdmin, keyName: strings.Repeat("n", 201), fields: []string{"name"}},
		{name: "expired already", role: RoleAdmin, expires: &earlier, fields: []string{"expires_at"}},
		{name: "expiring now", role: RoleAdmin, expires: &now, fields: []string{"expires_at"}},
		{name: "everything wrong at once", role: "", keyName: strings.Repeat("n", 201), expires: &earlier,
			fields: []string{"role", "name", "expires_at"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckNewKey(tc.role, tc.org, tc.keyName, tc.expires, now)
			if len(tc.fields) == 0 {
				wantRuleErr(t, err, "", "")
				return
			}
			wantRuleErr(t, err, EINVALID, invalidFields, tc.fields...)
		})
	}
}
