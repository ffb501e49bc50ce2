package models

import (
	"strings"
	"testing"
)

// Only the adoption's council or an admin may publish, change or remove its
// public contact; a write that leaves it alone needs no one's leave.
func TestCanSetPublicContact(t *testing.T) {
	mail, page := "digital@example.gov.uk", "https://example.gov.uk/contact"
	onlyE1 := "only council E1 or an admin may set or change public_contact: it is the council's own contact route, which a vendor's claim cannot publish"
	for _, tc := range []struct {
		name      string
		actor     Actor
		from, to  *string
		code, msg string
	}{
		{"the council sets it", keyCouncilE1, nil, &mail, "", ""},
		{"the council changes it", keyCouncilE1, &mail, &page, "", ""},
		{"the council removes it", keyCouncilE1, &mail, nil, "", ""},
		{"an admin sets it", keyAdmin, nil, &page, "", ""},
		{"the vendor sets it on its claim", keyVendorAcme, nil, &mail, EFORBIDDEN, onlyE1},
		{"the vendor changes it", keyVendorAcme, &mail, &page, EFORBIDDEN, onlyE1},
		{"the vendor removes it", keyVendorAcme, &mail, nil, EFORBIDDEN, onlyE1},
		{"another council sets it", keyCouncilE2, nil, &mail, EFORBIDDEN, onlyE1},
		{"no key sets it", keyNone, nil, &mail, EFORBIDDEN, onlyE1},
		{"the abolished council sets it", keyFormerE1, nil, &mail, EFORBIDDEN, formerE1},
		{"the vendor leaves none as none", keyVendorAcme, nil, nil, "", ""},
		{"the vendor leaves it as it is", keyVendorAcme, &mail, ptr("digital@example.gov.uk"), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRuleErr(t, tc.actor.CanSetPublicContact("E1", tc.from, tc.to), tc.code, tc.msg)
		})
	}
}

func ptr(s string) *string { return &s }

// A public contact is a bare email address or an https URL, and nothing else.
func TestValidPublicContact(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"digital@example.gov.uk", true},
		{"first.last+adoptions@council.example", true},
		{"https://example.gov.uk/contact-us", true},
		{"HTTPS://example.gov.uk/contact", true},
		{"http://example.gov.uk/contact", false},
		{"https://", false},
		{"https://user:pass@example.gov.uk/", false},
		{"Digital team <digital@example.gov.uk>", false},
		{"digital@localhost", false},
		{"digital@example.gov.uk.", false},
		{"mailto:digital@example.gov.uk", false},
		{"not an address", false},
		{"digital@exam\x00ple.gov.uk", false},
		{"", false},
		{"javascript:alert(1)", false},
		{"https://example.gov.uk/" + strings.Repeat("a", MaxPublicContact), false},
	} {
		if got := ValidPublicContact(tc.v); got != tc.want {
			t.Errorf("ValidPublicContact(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}
