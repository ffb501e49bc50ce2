package store

import (
	"context"
	"database/sql"
	"io/fs"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store/storetest"
)

// Migration 00008 binds the keys made before it to their owners' rows by org. A key older
// than the vendor now holding its slug belonged to an earlier vendor: it is left unbound and
// revoked, like a key whose owner is gone; the rest keep working.
func TestKeyOwnersMigrationBackfills(t *testing.T) {
	ctx := context.Background()
	st := openBlank(t)
	db, err := st.w.DB()
	if err != nil {
		t.Fatal(err)
	}
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	if st.postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(dialect, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 7); err != nil { // the schema before key owners
		t.Fatal(err)
	}

	day := func(d int) time.Time { return time.Date(2026, 1, d, 9, 0, 0, 0, time.UTC) }
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, storetest.Rebind(query), args...); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []struct {
		slug    string
		created time.Time
	}{{"kept", day(1)}, {"reborn", day(10)}} {
		exec("INSERT INTO vendors (slug, name, website, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", v.slug, v.slug, "https://"+v.slug+".example", v.created, v.created)
	}
	exec(`INSERT INTO councils (code, authority_code, name, short_name, type, type_name, region, nation)
		VALUES ('E1', 'EXA', 'Example', 'Example', 'unitary', 'Unitary authority', 'Nowhere', 'England')`)
	revokedEarlier := day(6)
	str := func(s string) *string { return &s }
	keys := []struct {
		name, role string
		org        *string
		created    time.Time
		revoked    *time.Time
		// after the migration:
		bound, active bool
	}{
		{"vendor's", models.RoleVendor, str("kept"), day(5), nil, true, true},
		{"vendor's, revoked before", models.RoleVendor, str("kept"), day(5), &revokedEarlier, true, false},
		{"earlier vendor's of a reused slug", models.RoleVendor, str("reborn"), day(5), nil, false, false},
		{"deleted vendor's", models.RoleVendor, str("gone"), day(5), nil, false, false},
		{"council's", models.RoleCouncil, str("E1"), day(5), nil, true, true},
		{"unknown council's", models.RoleCouncil, str("E9"), day(5), nil, false, false},
		{"admin's", models.RoleAdmin, nil, day(5), nil, false, true},
	}
	secrets := make([]string, len(keys))
	for i, k := range keys {
		secrets[i] = models.KeyPrefix + "m" + string(rune('a'+i)) + "_secret"
		exec("INSERT INTO api_keys (prefix, hash, role, org, name, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			models.KeyPrefix+"m"+string(rune('a'+i)), hashKey(secrets[i]), k.role, k.org, k.name, k.created, k.revoked)
	}

	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		var vendorID, councilID sql.NullInt64
		var revokedAt sql.NullTime
		if err := db.QueryRowContext(ctx, storetest.Rebind("SELECT vendor_id, council_id, revoked_at FROM api_keys WHERE hash = ?"),
			hashKey(secrets[i])).Scan(&vendorID, &councilID, &revokedAt); err != nil {
			t.Fatal(err)
		}
		if bound := vendorID.Valid || councilID.Valid; bound != k.bound {
			t.Errorf("%s key: bound %v, want %v", k.name, bound, k.bound)
		}
		if revokedAt.Valid == k.active {
			t.Errorf("%s key: revoked_at %v, want it active %v", k.name, revokedAt, k.active)
		}
		if k.revoked != nil && !revokedAt.Time.Equal(*k.revoked) {
			t.Errorf("%s key: revoked_at moved from %v to %v", k.name, *k.revoked, revokedAt.Time)
		}
		_, err := st.Authenticate(ctx, secrets[i])
		if (err == nil) != k.active {
			t.Errorf("%s key: Authenticate gave %v, want it to work %v", k.name, err, k.active)
		}
	}
	// And it comes down again, keeping the keys.
	if _, err := p.DownTo(ctx, 7); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM api_keys").Scan(&n); err != nil || n != len(keys) {
		t.Errorf("%d keys after the down migration (%v), want %d", n, err, len(keys))
	}
}
