package store

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// auditWorld is a migrated store with two councils, two vendors, three capabilities and four
// components to write adoptions and components against.
func auditWorld(t *testing.T) *Store {
	t.Helper()
	st := openBlank(t)
	ctx := context.Background()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	d := SeedData{
		Vendors: []SeedVendor{
			{Vendor: models.Vendor{Slug: "acme", Name: "Acme", Website: "https://acme.example", Kind: "commercial"}},
			{Vendor: models.Vendor{Slug: "zeta", Name: "Zeta", Website: "https://zeta.example", Kind: "commercial"}},
		},
		Capabilities: []models.Capability{
			{Slug: "online-card-payments", Name: "Online card payments", Category: "payments", Description: "Take card payments."},
			{Slug: "bin-collections", Name: "Bin collections", Category: "waste", Description: "Bins."},
			{Slug: "appointments", Name: "Appointments", Category: "booking", Description: "Book a slot."},
		},
	}
	for i := range 2 {
		d.Councils = append(d.Councils, models.Council{Code: fmt.Sprintf("E99%06d", i+1), AuthorityCode: fmt.Sprintf("T%05d", i+1), Name: fmt.Sprintf("Audit council %d", i+1),
			ShortName: fmt.Sprintf("Audit %d", i+1), Type: "UA", TypeName: "Unitary authority", Nation: "England", Status: "current",
			LowerOrUnitary: true, DeliversServices: true})
	}
	d.Components = []SeedComponent{
		{Component: models.Component{Slug: "pay", Name: "Pay", Summary: "Payments.", Vendor: "acme",
			Capabilities: []string{"online-card-payments"}, Lifecycle: "live", Hosting: "saas", Pricing: "free"}},
		{Component: models.Component{Slug: "multi", Name: "Multi", Summary: "Two things.", Vendor: "acme",
			Capabilities: []string{"online-card-payments", "bin-collections"}, Lifecycle: "live", Hosting: "saas", Pricing: "free"}},
		{Component: models.Component{Slug: "base-b", Name: "Base B", Summary: "Depended on.", Vendor: "zeta",
			Capabilities: []string{"appointments"}, Lifecycle: "live", Hosting: "saas", Pricing: "free"}},
		{Component: models.Component{Slug: "base-a", Name: "Base A", Summary: "Depended on.", Vendor: "zeta",
			Capabilities: []string{"appointments"}, Lifecycle: "live", Hosting: "saas", Pricing: "free"}},
	}
	if _, err := st.Seed(ctx, d); err != nil {
		t.Fatal(err)
	}
	return st
}

// A testClock is a fixed clock, in a zone that is not UTC and to the nanosecond, so a
// record built from a write's own values rather than read back would show any difference
// in how times are stored; last is the time it last told.
type testClock struct{ last time.Time }

func (c *testClock) now() time.Time {
	if c.last.IsZero() {
		c.last = time.Date(2026, 3, 29, 1, 30, 15, 123456789, time.FixedZone("audit", 5*3600+30*60))
	}
	c.last = c.last.Add(1001 * time.Nanosecond)
	return c.last
}

