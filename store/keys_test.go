package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
	"github.com/council-components/registry/store/storetest/testdb"
)

var keyTestAdmin = models.Actor{Key: "ccr_test", Role: models.RoleAdmin}

func wantUnauthorized(t *testing.T, st *store.Store, key, why string) {
	t.Helper()
	if _, err := st.Authenticate(context.Background(), key); models.ErrorCode(err) != models.EUNAUTHORIZED {
		t.Errorf("%s: Authenticate gave %v, want unauthorized", why, err)
	}
}

// A vendor's keys die with it: deleting the vendor revokes them in the same transaction, each
// audited, and a vendor created later under the same slug does not bring them back.
func TestDeletedVendorKeysAreRevoked(t *testing.T) {
	ctx := context.Background()
	st := testdb.New(t)
	str := func(s string) *string { return &s }
	vendor := models.VendorInput{Slug: str("short-lived"), Name: str("Short-lived"), Website: str("https://short-lived.example")}
	if _, err := st.CreateVendor(ctx, keyTestAdmin, vendor); err != nil {
		t.Fatal(err)
	}
	key, k, err := st.CreateKey(ctx, keyTestAdmin, models.RoleVendor, "short-lived", "team", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Authenticate(ctx, key); err != nil {
		t.Fatalf("the vendor's key before the delete: %v", err)
	}

	if err := st.DeleteVendor(ctx, keyTestAdmin, "short-lived", nil); err != nil {
		t.Fatal(err)
	}
	keys, err := st.ListKeys(ctx, models.Page{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(keys.Items, func(x models.APIKey) bool { return x.Prefix == k.Prefix })
	if i < 0 || keys.Items[i].RevokedAt == nil {
		t.Fatalf("after the vendor's delete the key is %+v, want it revoked", keys.Items[i])
	}
	log, err := st.ListAudit(ctx, models.AuditFilter{Entity: "api_key", EntityKey: k.Prefix}, models.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Items) != 2 || log.Items[0].Action != "revoked" || log.Items[0].Actor != keyTestAdmin {
		t.Errorf("the key's audit entries %+v, want its creation and its revocation by the vendor's deleter", log.Items)
	}
	wantUnauthorized(t, st, key, "after the vendor's delete")

	if _, err := st.CreateVendor(ctx, keyTestAdmin, vendor); err != nil {
		t.Fatal(err)
	}
	wantUnauthorized(t, st, key, "after a vendor with the same slug is created")
	// Even were its revocation undone, the key belongs to the deleted vendor's row, not to the slug.
	db, err := st.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(storetest.Rebind("UPDATE api_keys SET revoked_at = NULL WHERE prefix = ?"), k.Prefix); err != nil {
		t.Fatal(err)
	}
	wantUnauthorized(t, st, key, "unrevoked, with the new vendor in place")

	// The new vendor gets keys of its own.
	fresh, _, err := st.CreateKey(ctx, keyTestAdmin, models.RoleVendor, "short-lived", "new team", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := st.Authenticate(ctx, fresh); err != nil || got.Org != "short-lived" {
		t.Errorf("the new vendor's key: %+v, %v", got, err)
	}
}

// Vesting a reorganisation leaves its predecessors' keys able to authenticate (reads are
// anyone's), marked with what became of the council so the write rules can refuse them; no new
// key is made for a former council, planned or historic.
func TestFormerCouncilKeys(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t, testdb.Seeded(t, false))
	st.Now = func() time.Time { return time.Date(2027, 4, 2, 9, 0, 0, 0, time.UTC) }
	str := func(s string) *string { return &s }
	const basildon, successor = "E07000066", "E06009998"
	key, _, err := st.CreateKey(ctx, keyTestAdmin, models.RoleCouncil, basildon, "Basildon", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := st.Authenticate(ctx, key); err != nil || got.Former != nil {
		t.Fatalf("before vesting: %+v, %v", got, err)
	}
	r, err := st.CreateReorganisation(ctx, keyTestAdmin, models.ReorganisationInput{Predecessors: &[]string{basildon},
		Successor:   &models.SuccessorInput{Code: models.NullString{Set: true, Value: str(successor)}, Name: str("Example successor")},
		VestingDate: str("2027-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.VestReorganisation(ctx, keyTestAdmin, r.ID); err != nil {
		t.Fatal(err)
	}
	got, err := st.Authenticate(ctx, key)
	if err != nil {
		t.Fatalf("after vesting: %v", err)
	}
	want := models.FormerCouncil{Code: basildon, AbolishedOn: "2027-04-01", Successors: []string{successor}}
	if got.Former == nil || got.Former.Code != want.Code || got.Former.AbolishedOn != want.AbolishedOn || !slices.Equal(got.Former.Successors, want.Successors) {
		t.Errorf("after vesting the key's owner is %+v, want %+v", got.Former, want)
	}

	for _, tc := range []struct{ code, msg string }{
		{basildon, "E07000066 was abolished on 2027-04-01 and its duties passed to E06009998; make the key for the successor instead"},
		{"E07000163", "E07000163 was abolished on 2023-04-01 and its duties passed to E06000065; make the key for the successor instead"}, // Craven, from the register
	} {
		_, _, err := st.CreateKey(ctx, keyTestAdmin, models.RoleCouncil, tc.code, "", nil)
		var e *models.Error
		if !errors.As(err, &e) || e.Code != models.EUNPROCESSABLE || len(e.Fields) != 1 || e.Fields[0].Field != "org" || e.Fields[0].Message != tc.msg {
			t.Errorf("a key for former council %s: %v, want 422 on org: %q", tc.code, err, tc.msg)
		}
	}
	if _, _, err := st.CreateKey(ctx, keyTestAdmin, models.RoleCouncil, successor, "", nil); err != nil {
		t.Errorf("a key for the successor: %v", err)
	}
}
