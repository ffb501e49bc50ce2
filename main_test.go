package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
)

func noEnv(string) string { return "" }

func TestMain(m *testing.M) { storetest.Main(m) }

func TestServeSeedsAnEmptyDatabaseAndShutsDownCleanly(t *testing.T) {
	db := storetest.NewDSN(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--demo", "--rate-limit", "0"}, serveKeyArgs(t)...), noEnv, w, io.Discard)
		w.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no listening line: %v (run: %v)", err, <-done)
	}
	go io.Copy(io.Discard, out)
	base := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening on "))

	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200, "/api/v1/councils/E09000022": 200} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
	resp, err := http.Get(base + "/api/v1/components?q=payments")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []struct{ Slug string } `json:"items"`
	}
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list.Items) == 0 || list.Items[0].Slug != "govuk-pay" {
		t.Errorf("q=payments first result %+v, want govuk-pay", list.Items)
	}

	var health bytes.Buffer
	if err := run(ctx, []string{"health", "--addr", strings.TrimPrefix(base, "http://")}, noEnv, &health, io.Discard); err != nil || health.String() != "ready\n" {
		t.Errorf("health: %v %q", err, health.String())
	}

	cancel() // what SIGTERM does in main
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}

func TestMigrateAndKeysCommands(t *testing.T) {
	ctx := context.Background()
	db := storetest.NewDSN(t)
	var out bytes.Buffer
	if err := run(ctx, []string{"migrate", "--db", db}, noEnv, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "applied ") || strings.HasPrefix(out.String(), "applied 0 ") {
		t.Fatalf("migrate: %v %q", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"migrate"}, func(k string) string { return map[string]string{"DATABASE_URL": db}[k] }, &out, io.Discard); err != nil || !strings.Contains(out.String(), "applied 0 migrations") {
		t.Fatalf("second migrate via DATABASE_URL: %v %q", err, out.String())
	}

	out.Reset()
	if err := run(ctx, []string{"keys", "create", "--role", "admin", "--name", "ops team", "--db", db}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	key := lines[len(lines)-1]
	if !strings.HasPrefix(key, "ccr_") || len(key) < 40 {
		t.Fatalf("last line %q is not a key", key)
	}
	if !storetest.Postgres() { // the SQLite file and its WAL must not hold the key anywhere
		raw, _ := os.ReadFile(db)
		wal, _ := os.ReadFile(db + "-wal")
		if bytes.Contains(append(raw, wal...), []byte(key)) || bytes.Contains(append(raw, wal...), []byte(key[strings.LastIndex(key, "_")+1:])) {
			t.Fatal("the key's secret is stored in plain text")
		}
	}

	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if k, err := st.Authenticate(ctx, key); err != nil || k.Role != "admin" || k.Name != "ops team" {
		t.Fatalf("new key does not authenticate: %v %+v", err, k)
	}
	prefix := key[:strings.LastIndex(key, "_")]
	if err := run(ctx, []string{"keys", "revoke", prefix, "--db", db}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Authenticate(ctx, key); err == nil {
		t.Fatal("revoked key still authenticates")
	}
	if err := run(ctx, []string{"keys", "revoke", prefix, "--db", db}, noEnv, io.Discard, io.Discard); err == nil {
		t.Fatal("revoking twice succeeded")
	}
	for _, args := range [][]string{
		{"keys", "create", "--role", "vendor", "--org", "no-such-vendor", "--db", db},
		{"keys", "create", "--role", "council", "--db", db},
		{"keys", "create", "--role", "root", "--db", db},
		{"keys", "create", "--role", "admin", "--org", "x", "--db", db},
		{"frobnicate"},
		{},
	} {
		if err := run(ctx, args, noEnv, io.Discard, io.Discard); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestVersion: `registry --version` (and `registry version`) names the release
// set at build time and the source revision.
func TestVersion(t *testing.T) {
	was, wasRev := version, revision
	version, revision = "v1.2.3", "abc123"
	t.Cleanup(func() { version, revision = was, wasRev })
	for _, arg := range []string{"--version", "version"} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{arg}, noEnv, &out, io.Discard); err != nil {
			t.Fatalf("%s: %v", arg, err)
		}
		if got := out.String(); !strings.HasPrefix(got, "registry v1.2.3 (revision abc123, go1.") {
			t.Errorf("%s printed %q", arg, got)
		}
	}
}
