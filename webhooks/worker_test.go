package webhooks

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/council-components/registry/models"
)

func TestBackoffDoublesToACap(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 9: 128 * time.Minute, 10: 4 * time.Hour, 50: 4 * time.Hour} {
		if got := Backoff(attempt); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempt, got, want)
		}
	}
}

func TestSignature(t *testing.T) {
	body := []byte(`{"entity":"component"}`)
	// HMAC-SHA256 of the body under "secret", worked out independently with openssl dgst -sha256 -hmac secret.
	const want = "sha256=f7340a65560f05e5c070150f0f896d35db25c6ed616bcf8079604372ccf7fa24"
	got := Sign("secret", body)
	if got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
	if !Verify("secret", body, got) || Verify("secret", append(body, ' '), got) || Verify("other", body, got) {
		t.Error("Verify accepts a wrong body or secret, or refuses the right one")
	}
}

func TestPublicClientRefusesLocalAddressesAndRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	_, err := PublicClient().Get(srv.URL)
	if !errors.Is(err, errPrivateAddress) {
		t.Fatalf("a loopback address was dialled: %v", err)
	}

	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/", http.StatusFound)
	}))
	defer redirect.Close()
	c := PublicClient()
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
	w := New(stopQueue{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := w.RunOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("RunOnce on a cancelled context: %v", err)
	}
}
