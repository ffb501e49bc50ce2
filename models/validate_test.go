package models

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestUpdatesRefuseKeyFields: an update that sends the fields naming a record is refused
// field by field, in order, with what to do instead.
func TestUpdatesRefuseKeyFields(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		name  string
		input interface{ Validate(bool) error }
		want  []FieldError
	}{
		{"vendor", VendorInput{Slug: s("gds")}, []FieldError{
			{"slug", "cannot be changed; create a new vendor instead"}}},
		{"capability", CapabilityInput{Slug: s("payments")}, []FieldError{
			{"slug", "cannot be changed; create a new capability instead"}}},
		{"component", ComponentInput{Slug: s("govuk-pay")}, []FieldError{
			{"slug", "cannot be changed; create a new component instead"}}},
		{"adoption", AdoptionInput{Council: s("E09000022"), Component: s("govuk-pay")}, []FieldError{
			{"council", "cannot be changed; record a new adoption instead"},
			{"component", "cannot be changed; record a new adoption instead"}}},
		{"need", NeedInput{Council: s("E09000022"), Capability: s("payments")}, []FieldError{
			{"council", "cannot be changed; state a new need instead"},
			{"capability", "cannot be changed; state a new need instead"}}},
	} {
		var e *Error
		if err := tc.input.Validate(false); !errors.As(err, &e) || e.Code != EINVALID || !reflect.DeepEqual(e.Fields, tc.want) {
			t.Errorf("%s update: %v (%+v), want %+v", tc.name, err, e, tc.want)
		}
		// A create needs its keys, so it never refuses them (it may lack other fields).
		if err := tc.input.Validate(true); errors.As(err, &e) {
			for _, f := range e.Fields {
				if strings.HasPrefix(f.Message, "cannot be changed") {
					t.Errorf("%s create refused %s: %s", tc.name, f.Field, f.Message)
				}
			}
		}
	}
}

// TestUpdatesKeepMandatoryFields: an update may leave a field every record must
// have unsent, but not send it blank, since a create would refuse that.
func TestUpdatesKeepMandatoryFields(t *testing.T) {
	blank := func() *string { v := "  "; return &v }
	for _, tc := range []struct {
		name  string
		input interface{ Validate(bool) error }
		field string
	}{
		{"vendor name", VendorInput{Name: blank()}, "name"},
		{"capability name", CapabilityInput{Name: blank()}, "name"},
		{"capability description", CapabilityInput{Description: blank()}, "description"},
		{"component name", ComponentInput{Name: blank()}, "name"},
		{"component summary", ComponentInput{Summary: blank()}, "summary"},
		{"successor name", ReorganisationInput{Successor: &SuccessorInput{Name: blank()}}, "successor.name"},
	} {
		for _, create := range []bool{true, false} {
			var e *Error
			err := tc.input.Validate(create)
			if !errors.As(err, &e) || !slices.Contains(e.Fields, FieldError{tc.field, "must not be blank"}) {
				t.Errorf("%s sent blank (create %t): %v, want %q refused as blank", tc.name, create, err, tc.field)
			}
		}
	}
	if err := (VendorInput{}).Validate(false); err != nil {
		t.Errorf("an update that sends nothing is refused: %v", err)
	}
	if err := (ComponentInput{Description: blank()}).Validate(false); err != nil {
		t.Errorf("an optional field sent blank is refused: %v", err)
	}
}

// TestTextRefusesControlCharacters: every text field refuses NUL and the other
// C0 controls and DEL, naming the character; one-line fields refuse line breaks
// too, prose keeps them; a tab is text anywhere.
func TestTextRefusesControlCharacters(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input func(v string) interface{ Validate(bool) error }
		field string
		prose bool
	}{
		{"vendor name", func(v string) interface{ Validate(bool) error } { return VendorInput{Name: &v} }, "name", false},
		{"vendor description", func(v string) interface{ Validate(bool) error } { return VendorInput{Description: &v} }, "description", true},
		{"capability name", func(v string) interface{ Validate(bool) error } { return CapabilityInput{Name: &v} }, "name", false},
		{"capability description", func(v string) interface{ Validate(bool) error } { return CapabilityInput{Description: &v} }, "description", true},
		{"component name", func(v string) interface{ Validate(bool) error } { return ComponentInput{Name: &v} }, "name", false},
		{"component summary", func(v string) interface{ Validate(bool) error } { return ComponentInput{Summary: &v} }, "summary", false},
		{"component description", func(v string) interface{ Validate(bool) error } { return ComponentInput{Description: &v} }, "description", true},
		{"adoption notes", func(v string) interface{ Validate(bool) error } { return AdoptionInput{Notes: &v} }, "notes", true},
		{"need notes", func(v string) interface{ Validate(bool) error } { return NeedInput{Notes: &v} }, "notes", true},
		{"successor name", func(v string) interface{ Validate(bool) error } {
			return ReorganisationInput{Successor: &SuccessorInput{Name: &v}}
		}, "successor.name", false},
		{"reorganisation notes", func(v string) interface{ Validate(bool) error } { return ReorganisationInput{Notes: &v} }, "notes", true},
		{"webhook description", func(v string) interface{ Validate(bool) error } {
			u := "https://hooks.example.gov.uk/x"
			return WebhookInput{URL: &u, Description: &v}
		}, "description", true},
		{"rejection reason", func(v string) interface{ Validate(bool) error } { return rejection{&v} }, "reason", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range []struct {
				v, msg string
				prose  bool // whether prose takes it
			}{
				{"a\x00b", "must not contain the control character U+0000", false},
				{"\x00", "must not contain the control character U+0000", false},
				{"a\x1bb", "must not contain the control character U+001B", false},
				{"a\x7f", "must not contain the control character U+007F", false},
				{"a\nb", "must be a single line, without line breaks", true},
				{"a\r\nb", "must be a single line, without line breaks", true},
				{"a\tb ü ✓", "", true},
			} {
				err := tc.input(c.v).Validate(false)
				var e *Error
				refused := errors.As(err, &e) && slices.ContainsFunc(e.Fields, func(f FieldError) bool { return f.Field == tc.field })
				switch {
				case c.prose && tc.prose || c.msg == "":
					if refused {
						t.Errorf("%q refused: %v", c.v, e.Fields)
					}
				case !refused || !slices.Contains(e.Fields, FieldError{tc.field, c.msg}):
					t.Errorf("%q: %v, want %s refused: %s", c.v, err, tc.field, c.msg)
				}
			}
		})
	}
}

// rejection is a rejection's reason as a Validate-able input.
type rejection struct{ reason *string }

func (r rejection) Validate(bool) error { return CheckRejectionReason(r.reason) }
