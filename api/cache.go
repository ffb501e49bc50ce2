package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Response cache for anonymous catalogue reads.
//
// Every write, on any replica, adds a row to the audit log in the write's own
// transaction, so the log's highest id (Store.Version) is a version of the
// whole catalogue that every replica reads from the database. Each anonymous
// GET under /api/v1 reads that version first (one indexed max() query, shared
// by concurrent requests through versionGate) and is answered from memory
// when this replica already holds the answer for the same request at that
// version. The version is read before the handler runs, so a stored answer is
// never older than the version it is filed under; a write anywhere moves the
// version, and the very next read misses and recomputes. Nothing here trusts
// time: there is no TTL and so no staleness window.
//
// Requests with an Authorization header are never served from or stored in
// the cache (their answers carry Cache-Control: no-store). Answers are keyed
// by everything a handler may look at besides the data: host and forwarded
// scheme (absolute next links), Accept (CSV), the path and query, and the
// store's date (opportunities and statistics depend on today).

// cacheMaxBytes bounds the bodies kept; cacheMaxEntry bounds one body.
const (
	cacheMaxBytes = 64 << 20
	cacheMaxEntry = 1 << 20
)

// CacheStore is what the response cache needs: the catalogue's version and the date.
type CacheStore interface {
	Version(ctx context.Context) (int64, error)
	Today() time.Time
}

type responseCache struct {
	st       CacheStore
	versions *versionGate
	mu       sync.RWMutex
	version  int64 // the version every entry was stored at
	entries  map[string]*cachedResponse
	bytes    int
	flights  map[flightKey]chan struct{} // requests being computed, closed when answered
	slots    chan struct{}               // one per answer being computed
}

type flightKey struct {
	version int64
	key     string
}

type cachedResponse struct {
	header http.Header
	body   []byte
	etag   string
}

func newResponseCache(st CacheStore) *responseCache {
	return &responseCache{st: st, versions: &versionGate{read: st.Version}, entries: map[string]*cachedResponse{},
		flights: map[flightKey]chan struct{}{}, slots: make(chan struct{}, max(8, 4*runtime.GOMAXPROCS(0)))}
}

// versionGate shares version reads between concurrent requests without ever
// giving a request a version read before it arrived. One read runs at a time;
// requests that arrive while it runs wait for the next read, which starts
// after all of them arrived, so each sees every write completed before it
// came. Under load that is one query per round trip instead of one per
// request (on PostgreSQL a round trip to the server); when idle, a request
// reads for itself at once.
type versionGate struct {
	read    func(context.Context) (int64, error)
	mu      sync.Mutex
	running bool
	next    *versionRead // the read the requests arriving now will share
}

type versionRead struct {
	done    chan struct{}
	version int64
	err     error
}

func (g *versionGate) get(ctx context.Context) (int64, error) {
	g.mu.Lock()
	if g.running {
		if g.next == nil {
			g.next = &versionRead{done: make(chan struct{})}
		}
		r := g.next
		g.mu.Unlock()
		select {
		case <-r.done:
			return r.version, r.err
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	g.running = true
	g.mu.Unlock()
	v, err := g.read(ctx)
	g.handOver()
	return v, err
}

// handOver starts the read that requests queued for while one ran, or marks the gate idle.
func (g *versionGate) handOver() {
	g.mu.Lock()
	r := g.next
	g.next = nil
	g.running = r != nil
	g.mu.Unlock()
	if r == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		r.version, r.err = g.read(ctx)
		cancel()
		close(r.done)
		g.handOver()
	}()
}

// join reports whether this request computes the answer (leader) or, when
// another request for the same key and version already does, what to wait on.
func (rc *responseCache) join(version int64, key string) (leader bool, wait <-chan struct{}) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	k := flightKey{version, key}
	if ch, ok := rc.flights[k]; ok {
		return false, ch
	}
	rc.flights[k] = make(chan struct{})
	return true, nil
}

func (rc *responseCache) leave(version int64, key string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	k := flightKey{version, key}
	close(rc.flights[k])
	delete(rc.flights, k)
}

