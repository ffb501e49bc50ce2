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

// NullString is a JSON field that tells "not sent" (Set false) from "sent as
// null" (Set true, Value nil), so PATCH can clear optional fields.
type NullString struct {
	Set   bool
	Value *string
}

// UnmarshalJSON records that the field was sent.
func (n *NullString) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		n.Value = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	n.Value = &s
	return nil
}

// checkText adds a problem when a required text field is blank or too long.
func checkText(p *Problems, field string, v *string, required bool, max int) {
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
	}
}

// checkMandatoryText is checkText for a field every record must have: required
// on create, and never blank when an update sends it, so a PATCH cannot blank
// what a POST would refuse.
func checkMandatoryText(p *Problems, field string, v *string, create bool, max int) {
	if !create && v != nil && strings.TrimSpace(*v) == "" {
		p.Add(field, "must not be blank")
		return
	}
	checkText(p, field, v, create, max)
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
