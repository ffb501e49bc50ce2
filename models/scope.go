package models

// Scopes name the parts of the catalogue an answer can depend on, so that a
// cache can tell which of its answers a write leaves true (package cache).
// An answer declares the scopes it depends on; a write recorded in the audit
// log touches scopes, or everything. The rule for both sides is here, in one
// place: an answer may declare a scope only if every write that can change it
// touches that scope.

// ComponentsScope is the set of components itself: which exist and what each
// says. Every component list depends on it.
const ComponentsScope = "components"

// CouncilScope is one council's record and the count of its adoptions.
func CouncilScope(code string) string { return "council:" + code }

// ComponentScope is one component's record and the counts of its adoptions.
func ComponentScope(slug string) string { return "component:" + slug }

// Scopes is what a council's record depends on: the council (its adoption
// count is of its own adoptions). Its successors and predecessors change only
// by reorganisations, which touch everything.
func (c Council) Scopes() []string { return []string{CouncilScope(c.Code)} }

// Scopes is what a component's record depends on: the component (its
// adoption counts are of its own adoptions). Its vendor, capabilities and
// dependencies are named by slug, which change only by writes that touch
// everything or the component itself.
func (c Component) Scopes() []string { return []string{ComponentScope(c.Slug)} }

// ListScopes is what a page of components or councils depends on: every
// item's record and, for components, which components exist and match.
// Lists whose order or membership depends on adoptions (search ranks by
// adopters) must not declare scopes.
func ListScopes[T interface{ Scopes() []string }](items []T, membership ...string) []string {
	out := append([]string{}, membership...)
	for _, it := range items {
		out = append(out, it.Scopes()...)
	}
	return out
}

// WriteTouches reports the scopes one audited write touched, from its entity,
// key and action and the records before and after it (either may be nil);
// all is true when it may have touched anything. Adoptions touch their
// council and component, needs their council, and a component's writes other
// than its deletion the component and the set of components. A deleted
// component may have been named by others' dependencies, and every other
// entity (vendors, capabilities, reference data, reorganisations, evidence,
// programmes, anything new) is read in too many answers to follow: they touch
// everything. API keys and webhooks are in no public answer and touch nothing.
func WriteTouches(entity, key, action string, before, after *WriteRecord) (scopes []string, all bool) {
	var records []WriteRecord
	for _, r := range []*WriteRecord{before, after} {
		if r != nil {
			records = append(records, *r)
		}
	}
	switch entity {
	case "adoption", "need":
		for _, r := range records {
			scopes = append(scopes, CouncilScope(r.Council))
			if entity == "adoption" {
				scopes = append(scopes, ComponentScope(r.Component))
			}
		}
		return scopes, len(records) == 0 // a write that shows no record could have been anywhere
	case "component":
		if action == "deleted" {
			return nil, true
		}
		return []string{ComponentScope(key), ComponentsScope}, false
	case "api_key", "webhook":
		return nil, false
	}
	return nil, true
}

// WriteRecord is what WriteTouches reads of an audited adoption or need: the
// council and component it is about.
type WriteRecord struct {
	Council   string `json:"council"`
	Component string `json:"component"`
}
