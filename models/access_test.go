package models

import (
	"errors"
	"slices"
	"testing"

	"github.com/council-components/registry/internal/tabletest"
)

// Keys the access tables use: an admin, a council and a vendor with records of
// their own (E1, acme), others of the same roles, and no key at all.
var (
	keyAdmin       = Actor{Key: "ccr_admin", Role: RoleAdmin}
	keyCouncilE1   = Actor{Key: "ccr_e1", Role: RoleCouncil, Org: "E1"}
	keyCouncilE2   = Actor{Key: "ccr_e2", Role: RoleCouncil, Org: "E2"}
	keyVendorAcme  = Actor{Key: "ccr_acme", Role: RoleVendor, Org: "acme"}
	keyVendorOther = Actor{Key: "ccr_other", Role: RoleVendor, Org: "other"}
	keyNone        = Actor{}
	// E1's key after E1 was abolished, its duties passed to S1.
	keyFormerE1 = Actor{Key: "ccr_e1", Role: RoleCouncil, Org: "E1",
		Former: &FormerCouncil{Code: "E1", AbolishedOn: "2027-04-01", Successors: []string{"S1"}}}
)

// formerE1 is what keyFormerE1 is told when it tries to write.
const formerE1 = "E1 was abolished on 2027-04-01 and its duties passed to S1; ask an administrator for a key for the successor"

// A former council may not write: every council write rule refuses its key, naming the
// successor, whatever it writes about; other keys are not affected by the rule.
func TestFormerCouncilMayNotWrite(t *testing.T) {
	for _, tc := range []struct {
		name      string
		actor     Actor
		code, msg string
	}{
		{"former council", keyFormerE1, EFORBIDDEN, formerE1},
		{"current council", keyCouncilE1, "", ""},
		{"admin", keyAdmin, "", ""},
		{"vendor", keyVendorAcme, "", ""},
		{"no key", keyNone, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRuleErr(t, tc.actor.refuseFormerCouncil(), tc.code, tc.msg)
		})
	}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"records its own adoption", keyFormerE1.CanWriteAdoption("E1", "acme", "", false)},
		{"edits its own adoption", keyFormerE1.CanWriteAdoption("E1", "acme", "council", true)},
		{"records an adoption of its successor", keyFormerE1.CanWriteAdoption("S1", "acme", "", false)},
		{"verifies a claim", keyFormerE1.CanSettleClaim("E1", "verified")},
		{"rejects a claim", keyFormerE1.CanSettleClaim("E1", "rejected")},
		{"states a need", keyFormerE1.CanWriteNeed("E1")},
		{"states a need of its successor", keyFormerE1.CanWriteNeed("S1")},
	} {
		t.Run(tc.name, func(t *testing.T) { wantRuleErr(t, tc.err, EFORBIDDEN, formerE1) })
	}
}

// What a former council's key is told depends on what the registry knows of its end.
func TestFormerCouncilMessages(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    FormerCouncil
		want string
	}{
		{"one successor", FormerCouncil{Code: "E1", AbolishedOn: "2027-04-01", Successors: []string{"S1"}}, formerE1},
		{"split in two", FormerCouncil{Code: "E1", AbolishedOn: "2023-04-01", Successors: []string{"S1", "S2"}},
			"E1 was abolished on 2023-04-01 and its duties passed to S1 and S2; ask an administrator for a key for whichever successor now does this work"},
		{"no reorganisation recorded", FormerCouncil{Code: "E1", Successors: []string{"S1"}},
			"E1 was abolished and its duties passed to S1; ask an administrator for a key for the successor"},
		{"no successor", FormerCouncil{Code: "N1"}, "N1 was abolished; a former council's key no longer writes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.keyRefusal(); got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// wantRuleErr fails unless err has code and message (code "" means no error)
// and, when fields are given, names exactly those fields.
func wantRuleErr(t *testing.T, err error, code, msg string, fields ...string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a *models.Error %s: %s", err, code, msg)
	}
	if e.Code != code || e.Message != msg {
		t.Errorf("got %s: %q, want %s: %q", e.Code, e.Message, code, msg)
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field)
	}
	if len(fields) > 0 && !slices.Equal(got, fields) {
		t.Errorf("fields %v, want %v", got, fields)
	}
}

const invalidFields = "the request has invalid fields"

