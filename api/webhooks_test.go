package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest/testdb"
	"github.com/council-components/registry/webhooks"
)

// receiver is a local HTTPS endpoint that records deliveries and fails the first few.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	failures int // answer 500 to this many more requests
	got      []received
}

type received struct {
	body   []byte
	header http.Header
}

func newReceiver(t *testing.T, failures int) *receiver {
	rc := &receiver{failures: failures}
	rc.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{body, r.Header.Clone()})
		fail := rc.failures > 0
		if fail {
			rc.failures--
		}
		rc.mu.Unlock()
		if fail {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received{}, rc.got...)
}

// worker is a webhook worker on the test's store, with a clock the test moves.
func (e *env) worker(client *http.Client, clock *time.Time) *webhooks.Worker {
	w := webhooks.New(e.st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if client != nil {
		w.Client = client
	}
	w.Now = func() time.Time { return *clock }
	return w
}

func TestWebhookRegistration(t *testing.T) {
	e := newSeededEnv(t, false)
	rc := newReceiver(t, 0)
	for body, field := range map[string]string{
		`{"url": "http://hooks.example.gov.uk/registry"}`:             "url",
		`{"url": "ftp://hooks.example.gov.uk/registry"}`:              "url",
		`{"url": "https://user:pw@hooks.example.gov.uk/"}`:            "url",
		`{"url": "https://hooks.example.gov.uk/", "entities": ["x"]}`: "entities",
		`{"description": "no url"}`:                                   "url",
		`{"url": "https://hooks.example.gov.uk/", "secret": "mine"}`:  "secret",
		`{"url": "https://hooks.example.gov.uk/", "description": 5}`:  "description",
	} {
		e.do("POST", "/api/v1/webhooks", body, e.admin).wantProblem(http.StatusBadRequest, field)
	}
	created := e.do("POST", "/api/v1/webhooks", map[string]any{"url": rc.URL + "/hook", "description": "central team"}, e.admin).wantStatus(http.StatusCreated).json()
	secret, _ := created["secret"].(string)
	if !strings.HasPrefix(secret, "whsec_") || len(secret) < 40 || created["url"] != rc.URL+"/hook" {
		t.Fatalf("created %v", created)
	}
	list := e.do("GET", "/api/v1/webhooks", nil, e.admin).wantStatus(http.StatusOK)
	if strings.Contains(list.Body.String(), secret) || strings.Contains(list.Body.String(), `"secret"`) {
		t.Fatal("the webhook list shows the secret")
	}
	if e.count("SELECT count(*) FROM audit_log WHERE entity = 'webhook' AND action = 'created'") != 1 {
		t.Error("registering a webhook is not audited")
	}
	if strings.Contains(e.do("GET", "/api/v1/changes?limit=100", nil, "").Body.String(), rc.URL) {
		t.Fatal("the public change feed shows a webhook")
	}
	id := int(created["id"].(float64))
	e.do("DELETE", fmt.Sprintf("/api/v1/webhooks/%d", id), nil, e.admin).wantStatus(http.StatusNoContent)
	e.do("DELETE", fmt.Sprintf("/api/v1/webhooks/%d", id), nil, e.admin).wantProblem(http.StatusNotFound)
	e.do("DELETE", "/api/v1/webhooks/nope", nil, e.admin).wantProblem(http.StatusNotFound)
	if n := len(e.do("GET", "/api/v1/webhooks", nil, e.admin).json()["items"].([]any)); n != 0 {
		t.Errorf("%d webhooks after deleting the only one", n)
	}
}

func TestWebhookDeliverySignatureAndRetries(t *testing.T) {
	ctx := context.Background()
	e := newSeededEnv(t, false)
	rc := newReceiver(t, 2)
	created := e.do("POST", "/api/v1/webhooks", map[string]any{"url": rc.URL + "/hook"}, e.admin).wantStatus(http.StatusCreated).json()
	secret := created["secret"].(string)
	clock := fixedNow
	w := e.worker(rc.Client(), &clock)

	// Changes made before the webhook was registered are not sent.
	if n, err := w.RunOnce(ctx); err != nil || n != 0 || len(rc.requests()) != 0 {
		t.Fatalf("first pass: %d sent, %v, %d requests", n, err, len(rc.requests()))
	}
	e.do("PATCH", "/api/v1/components/govuk-pay", map[string]any{"summary": "Told to the webhook."}, e.admin).wantStatus(http.StatusOK)

	// Two failures, each retried after a longer wait, then delivered.
	for i, wait := range []time.Duration{0, 31 * time.Second, 61 * time.Second} {
		clock = clock.Add(wait)
		if n, err := w.RunOnce(ctx); err != nil || len(rc.requests()) != i+1 {
			t.Fatalf("attempt %d: %d sent, %v, %d requests", i+1, n, err, len(rc.requests()))
		}
		if i < 2 {
			if n, _ := w.RunOnce(ctx); n != 0 || len(rc.requests()) != i+1 {
				t.Fatalf("attempt %d was retried before its backoff ran out", i+1)
			}
			next := clock.Add(webhooks.Backoff(i + 1))
			if c := e.count("SELECT count(*) FROM webhook_deliveries WHERE attempts = ? AND last_status = 500 AND delivered_at IS NULL AND next_attempt_at = ?", i+1, next); c != 1 {
				t.Fatalf("after attempt %d the queue does not say when to retry (%v)", i+1, next)
			}
		}
	}
	if e.count("SELECT count(*) FROM webhook_deliveries WHERE attempts = 3 AND delivered_at IS NOT NULL AND last_status = 204") != 1 {
		t.Fatal("the delivery is not recorded as delivered")
	}
	reqs := rc.requests()
	for _, r := range reqs {
		if string(r.body) != string(reqs[0].body) {
			t.Fatal("a retry sent different bytes")
		}
	}
	last := reqs[2]
	if sig := last.header.Get(webhooks.SignatureHeader); !webhooks.Verify(secret, last.body, sig) || !strings.HasPrefix(sig, "sha256=") {
		t.Fatalf("signature %q does not verify", sig)
	}
	if webhooks.Verify("whsec_wrong", last.body, last.header.Get(webhooks.SignatureHeader)) {
		t.Fatal("the signature verifies under another secret")
	}
	if last.header.Get("X-Registry-Event") != "component.updated" || last.header.Get("X-Registry-Delivery") == "" {
		t.Errorf("headers %v", last.header)
	}
	var change map[string]any
	if err := json.Unmarshal(last.body, &change); err != nil {
		t.Fatal(err)
	}
	if change["entity"] != "component" || change["key"] != "govuk-pay" || change["action"] != "updated" ||
		change["actor"].(map[string]any)["role"] != "admin" || strings.Contains(string(last.body), "ccr_") {
		t.Errorf("payload %s", last.body)
	}
	list := e.do("GET", "/api/v1/webhooks", nil, e.admin).json()["items"].([]any)[0].(map[string]any)
	if list["pending"].(float64) != 0 || list["last_delivered_at"] == nil {
		t.Errorf("webhook status %v", list)
	}
}

func TestWebhookQueueSurvivesRestartAndCrashes(t *testing.T) {
	ctx := context.Background()
	path := testdb.Seeded(t, false)
	e := newEnvWith(t, path, api.Config{})
	rc := newReceiver(t, 0)
	e.do("POST", "/api/v1/webhooks", map[string]any{"url": rc.URL + "/all"}, e.admin).wantStatus(http.StatusCreated)
	e.do("POST", "/api/v1/webhooks", map[string]any{"url": rc.URL + "/adoptions", "entities": []string{"adoption"}}, e.admin).wantStatus(http.StatusCreated)
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "First change."}, e.admin).wantStatus(http.StatusOK)
	clock := fixedNow

	// A worker that cannot reach the receiver queues the change and fails to send it.
	down := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("network down") })}
	if _, err := e.worker(down, &clock).RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if e.count("SELECT count(*) FROM webhook_deliveries WHERE attempts = 1 AND last_error LIKE '%network down%'") != 1 {
		t.Fatal("the failed attempt is not recorded")
	}
	if e.count(`SELECT count(*) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.url LIKE '%/adoptions'`) != 0 {
		t.Fatal("a webhook for adoptions was sent a vendor change")
	}

	// The process restarts: a new store on the same database, a new worker.
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	restarted := &env{t: t, st: st}
	clock = clock.Add(31 * time.Second)
	if n, err := restarted.worker(rc.Client(), &clock).RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("after a restart: %d sent, %v", n, err)
	}
	if reqs := rc.requests(); len(reqs) != 1 || !strings.Contains(string(reqs[0].body), `"vendor"`) {
		t.Fatalf("requests %v", reqs)
	}

	// A worker that claims a delivery and dies holds it only until its lease runs out.
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "Second change."}, e.admin).wantStatus(http.StatusOK)
	if _, err := st.QueueWebhookDeliveries(ctx, clock); err != nil {
		t.Fatal(err)
	}
	claimed, err := st.ClaimWebhookDeliveries(ctx, clock, time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	w := restarted.worker(rc.Client(), &clock)
	if n, _ := w.RunOnce(ctx); n != 0 {
		t.Fatal("a leased delivery was sent by another worker")
	}
	clock = clock.Add(61 * time.Second)
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("after the lease: %d sent, %v", n, err)
	}
	if e.count("SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL") != 0 {
		t.Error("deliveries left undelivered")
	}
}

