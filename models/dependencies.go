package models

import (
	"slices"
	"strings"
)

// CheckDependencies refuses depends_on for component slug when it names the
// component itself (400) or a component that already depends on it, however
// indirectly (409): dependencies form no cycle, so "what does X rest on"
// always ends. dependsOn is what every other component depends on now.
func CheckDependencies(slug string, deps []string, dependsOn map[string][]string) error {
	var p Problems
	if slices.Contains(deps, slug) {
		p.Add("depends_on", "a component cannot depend on itself")
		return p.Err()
	}
	if cycle := dependencyCycle(slug, deps, dependsOn); cycle != nil {
		p.Add("depends_on", "%s already depends on %s, so this would make a cycle: %s",
			cycle[1], slug, strings.Join(cycle, " → "))
		return p.ErrWithCode(ECONFLICT, "the dependencies would form a cycle")
	}
	return nil
}

// dependencyCycle is the shortest path slug → dep → … → slug that deps would
// close through dependsOn, or nil. The search goes breadth first, through deps
// and each component's dependencies in order, so the answer does not vary.
func dependencyCycle(slug string, deps []string, dependsOn map[string][]string) []string {
	via := map[string]string{} // each component reached, from the one that depends on it
	queue := []string{}
	for _, d := range deps {
		if _, seen := via[d]; !seen {
			via[d] = slug
			queue = append(queue, d)
		}
	}
	for len(queue) > 0 {
		at := queue[0]
		queue = queue[1:]
		for _, next := range dependsOn[at] {
			if next == slug {
				path := []string{slug}
				for c := at; c != slug; c = via[c] {
					path = append(path, c)
				}
				path = append(path, slug)
				slices.Reverse(path[1 : len(path)-1])
				return path
			}
			if _, seen := via[next]; !seen {
				via[next] = at
				queue = append(queue, next)
			}
		}
	}
	return nil
}
