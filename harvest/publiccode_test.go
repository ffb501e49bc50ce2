package harvest

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/council-components/registry/internal/tabletest"
	"github.com/council-components/registry/models"
)

func TestPubliccodeURL(t *testing.T) {
	tabletest.CheckNoError(t, "PubliccodeURL", PubliccodeURL, map[string]string{
		"https://github.com/Amsterdam/signals-frontend":                         "https://raw.githubusercontent.com/Amsterdam/signals-frontend/HEAD/publiccode.yml",
		"https://github.com/Amsterdam/signals-frontend.git":                     "https://raw.githubusercontent.com/Amsterdam/signals-frontend/HEAD/publiccode.yml",
		"https://github.com/Amsterdam/signals-frontend/":                        "https://raw.githubusercontent.com/Amsterdam/signals-frontend/HEAD/publiccode.yml",
		"https://github.com/AgID/wai-portal/blob/master/publiccode.yml":         "https://raw.githubusercontent.com/AgID/wai-portal/master/publiccode.yml",
		"https://gitlab.com/group/sub/repo":                                     "https://gitlab.com/group/sub/repo/-/raw/HEAD/publiccode.yml",
		"https://gitlab.com/group/repo/-/raw/main/publiccode.yml":               "https://gitlab.com/group/repo/-/raw/main/publiccode.yml",
		"https://raw.githubusercontent.com/AgID/wai-portal/HEAD/publiccode.yml": "https://raw.githubusercontent.com/AgID/wai-portal/HEAD/publiccode.yml",
		"https://code.example.gov.uk/raw/publiccode.yaml":                       "https://code.example.gov.uk/raw/publiccode.yaml",
	})
	for _, entry := range []string{"http://github.com/a/b", "/etc/publiccode.yml", "file:///etc/publiccode.yml",
		"https://user:pw@github.com/a/b", "https://github.com/a", "https://codeberg.org/a/b", "https://example.org/not-a-file"} {
		if got, err := PubliccodeURL(entry); err == nil {
			t.Errorf("%s: %q, want an error", entry, got)
		}
	}
}

func TestCodeHostOwner(t *testing.T) {
	if o, p := CodeHostOwner("https://github.com/Amsterdam/signals-frontend.git"); o != "Amsterdam" || p != "https://github.com/Amsterdam" {
		t.Errorf("github: %q %q", o, p)
	}
	if o, _ := CodeHostOwner("https://example.com/italia/medusa.git"); o != "" {
		t.Errorf("an unknown host has owner %q", o)
	}
}

func TestParsePubliccodeList(t *testing.T) {
	want := []string{"https://github.com/a/b", "local/publiccode.yml"}
	for _, list := range []string{
		"# the list\nhttps://github.com/a/b\n\n  local/publiccode.yml  \r\n",
		`["https://github.com/a/b", "local/publiccode.yml", ""]`,
	} {
		if got, err := ParsePubliccodeList([]byte(list)); err != nil || !slices.Equal(got, want) {
			t.Errorf("%q: %v, %v", list, got, err)
		}
	}
	if _, err := ParsePubliccodeList([]byte(`["a", 1]`)); err == nil {
		t.Error("a JSON array holding a number was read")
	}
}

// TestFetchLocal: the command line reads paths; each failure is the file's own.
func TestFetchLocal(t *testing.T) {
	dir := t.TempDir()
	small, big := filepath.Join(dir, "publiccode.yml"), filepath.Join(dir, "big.yml")
	os.WriteFile(small, []byte("name: x\n"), 0o600)
	os.WriteFile(big, []byte(strings.Repeat("#", PubliccodeMaxBytes+1)), 0o600)
	files := Fetcher{Client: http.DefaultClient, Local: true}.Fetch(context.Background(), []string{small, big, filepath.Join(dir, "none.yml")})
	if string(files[0].Body) != "name: x\n" || files[0].Outcome != "" {
		t.Errorf("small: %+v", files[0])
	}
	if files[1].Outcome != models.HarvestInvalid || files[2].Outcome != models.HarvestUnreachable || files[2].Problem == "" {
		t.Errorf("big or missing: %+v %+v", files[1], files[2])
	}
	// Without Local (the API), a path is no URL.
	if f := (Fetcher{Client: http.DefaultClient}).Fetch(context.Background(), []string{small})[0]; f.Outcome != models.HarvestInvalid || f.Body != nil {
		t.Errorf("a path read without Local: %+v", f)
	}
}
