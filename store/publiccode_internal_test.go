package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/publiccode"
)

// TestPubliccodeImportReplansWhenTheComponentMoves: an import works out what
// the file means by reads, then writes; a write to the component in between
// stops the planned write (nothing of it is kept), and the import plans again
// from what the database then holds.
func TestPubliccodeImportReplansWhenTheComponentMoves(t *testing.T) {
	ctx := context.Background()
	st := openBlank(t)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	admin := models.Actor{Key: "ccr_test", Role: models.RoleAdmin}
	str := func(s string) *string { return &s }
	if _, err := st.CreateVendor(ctx, admin, models.VendorInput{Slug: str("acme"), Name: str("Acme"), Website: str("https://acme.example")}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateCapability(ctx, admin, models.CapabilityInput{Slug: str("case-management"), Name: str("Case management"),
		Category: str("casework"), Description: str("Track cases.")}); err != nil {
		t.Fatal(err)
	}
	file := func(summary string) *models.Publiccode {
		t.Helper()
		pc, err := publiccode.Parse([]byte(`publiccodeYmlVersion: "0.4"
name: Widget
url: https://example.org/acme/widget
developmentStatus: stable
softwareType: standalone/web
platforms: [web]
legal: {license: MIT}
description:
  en:
    shortDescription: ` + summary + `
    longDescription: A widget for councils, long enough to describe what it does.
`))
		if err != nil {
			t.Fatalf("%v: %+v", err, err.(*models.Error).Fields)
		}
		return pc
	}
	opt := models.PubliccodeOptions{Vendor: "acme", Capabilities: []string{"case-management"}}
	summary := func() string {
		t.Helper()
		c, err := st.GetComponent(ctx, "widget")
		if err != nil {
			t.Fatal(err)
		}
		return c.Summary
	}

	// A new component: another writer creates the slug first.
	plan, err := planPubliccode(st.r, admin, file("First"), opt)
	if err != nil || plan.create == nil {
		t.Fatalf("plan %+v, %v: want a creation", plan, err)
	}
	if _, err := st.ImportPubliccode(ctx, admin, file("First"), opt); err != nil {
		t.Fatal(err)
	}
	if _, err := st.writePubliccode(ctx, admin, file("First"), plan); !errors.Is(err, errChangedSincePlanned) {
		t.Fatalf("creating a component that has come to exist: %v, want errChangedSincePlanned", err)
	}

	// An update: the component is edited between the plan and the write.
	plan, err = planPubliccode(st.r, admin, file("Second"), opt)
	if err != nil || plan.update == nil {
		t.Fatalf("plan %+v, %v: want an update", plan, err)
	}
	if _, err := st.UpdateComponent(ctx, admin, "widget", models.ComponentInput{Hosting: str("saas")}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.writePubliccode(ctx, admin, file("Second"), plan); !errors.Is(err, errChangedSincePlanned) {
		t.Fatalf("a write over an edit: %v, want errChangedSincePlanned", err)
	}
	if got := summary(); got != "First" {
		t.Fatalf("the stopped write left summary %q", got)
	}
	out, err := st.ImportPubliccode(ctx, admin, file("Second"), opt)
	if err != nil || !out.Changed || out.Created {
		t.Fatalf("import after the edit: %+v, %v", out, err)
	}
	if got := summary(); got != "Second" || !strings.EqualFold(out.Component.Hosting, "saas") {
		t.Errorf("summary %q, hosting %q: want the file's summary over the edit's hosting", got, out.Component.Hosting)
	}
}
