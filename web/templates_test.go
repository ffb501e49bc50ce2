package web

import (
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTemplateNamesAreUnique: html/template lets a later {{define}} replace an
// earlier one of the same name without a word, so a partial (templates/_*.html,
// shared by every page) named like another, or like a page's own block, would
// silently render one with the other's markup. Pages may each define their
// own slots ("content", "breadcrumbs"), which no partial defines.
func TestTemplateNamesAreUnique(t *testing.T) {
	define := regexp.MustCompile(`{{-?\s*define\s+"([^"]+)"`)
	where := map[string]string{} // partials' names, and where each is defined
	var pages [][2]string        // the names pages define, each with its page
	err := fs.WalkDir(templateFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		for _, m := range define.FindAllSubmatch(body, -1) {
			name := string(m[1])
			if !strings.HasPrefix(filepath.Base(path), "_") {
				pages = append(pages, [2]string{name, path})
				continue
			}
			if other, ok := where[name]; ok {
				t.Errorf("partial %q is defined in both %s and %s", name, other, path)
			}
			where[name] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if partial, ok := where[p[0]]; ok {
			t.Errorf("%s defines %q, replacing the partial of that name in %s", p[1], p[0], partial)
		}
	}
	if len(where) == 0 {
		t.Fatal("no {{define}} found: the walk read no templates")
	}
}
