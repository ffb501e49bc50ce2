package api

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/models"
)

// MaxBodyBytes bounds every request body; larger ones get 413.
const MaxBodyBytes = 1 << 20

// principalKey is where the authenticated key is kept in the gin context.
const principalKey = handlers.PrincipalKey

// KeyStore authenticates API keys.
type KeyStore interface {
	Authenticate(ctx context.Context, key string) (models.APIKey, error)
}

// requestLog writes one structured line per request.
func requestLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		attrs := []any{"method", c.Request.Method, "path", c.Request.URL.Path, "route", c.FullPath(),
			"status", c.Writer.Status(), "bytes", c.Writer.Size(), "duration_ms",
			float64(time.Since(start).Microseconds()) / 1000, "client_ip", c.ClientIP()}
		if k, ok := c.Get(principalKey); ok {
			attrs = append(attrs, "key", k.(models.APIKey).Prefix)
		}
		level := slog.LevelInfo
		if c.Writer.Status() >= 500 {
			level = slog.LevelError
		}
		log.Log(c.Request.Context(), level, "request", attrs...)
	}
}

// recovery turns a panic into a logged 500 problem instead of a dropped connection.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, err any) {
		log.Error("panic", "path", c.Request.URL.Path, "error", fmt.Sprint(err))
		handlers.WriteError(c, fmt.Errorf("panic: %v", err))
	})
}

// limitBody caps the request body so a client cannot make us buffer gigabytes.
func limitBody(c *gin.Context) {
	if c.Request.ContentLength > MaxBodyBytes {
		handlers.WriteProblem(c, models.ETOOLARGE, fmt.Sprintf("the request body is over the limit of %d bytes", MaxBodyBytes), nil)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes)
	c.Next()
}

// readableQuery refuses an API request whose query string cannot be read, a
// bad %-escape or a ';' (which Go's parser drops with its whole pair), with a
// 400 naming each such parameter, rather than answering as if it were not sent.
func readableQuery(c *gin.Context) {
	if !strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.Next()
		return
	}
	var p models.Problems
	for _, pair := range strings.Split(c.Request.URL.RawQuery, "&") {
		key, value, _ := strings.Cut(pair, "=")
		name, keyErr := url.QueryUnescape(key)
		if keyErr != nil {
			name = key
		}
		_, valueErr := url.QueryUnescape(value)
		switch {
		case strings.Contains(pair, ";"):
			p.Add(name, "holds ';', which a query string may not: separate parameters with '&', and write ';' in a value as %%3B")
		case keyErr != nil || valueErr != nil:
			p.Add(name, "is not valid URL encoding: write '%%' in a value as %%25")
		}
	}
	if err := p.Err(); err != nil {
		handlers.WriteError(c, err)
		c.Abort()
		return
	}
	c.Next()
}

// queryKeyParams are query parameters that look like credentials; URLs end up in logs.
var queryKeyParams = []string{"api_key", "apikey", "key", "token", "access_token"}

// authenticate reads a Bearer key when one is sent; authorize decides what it may do.
// Failed attempts count against the client's IP in failures (nil: not limited):
// once its bucket is empty, requests from that IP that carry a key get 429
// until it refills, without the key being tried. Anonymous requests, and keyed
// ones from other addresses, are unaffected; so is a success, which spends nothing.
func authenticate(keys KeyStore, failures *buckets) gin.HandlerFunc {
	return func(c *gin.Context) {
		for _, p := range queryKeyParams {
			if c.Query(p) != "" {
				handlers.WriteProblem(c, models.EINVALID, "API keys are accepted only in the Authorization header, never in a URL",
					[]models.FieldError{{Field: p, Message: "must not carry a key; use Authorization: Bearer KEY"}})
				return
			}
		}
		if h := c.GetHeader("Authorization"); h != "" {
			c.Header("Cache-Control", "no-store")
			ip := "ip:" + c.ClientIP()
			if failures != nil {
				if wait := failures.waiting(ip); wait > 0 {
					tooMany(c, wait, "too many failed attempts to authenticate from this address; retry after the Retry-After seconds")
					return
				}
			}
			failed := func(detail string) {
				if failures != nil {
					failures.take(ip)
				}
				unauthorised(c, detail)
			}
			scheme, key, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || key == "" {
				failed("send the key as Authorization: Bearer KEY")
				return
			}
			k, err := keys.Authenticate(c.Request.Context(), strings.TrimSpace(key))
			if err != nil {
				if models.ErrorCode(err) == models.EUNAUTHORIZED {
					failed("the API key is not valid, or has been revoked or has expired")
				} else {
					handlers.WriteError(c, err)
				}
				return
			}
			c.Set(principalKey, k)
		}
		c.Next()
	}
}

