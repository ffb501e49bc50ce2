package api_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/oapi-codegen/runtime" // what the generated client imports: go.mod keeps it for this test
)

// TestGeneratedClientDrivesTheService does what an integrator would: it
// generates a Go client from the served /openapi.json with oapi-codegen (a Go
// tool of this module) and drives a live server with it (testdata/client:
// page through components, get one, create a vendor and a component with an
// admin key, update with If-Match, read problems). The server checks every
// exchange against the document too.
func TestGeneratedClientDrivesTheService(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated client; skipped with -short")
	}
	e := newSeededEnv(t, false)
	srv := httptest.NewServer(e.served)
	defer srv.Close()

	// The client is a package of this module (so it builds with the module's
	// own dependencies), in a directory removed afterwards and ignored by git.
	dir, err := os.MkdirTemp("testdata", "generated-client-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	doc := e.do(http.MethodGet, "/openapi.json", nil, "").wantStatus(http.StatusOK).Body.Bytes()
	if err := os.WriteFile(filepath.Join(dir, "openapi.json"), doc, 0o644); err != nil {
		t.Fatal(err)
	}
	driver, err := os.ReadFile(filepath.Join("testdata", "client", "driver_test.go.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "driver_test.go"), driver, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, "", "go", "tool", "oapi-codegen", "-generate", "types,client", "-package", "client",
		"-o", filepath.Join(dir, "client.gen.go"), filepath.Join(dir, "openapi.json"))
	out := run(t, "REGISTRY_URL="+srv.URL+"\x00REGISTRY_ADMIN_KEY="+e.admin,
		"go", "test", "-count=1", "-v", "./"+filepath.ToSlash(dir))
	if !strings.Contains(out, "--- PASS: TestDriveTheRegistry") {
		t.Fatalf("the generated client's test did not pass:\n%s", out)
	}
}

// run runs a command with extra environment variables (NUL-separated) and
// returns its output, failing the test when it fails.
func run(t *testing.T, env string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = os.Environ()
	if env != "" {
		cmd.Env = append(cmd.Env, strings.Split(env, "\x00")...)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
