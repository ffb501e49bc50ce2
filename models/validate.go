package models

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is lowercase words joined by single hyphens.
func ValidSlug(s string) bool { return len(s) <= 100 && slugPattern.MatchString(s) }

// ValidDate reports whether s is an ISO 8601 calendar date, YYYY-MM-DD.
func ValidDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// ValidHTTPURL reports whether s is an absolute http or https URL with a host.
func ValidHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2000
}

// nullable is a JSON field that tells "not sent" (Set false) from "sent as
// null" (Set true, Value nil), so PATCH can clear optional fields. NullString
// and NullInt64 are its kinds.
type nullable[T any] struct {
	Set   bool
	Value *T
}

// unmarshal records that the field was sent and, unless it is null, reads its
// value from b with read.
func (n *nullable[T]) unmarshal(b []byte, read func([]byte, *T) error) error {
	n.Set = true
	if string(b) == "null" {
		n.Value = nil
		return nil
	}
	var v T
	if err := read(b, &v); err != nil {
		return err
	}
	n.Value = &v
	return nil
}

// NullString is an optional text field (see nullable).
type NullString nullable[string]

// UnmarshalJSON records that the field was sent.
func (n *NullString) UnmarshalJSON(b []byte) error {
	return (*nullable[string])(n).unmarshal(b, func(b []byte, s *string) error { return json.Unmarshal(b, s) })
}

// MaxSearchLength is the longest search query, in characters, the API and the
// pages accept (the pages' search boxes say so with maxlength).
const MaxSearchLength = 200

// The control characters a text field may hold: a name or a code only tabs,
// prose (descriptions, notes) line breaks too. Every other C0 control and DEL
// is refused, NUL above all: PostgreSQL refuses it in text and SQLite cuts text at it.
const (
	oneLine   = "\t"
	multiLine = "\t\n\r"
)

// checkText adds a problem when a one-line text field is required and not
// sent or blank, too long, or holds a control character.
func checkText(p *Problems, field string, v *string, required bool, max int) {
	checkTextOf(p, field, v, required, max, oneLine)
}

// checkProse is checkText for text that may run over lines.
func checkProse(p *Problems, field string, v *string, required bool, max int) {
	checkTextOf(p, field, v, required, max, multiLine)
}

// checkTextOf is checkText for a field that may hold the control characters allowed.
func checkTextOf(p *Problems, field string, v *string, required bool, max int, allowed string) {
	if v == nil {
		if required {
			p.Add(field, "is required")
		}
		return
	}
	switch t := strings.TrimSpace(*v); {
	case t == "" && required:
		p.Add(field, "must not be blank")
	case len(*v) > max:
		p.Add(field, "must be at most %d characters", max)
	default:
		checkControls(p, field, *v, allowed)
	}
}

// CheckOneLine adds a problem at field when v, one line of text such as a
// query parameter, holds a control character other than a tab.
func CheckOneLine(p *Problems, field, v string) { checkControls(p, field, v, oneLine) }

// checkControls adds a problem at field for the first control character in v that allowed does not list.
func checkControls(p *Problems, field, v, allowed string) {
	for _, r := range v {
		switch {
		case (r >= 0x20 && r != 0x7f) || strings.ContainsRune(allowed, r):
			continue
		case r == '\n' || r == '\r':
			p.Add(field, "must be a single line, without line breaks")
		default:
			p.Add(field, "must not contain the control character %U", r)
		}
		return
	}
}

// checkMandatoryText is checkText for a field every record must have: required
// on create, and never blank when an update sends it, so a PATCH cannot blank
// what a POST would refuse.
func checkMandatoryText(p *Problems, field string, v *string, create bool, max int) {
	checkMandatory(p, field, v, create, max, oneLine)
}

// checkMandatoryProse is checkMandatoryText for text that may run over lines.
func checkMandatoryProse(p *Problems, field string, v *string, create bool, max int) {
	checkMandatory(p, field, v, create, max, multiLine)
}

func checkMandatory(p *Problems, field string, v *string, create bool, max int, allowed string) {
	if !create && v != nil && strings.TrimSpace(*v) == "" {
		p.Add(field, "must not be blank")
		return
	}
	checkTextOf(p, field, v, create, max, allowed)
}

// refuseKey reports a key field an update sends: it names the record for good, so
// the caller must make a new record instead.
func refuseKey(p *Problems, field string, v *string, instead string) {
	if v != nil {
		p.Add(field, "cannot be changed; %s instead", instead)
	}
}

// checkKeySlug requires a catalogue entry's slug on create and refuses it on update:
// the slug is the entry's key.
func checkKeySlug(p *Problems, slug *string, create bool, kind string) {
	if create {
		checkSlug(p, "slug", slug, true)
		return
	}
	refuseKey(p, "slug", slug, "create a new "+kind)
}

func checkSlug(p *Problems, field string, v *string, required bool) {
	checkString(p, field, v, required, ValidSlug, "must be lowercase letters and digits joined by single hyphens, e.g. \"online-payments\"")
}

func checkURL(p *Problems, field string, v *string, required bool) {
	checkString(p, field, v, required, ValidHTTPURL, "must be an absolute http or https URL")
}

// checkString reports a required v that was not sent, and a sent one valid refuses.
func checkString(p *Problems, field string, v *string, required bool, valid func(string) bool, problem string) {
	if v == nil {
		if required {
			p.Add(field, "is required")
		}
		return
	}
	if !valid(*v) {
		p.Add(field, "%s", problem)
	}
}

func checkNullURL(p *Problems, field string, v NullString) {
	if v.Set && v.Value != nil {
		checkURL(p, field, v.Value, false)
	}
}

func checkEnum(p *Problems, field string, v *string, required bool, allowed []string) {
	if v == nil {
		if required {
			p.Add(field, "is required")
		}
		return
	}
	for _, a := range allowed {
		if *v == a {
			return
		}
	}
	p.Add(field, "must be one of %s", strings.Join(allowed, ", "))
}

func checkDate(p *Problems, field string, v *string) {
	if v != nil && !ValidDate(*v) {
		p.Add(field, "must be a date in the form YYYY-MM-DD")
	}
}

func checkSlugList(p *Problems, field string, v *[]string, required bool, max int) {
	if v == nil {
		if required {
			p.Add(field, "is required")
		}
		return
	}
	if len(*v) > max {
		p.Add(field, "must list at most %d items", max)
	}
	seen := map[string]bool{}
	for _, s := range *v {
		if !ValidSlug(s) {
			p.Add(field, "%q is not a lowercase-hyphenated slug", s)
		} else if seen[s] {
			p.Add(field, "%q is listed twice", s)
		}
		seen[s] = true
	}
}

// Dedupe returns ss without repeats, keeping the first occurrence.
func Dedupe(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
