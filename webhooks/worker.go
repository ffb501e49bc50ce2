// Package webhooks delivers the change feed to the URLs admins register: each
// change is queued in the database, posted to a public address only, signed in
// the Standard Webhooks form, and retried with exponential backoff until it is
// taken or given up. Its secrets are sealed for the database under a SecretKey.
package webhooks

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/council-components/registry/models"
)

// Queue is what the worker needs from storage.
type Queue interface {
	QueueWebhookDeliveries(ctx context.Context, now time.Time) (int, error)
	ClaimWebhookDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]models.WebhookDelivery, error)
	FinishWebhookDelivery(ctx context.Context, id int64, now time.Time, o models.DeliveryOutcome) error
}

// Worker queues and sends deliveries. The zero values of its optional fields
// are replaced by New's defaults.
type Worker struct {
	Queue       Queue
	Key         *SecretKey // opens the secrets the queue hands out sealed
	Client      *http.Client
	Log         *slog.Logger
	Interval    time.Duration                   // between passes
	Lease       time.Duration                   // how long a claimed delivery is this worker's; longer than a request can take
	Batch       int                             // deliveries sent per pass
	MaxAttempts int                             // attempts before a delivery is given up
	Backoff     func(attempt int) time.Duration // wait after the attempt-th failure
	Now         func() time.Time
}

// New makes a worker with the defaults: a pass every 5 seconds, 10 attempts
// spread over about 8 hours, and a client that only reaches public addresses.
func New(q Queue, key *SecretKey, log *slog.Logger) *Worker {
	return &Worker{Queue: q, Key: key, Client: PublicClient(net.DefaultResolver), Log: log, Interval: 5 * time.Second, Lease: time.Minute,
		Batch: 50, MaxAttempts: 10, Backoff: Backoff, Now: func() time.Time { return time.Now().UTC() }}
}

// Backoff doubles from 30 seconds after the first failure, to at most 4 hours.
func Backoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < 4*time.Hour; i++ {
		d *= 2
	}
	return min(d, 4*time.Hour)
}

// Run makes passes until ctx is cancelled. A delivery in flight when it stops
// is not recorded; its lease runs out and it is sent again.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.Log.Error("webhook pass failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce queues new changes and sends the deliveries that are due, reporting how many it sent.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if _, err := w.Queue.QueueWebhookDeliveries(ctx, w.Now()); err != nil {
		return 0, fmt.Errorf("queue deliveries: %w", err)
	}
	due, err := w.Queue.ClaimWebhookDeliveries(ctx, w.Now(), w.Lease, w.Batch)
	if err != nil {
		return 0, fmt.Errorf("claim deliveries: %w", err)
	}
	sent := 0
	for _, d := range due {
		outcome := w.send(ctx, d)
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		if outcome.Delivered {
			sent++
		} else {
			w.Log.Warn("webhook delivery failed", "delivery", d.ID, "webhook", d.WebhookID, "attempt", d.Attempts+1,
				"status", outcome.Status, "error", outcome.Error, "retry_at", outcome.RetryAt)
		}
		if err := w.Queue.FinishWebhookDelivery(ctx, d.ID, w.Now(), outcome); err != nil {
			return sent, fmt.Errorf("record delivery %d: %w", d.ID, err)
		}
	}
	return sent, nil
}

// send posts one delivery, signed as of now; any 2xx answer delivers it.
func (w *Worker) send(ctx context.Context, d models.WebhookDelivery) models.DeliveryOutcome {
	fail := func(status int, msg string) models.DeliveryOutcome {
		o := models.DeliveryOutcome{Status: status, Error: msg}
		if d.Attempts+1 < w.MaxAttempts {
			at := w.Now().Add(w.Backoff(d.Attempts + 1))
			o.RetryAt = &at
		}
		return o
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return fail(0, err.Error())
	}
	secret, err := w.Key.Open(d.Secret)
	if err != nil {
		return fail(0, err.Error()+": restore the key it was sealed under, or rotate the webhook's secret")
	}
	id, at := strconv.FormatInt(d.ID, 10), w.Now()
	sig, err := Sign(secret, id, at, d.Payload)
	if err != nil {
		return fail(0, err.Error())
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "council-components-registry-webhooks/1")
	req.Header.Set("X-Registry-Event", d.Event)
	req.Header.Set(HeaderID, id)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	req.Header.Set(HeaderSignature, sig)
	resp, err := w.Client.Do(req)
	if err != nil {
		return fail(0, err.Error())
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so the connection can be reused
	if resp.StatusCode/100 != 2 {
		return fail(resp.StatusCode, "the receiver answered "+resp.Status)
	}
	return models.DeliveryOutcome{Delivered: true, Status: resp.StatusCode}
}