// lastAuditAfter is the after JSON of the newest audit entry for kind key, as stored.
func lastAuditAfter(t *testing.T, st *Store, kind, key string) string {
	t.Helper()
	var row auditRow
	if err := st.r.Where("entity = ? AND entity_key = ?", kind, key).Order("id DESC").Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	if row.After == nil {
		t.Fatalf("%s %s: the newest audit entry has no after", kind, key)
	}
	return *row.After
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAuditAfterIsTheRecordReadBack: the audit entry's after, written with each write, is
// byte for byte the record as read back once the write has committed (getAdoption,
// componentModel), for creates and updates of adoptions and components.
func TestAuditAfterIsTheRecordReadBack(t *testing.T) {
	st := auditWorld(t)
	clock := &testClock{}
	st.Now = clock.now
	ctx := context.Background()
	admin := models.Actor{Key: "ccr_audit", Role: models.RoleAdmin}
	s := func(v string) *string { return &v }
	ns := func(v string) models.NullString { return models.NullString{Set: true, Value: &v} }
	ni := func(v int64) models.NullInt64 { return models.NullInt64{Set: true, Value: &v} }

	checkAdoption := func(step string, id int64) {
		t.Helper()
		want, err := getAdoption(st.r, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := lastAuditAfter(t, st, "adoption", fmt.Sprint(id)); got != mustJSON(t, want) {
			t.Errorf("%s: audit after\n%s\nread back\n%s", step, got, mustJSON(t, want))
		}
	}
	// A component's after has always carried the times its write set as the write set them (so
	// to the nanosecond and in the clock's zone, where the database may keep less): checkComponent
	// reads the component back and puts those in, after checking them against what was read. A
	// create's (written) are the clock's; an update's created_at is as read, and its updated_at
	// gorm's own clock's, so it is taken from the audit.
	checkComponent := func(step, slug string, written *time.Time) {
		t.Helper()
		var row componentRow
		if err := takeBySlug(st.r, &row, "component", slug); err != nil {
			t.Fatal(err)
		}
		want, err := componentModel(st.r, row)
		if err != nil {
			t.Fatal(err)
		}
		got := lastAuditAfter(t, st, "component", slug)
		sameInstant := func(field string, a, b time.Time) {
			t.Helper()
			if d := a.Sub(b); d <= -time.Microsecond || d >= time.Microsecond {
				t.Errorf("%s: %s written %v, read back %v", step, field, a, b)
			}
		}
		if written != nil {
			sameInstant("created_at", *written, want.CreatedAt)
			sameInstant("updated_at", *written, want.UpdatedAt)
			want.CreatedAt, want.UpdatedAt = *written, *written
		} else {
			var a models.Component
			if err := json.Unmarshal([]byte(got), &a); err != nil {
				t.Fatal(err)
			}
			sameInstant("updated_at", a.UpdatedAt, want.UpdatedAt)
			want.UpdatedAt = a.UpdatedAt
		}
		if got != mustJSON(t, want) {
			t.Errorf("%s: audit after\n%s\nread back\n%s", step, got, mustJSON(t, want))
		}
	}

	// Adoptions: the capability given, and left to the component's only one.
	a, err := st.CreateAdoption(ctx, admin, models.AdoptionInput{Council: s("E99000001"), Component: s("multi"), Capability: s("bin-collections"),
		Status: s("live"), StartedOn: ns("2025-01-02"), Notes: s("Notes with \"quotes\", <tags> & unicode: café ✓"),
		EvidenceURL: ns("https://evidence.example/a?b=c&d=e"), ContractValueGBP: ni(125000),
		ContractSupplier: ns("zeta"), ContractReference: ns("REF-1")})
	if err != nil {
		t.Fatal(err)
	}
	checkAdoption("create with capability", a.ID)
	b, err := st.CreateAdoption(ctx, admin, models.AdoptionInput{Council: s("E99000002"), Component: s("pay"), Status: s("piloting")})
	if err != nil {
		t.Fatal(err)
	}
	checkAdoption("create with the default capability", b.ID)
	vendor := models.Actor{Key: "ccr_vendor", Role: models.RoleVendor, Org: "acme"}
	c, err := st.CreateAdoption(ctx, vendor, models.AdoptionInput{Council: s("E99000002"), Component: s("multi"), Capability: s("online-card-payments"), Status: s("live")})
	if err != nil {
		t.Fatal(err)
	}
	checkAdoption("a vendor's claim", c.ID)

	// Updates: fields, then a new capability (read back), then fields again.
	if _, err := st.UpdateAdoption(ctx, admin, a.ID, models.AdoptionInput{Status: s("retiring"), EndedOn: ns("2026-02-03"), Notes: s("")}, nil); err != nil {
		t.Fatal(err)
	}
	checkAdoption("update fields", a.ID)
	if _, err := st.UpdateAdoption(ctx, admin, a.ID, models.AdoptionInput{Capability: s("online-card-payments")}, nil); err != nil {
		t.Fatal(err)
	}
	checkAdoption("update capability", a.ID)
	if _, err := st.UpdateAdoption(ctx, admin, a.ID, models.AdoptionInput{PublicContact: ns("digital@council.example"), ContractValueGBP: ni(0)}, nil); err != nil {
		t.Fatal(err)
	}
	checkAdoption("update after the capability changed", a.ID)
	if _, err := st.UpdateAdoption(ctx, admin, c.ID, models.AdoptionInput{Notes: s("The claim, amended.")}, nil); err != nil {
		t.Fatal(err)
	}
	checkAdoption("update a claim", c.ID)
	if _, err := st.UpdateAdoption(ctx, admin, a.ID, models.AdoptionInput{EvidenceURL: models.NullString{Set: true}, ContractValueGBP: models.NullInt64{Set: true}}, nil); err != nil {
		t.Fatal(err)
	}
	checkAdoption("update to null", a.ID)

	// Components: links given out of order, and none at all.
	if _, err := st.CreateComponent(ctx, admin, models.ComponentInput{Slug: s("new-one"), Name: s("New one"), Summary: s("A new component."),
		Description: s("Described, with ünïcode."), Vendor: s("zeta"), Capabilities: &[]string{"online-card-payments", "bin-collections", "appointments"},
		Licence: ns("MIT"), OpenSource: func() *bool { v := true; return &v }(), Hosting: s("self-hosted"), Pricing: s("free"), Lifecycle: s("beta"),
		Standards: &[]string{"wcag-2.2-aa", "Open-Standards", "gds-service-standard"}, URL: ns("https://new.example"),
		RepositoryURL: ns("https://git.example/new"), DocsURL: ns("https://docs.example/new"), DependsOn: &[]string{"base-b", "base-a"}}); err != nil {
		t.Fatal(err)
	}
	checkComponent("create with links", "new-one", &clock.last)
	if _, err := st.CreateComponent(ctx, admin, models.ComponentInput{Slug: s("bare"), Name: s("Bare"), Summary: s("Nothing else."),
		Vendor: s("acme"), Capabilities: &[]string{"appointments"}, Lifecycle: s("live")}); err != nil {
		t.Fatal(err)
	}
	checkComponent("create bare", "bare", &clock.last)

	if _, err := st.UpdateComponent(ctx, admin, "new-one", models.ComponentInput{Name: s("New one, renamed"), Capabilities: &[]string{"appointments"},
		Standards: &[]string{}, DependsOn: &[]string{"bare"}}, nil); err != nil {
		t.Fatal(err)
	}
	checkComponent("update", "new-one", nil)
	if _, err := st.UpdateComponent(ctx, admin, "multi", models.ComponentInput{Summary: s("Adopted, so counted.")}, nil); err != nil {
		t.Fatal(err)
	}
	checkComponent("update an adopted component", "multi", nil)
}

// TestWrittenRecordsAreBuiltOnSQLite: on SQLite the audit's after records of creates are built
// from the write (TestAuditAfterIsTheRecordReadBack shows them the same as read back); on
// PostgreSQL they are read back.
func TestWrittenRecordsAreBuiltOnSQLite(t *testing.T) {
	st := openBlank(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("x", -7*3600))
	_, okA := writtenAdoption(st.w, adoptionRow{CreatedAt: now, UpdatedAt: now}, "E1", "c", "cap")
	_, okC := createdComponent(st.w, componentRow{CreatedAt: now, UpdatedAt: now}, models.Component{})
	if want := !st.postgres; okA != want || okC != want {
		t.Errorf("built on %s: adoption %v, component %v; want %v", map[bool]string{true: "PostgreSQL", false: "SQLite"}[st.postgres], okA, okC, want)
	}
	if back, ok := readsBackAs(st.w, now); ok && (!back.Equal(now) || back.Location() != time.UTC) {
		t.Errorf("readsBackAs(%v) = %v", now, back)
	}
}

// TestAuditAndEventInsertsStoreWhatCreateStored: insertAudit and insertEvent store a row as
// gorm's Create of it did, every column alike but the id, nulls included.
func TestAuditAndEventInsertsStoreWhatCreateStored(t *testing.T) {
	st := auditWorld(t)
	ctx := context.Background()
	admin := models.Actor{Key: "ccr_audit", Role: models.RoleAdmin, Org: "an org"}
	council, component := "E99000001", "pay"
	a, err := st.CreateAdoption(ctx, admin, models.AdoptionInput{Council: &council, Component: &component})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 29, 1, 30, 15, 123456789, time.FixedZone("audit", 5*3600+30*60))
	before, after := `{"a":"b \u00e9 \"q\""}`, `{"n":null}`
	audits := []auditRow{
		{At: at, ActorKey: "k", ActorRole: "admin", ActorOrg: "o", Entity: "adoption", EntityKey: "7", Action: "created", After: &after},
		{At: at.UTC(), Entity: "component", EntityKey: "x", Action: "updated", Before: &before, After: &after},
		{At: at, Entity: "component", EntityKey: "x", Action: "deleted", Before: &before},
	}
	events := []eventRow{
		{AdoptionID: a.ID, At: at, ActorKey: "k", ActorRole: "admin", ActorOrg: "o", Action: "updated", Changes: `{"status":{"from":"live","to":"retired"}}`},
		{AdoptionID: a.ID, At: at.UTC(), Action: "rejection_cleared", Changes: `{}`},
	}
	var audited, evented [2][]int64 // ids by way of Create [0] and of insertAudit/insertEvent [1]
	err = st.write(ctx, func(tx *gorm.DB) error {
		if err := insertBothWays(tx, "audit_log", audits, insertAudit, &audited); err != nil {
			return err
		}
		return insertBothWays(tx, "adoption_events", events, insertEvent, &evented)
	})
	if err != nil {
		t.Fatal(err)
	}
	storedAlike(t, st, "audit_log", "insertAudit", audited, func(r auditRow) auditRow { r.ID = 0; return r })
	storedAlike(t, st, "adoption_events", "insertEvent", evented, func(r eventRow) eventRow { r.ID = 0; return r })
}

// storedAlike checks that each pair of rows in table, ids[0][i] by Create and ids[1][i] by
// insert, is stored alike: the same text for at (SQLite keeps the text the driver wrote, so
// the times are compared as stored, not only as read back) and the same columns but the id.
func storedAlike[R any](t *testing.T, st *Store, table, insert string, ids [2][]int64, withoutID func(R) R) {
	t.Helper()
	for i := range ids[0] {
		var texts []string
		if err := st.r.Raw("SELECT CAST(at AS TEXT) FROM "+table+" WHERE id IN (?, ?) ORDER BY id", ids[0][i], ids[1][i]).Scan(&texts).Error; err != nil {
			t.Fatal(err)
		}
		if len(texts) != 2 || texts[0] != texts[1] {
			t.Errorf("%s %d: at stored as %q", table, i, texts)
		}
		var rows [2]R
		for way := range rows {
			if err := st.r.Take(&rows[way], ids[way][i]).Error; err != nil {
				t.Fatal(err)
			}
		}
		if byCreate, byInsert := mustJSON(t, withoutID(rows[0])), mustJSON(t, withoutID(rows[1])); byCreate != byInsert {
			t.Errorf("%s %d: Create stored %s, %s %s", table, i, byCreate, insert, byInsert)
		}
	}
}

// insertBothWays inserts each row twice, by gorm's Create and then by insert, and
// records the table's newest id after each: ids[0] by Create, ids[1] by insert.
func insertBothWays[R any](tx *gorm.DB, table string, rows []R, insert func(*gorm.DB, R) error, ids *[2][]int64) error {
	newest := func(way int) error {
		var last int64
		if err := tx.Raw("SELECT coalesce(max(id), 0) FROM " + table).Scan(&last).Error; err != nil {
			return err
		}
		ids[way] = append(ids[way], last)
		return nil
	}
	for _, r := range rows {
		c := r
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		if err := newest(0); err != nil {
			return err
		}
		if err := insert(tx, r); err != nil {
			return err
		}
		if err := newest(1); err != nil {
			return err
		}
	}
	return nil
}