func TestCanWriteAdoption(t *testing.T) {
	const (
		councilOnly = "a council key records and edits only its own council's adoptions"
		vendorOnly  = "a vendor key may claim adoptions only of its own components"
		claimsOnly  = "a vendor may edit only its own claims, and only until the council verifies them"
		noKey       = "this key may not write adoptions"
	)
	for _, tc := range []struct {
		name     string
		actor    Actor
		source   string // the stored record's; "" for a new adoption
		verified bool
		code     string
		msg      string
	}{
		{"admin records any", keyAdmin, "", false, "", ""},
		{"admin edits a verified council record", keyAdmin, "council", true, "", ""},
		{"council records its own", keyCouncilE1, "", false, "", ""},
		{"council edits its own", keyCouncilE1, "vendor", false, "", ""},
		{"council records another's", keyCouncilE2, "", false, EFORBIDDEN, councilOnly},
		{"council edits another's", keyCouncilE2, "council", true, EFORBIDDEN, councilOnly},
		{"vendor claims its own component", keyVendorAcme, "", false, "", ""},
		{"vendor edits its pending claim", keyVendorAcme, "vendor", false, "", ""},
		{"vendor edits its verified claim", keyVendorAcme, "vendor", true, EFORBIDDEN, claimsOnly},
		{"vendor edits the council's record", keyVendorAcme, "council", false, EFORBIDDEN, claimsOnly},
		{"vendor edits an admin's record", keyVendorAcme, "admin", true, EFORBIDDEN, claimsOnly},
		{"vendor claims another's component", keyVendorOther, "", false, EFORBIDDEN, vendorOnly},
		{"vendor edits a claim on another's component", keyVendorOther, "vendor", false, EFORBIDDEN, vendorOnly},
		{"no key", keyNone, "", false, EFORBIDDEN, noKey},
		{"unknown role", Actor{Role: "seed"}, "", false, EFORBIDDEN, noKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.actor.CanWriteAdoption("E1", "acme", tc.source, tc.verified)
			wantRuleErr(t, err, tc.code, tc.msg)
		})
	}
}

// Each write is named by its own verb in the refusal.
func TestCanSettleClaim(t *testing.T) {
	for _, tc := range []struct {
		name      string
		actor     Actor
		action    string
		code, msg string
	}{
		{"admin verifies", keyAdmin, "verified", "", ""},
		{"admin rejects", keyAdmin, "rejected", "", ""},
		{"its council verifies", keyCouncilE1, "verified", "", ""},
		{"its council rejects", keyCouncilE1, "rejected", "", ""},
		{"another council verifies", keyCouncilE2, "verified", EFORBIDDEN, "only council E1 or an admin may verify this adoption"},
		{"another council rejects", keyCouncilE2, "rejected", EFORBIDDEN, "only council E1 or an admin may reject this adoption"},
		{"the claiming vendor verifies", keyVendorAcme, "verified", EFORBIDDEN, "only council E1 or an admin may verify this adoption"},
		{"a vendor keyed as the council's code", Actor{Role: RoleVendor, Org: "E1"}, "verified", EFORBIDDEN, "only council E1 or an admin may verify this adoption"},
		{"no key rejects", keyNone, "rejected", EFORBIDDEN, "only council E1 or an admin may reject this adoption"},
		{"its council reconfirms", keyCouncilE1, "confirmed", "", ""},
		{"another council reconfirms", keyCouncilE2, "confirmed", EFORBIDDEN, "only council E1 or an admin may confirm this adoption"},
		{"the claiming vendor clears the rejection", keyVendorAcme, "cleared", EFORBIDDEN, "only council E1 or an admin may clear the rejection of this adoption"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRuleErr(t, tc.actor.CanSettleClaim("E1", tc.action), tc.code, tc.msg)
		})
	}
}

func TestCanWriteNeed(t *testing.T) {
	for _, tc := range []struct {
		name, source string
		actor        Actor
		code, msg    string
	}{
		{"admin", "admin", keyAdmin, "", ""},
		{"its council", "council", keyCouncilE1, "", ""},
		{"another council", "council", keyCouncilE2, EFORBIDDEN, "a council key states and edits only its own council's needs"},
		{"vendor", "council", keyVendorAcme, EFORBIDDEN, "only councils (and admins) state needs"},
		{"vendor keyed as the council's code", "council", Actor{Role: RoleVendor, Org: "E1"}, EFORBIDDEN, "only councils (and admins) state needs"},
		{"no key", "council", keyNone, EFORBIDDEN, "only councils (and admins) state needs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRuleErr(t, tc.actor.CanWriteNeed("E1"), tc.code, tc.msg)
			if got := tc.actor.NeedSource(); got != tc.source {
				t.Errorf("NeedSource() = %q, want %q", got, tc.source)
			}
		})
	}
}