func TestWebhookGivesUpAndRefusesPrivateAddresses(t *testing.T) {
	ctx := context.Background()
	e := newSeededEnv(t, false)
	rc := newReceiver(t, 0)
	e.do("POST", "/api/v1/webhooks", map[string]any{"url": rc.URL + "/hook"}, e.admin).wantStatus(http.StatusCreated)
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "A change."}, e.admin).wantStatus(http.StatusOK)
	clock := fixedNow
	w := e.worker(nil, &clock) // the real client, which will not dial 127.0.0.1
	w.MaxAttempts = 2
	for range 2 {
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
	}
	if len(rc.requests()) != 0 {
		t.Fatal("a delivery reached a loopback address")
	}
	if e.count("SELECT count(*) FROM webhook_deliveries WHERE attempts = 2 AND failed_at IS NOT NULL AND last_error LIKE '%loopback%'") != 1 {
		t.Fatal("the delivery was not given up after its last attempt, with the reason")
	}
	if item := e.do("GET", "/api/v1/webhooks", nil, e.admin).json()["items"].([]any)[0].(map[string]any); item["failed"].(float64) != 1 {
		t.Errorf("webhook %v", item)
	}

	// Run stops when its context is cancelled.
	runCtx, cancel := context.WithCancel(ctx)
	w.Interval = 5 * time.Millisecond
	done := make(chan struct{})
	go func() { w.Run(runCtx); close(done) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the worker did not stop")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
