package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
	"github.com/council-components/registry/store/storetest/testdb"
	"github.com/council-components/registry/webhooks"
	"github.com/council-components/registry/webhooks/webhookstest"
)

// hookURL is where the tests' webhooks point: example.com is the name on the
// local receivers' certificate, and the tests' resolver gives it a public
// address, which no test dials (receiver.client routes to the receiver).
const hookURL = "https://example.com"

// webhookConfig is how every test store keeps webhooks: secrets sealed under
// the fixed test key, names resolved from a table (the receivers' name and
// hooks.example.gov.uk to a public address) and never off the machine.
func webhookConfig(t testing.TB) store.WebhookConfig {
	t.Helper()
	key, err := webhooks.NewSecretKey(webhookstest.Key())
	if err != nil {
		t.Fatal(err)
	}
	return store.WebhookConfig{Key: key, Resolver: webhookstest.NewResolver(map[string][]string{
		"example.com": {webhookstest.PublicAddress}, "hooks.example.gov.uk": {webhookstest.PublicAddress}})}
}

// resolver is the test store's resolver, to change a name's answer as DNS can.
func (e *env) resolver() *webhookstest.Resolver {
	return e.st.Webhooks.Resolver.(*webhookstest.Resolver)
}

// verifyAsReadmeSays is the README's check of a delivery, word for word: it
// refuses a bad signature and a timestamp more than five minutes from now.
func verifyAsReadmeSays(secret string, body []byte, header http.Header) error {
	wh, err := standardwebhooks.NewWebhook(secret) // "whsec_…", as the registry gave it
	if err != nil {
		return err
	}
	return wh.Verify(body, header) // a bad signature, or a timestamp over 5 minutes old (or ahead): refuse
}

// signedUnder checks a delivery's signature under secret, whatever its age.
func signedUnder(t *testing.T, secret string, r received) bool {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	return wh.VerifyIgnoringTimestamp(r.body, r.header) == nil
}

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

// client delivers to this receiver whatever address a webhook's URL names, as
// the network would route a public one.
func (rc *receiver) client() *http.Client {
	c := rc.Client()
	c.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, rc.Listener.Addr().String())
	}
	return c
}

