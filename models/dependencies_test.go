package models

import "testing"

// TestCheckDependencies: a component may not depend on itself (400) nor on one
// that depends on it, however far down (409, naming the shortest cycle).
func TestCheckDependencies(t *testing.T) {
	for _, tc := range []struct {
		name      string
		deps      []string
		dependsOn map[string][]string // what the other components depend on now
		code, msg string              // "" when allowed
	}{
		{"no dependencies", nil, map[string][]string{"b": {"a"}}, "", ""},
		{"itself", []string{"b", "a"}, nil, EINVALID, "a component cannot depend on itself"},
		{"one that depends on it", []string{"b"}, map[string][]string{"b": {"a"}},
			ECONFLICT, "b already depends on a, so this would make a cycle: a → b → a"},
		{"one that depends on it through others", []string{"b"}, map[string][]string{"b": {"c"}, "c": {"d"}, "d": {"a"}},
			ECONFLICT, "b already depends on a, so this would make a cycle: a → b → c → d → a"},
		{"the shortest cycle is named", []string{"b", "c"}, map[string][]string{"b": {"d"}, "d": {"a"}, "c": {"a"}},
			ECONFLICT, "c already depends on a, so this would make a cycle: a → c → a"},
		{"a diamond is no cycle", []string{"b", "c"}, map[string][]string{"b": {"d"}, "c": {"d"}, "d": {}}, "", ""},
		{"its own old dependencies do not count", []string{"b"}, map[string][]string{"a": {"b"}, "b": {"c"}}, "", ""},
		{"a cycle elsewhere does not stop the search", []string{"b"}, map[string][]string{"b": {"c"}, "c": {"b"}}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckDependencies("a", tc.deps, tc.dependsOn)
			if tc.code == "" {
				wantRuleErr(t, err, "", "")
				return
			}
			want := invalidFields
			if tc.code == ECONFLICT {
				want = "the dependencies would form a cycle"
			}
			wantRuleErr(t, err, tc.code, want, "depends_on")
			if got := err.(*Error).Fields[0].Message; got != tc.msg {
				t.Errorf("message %q, want %q", got, tc.msg)
			}
		})
	}
}
