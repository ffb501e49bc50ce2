package webhooks

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"code.dny.dev/ssrf"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/webhooks/webhookstest"
)

func TestBackoffDoublesToACap(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 9: 128 * time.Minute, 10: 4 * time.Hour, 50: 4 * time.Hour} {
		if got := Backoff(attempt); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempt, got, want)
		}
	}
}

func TestSignatureIsTheStandardWebhooksOne(t *testing.T) {
	// The spec's own example (its libraries' test vector), worked out again with
	// openssl dgst -sha256 -mac HMAC over "id.timestamp.body" under the base64-decoded key.
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body, at := []byte(`{"test": 2432232314}`), time.Unix(1614265330, 0)
	got, err := Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", at, body)
	if err != nil || got != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Fatalf("Sign = %q, %v", got, err)
	}
	if _, err := Sign("whsec_not base64!", "1", at, body); err == nil {
		t.Error("a secret that is not base64 signed something")
	}

	fresh, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(fresh, "whsec_"))
	if !strings.HasPrefix(fresh, "whsec_") || err != nil || len(key) != 32 {
		t.Fatalf("NewSecret = %q: not whsec_ and the base64 of 32 bytes", fresh)
	}
	if again, _ := NewSecret(); again == fresh {
		t.Fatal("NewSecret repeated itself")
	}
}

func TestSecretKeySealsAndOpens(t *testing.T) {
	k, other := mustKey(t, webhookstest.Key()), mustKey(t, bytes.Repeat([]byte{1}, KeySize))
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	sealed, err := k.Seal(secret)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := k.Seal(secret)
	if !IsSealed(sealed) || strings.Contains(sealed, secret) || strings.Contains(sealed, "MfKQ9r8G") || again == sealed {
		t.Fatalf("sealed %q (again %q): the secret shows, or the nonce repeats", sealed, again)
	}
	if got, err := k.Open(sealed); err != nil || got != secret {
		t.Fatalf("Open = %q, %v", got, err)
	}
	for name, stored := range map[string]string{
		"another key's":  mustSeal(t, other, secret),
		"a tampered one": sealed[:len(sealed)-4] + "AAA=",
		"a plain one":    secret,
		"a short one":    sealedPrefix + "AAAA",
	} {
		if got, err := k.Open(stored); err == nil {
			t.Errorf("%s opened as %q", name, got)
		}
	}
	var none *SecretKey
	if got, err := none.Open(sealed); err == nil {
		t.Errorf("no key opened %q", got)
	}
	if _, err := NewSecretKey(make([]byte, 16)); err == nil {
		t.Error("a 16-byte key was taken for AES-256")
	}
}