// The component and vendor rules decide ownership only: api/policy.go refuses
// councils and callers without a key before the store asks.
func TestCanWriteComponent(t *testing.T) {
	const ownOnly = "a vendor key edits only its own components"
	for _, tc := range []struct {
		name      string
		actor     Actor
		newVendor *string
		code, msg string
		fields    []string
	}{
		{"admin", keyAdmin, nil, "", "", nil},
		{"admin moves it to another vendor", keyAdmin, refOf("other"), "", "", nil},
		{"owner", keyVendorAcme, nil, "", "", nil},
		{"owner names itself", keyVendorAcme, refOf("acme"), "", "", nil},
		{"owner hands it on", keyVendorAcme, refOf("other"), EINVALID, invalidFields, []string{"vendor"}},
		{"another vendor", keyVendorOther, nil, EFORBIDDEN, ownOnly, nil},
		{"another vendor takes it", keyVendorOther, refOf("other"), EFORBIDDEN, ownOnly, nil},
		{"council (refused by route policy)", keyCouncilE1, nil, "", "", nil},
		{"no key (refused by route policy)", keyNone, nil, "", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRuleErr(t, tc.actor.CanWriteComponent("acme", tc.newVendor), tc.code, tc.msg, tc.fields...)
		})
	}
}

// A vendor key lists components and edits a vendor record only as itself.
func TestVendorOwnership(t *testing.T) {
	for _, tc := range []struct {
		name    string
		actor   Actor
		refused bool
	}{
		{"admin", keyAdmin, false},
		{"the vendor itself", keyVendorAcme, false},
		{"another vendor", keyVendorOther, true},
		{"council (refused by route policy)", keyCouncilE1, false},
		{"no key (refused by route policy)", keyNone, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			create, edit := tc.actor.CanCreateComponent("acme"), tc.actor.CanWriteVendor("acme")
			if !tc.refused {
				wantRuleErr(t, create, "", "")
				wantRuleErr(t, edit, "", "")
				return
			}
			wantRuleErr(t, create, EINVALID, invalidFields, "vendor")
			if m := create.(*Error).Fields[0].Message; m != "a vendor key lists components only under its own vendor" {
				t.Errorf("create: message %q", m)
			}
			wantRuleErr(t, edit, EFORBIDDEN, "a vendor key edits only its own vendor record")
		})
	}
}

func TestVendorKeys(t *testing.T) {
	type says struct {
		own      string
		ok, adds bool
	}
	tabletest.Check(t, "OwnVendor and MayAddVendors", func(a Actor) says {
		own, ok := a.OwnVendor()
		return says{own, ok, a.MayAddVendors()}
	}, map[Actor]says{
		keyAdmin:       {"", false, true},
		keyVendorAcme:  {"acme", true, false},
		keyVendorOther: {"other", true, false},
		keyCouncilE1:   {"", false, false},
		keyNone:        {"", false, false},
	})
}

func TestProvenance(t *testing.T) {
	demo, no, yes := "demo", false, true
	for _, tc := range []struct {
		name   string
		actor  Actor
		in     AdoptionInput
		fields []string // refused by CanSetProvenance
		source string   // of a new adoption
		verif  bool
	}{
		{"admin, nothing sent", keyAdmin, AdoptionInput{}, nil, "admin", true},
		{"admin sends source", keyAdmin, AdoptionInput{Source: &demo}, nil, "demo", true},
		{"admin sends unverified", keyAdmin, AdoptionInput{Verified: &no}, nil, "admin", false},
		{"admin sends both", keyAdmin, AdoptionInput{Source: &demo, Verified: &no}, nil, "demo", false},
		{"council", keyCouncilE1, AdoptionInput{}, nil, "council", true},
		{"council sends source", keyCouncilE1, AdoptionInput{Source: &demo}, []string{"source"}, "council", true},
		{"vendor", keyVendorAcme, AdoptionInput{}, nil, "vendor", false},
		{"vendor sends verified", keyVendorAcme, AdoptionInput{Verified: &yes}, []string{"verified"}, "vendor", false},
		{"vendor sends both", keyVendorAcme, AdoptionInput{Source: &demo, Verified: &yes}, []string{"source", "verified"}, "vendor", false},
		{"no key sends both", keyNone, AdoptionInput{Source: &demo, Verified: &yes}, []string{"source", "verified"}, "demo", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, msg := "", ""
			if tc.fields != nil {
				code, msg = EINVALID, invalidFields
			}
			wantRuleErr(t, tc.actor.CanSetProvenance(tc.in), code, msg, tc.fields...)
			if src, v := tc.actor.NewAdoptionProvenance(tc.in); src != tc.source || v != tc.verif {
				t.Errorf("NewAdoptionProvenance = %q, %v; want %q, %v", src, v, tc.source, tc.verif)
			}
			// On update only an admin's body changes the stored provenance.
			wantSrc, wantV := "vendor", false
			if tc.actor.Role == RoleAdmin {
				wantSrc, wantV = tc.source, tc.verif
				if tc.in.Source == nil {
					wantSrc = "vendor"
				}
				if tc.in.Verified == nil {
					wantV = false
				}
			}
			if src, v := tc.actor.UpdatedProvenance(tc.in, "vendor", false); src != wantSrc || v != wantV {
				t.Errorf("UpdatedProvenance = %q, %v; want %q, %v", src, v, wantSrc, wantV)
			}
		})
	}
}

