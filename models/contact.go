package models

import (
	"net/mail"
	"net/url"
	"strings"
)

// An adoption's public contact is how anyone may reach the council about it:
// an email address or the https address of a contact page. It is the
// council's to publish, so only the council's key or an admin sets it.

// MaxPublicContact is the longest public contact an adoption takes.
const MaxPublicContact = 500

// ValidPublicContact reports whether s is a bare email address
// (name@example.gov.uk) or an absolute https URL with a host, of at most
// MaxPublicContact bytes, holding no space or control character.
func ValidPublicContact(s string) bool {
	if len(s) > MaxPublicContact || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	if strings.HasPrefix(strings.ToLower(s), "https://") {
		u, err := url.Parse(s)
		return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// IsEmail reports whether a valid public contact is an email address (else it is a URL).
func IsEmail(contact string) bool { return !strings.HasPrefix(strings.ToLower(contact), "https://") }

func checkPublicContact(p *Problems, v NullString) {
	if !v.Set || v.Value == nil {
		return
	}
	if !ValidPublicContact(*v.Value) {
		p.Add("public_contact", "must be an email address (such as digital@example.gov.uk) or an https URL of a contact page, at most %d characters; send null to remove it", MaxPublicContact)
	}
}

// CanSetPublicContact is the rule for an adoption's public contact: a write
// that takes it from from to to (nil for none) is the council's own, so only
// the key of council (the adoption's) or an admin may make it. A vendor cannot,
// even on its own claim; a write that leaves it as it is needs no one's leave.
func (a Actor) CanSetPublicContact(council string, from, to *string) error {
	if (from == nil) == (to == nil) && (from == nil || *from == *to) {
		return nil
	}
	if err := a.refuseFormerCouncil(); err != nil {
		return err
	}
	if a.Role == RoleAdmin || (a.Role == RoleCouncil && a.Org == council) {
		return nil
	}
	return Errorf(EFORBIDDEN, "only council %s or an admin may set or change public_contact: it is the council's own contact route, which a vendor's claim cannot publish", council)
}
