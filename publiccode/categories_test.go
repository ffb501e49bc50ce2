package publiccode

import (
	"slices"
	"testing"
)

// TestEveryCategoryMapsOrIsNamedUnmapped holds the harvest's promise: each
// category of the standard's list either maps to a capability (CategoryMap)
// or is one the registry names as unmapped, never both, never neither.
func TestEveryCategoryMapsOrIsNamedUnmapped(t *testing.T) {
	for _, c := range Categories {
		mapped, unmapped := CapabilityForCategory(c) != "", slices.Contains(UnmappedCategories, c)
		if mapped == unmapped {
			t.Errorf("%q: mapped %v, named unmapped %v; want exactly one", c, mapped, unmapped)
		}
	}
	for i, c := range UnmappedCategories {
		if !slices.Contains(Categories, c) {
			t.Errorf("UnmappedCategories[%d] %q is not a category of the standard", i, c)
		}
		if slices.Index(UnmappedCategories, c) != i {
			t.Errorf("%q is named twice", c)
		}
	}
	if got := Unmapped([]string{"it-security", "payment-gateway", "it-security", "other"}); !slices.Equal(got, []string{"it-security", "other"}) {
		t.Errorf("Unmapped = %v", got)
	}
}