func refOf[T any](v T) *T { return &v }

// TestCheckEvidenceSource: source "evidence" needs current evidence for the
// adoption, which the API cannot bring, so a new adoption never gets it.
func TestCheckEvidenceSource(t *testing.T) {
	evidence, admin := "evidence", "admin"
	current := []EvidenceItem{{Source: "govuk-pay-performance", Current: false}, {Source: "govuk-pay-performance", Current: true}}
	lapsed := []EvidenceItem{{Source: "govuk-pay-performance", Current: false}}
	const msg = "can be evidence only for an adoption that current public evidence shows; evidence comes from harvests, not from this API, and this adoption has none"
	for _, tc := range []struct {
		name     string
		source   *string
		evidence func() ([]EvidenceItem, error) // nil: a new adoption
		wantErr  bool
	}{
		{"a new adoption sends evidence", &evidence, nil, true},
		{"an adoption without evidence", &evidence, func() ([]EvidenceItem, error) { return nil, nil }, true},
		{"an adoption whose evidence lapsed", &evidence, func() ([]EvidenceItem, error) { return lapsed, nil }, true},
		{"an adoption with current evidence", &evidence, func() ([]EvidenceItem, error) { return current, nil }, false},
		{"another source", &admin, nil, false},
		{"no source sent", nil, func() ([]EvidenceItem, error) { t.Fatal("evidence read when not needed"); return nil, nil }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := AdoptionInput{Source: tc.source}.CheckEvidenceSource(tc.evidence)
			if !tc.wantErr {
				wantRuleErr(t, err, "", "")
				return
			}
			wantRuleErr(t, err, EINVALID, invalidFields, "source")
			if got := err.(*Error).Fields[0].Message; got != msg {
				t.Errorf("message %q, want %q", got, msg)
			}
		})
	}
	failed := errors.New("database down")
	if err := (AdoptionInput{Source: &evidence}).CheckEvidenceSource(func() ([]EvidenceItem, error) { return nil, failed }); !errors.Is(err, failed) {
		t.Errorf("a failed read gave %v", err)
	}
}

// A key may not be made for a former council: the refusal names what became of
// it, on the org field, and the council is described only when it is former.
func TestCanOwnCouncilKey(t *testing.T) {
	readErr := errors.New("read failed")
	for _, tc := range []struct {
		name, status string
		former       *FormerCouncil
		code, msg    string
		field        string // the org field's message
		reads        bool
	}{
		{name: "current", status: "current"},
		{name: "no status (not a council)", status: ""},
		{name: "former, one successor", status: "former", reads: true,
			former: &FormerCouncil{Code: "E1", AbolishedOn: "2027-04-01", Successors: []string{"S1"}},
			code:   EUNPROCESSABLE, msg: "the key's owner is a former council",
			field: "E1 was abolished on 2027-04-01 and its duties passed to S1; make the key for the successor instead"},
		{name: "former, nothing recorded", status: "former", reads: true, former: &FormerCouncil{Code: "E2"},
			code: EUNPROCESSABLE, msg: "the key's owner is a former council", field: "E2 was abolished; make the key for the successor instead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			read := false
			err := CanOwnCouncilKey(tc.status, func() (*FormerCouncil, error) { read = true; return tc.former, nil })
			if read != tc.reads {
				t.Errorf("read the former council: %t, want %t", read, tc.reads)
			}
			if tc.code == "" {
				wantRuleErr(t, err, "", "")
				return
			}
			wantRuleErr(t, err, tc.code, tc.msg, "org")
			if e := (*Error)(nil); errors.As(err, &e) && len(e.Fields) == 1 && e.Fields[0].Message != tc.field {
				t.Errorf("org: %q, want %q", e.Fields[0].Message, tc.field)
			}
		})
	}
	if err := CanOwnCouncilKey("former", func() (*FormerCouncil, error) { return nil, readErr }); err != readErr {
		t.Errorf("a failed read: %v, want %v", err, readErr)
	}
}