// worker is a webhook worker on the test's store, with a clock the test moves.
func (e *env) worker(client *http.Client, clock *time.Time) *webhooks.Worker {
	w := webhooks.New(e.st, e.st.Webhooks.Key, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if client != nil {
		w.Client = client
	}
	w.Now = func() time.Time { return *clock }
	return w
}

func TestWebhookRegistration(t *testing.T) {
	e := newSeededEnv(t, false)
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
	created := e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/hook", "description": "central team"}, e.admin).wantStatus(http.StatusCreated).json()
	secret, _ := created["secret"].(string)
	if !strings.HasPrefix(secret, "whsec_") || len(secret) < 40 || created["url"] != hookURL+"/hook" {
		t.Fatalf("created %v", created)
	}
	if _, err := standardwebhooks.NewWebhook(secret); err != nil {
		t.Fatalf("the secret %q is not in the Standard Webhooks form: %v", secret, err)
	}
	list := e.do("GET", "/api/v1/webhooks", nil, e.admin).wantStatus(http.StatusOK)
	if strings.Contains(list.Body.String(), secret) || strings.Contains(list.Body.String(), `"secret"`) {
		t.Fatal("the webhook list shows the secret")
	}
	if e.count("SELECT count(*) FROM audit_log WHERE entity = 'webhook' AND action = 'created'") != 1 {
		t.Error("registering a webhook is not audited")
	}
	if strings.Contains(e.do("GET", "/api/v1/changes?limit=100", nil, "").Body.String(), hookURL) {
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
	created := e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/hook"}, e.admin).wantStatus(http.StatusCreated).json()
	secret := created["secret"].(string)
	clock := fixedNow
	w := e.worker(rc.client(), &clock)

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
	// Each attempt is signed as it is sent, with the delivery's id and that attempt's time.
	delivery := e.count("SELECT id FROM webhook_deliveries")
	for i, r := range reqs {
		at := fixedNow.Add([]time.Duration{0, 31 * time.Second, 92 * time.Second}[i]).Unix()
		if r.header.Get(webhooks.HeaderID) != strconv.Itoa(delivery) || r.header.Get(webhooks.HeaderTimestamp) != strconv.FormatInt(at, 10) {
			t.Errorf("attempt %d: webhook-id %q, webhook-timestamp %q; want %d and %d", i+1,
				r.header.Get(webhooks.HeaderID), r.header.Get(webhooks.HeaderTimestamp), delivery, at)
		}
		if sig := r.header.Get(webhooks.HeaderSignature); !strings.HasPrefix(sig, "v1,") || !signedUnder(t, secret, r) {
			t.Fatalf("attempt %d: signature %q does not verify", i+1, sig)
		}
	}
	last := reqs[2]
	other, _ := webhooks.NewSecret()
	if signedUnder(t, other, last) {
		t.Fatal("the signature verifies under another secret")
	}
	tampered := received{body: append(bytes.Clone(last.body), ' '), header: last.header}
	if signedUnder(t, secret, tampered) {
		t.Fatal("the signature verifies for another body")
	}
	if last.header.Get("X-Registry-Event") != "component.updated" || last.header.Get("X-Registry-Signature") != "" {
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
	e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/all"}, e.admin).wantStatus(http.StatusCreated)
	e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/adoptions", "entities": []string{"adoption"}}, e.admin).wantStatus(http.StatusCreated)
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
	st.Webhooks = webhookConfig(t) // the same key, as serve reads it from its file
	restarted := &env{t: t, st: st}
	clock = clock.Add(31 * time.Second)
	if n, err := restarted.worker(rc.client(), &clock).RunOnce(ctx); err != nil || n != 1 {
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
	w := restarted.worker(rc.client(), &clock)
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
	e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/hook"}, e.admin).wantStatus(http.StatusCreated)
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "A change."}, e.admin).wantStatus(http.StatusOK)
	e.resolver().Set("example.com", "127.0.0.1") // the name now points at the receiver's machine
	clock := fixedNow
	w := e.worker(webhooks.PublicClient(e.resolver()), &clock) // the real client, which will not dial 127.0.0.1
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
	if e.count("SELECT count(*) FROM webhook_deliveries WHERE attempts = 2 AND failed_at IS NOT NULL AND last_error LIKE '%prohibited IP address: 127.0.0.1 %'") != 1 {
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

// insideAddresses are one address from each range the issue names (and a few
// more): a webhook must neither be registered for nor delivered to any of them.
var insideAddresses = []struct{ name, addr string }{
	{"loopback", "127.0.0.1"},
	{"IPv6 loopback", "::1"},
	{"RFC 1918 10/8", "10.1.2.3"},
	{"RFC 1918 172.16/12", "172.16.0.1"},
	{"RFC 1918 192.168/16", "192.168.0.10"},
	{"link-local", "169.254.169.254"},
	{"IPv6 link-local", "fe80::1"},
	{"documentation 192.0.2/24", "192.0.2.1"},
	{"shared 100.64/10", "100.64.0.1"},
	{"cloud metadata in 100.64/10", "100.100.100.200"},
	{"benchmarking 198.18/15", "198.18.0.1"},
	{"NAT64 64:ff9b::/96", "64:ff9b::a00:1"},
	{"6to4 2002::/16", "2002:a00:1::1"},
	{"reserved 240/4", "240.0.0.1"},
	{"this network 0/8", "0.0.0.1"},
}

func TestWebhookToInsideAddressesRefusedAtRegistrationAndDelivery(t *testing.T) {
	ctx := context.Background()
	e := newSeededEnv(t, false)
	for _, in := range insideAddresses {
		host := in.addr
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		e.resolver().Set("inside.example.gov.uk", in.addr)
		for _, url := range []string{"https://" + host + "/hook", "https://inside.example.gov.uk/hook"} {
			p := e.do("POST", "/api/v1/webhooks", map[string]any{"url": url}, e.admin).wantProblem(http.StatusBadRequest, "url")
			if !strings.Contains(fmt.Sprint(p), in.addr) {
				t.Errorf("%s (%s): the problem does not name the address: %v", url, in.name, p)
			}
		}
	}
	for _, url := range []string{"https://hooks.example.gov.uk:8443/hook", "https://hooks.example.gov.uk:80/hook", "https://unknown.example.gov.uk/hook"} {
		e.do("POST", "/api/v1/webhooks", map[string]any{"url": url}, e.admin).wantProblem(http.StatusBadRequest, "url")
	}
	if n := e.count("SELECT count(*) FROM webhooks"); n != 0 {
		t.Fatalf("%d refused webhooks were stored", n)
	}

	// Registered while its name was public, then the name is pointed inside
	// (DNS rebinding): the delivery is refused as it dials, every time.
	e.do("POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.gov.uk/hook"}, e.admin).wantStatus(http.StatusCreated)
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "A change."}, e.admin).wantStatus(http.StatusOK)
	clock := fixedNow
	w := e.worker(webhooks.PublicClient(e.resolver()), &clock)
	w.MaxAttempts = len(insideAddresses) + 1
	for _, in := range insideAddresses {
		e.resolver().Set("hooks.example.gov.uk", in.addr)
		if n, err := w.RunOnce(ctx); err != nil || n != 0 {
			t.Fatalf("%s: %d sent, %v", in.name, n, err)
		}
		if e.count("SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL AND last_status = 0 AND last_error LIKE ?", "%prohibited IP address: "+in.addr+" %") != 1 {
			t.Errorf("%s: the delivery to %s was not refused as it dialled", in.name, in.addr)
		}
		clock = clock.Add(5 * time.Hour) // past the longest backoff
	}
}

func TestWebhookReplayOlderThanFiveMinutesFailsTheReadmeCheck(t *testing.T) {
	ctx := context.Background()
	e := newSeededEnv(t, false)
	rc := newReceiver(t, 0)
	secret := e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/hook"}, e.admin).wantStatus(http.StatusCreated).json()["secret"].(string)

	// The README's check reads the real clock, so these deliveries are signed by it.
	clock := time.Now().Add(-6 * time.Minute) // a delivery captured six minutes ago, sent again now
	w := e.worker(rc.client(), &clock)
	w.RunOnce(ctx) // moves the webhook past the changes made before it
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "Captured."}, e.admin).wantStatus(http.StatusOK)
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("%d sent, %v", n, err)
	}
	clock = time.Now()
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "Fresh."}, e.admin).wantStatus(http.StatusOK)
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("%d sent, %v", n, err)
	}
	reqs := rc.requests()
	replayed, fresh := reqs[0], reqs[1]
	if !signedUnder(t, secret, replayed) {
		t.Fatal("the captured delivery's signature is not the registry's")
	}
	if err := verifyAsReadmeSays(secret, replayed.body, replayed.header); !errors.Is(err, standardwebhooks.ErrMessageTooOld) {
		t.Errorf("a delivery signed six minutes ago passed the README's check: %v", err)
	}
	if err := verifyAsReadmeSays(secret, fresh.body, fresh.header); err != nil {
		t.Errorf("a fresh delivery failed the README's check: %v", err)
	}
	moved := fresh.header.Clone()
	moved.Set(webhooks.HeaderTimestamp, replayed.header.Get(webhooks.HeaderTimestamp))
	if err := verifyAsReadmeSays(secret, fresh.body, moved); err == nil {
		t.Error("a delivery whose timestamp was changed passed the README's check")
	}
}