// middleware answers cacheable requests from memory or records the handler's answer.
func (rc *responseCache) middleware(c *gin.Context) {
	if c.Request.Method != http.MethodGet || c.GetHeader("Authorization") != "" || !strings.HasPrefix(c.FullPath(), "/api/v1/") {
		c.Next()
		return
	}
	version, err := rc.versions.get(c.Request.Context())
	if err != nil { // the handler will meet the same trouble and report it
		c.Next()
		return
	}
	key := rc.key(c)
	if e := rc.get(version, key); e != nil {
		writeCached(c, e, "hit")
		c.Abort()
		return
	}
	// Identical requests at the same version wait for the first to answer
	// rather than all computing the same thing (a burst after every write).
	leader, wait := rc.join(version, key)
	if !leader {
		select {
		case <-wait:
		case <-c.Request.Context().Done():
		}
		if e := rc.get(version, key); e != nil {
			writeCached(c, e, "hit")
			c.Abort()
			return
		}
	} else {
		defer rc.leave(version, key)
	}
	// A handful of answers are computed at once; the rest queue here, so a
	// burst of misses after a write (broad searches at national scale allocate
	// tens of megabytes each) neither multiplies memory nor slows hits by
	// fighting over two cores. Hits never wait for a slot.
	select {
	case rc.slots <- struct{}{}:
		defer func() { <-rc.slots }()
	case <-c.Request.Context().Done(): // the caller has gone; the handler will find out
	}
	before := c.Writer.Header().Clone() // what earlier middleware set is this request's, not the answer's
	w := &captureWriter{ResponseWriter: c.Writer, status: http.StatusOK}
	c.Writer = w
	defer func() { c.Writer = w.ResponseWriter }() // also when a handler panics, so recovery's answer is sent
	c.Next()
	c.Writer = w.ResponseWriter
	if w.status != http.StatusOK || w.buf.Len() > cacheMaxEntry {
		w.flush()
		return
	}
	e := &cachedResponse{header: http.Header{}, body: bytes.Clone(w.buf.Bytes())}
	for k, v := range c.Writer.Header() {
		if !slices.Equal(before[k], v) {
			e.header[k] = slices.Clone(v)
		}
	}
	if e.etag = e.header.Get("ETag"); e.etag == "" {
		sum := sha256.Sum256(e.body)
		e.etag = `"` + hex.EncodeToString(sum[:16]) + `"`
		e.header.Set("ETag", e.etag)
	}
	rc.put(version, key, e)
	writeCached(c, e, "miss")
}

func (rc *responseCache) key(c *gin.Context) string {
	forwarded := "" // pageURL believes X-Forwarded-Proto only from a trusted proxy
	if c.ClientIP() != c.RemoteIP() {
		forwarded = c.GetHeader("X-Forwarded-Proto")
	}
	return strings.Join([]string{c.Request.Host, forwarded, c.GetHeader("Accept"),
		rc.st.Today().Format(time.DateOnly), c.Request.URL.RequestURI()}, "\x00")
}

func (rc *responseCache) get(version int64, key string) *cachedResponse {
	rc.mu.RLock()
	defer rc.mu.RUnlock()
	if version != rc.version {
		return nil
	}
	return rc.entries[key]
}

func (rc *responseCache) put(version int64, key string, e *cachedResponse) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	switch {
	case version < rc.version: // a slower request read an older version: its answer may still be current, but it is not filed
		return
	case version > rc.version: // the catalogue changed: everything held is stale
		clear(rc.entries)
		rc.version, rc.bytes = version, 0
	}
	if old, ok := rc.entries[key]; ok {
		rc.bytes -= len(old.body)
	}
	for k, old := range rc.entries { // full: forget arbitrary entries until this one fits
		if rc.bytes+len(e.body) <= cacheMaxBytes {
			break
		}
		delete(rc.entries, k)
		rc.bytes -= len(old.body)
	}
	rc.entries[key] = e
	rc.bytes += len(e.body)
}

// writeCached sends a stored answer, or 304 when the caller holds its ETag.
func writeCached(c *gin.Context, e *cachedResponse, outcome string) {
	h := c.Writer.Header()
	for k, v := range e.header {
		h[k] = v
	}
	h.Set("X-Cache", outcome)
	if etagMatches(c.GetHeader("If-None-Match"), e.etag) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		c.Writer.WriteHeader(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	c.Writer.WriteHeader(http.StatusOK)
	c.Writer.Write(e.body)
}

// etagMatches reports whether an If-None-Match header names tag (weakly, as RFC 9110 asks).
func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
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
