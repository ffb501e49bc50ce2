package api

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/cache"
	"github.com/council-components/registry/handlers"
)

// Response cache for anonymous catalogue reads: each anonymous GET under
// /api/v1 is answered from memory while the catalogue's version stands
// (package cache says why that is never stale).
//
// Requests with an Authorization header are never served from or stored in
// the cache (their answers carry Cache-Control: no-store). Answers are keyed
// by everything a handler may look at besides the data: host and forwarded
// scheme (absolute next links), the representation Accept or ?format chose (CSV), the path and query, and the
// store's date (opportunities and statistics depend on today).

// cacheMaxBytes bounds the bodies kept; cacheMaxEntry bounds one body.
const (
	cacheMaxBytes = 64 << 20
	cacheMaxEntry = 1 << 20
)

// CacheStore is what the response cache needs: the catalogue's version, what
// the writes between two versions touched, and the date.
type CacheStore interface {
	Version(ctx context.Context) (int64, error)
	ChangedScopes(ctx context.Context, since, until int64) (scopes []string, all bool, err error)
	Today() time.Time
}

// responseCache holds the API's answers; today dates its keys.
type responseCache struct {
	entries *cache.Cache
	today   func() time.Time
}

// newResponseCache keeps, across writes, the answers that name the scopes
// they depend on (handlers.Scopes) and that the writes did not touch.
func newResponseCache(st CacheStore) *responseCache {
	entries := cache.New(st.Version, cacheMaxBytes)
	entries.FollowChanges(func(ctx context.Context, since, until int64) (cache.Changes, error) {
		scopes, all, err := st.ChangedScopes(ctx, since, until)
		return cache.Changes{All: all, Scopes: scopes}, err
	})
	return &responseCache{entries: entries, today: st.Today}
}

// middleware answers cacheable requests from memory or records the handler's answer.
func (rc *responseCache) middleware(c *gin.Context) {
	if !isRead(c.Request) || c.GetHeader("Authorization") != "" || !strings.HasPrefix(c.FullPath(), "/api/v1/") {
		c.Next()
		return
	}
	e, outcome, err := rc.entries.Get(c.Request.Context(), rc.key(c), func() *cache.Entry { return capture(c) })
	if err != nil { // the version could not be read: the handler will meet the same trouble and report it
		c.Next()
		return
	}
	if e != nil {
		writeCached(c, e, outcome)
	}
	c.Abort()
}

// capture runs the handler and returns its answer to keep, or sends it as it
// is and returns nil when it is not one to keep (not a 200, or too large).
func capture(c *gin.Context) *cache.Entry {
	before := c.Writer.Header().Clone() // what earlier middleware set is this request's, not the answer's
	w := &captureWriter{ResponseWriter: c.Writer, status: http.StatusOK}
	c.Writer = w
	defer func() { c.Writer = w.ResponseWriter }() // also when a handler panics, so recovery's answer is sent
	c.Next()
	c.Writer = w.ResponseWriter
	if w.status != http.StatusOK || w.buf.Len() > cacheMaxEntry {
		w.flush()
		return nil
	}
	e := &cache.Entry{Header: http.Header{}, Body: bytes.Clone(w.buf.Bytes()), Scopes: handlers.Scopes(c)}
	for k, v := range c.Writer.Header() {
		if !slices.Equal(before[k], v) {
			e.Header[k] = slices.Clone(v)
		}
	}
	if e.ETag = e.Header.Get("ETag"); e.ETag == "" {
		e.ETag = handlers.ETag(e.Body)
		e.Header.Set("ETag", e.ETag)
	}
	return e
}

func (rc *responseCache) key(c *gin.Context) string {
	forwarded := "" // pageURL believes X-Forwarded-Proto only from a trusted proxy
	if c.ClientIP() != c.RemoteIP() {
		forwarded = c.GetHeader("X-Forwarded-Proto")
	}
	representation := "json"
	if handlers.WantsCSV(c) {
		representation = "csv"
	}
	return strings.Join([]string{c.Request.Host, forwarded, representation,
		rc.today().Format(time.DateOnly), c.Request.URL.RequestURI()}, "\x00")
}

// writeCached sends a stored answer, or 304 when the caller holds its ETag.
func writeCached(c *gin.Context, e *cache.Entry, outcome string) {
	h := c.Writer.Header()
	for k, v := range e.Header {
		h[k] = v
	}
	h.Set("X-Cache", outcome)
	if handlers.ETagListed(c.GetHeader("If-None-Match"), e.ETag) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		c.Writer.WriteHeader(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	c.Writer.WriteHeader(http.StatusOK)
	c.Writer.Write(e.Body)
}

// captureWriter holds a handler's answer so it can be stored before it is sent.
type captureWriter struct {
	gin.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *captureWriter) WriteHeader(code int)              { w.status = code }
func (w *captureWriter) WriteHeaderNow()                   {}
func (w *captureWriter) Write(b []byte) (int, error)       { return w.buf.Write(b) }
func (w *captureWriter) WriteString(s string) (int, error) { return w.buf.WriteString(s) }
func (w *captureWriter) Status() int                       { return w.status }
func (w *captureWriter) Size() int                         { return w.buf.Len() }
func (w *captureWriter) Written() bool                     { return w.buf.Len() > 0 }

// flush sends what was held, as the handler wrote it.
func (w *captureWriter) flush() {
	w.ResponseWriter.WriteHeader(w.status)
	if w.buf.Len() == 0 {
		w.ResponseWriter.WriteHeaderNow()
		return
	}
	w.ResponseWriter.Write(w.buf.Bytes())
}
