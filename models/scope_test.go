package models

import (
	"slices"
	"testing"
)

func TestWriteTouches(t *testing.T) {
	adoption := &WriteRecord{Council: "E09000022", Component: "govuk-pay"}
	moved := &WriteRecord{Council: "E06000066", Component: "govuk-pay"}
	need := &WriteRecord{Council: "S12000036"}
	for _, tc := range []struct {
		entity, key, action string
		before, after       *WriteRecord
		scopes              []string
		all                 bool
	}{
		{"adoption", "1", "created", nil, adoption, []string{"council:E09000022", "component:govuk-pay"}, false},
		{"adoption", "1", "updated", adoption, moved, []string{"council:E09000022", "component:govuk-pay", "council:E06000066", "component:govuk-pay"}, false},
		{"adoption", "1", "deleted", adoption, nil, []string{"council:E09000022", "component:govuk-pay"}, false},
		{"adoption", "1", "verified", nil, nil, nil, true}, // no record: it could have been anywhere
		{"need", "7", "created", nil, need, []string{"council:S12000036"}, false},
		{"need", "7", "updated", need, need, []string{"council:S12000036", "council:S12000036"}, false},
		{"component", "govuk-pay", "created", nil, nil, []string{"component:govuk-pay", "components"}, false},
		{"component", "govuk-pay", "updated", nil, nil, []string{"component:govuk-pay", "components"}, false},
		{"component", "govuk-pay", "publiccode_imported", nil, nil, []string{"component:govuk-pay", "components"}, false},
		{"component", "govuk-pay", "harvest_missing", nil, nil, []string{"component:govuk-pay", "components"}, false},
		{"component", "govuk-pay", "deleted", nil, nil, nil, true}, // others' dependencies may have named it
		{"vendor", "gds", "updated", nil, nil, nil, true},
		{"capability", "payments", "created", nil, nil, nil, true},
		{"council", "E09000022", "updated", nil, nil, nil, true},
		{"reorganisation", "3", "vested", nil, nil, nil, true},
		{"evidence", "9", "created", nil, nil, nil, true},
		{"reference_data", "lgsl", "loaded", nil, nil, nil, true},
		{"something-new", "x", "created", nil, nil, nil, true},
		{"api_key", "abc", "created", nil, nil, nil, false},
		{"webhook", "2", "deleted", nil, nil, nil, false},
	} {
		scopes, all := WriteTouches(tc.entity, tc.key, tc.action, tc.before, tc.after)
		if all != tc.all || !slices.Equal(scopes, tc.scopes) {
			t.Errorf("%s %s %s: %v all=%v, want %v all=%v", tc.entity, tc.key, tc.action, scopes, all, tc.scopes, tc.all)
		}
	}
}

func TestScopesOfAnswers(t *testing.T) {
	comps := []Component{{Slug: "govuk-pay"}, {Slug: "govuk-notify"}}
	if got := ListScopes(comps, ComponentsScope); !slices.Equal(got, []string{"components", "component:govuk-pay", "component:govuk-notify"}) {
		t.Errorf("component list: %v", got)
	}
	if got := ListScopes([]Council{{Code: "E09000022"}}); !slices.Equal(got, []string{"council:E09000022"}) {
		t.Errorf("council list: %v", got)
	}
	if got := (Council{Code: "W06000015"}).Scopes(); !slices.Equal(got, []string{"council:W06000015"}) {
		t.Errorf("council: %v", got)
	}
}
