package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/council-components/registry/models"
)

// TestHarvestPubliccodeCommand harvests a list of local files and one URL the
// real client refuses (a loopback address), twice, on a seeded database.
func TestHarvestPubliccodeCommand(t *testing.T) {
	db, _ := seededDB(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("name: x")) }))
	defer srv.Close()
	dir := t.TempDir()
	list := filepath.Join(dir, "list.txt")
	entries := []string{"# publishers",
		filepath.Join("api", "testdata", "publiccode", "consul-democracy.yml"),
		filepath.Join("api", "testdata", "harvest", "geoworks-mi.yml"),
		filepath.Join("api", "testdata", "harvest", "lynis.yml"),
		filepath.Join(dir, "gone.yml"),
		srv.URL + "/publiccode.yml"}
	if err := os.WriteFile(list, []byte(strings.Join(entries, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	harvest := func(args ...string) models.PubliccodeHarvestReport {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"harvest", "publiccode", "--list", list, "--db", db, "--json"}, args...), noEnv, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		var rep models.PubliccodeHarvestReport
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	dry := harvest("--dry-run")
	if n := countRows(t, db, "SELECT count(*) FROM components WHERE harvest_source IS NOT NULL"); n != 0 || dry.Created != 2 {
		t.Fatalf("dry run: %+v, %d components written", dry, n)
	}
	rep := harvest()
	if rep.Created != 2 || rep.Invalid != 1 || rep.Unreachable != 2 || len(rep.VendorsCreated) != 2 {
		t.Errorf("first run: %+v", rep)
	}
	// The fields the contract gives every harvest's --json report.
	var raw map[string]any
	out0 := bytes.Buffer{}
	if err := run(context.Background(), []string{"harvest", "publiccode", "--list", list, "--db", db, "--json", "--dry-run"}, noEnv, &out0, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out0.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"created", "updated", "unchanged", "no_longer_listed", "matched", "skipped", "unmatched"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("the --json report lacks %q: %s", k, out0.String())
		}
	}
	if len(rep.Matched) != 2 || len(rep.Skipped) != 1 || len(rep.Unmatched) != 2 || rep.NoLongerListed != 0 {
		t.Errorf("first run: matched %v, skipped %v, unmatched %v, no longer listed %d", rep.Matched, rep.Skipped, rep.Unmatched, rep.NoLongerListed)
	}
	if again := harvest(); again.Unchanged != 2 || again.Created+again.Updated != 0 || len(again.VendorsCreated) != 0 {
		t.Errorf("second run: %+v", again)
	}

	var out bytes.Buffer
	if err := run(context.Background(), []string{"harvest", "publiccode", "--list", list, "--db", db}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"0 created, 0 updated, 2 unchanged, 1 invalid, 2 unreachable (applied)", "unreachable: " + srv.URL,
		"invalid: " + entries[3], "categories that map to no capability: budgeting, business-process-management, cloud-management"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	for _, args := range [][]string{{"harvest", "publiccode"}, {"harvest", "publiccode", "--list"}, {"harvest", "publiccode", "--list", list, "extra"}} {
		if err := run(context.Background(), args, noEnv, io.Discard, io.Discard); err == nil {
			t.Errorf("%v: no usage error", args)
		}
	}
}