func unauthorised(c *gin.Context, detail string) {
	c.Header("WWW-Authenticate", `Bearer realm="council-components-registry"`)
	handlers.WriteProblem(c, models.EUNAUTHORIZED, detail, nil)
}

// buckets is a token bucket per caller (a key's prefix or a client IP), idle
// ones forgotten so the map stays small.
type buckets struct {
	every     rate.Limit
	burst     int
	mu        sync.Mutex
	clients   map[string]*clientLimit
	lastSweep time.Time
}

type clientLimit struct {
	limiter *rate.Limiter
	seen    time.Time
}

func newBuckets(every rate.Limit, burst int) *buckets {
	return &buckets{every: every, burst: max(1, burst), clients: map[string]*clientLimit{}, lastSweep: time.Now()}
}

// take spends one of id's tokens, or reports how long until one is free
// (spending nothing).
func (b *buckets) take(id string) (wait time.Duration) {
	return b.reserve(id, true)
}

// waiting reports how long until id has a token, spending none.
func (b *buckets) waiting(id string) time.Duration {
	return b.reserve(id, false)
}

func (b *buckets) reserve(id string, spend bool) time.Duration {
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.lastSweep) > time.Minute {
		for k, v := range b.clients {
			if now.Sub(v.seen) > 5*time.Minute {
				delete(b.clients, k)
			}
		}
		b.lastSweep = now
	}
	cl, ok := b.clients[id]
	if !ok {
		cl = &clientLimit{limiter: rate.NewLimiter(b.every, b.burst)}
		b.clients[id] = cl
	}
	cl.seen = now
	r := cl.limiter.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	if wait > 0 || !spend {
		r.CancelAt(now)
	}
	return wait
}

// tooMany answers 429 with the seconds to wait in Retry-After.
func tooMany(c *gin.Context, wait time.Duration, detail string) {
	c.Header("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
	handlers.WriteProblem(c, "rate_limited", detail, nil)
}

// rateLimiter allows each key (or each client IP when anonymous) perSecond
// requests with bursts of twice that.
type rateLimiter struct {
	perSecond float64
	buckets   *buckets
}

func newRateLimiter(perSecond float64) *rateLimiter {
	return &rateLimiter{perSecond: perSecond, buckets: newBuckets(rate.Limit(perSecond), int(2*perSecond))}
}

func (l *rateLimiter) middleware(c *gin.Context) {
	id := "ip:" + c.ClientIP()
	if k, ok := c.Get(principalKey); ok {
		id = "key:" + k.(models.APIKey).Prefix
	}
	if wait := l.buckets.take(id); wait > 0 {
		tooMany(c, wait, fmt.Sprintf("over the limit of %g requests a second; retry after the Retry-After seconds", l.perSecond))
		return
	}
	c.Next()
}

// metrics counts requests and their latency by route, method and status.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "registry_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "registry_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *metrics) middleware(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched" // never a raw path: that would let clients create series
	}
	m.requests.WithLabelValues(route, c.Request.Method, fmt.Sprint(c.Writer.Status())).Inc()
	m.duration.WithLabelValues(route, c.Request.Method).Observe(time.Since(start).Seconds())
}
