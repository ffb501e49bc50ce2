package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/api/apitest"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
	"github.com/council-components/registry/store/storetest/testdb"
)

// slow marks tests that build and run the real binary: `go test -short` skips them.
func slow(t *testing.T) {
	if testing.Short() {
		t.Skip("slow test, skipped with -short")
	}
}

// seededDB is a migrated database with the reference data and an admin key.
func seededDB(t *testing.T) (dsn, key string) {
	t.Helper()
	ctx := context.Background()
	dsn = storetest.NewDSN(t)
	if err := run(ctx, []string{"seed", "--db", dsn}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"keys", "create", "--role", "admin", "--db", dsn}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return dsn, lines[len(lines)-1]
}

type ack struct {
	id    int64
	token string
}

// postNeed records a need whose notes carry token, and returns its id on a 2xx.
func postNeed(client *http.Client, base, key, token string) (int64, int, error) {
	body := fmt.Sprintf(`{"council":"E09000022","capability":"appointment-booking","needed_by":"2027-01-01","notes":%q}`, token)
	req, _ := http.NewRequest("POST", base+"/api/v1/needs", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	var n struct {
		ID int64 `json:"id"`
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(b, &n); err != nil {
			return 0, resp.StatusCode, err
		}
	}
	if resp.StatusCode >= 500 || bytes.Contains(b, []byte("database is locked")) {
		return 0, resp.StatusCode, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return n.ID, resp.StatusCode, nil
}

// TestAcknowledgedWritesSurviveSIGKILL runs the real binary under concurrent
// writes, kills it at random moments, restarts it, and checks that every write
// answered 2xx is there and the database is intact.
func TestAcknowledgedWritesSurviveSIGKILL(t *testing.T) {
	slow(t)
	bin := filepath.Join(t.TempDir(), "registry")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dsn, key := seededDB(t)
	keyArgs := serveKeyArgs(t)
	rng := rand.New(rand.NewPCG(7, 7))
	var acks []ack
	var mu sync.Mutex
	for round := range 5 {
		cmd := exec.Command(bin, append([]string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--rate-limit", "0"}, keyArgs...)...)
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			cmd.Process.Kill()
			t.Fatalf("round %d: server did not start: %v", round, err)
		}
		base := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
		client := &http.Client{Timeout: 10 * time.Second}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var sent atomic.Int64
		startWriters(8, stop, &wg, func(w, i int) bool {
			token := fmt.Sprintf("round-%d-writer-%d-%d", round, w, i)
			id, code, err := postNeed(client, base, key, token)
			sent.Add(1)
			if err == nil && code == http.StatusCreated {
				mu.Lock()
				acks = append(acks, ack{id, token})
				mu.Unlock()
			}
			return true
		})
		time.Sleep(time.Duration(300+rng.IntN(900)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL) // no chance to flush or shut down
		cmd.Wait()
		close(stop)
		wg.Wait()
		t.Logf("round %d: killed after %d requests; %d writes acknowledged so far", round, sent.Load(), len(acks))
	}
	if len(acks) < 50 {
		t.Fatalf("only %d writes were acknowledged: the test did not exercise the server", len(acks))
	}
	st, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db, _ := st.SQLDB()
	for _, a := range acks {
		var n int
		if err := db.QueryRow(storetest.Rebind("SELECT count(*) FROM needs WHERE id = ? AND notes = ?"), a.id, a.token).Scan(&n); err != nil || n != 1 {
			t.Fatalf("acknowledged write %d (%s) is missing after SIGKILL: %v", a.id, a.token, err)
		}
	}
	if res, err := st.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity check: %q %v", res, err)
	}
}

// serveInProcess runs the real router on a real listener.
func serveInProcess(t *testing.T, dsn string) (*store.Store, string) {
	t.Helper()
	st := testdb.Open(t, dsn)
	r, err := api.NewRouter(st, api.Config{Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(apitest.Validated(t, r))
	t.Cleanup(srv.Close)
	return st, srv.URL
}

// TestTwoHundredConcurrentClients: 100 writers and 100 readers at once get no
// 5xx and no "database is locked", and every acknowledged write is counted.
func TestTwoHundredConcurrentClients(t *testing.T) {
	dsn, key := seededDB(t)
	st, base := serveInProcess(t, dsn)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200}, Timeout: 60 * time.Second}
	var wg sync.WaitGroup
	var ok, failed atomic.Int64
	errs := make(chan error, 200)
	for w := range 100 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 5 {
				_, code, err := postNeed(client, base, key, fmt.Sprintf("c-%d-%d", w, i))
				if err != nil || code != http.StatusCreated {
					failed.Add(1)
					errs <- fmt.Errorf("write: %d %v", code, err)
					return
				}
				ok.Add(1)
			}
		}()
		go func() {
			defer wg.Done()
			for _, p := range []string{"/api/v1/needs?capability=appointment-booking", "/api/v1/components?q=payments", "/api/v1/councils/E09000022", "/api/v1/stats/coverage", "/api/v1/councils/E09000022/opportunities"} {
				resp, err := client.Get(base + p)
				if err != nil || resp.StatusCode != 200 {
					errs <- fmt.Errorf("read %s: %v %v", p, err, resp)
					if resp != nil {
						resp.Body.Close()
					}
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	db, _ := st.SQLDB()
	var n int64
	db.QueryRow("SELECT count(*) FROM needs").Scan(&n)
	if n != ok.Load() || n != 500 {
		t.Fatalf("%d needs stored, %d writes acknowledged, %d failed; want 500 of each", n, ok.Load(), failed.Load())
	}
}

// startWriters starts n goroutines, each calling write with its number and a
// count until stop closes or write returns false; wg waits for them.
func startWriters(n int, stop <-chan struct{}, wg *sync.WaitGroup, write func(w, i int) bool) {
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if !write(w, i) {
					return
				}
			}
		}()
	}
}

// TestBackupWhileServing copies the database during writes, restores the copy
// and checks it is intact and holds a consistent point in time.
func TestBackupWhileServing(t *testing.T) {
	if storetest.Postgres() {
		t.Skip("SQLite-only: PostgreSQL is backed up with pg_dump")
	}
	dsn, key := seededDB(t)
	st, base := serveInProcess(t, dsn)
	client := &http.Client{Timeout: 30 * time.Second}
	countNeeds := func(s *store.Store) int {
		db, _ := s.SQLDB()
		var n int
		db.QueryRow("SELECT count(*) FROM needs").Scan(&n)
		return n
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	startWriters(4, stop, &wg, func(w, i int) bool {
		if _, code, err := postNeed(client, base, key, fmt.Sprintf("b-%d-%d", w, i)); err != nil || code != 201 {
			t.Errorf("write during backup: %d %v", code, err)
			return false
		}
		return true
	})
	for deadline := time.Now().Add(10 * time.Second); countNeeds(st) < 20 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond) // let the writers get going before copying
	}
	before := countNeeds(st)
	out := filepath.Join(t.TempDir(), "backup.db")
	var msg bytes.Buffer
	if err := run(context.Background(), []string{"backup", "--out", out, "--db", dsn}, noEnv, &msg, io.Discard); err != nil {
		t.Fatal(err)
	}
	after := countNeeds(st)
	close(stop)
	wg.Wait()

	// Restore: the copy is a database of its own, opened in place of the original.
	restored, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if res, err := restored.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("restored copy: integrity %q %v", res, err)
	}
	got := countNeeds(restored)
	if got < before || got > after || got == 0 {
		t.Fatalf("backup holds %d needs; the live database had %d before and %d after", got, before, after)
	}
	if _, err := restored.Migrate(context.Background()); err != nil {
		t.Fatalf("restored copy will not migrate: %v", err)
	}

	// At rest, a backup holds exactly what the database holds, table by table.
	out2 := filepath.Join(t.TempDir(), "quiet.db")
	if err := run(context.Background(), []string{"backup", "--out", out2, "--db", dsn}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	quiet, err := store.Open(out2)
	if err != nil {
		t.Fatal(err)
	}
	defer quiet.Close()
	for _, table := range []string{"councils", "vendors", "capabilities", "components", "adoptions", "needs", "audit_log", "api_keys"} {
		a, b := rowCount(t, st, table), rowCount(t, quiet, table)
		if a != b {
			t.Errorf("%s: %d rows live, %d in the backup", table, a, b)
		}
	}
	if err := run(context.Background(), []string{"backup", "--out", out2, "--db", dsn}, noEnv, io.Discard, io.Discard); err == nil {
		t.Error("a backup overwrote an existing file")
	}
}

func rowCount(t *testing.T, st *store.Store, table string) int {
	db, _ := st.SQLDB()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
