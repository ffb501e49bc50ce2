// Package cache keeps answers computed from the catalogue for as long as the
// catalogue's version stands; the API's response cache and the web pages use it.
//
// Every write, on any replica, adds a row to the audit log in the write's own
// transaction, so the log's highest id is a version of the whole catalogue
// that every replica reads from the database. Each lookup reads that version
// first (one indexed max() query, shared by concurrent requests through
// versionGate) and is answered from memory when this replica already holds
// the answer for the same key at that version. The version is read before
// the answer is computed, so a stored answer is never older than the version
// it is filed under; a write anywhere moves the version, and the very next
// lookup misses and recomputes. Nothing here trusts time: there is no TTL and
// so no staleness window. What else an answer depends on (the date, headers)
// is the caller's key.
package cache

import (
	"context"
	"net/http"
	"runtime"
	"sync"
)

// Entry is one stored answer.
type Entry struct {
	Header http.Header // what the answer sends besides its body; may be nil
	Body   []byte
	ETag   string
}

// Outcomes of a lookup, as the X-Cache header names them.
const (
	Hit  = "hit"
	Miss = "miss"
)

// Cache holds the entries computed at one catalogue version, within a byte budget.
type Cache struct {
	versions *versionGate
	maxBytes int
	mu       sync.RWMutex
	version  int64 // the version every entry was stored at
	entries  map[string]*Entry
	bytes    int
	flights  map[flightKey]chan struct{} // answers being computed, closed when done
	slots    chan struct{}               // one per answer being computed
}

type flightKey struct {
	version int64
	key     string
}

// New returns an empty cache that reads the catalogue's version with version
// and keeps at most maxBytes of bodies.
func New(version func(context.Context) (int64, error), maxBytes int) *Cache {
	return &Cache{versions: &versionGate{read: version}, maxBytes: maxBytes, entries: map[string]*Entry{},
		flights: map[flightKey]chan struct{}{}, slots: make(chan struct{}, max(8, 4*runtime.GOMAXPROCS(0)))}
}

// Get answers key at the catalogue's current version: from memory (Hit) when
// held, otherwise (Miss) with what compute returns, which is kept. compute
// returns nil when its answer is not to be kept (it has then sent it itself).
// An error is the version read's: the caller answers without the cache.
func (c *Cache) Get(ctx context.Context, key string, compute func() *Entry) (*Entry, string, error) {
	version, err := c.versions.get(ctx)
	if err != nil {
		return nil, "", err
	}
	if e := c.lookup(version, key); e != nil {
		return e, Hit, nil
	}
	// Identical lookups at the same version wait for the first to answer
	// rather than all computing the same thing (a burst after every write).
	leader, wait := c.join(version, key)
	if !leader {
		select {
		case <-wait:
		case <-ctx.Done():
		}
		if e := c.lookup(version, key); e != nil {
			return e, Hit, nil
		}
	} else {
		defer c.leave(version, key)
	}
	// A handful of answers are computed at once; the rest queue here, so a
	// burst of misses after a write (broad searches at national scale allocate
	// tens of megabytes each) neither multiplies memory nor slows hits by
	// fighting over two cores. Hits never wait for a slot.
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done(): // the caller has gone; compute will find out
	}
	e := compute()
	if e != nil {
		c.put(version, key, e)
	}
	return e, Miss, nil
}

// join reports whether this lookup computes the answer (leader) or, when
// another lookup for the same key and version already does, what to wait on.
func (c *Cache) join(version int64, key string) (leader bool, wait <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := flightKey{version, key}
	if ch, ok := c.flights[k]; ok {
		return false, ch
	}
	c.flights[k] = make(chan struct{})
	return true, nil
}

func (c *Cache) leave(version int64, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := flightKey{version, key}
	close(c.flights[k])
	delete(c.flights, k)
}

func (c *Cache) lookup(version int64, key string) *Entry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if version != c.version {
		return nil
	}
	return c.entries[key]
}

func (c *Cache) put(version int64, key string, e *Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case version < c.version: // a slower lookup read an older version: its answer may still be current, but it is not filed
		return
	case version > c.version: // the catalogue changed: everything held is stale
		clear(c.entries)
		c.version, c.bytes = version, 0
	}
	if old, ok := c.entries[key]; ok {
		c.bytes -= len(old.Body)
	}
	for k, old := range c.entries { // full: forget arbitrary entries until this one fits
		if c.bytes+len(e.Body) <= c.maxBytes {
			break
		}
		delete(c.entries, k)
		c.bytes -= len(old.Body)
	}
	c.entries[key] = e
	c.bytes += len(e.Body)
}