func TestKeyFileIsMadeOnceWithMode0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.db.secret-key")
	k, created, err := ReadOrCreateKeyFile(path)
	if err != nil || !created {
		t.Fatalf("first read: created %v, %v", created, err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 || info.Size() != KeySize {
		t.Fatalf("key file %v, %v: want %d bytes, mode 0600", info.Mode(), info.Size(), KeySize)
	}
	sealed := mustSeal(t, k, "whsec_AAAA")
	again, created, err := ReadOrCreateKeyFile(path)
	if err != nil || created {
		t.Fatalf("second read: created %v, %v", created, err)
	}
	if got, err := again.Open(sealed); err != nil || got != "whsec_AAAA" {
		t.Fatalf("the key read back does not open what the first sealed: %q, %v", got, err)
	}
	if _, err := ReadKeyFile(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing key file was read")
	}
	short := filepath.Join(t.TempDir(), "short")
	os.WriteFile(short, []byte("too short"), 0o600)
	if _, err := ReadKeyFile(short); err == nil || !strings.Contains(err.Error(), "32 bytes") {
		t.Errorf("a 9-byte key file: %v", err)
	}
}

func mustKey(t *testing.T, raw []byte) *SecretKey {
	t.Helper()
	k, err := NewSecretKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustSeal(t *testing.T, k *SecretKey, secret string) string {
	t.Helper()
	s, err := k.Seal(secret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// blocked are addresses a webhook must never reach, one or more from each
// range the issue names and the others the guardian denies.
var blocked = []struct{ name, addr string }{
	{"loopback", "127.0.0.1"},
	{"loopback, elsewhere in 127/8", "127.1.2.3"},
	{"IPv6 loopback", "::1"},
	{"RFC 1918 10/8", "10.0.0.5"},
	{"RFC 1918 172.16/12", "172.31.255.1"},
	{"RFC 1918 192.168/16", "192.168.1.1"},
	{"link-local (cloud metadata)", "169.254.169.254"},
	{"IPv6 link-local", "fe80::1"},
	{"IPv6 unique local", "fd00::2"},
	{"documentation 192.0.2/24", "192.0.2.10"},
	{"documentation 198.51.100/24", "198.51.100.7"},
	{"documentation 203.0.113/24", "203.0.113.9"},
	{"IPv6 documentation", "2001:db8::1"},
	{"shared 100.64/10", "100.64.0.1"},
	{"shared 100.64/10: a cloud metadata address", "100.100.100.200"},
	{"benchmarking 198.18/15", "198.18.0.1"},
	{"benchmarking 198.18/15, upper half", "198.19.255.254"},
	{"NAT64 of 127.0.0.1", "64:ff9b::7f00:1"},
	{"NAT64 of a public address", "64:ff9b::5db8:d70e"},
	{"6to4 of 127.0.0.1", "2002:7f00:1::1"},
	{"6to4 of a public address", "2002:5db8:d70e::1"},
	{"reserved 240/4", "240.0.0.1"},
	{"broadcast", "255.255.255.255"},
	{"this network 0/8", "0.0.0.0"},
	{"this network 0/8, not zero", "0.1.2.3"},
	{"IPv6 unspecified", "::"},
	{"IPv4-mapped loopback", "::ffff:127.0.0.1"},
	{"IPv4-mapped RFC 1918", "::ffff:10.0.0.1"},
	{"multicast", "224.0.0.1"},
	{"IPv6 multicast", "ff02::1"},
}

// hostOf is addr as a URL's host.
func hostOf(addr string) string {
	if strings.Contains(addr, ":") {
		return "[" + addr + "]"
	}
	return addr
}

func TestCheckURLRefusesEveryBlockedRangeAndPort(t *testing.T) {
	ctx := context.Background()
	r := webhookstest.NewResolver(map[string][]string{"hooks.example.gov.uk": {webhookstest.PublicAddress, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"}})
	for _, raw := range []string{"https://hooks.example.gov.uk/registry", "https://hooks.example.gov.uk:443/registry", "https://" + webhookstest.PublicAddress + "/x"} {
		if err := CheckURL(ctx, r, raw); err != nil {
			t.Errorf("%s refused: %v", raw, err)
		}
	}
	for _, b := range blocked {
		r.Set("inside.example.gov.uk", b.addr)
		r.Set("mixed.example.gov.uk", webhookstest.PublicAddress, b.addr)
		for _, raw := range []string{"https://" + hostOf(b.addr) + "/hook", "https://inside.example.gov.uk/hook", "https://mixed.example.gov.uk/hook"} {
			if err := CheckURL(ctx, r, raw); models.ErrorCode(err) != models.EINVALID || err.(*models.Error).Fields[0].Field != "url" {
				t.Errorf("%s (%s, %s) was not refused as a bad url: %v", raw, b.name, b.addr, err)
			}
		}
	}
	for _, raw := range []string{"https://hooks.example.gov.uk:8443/", "https://hooks.example.gov.uk:80/", "https://hooks.example.gov.uk:99999/", "https://nowhere.example.gov.uk/"} {
		err := CheckURL(ctx, r, raw)
		if models.ErrorCode(err) != models.EINVALID {
			t.Errorf("%s was not refused: %v", raw, err)
		}
	}
}

func TestPublicClientRefusesBlockedAddressesAsItDials(t *testing.T) {
	r := webhookstest.NewResolver(nil)
	c := PublicClient(r)
	for _, b := range blocked {
		// Named, so the answer arrives only at dial time (as after DNS rebinding), and as a literal.
		r.Set("rebound.example.gov.uk", b.addr)
		for _, raw := range []string{"https://rebound.example.gov.uk/hook", "https://" + hostOf(b.addr) + "/hook"} {
			resp, err := c.Get(raw)
			if err == nil {
				resp.Body.Close()
			}
			if !errors.Is(err, ssrf.ErrProhibitedIP) {
				t.Errorf("%s (%s, %s) was not refused as it was dialled: %v", raw, b.name, b.addr, err)
			}
		}
	}
	// A local server on another port: refused for its port before its address is even looked at.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a delivery reached a local server")
	}))
	defer srv.Close()
	if _, err := c.Get(srv.URL); !errors.Is(err, ssrf.ErrProhibitedPort) {
		t.Errorf("a local server on another port was dialled: %v", err)
	}
	// What the dialer's Control allows, asked directly so nothing leaves the machine.
	for addr, want := range map[string]error{
		webhookstest.PublicAddress + ":443":  nil,
		"[2606:2800:21f:cb07::1]:443":        nil,
		webhookstest.PublicAddress + ":8443": ssrf.ErrProhibitedPort,
		webhookstest.PublicAddress + ":80":   ssrf.ErrProhibitedPort,
	} {
		network := "tcp4"
		if strings.HasPrefix(addr, "[") {
			network = "tcp6"
		}
		if err := guardian.Safe(network, addr, nil); !errors.Is(err, want) || (want == nil && err != nil) {
			t.Errorf("dialling %s: %v, want %v", addr, err, want)
		}
	}
}

func TestPublicClientFollowsNoRedirects(t *testing.T) {
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/", http.StatusFound)
	}))
	defer redirect.Close()
	c := PublicClient(net.DefaultResolver)
	c.Transport = http.DefaultTransport // this test's server is local; the redirect rule is the client's own
	resp, err := c.Get(redirect.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("the redirect was followed (%d)", resp.StatusCode)
	}
}

// stopQueue fails as a database does when the request's context is cancelled.
type stopQueue struct{}

func (stopQueue) QueueWebhookDeliveries(ctx context.Context, _ time.Time) (int, error) {
	return 0, ctx.Err()
}
func (stopQueue) ClaimWebhookDeliveries(ctx context.Context, _ time.Time, _ time.Duration, _ int) ([]models.WebhookDelivery, error) {
	return nil, ctx.Err()
}
func (stopQueue) FinishWebhookDelivery(ctx context.Context, _ int64, _ time.Time, _ models.DeliveryOutcome) error {
	return ctx.Err()
}

func TestRunOnceStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := New(stopQueue{}, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := w.RunOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("RunOnce on a cancelled context: %v", err)
	}
}
