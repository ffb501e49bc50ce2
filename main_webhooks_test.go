package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
	"github.com/council-components/registry/store/storetest/testdb"
	"github.com/council-components/registry/webhooks"
)

// serveKeyArgs are the flags serve needs for this run's engine: none on SQLite,
// which keeps its key beside the database, and a key file on PostgreSQL.
func serveKeyArgs(t *testing.T) []string {
	t.Helper()
	if !storetest.Postgres() {
		return nil
	}
	path := filepath.Join(t.TempDir(), "secret-key")
	if _, _, err := webhooks.ReadOrCreateKeyFile(path); err != nil {
		t.Fatal(err)
	}
	return []string{"--secret-key-file", path}
}

func TestWebhookKeyFile(t *testing.T) {
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	db := filepath.Join(t.TempDir(), "registry.db")
	k, err := webhookKey("", db, log)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(db + ".secret-key")
	if err != nil || info.Mode().Perm() != 0o600 || info.Size() != webhooks.KeySize {
		t.Fatalf("key file beside the database: %v (%v)", info, err)
	}
	if !strings.Contains(logged.String(), "created the key") || !strings.Contains(logged.String(), db+".secret-key") {
		t.Errorf("the log does not say where the key was made: %s", logged.String())
	}
	sealed, _ := k.Seal("whsec_AAAA")
	logged.Reset()
	again, err := webhookKey("", db, log)
	if err != nil || logged.Len() != 0 {
		t.Fatalf("second start: %v, logged %q", err, logged.String())
	}
	if got, err := again.Open(sealed); err != nil || got != "whsec_AAAA" {
		t.Fatalf("the second start's key is another: %v", err)
	}
	if named, err := webhookKey(db+".secret-key", "postgres://registry@db.example/registry", log); err != nil {
		t.Fatal(err)
	} else if got, err := named.Open(sealed); err != nil || got != "whsec_AAAA" {
		t.Fatal("--secret-key-file was not the key read")
	}
	if _, err := webhookKey(filepath.Join(t.TempDir(), "missing"), db, log); err == nil {
		t.Error("a missing --secret-key-file was made up rather than refused")
	}

	// PostgreSQL without a key: serve still starts (the contract's serve --db postgres://),
	// with webhooks off and the log saying which flag turns them on; no key is made up.
	logged.Reset()
	if k, err := webhookKey("", "postgres://registry@db.example/registry", log); err != nil || k != nil {
		t.Errorf("PostgreSQL without a key: key %v, error %v; want no key and no error", k, err)
	}
	if !strings.Contains(logged.String(), "webhooks are off") || !strings.Contains(logged.String(), "--secret-key-file") {
		t.Errorf("the log does not say webhooks are off and how to turn them on: %s", logged.String())
	}
}

func TestServeEncryptsPlainWebhookSecretsAtStart(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.Seeded(t, false)
	st, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	const plain = "whsec_3f9a0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b"
	db, _ := st.SQLDB()
	_, err = db.ExecContext(ctx, storetest.Rebind("INSERT INTO webhooks (url, secret, created_at) VALUES (?, ?, ?)"),
		"https://hooks.example.gov.uk/registry", plain, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}

	// The second start finds nothing to encrypt; the third, with another key, says its secrets do not open.
	other := filepath.Join(t.TempDir(), "other-key")
	if _, _, err := webhooks.ReadOrCreateKeyFile(other); err != nil {
		t.Fatal(err)
	}
	keyArgs := serveKeyArgs(t)
	for start, args := range [][]string{keyArgs, keyArgs, {"--secret-key-file", other}} {
		runCtx, stop := context.WithCancel(ctx)
		out, w := io.Pipe()
		var logged bytes.Buffer
		done := make(chan error, 1)
		go func() {
			done <- run(runCtx, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dsn, "--rate-limit", "0"}, args...), noEnv, w, &logged)
			w.Close()
		}()
		if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
			t.Fatalf("start %d: no listening line: %v (run: %v)", start+1, err, <-done)
		}
		go io.Copy(io.Discard, out)
		var secret string
		if err := db.QueryRowContext(ctx, "SELECT secret FROM webhooks").Scan(&secret); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(secret, plain[6:]) || !webhooks.IsSealed(secret) {
			t.Fatalf("start %d: the secrets column holds %q", start+1, secret)
		}
		stop()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if said := strings.Contains(logged.String(), "encrypted webhook secrets"); said != (start == 0) {
			t.Errorf("start %d: said it encrypted secrets: %v\n%s", start+1, said, logged.String())
		}
		if !storetest.Postgres() && strings.Contains(logged.String(), "created the key") != (start == 0) {
			t.Errorf("start %d: the key file was not made once, beside the database:\n%s", start+1, logged.String())
		}
		if said := strings.Contains(logged.String(), "sealed under another key"); said != (start == 2) {
			t.Errorf("start %d: said the secrets do not open: %v\n%s", start+1, said, logged.String())
		}
	}
	st.Close()
}