func TestWebhookSecretRotation(t *testing.T) {
	ctx := context.Background()
	e := newSeededEnv(t, false)
	rc := newReceiver(t, 1)
	created := e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/hook"}, e.admin).wantStatus(http.StatusCreated).json()
	id, old := int(created["id"].(float64)), created["secret"].(string)
	clock := fixedNow
	w := e.worker(rc.client(), &clock)
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "Before."}, e.admin).wantStatus(http.StatusOK)
	w.RunOnce(ctx) // answered 500: it waits to be retried
	if reqs := rc.requests(); len(reqs) != 1 || !signedUnder(t, old, reqs[0]) {
		t.Fatal("the first attempt was not signed with the first secret")
	}

	rotated := e.do("POST", fmt.Sprintf("/api/v1/webhooks/%d/rotate-secret", id), nil, e.admin).wantStatus(http.StatusOK)
	if rotated.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("the new secret may be cached: %q", rotated.Header().Get("Cache-Control"))
	}
	body := rotated.json()
	secret, _ := body["secret"].(string)
	if _, err := standardwebhooks.NewWebhook(secret); err != nil || secret == old || body["id"].(float64) != float64(id) ||
		body["url"] != hookURL+"/hook" || body["pending"].(float64) != 1 {
		t.Fatalf("rotated: %v", body)
	}
	list := e.do("GET", "/api/v1/webhooks", nil, e.admin).Body.String()
	if strings.Contains(list, secret) || strings.Contains(list, old) {
		t.Fatal("the webhook list shows a secret")
	}
	if e.count("SELECT count(*) FROM audit_log WHERE entity = 'webhook' AND entity_key = ? AND action = 'secret_rotated'", strconv.Itoa(id)) != 1 ||
		e.count("SELECT count(*) FROM audit_log WHERE before LIKE '%whsec_%' OR after LIKE '%whsec_%'") != 0 {
		t.Error("the rotation is not audited, or the audit log holds a secret")
	}

	// The retry and every later change are signed with the new secret alone.
	clock = clock.Add(31 * time.Second)
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "After."}, e.admin).wantStatus(http.StatusOK)
	if n, err := w.RunOnce(ctx); err != nil || n != 2 {
		t.Fatalf("after rotating: %d sent, %v", n, err)
	}
	for _, r := range rc.requests()[1:] {
		if !signedUnder(t, secret, r) || signedUnder(t, old, r) {
			t.Errorf("a delivery after rotation verifies under the old secret, or not under the new: %s", r.body)
		}
	}

	e.do("POST", "/api/v1/webhooks/99999/rotate-secret", nil, e.admin).wantProblem(http.StatusNotFound)
	e.do("POST", "/api/v1/webhooks/nope/rotate-secret", nil, e.admin).wantProblem(http.StatusNotFound)
}

// secretsColumn is every stored webhook secret, read straight from the database.
func (e *env) secretsColumn() []string {
	e.t.Helper()
	db, err := e.st.SQLDB()
	if err != nil {
		e.t.Fatal(err)
	}
	rows, err := db.Query("SELECT secret FROM webhooks ORDER BY id")
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestWebhookSecretsAreEncryptedAtRest(t *testing.T) {
	ctx := context.Background()
	path := testdb.Seeded(t, false)
	e := newEnvWith(t, path, api.Config{})
	rc := newReceiver(t, 0)
	secret := e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/sealed"}, e.admin).wantStatus(http.StatusCreated).json()["secret"].(string)
	stored := e.secretsColumn()
	if len(stored) != 1 || strings.Contains(stored[0], secret) || strings.Contains(stored[0], strings.TrimPrefix(secret, "whsec_")) ||
		strings.Contains(stored[0], "whsec_") || !webhooks.IsSealed(stored[0]) {
		t.Fatalf("the secrets column holds %q for the secret %q", stored, secret)
	}
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "A change."}, e.admin).wantStatus(http.StatusOK)

	// A copy of the database without the key (or with another) yields no secret and sends nothing.
	other, _ := webhooks.NewSecretKey(bytes.Repeat([]byte{9}, webhooks.KeySize))
	clock := fixedNow
	for attempt, c := range []struct {
		name, reason string
		key          *webhooks.SecretKey
	}{{"no key", "this server has no secret key", nil}, {"another key", "sealed under another", other}} {
		st, err := store.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st.Webhooks.Key = c.key
		sealed, unopened, err := st.SealWebhookSecrets(ctx)
		if c.key == nil && err == nil || c.key != nil && (err != nil || sealed != 0 || len(unopened) != 1) {
			t.Errorf("%s: sealing pass: %d sealed, %v unopened, %v", c.name, sealed, unopened, err)
		}
		if n, err := (&env{t: t, st: st}).worker(rc.client(), &clock).RunOnce(ctx); err != nil || n != 0 {
			t.Errorf("%s: %d sent, %v", c.name, n, err)
		}
		if e.count("SELECT count(*) FROM webhook_deliveries WHERE attempts = ? AND delivered_at IS NULL AND last_error LIKE ?", attempt+1, "%"+c.reason+"%rotate the webhook's secret") != 1 {
			t.Errorf("%s: the failed attempt does not say why", c.name)
		}
		st.Close()
		clock = clock.Add(time.Hour)
	}
	if len(rc.requests()) != 0 {
		t.Fatal("a store without the key delivered")
	}

	// A secret an earlier release stored in plain text is sealed at start, once, and still signs.
	const legacy = "whsec_3f9a0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b"
	db, err := e.st.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, storetest.Rebind("UPDATE webhooks SET secret = ?"), legacy); err != nil {
		t.Fatal(err)
	}
	for pass, want := range []int{1, 0} {
		if n, unopened, err := e.st.SealWebhookSecrets(ctx); err != nil || n != want || len(unopened) != 0 {
			t.Fatalf("sealing pass %d: %d sealed, %v unopened, %v; want %d", pass+1, n, unopened, err, want)
		}
	}
	if stored := e.secretsColumn(); strings.Contains(stored[0], legacy[6:]) || !webhooks.IsSealed(stored[0]) {
		t.Fatalf("after sealing the column holds %q", stored)
	}
	if n, err := e.worker(rc.client(), &clock).RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("%d sent, %v", n, err)
	}
	if !signedUnder(t, legacy, rc.requests()[0]) {
		t.Error("the delivery is not signed with the secret the receiver already holds")
	}
}

func TestRotatingAWebhookSecretRecoversFromALostKey(t *testing.T) {
	ctx := context.Background()
	path := testdb.Seeded(t, false)
	e := newEnvWith(t, path, api.Config{})
	rc := newReceiver(t, 0)
	id := int64(e.do("POST", "/api/v1/webhooks", map[string]any{"url": hookURL + "/hook"}, e.admin).wantStatus(http.StatusCreated).json()["id"].(float64))
	e.do("PATCH", "/api/v1/vendors/"+gds, map[string]any{"description": "A change."}, e.admin).wantStatus(http.StatusOK)

	// The key is lost: the server starts with a new one.
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.Webhooks = webhookConfig(t)
	st.Webhooks.Key, _ = webhooks.NewSecretKey(bytes.Repeat([]byte{7}, webhooks.KeySize))
	restarted := &env{t: t, st: st}
	if _, unopened, err := st.SealWebhookSecrets(ctx); err != nil || len(unopened) != 1 || unopened[0] != id {
		t.Fatalf("unopened %v, %v", unopened, err)
	}
	clock := fixedNow
	w := restarted.worker(rc.client(), &clock)
	if n, err := w.RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("with the new key: %d sent, %v", n, err)
	}
	rotated, err := st.RotateWebhookSecret(ctx, models.Actor{Key: "test", Role: models.RoleAdmin}, id)
	if err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Minute)
	if n, err := w.RunOnce(ctx); err != nil || n != 1 || !signedUnder(t, rotated.Secret, rc.requests()[0]) {
		t.Fatalf("after rotating: %d sent, %v", n, err)
	}
}

// TestWebhooksOffWithoutAKey: a server started without the key secrets are
// sealed under (PostgreSQL without --secret-key-file) still serves, and says
// webhooks are off rather than failing: 503 naming the flag, nothing written.
func TestWebhooksOffWithoutAKey(t *testing.T) {
	e := newEnv(t)
	e.st.Webhooks.Key = nil
	p := e.do("POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.gov.uk/registry"}, e.admin).
		wantProblem(http.StatusServiceUnavailable)
	if !strings.Contains(p["detail"].(string), "--secret-key-file") {
		t.Errorf("detail %q does not say how to turn webhooks on", p["detail"])
	}
	if n := e.count("SELECT count(*) FROM webhooks"); n != 0 {
		t.Fatalf("%d webhooks written", n)
	}
	e.do("GET", "/api/v1/vendors", nil, "").wantStatus(http.StatusOK)
}
