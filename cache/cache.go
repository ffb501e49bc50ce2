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
//
// A write need not cost every answer. An entry may name the scopes it
// depends on (such as "council:E09000022"); a cache told how to read what the
// writes between two versions touched (FollowChanges) keeps, when the version
// moves, every entry none of those writes touched, and files it under the new
// version: it is as true there as it was. An entry naming no scope depends on
// everything, and any write forgets it; so does every entry when what changed
// cannot be read.
package cache

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"time"
)

// Entry is one stored answer.
type Entry struct {
	Header http.Header // what the answer sends besides its body; may be nil
	Body   []byte
	ETag   string
	// Scopes names every part of the catalogue the answer depends on; none
	// means all of it.
	Scopes []string
}

// Changes is what the writes between two versions touched: the scopes, or
// All when they may have touched anything.
type Changes struct {
	All    bool
	Scopes []string
}

// ChangesFunc reads what the writes after version since, up to and
// including until, touched.
type ChangesFunc func(ctx context.Context, since, until int64) (Changes, error)

// changesTimeout bounds one read of what changed; it runs under its own
// context, so a caller hanging up does not cost everyone the cache.
const changesTimeout = 10 * time.Second

// Outcomes of a lookup, as the X-Cache header names them.
const (
	Hit  = "hit"
	Miss = "miss"
)

// Cache holds the entries computed at one catalogue version, within a byte budget.
type Cache struct {
	versions  *versionGate
	maxBytes  int
	changes   ChangesFunc // nil: every write forgets everything
	advancing sync.Mutex  // one move to a newer version at a time
	mu        sync.RWMutex
	version   int64 // the version every entry is true at
	entries   map[string]*Entry
	scoped    map[string]map[string]struct{} // scope → keys of the entries that depend on it
	unscoped  map[string]struct{}            // keys of the entries that depend on everything
	bytes     int
	flights   map[flightKey]chan struct{} // answers being computed, closed when done
	slots     chan struct{}               // one per answer being computed
}

type flightKey struct {
	version int64
	key     string
}

// New returns an empty cache that reads the catalogue's version with version
// and keeps at most maxBytes of bodies.
func New(version func(context.Context) (int64, error), maxBytes int) *Cache {
	return &Cache{versions: &versionGate{read: version}, maxBytes: maxBytes, entries: map[string]*Entry{},
		scoped: map[string]map[string]struct{}{}, unscoped: map[string]struct{}{},
		flights: map[flightKey]chan struct{}{}, slots: make(chan struct{}, max(8, 4*runtime.GOMAXPROCS(0)))}
}

// FollowChanges makes the cache keep, across versions, the entries that
// changes reports untouched. Call it before the first Get.
func (c *Cache) FollowChanges(changes ChangesFunc) { c.changes = changes }

// Get answers key at the catalogue's current version: from memory (Hit) when
// held, otherwise (Miss) with what compute returns, which is kept. compute
// returns nil when its answer is not to be kept (it has then sent it itself).
// An error is the version read's: the caller answers without the cache.
func (c *Cache) Get(ctx context.Context, key string, compute func() *Entry) (*Entry, string, error) {
	version, err := c.versions.get(ctx)
	if err != nil {
		return nil, "", err
	}
	c.advance(ctx, version)
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

// lookup finds key's entry when the cache is at version or newer: an entry
// true at a later version than the caller read has seen every write the
// caller must see.
func (c *Cache) lookup(version int64, key string) *Entry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if version > c.version {
		return nil
	}
	return c.entries[key]
}

// advance moves the cache to version, forgetting what the writes in between
// touched (everything, when that cannot be read).
func (c *Cache) advance(ctx context.Context, version int64) {
	if c.at(version) {
		return
	}
	c.advancing.Lock()
	defer c.advancing.Unlock()
	if c.at(version) { // another lookup moved it while this one waited
		return
	}
	c.mu.RLock()
	since, held := c.version, len(c.entries)
	c.mu.RUnlock()
	changed := Changes{All: true}
	if c.changes != nil && held > 0 {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), changesTimeout)
		ch, err := c.changes(ctx, since, version)
		cancel()
		if err == nil {
			changed = ch
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if changed.All {
		c.forgetAll()
	} else {
		for k := range c.unscoped {
			c.remove(k)
		}
		for _, s := range changed.Scopes {
			for k := range c.scoped[s] {
				c.remove(k)
			}
		}
	}
	c.version = version
}

// at reports whether the cache is at version or newer.
func (c *Cache) at(version int64) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return version <= c.version
}

func (c *Cache) put(version int64, key string, e *Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case version < c.version: // the cache has moved on since this answer's version was read: it is not filed
		return
	case version > c.version: // not advanced to (Get always is): nothing held can be trusted at version
		c.forgetAll()
		c.version = version
	}
	c.remove(key)
	for k := range c.entries { // full: forget arbitrary entries until this one fits
		if c.bytes+len(e.Body) <= c.maxBytes {
			break
		}
		c.remove(k)
	}
	c.entries[key] = e
	c.bytes += len(e.Body)
	if len(e.Scopes) == 0 {
		c.unscoped[key] = struct{}{}
		return
	}
	for _, s := range e.Scopes {
		keys := c.scoped[s]
		if keys == nil {
			keys = map[string]struct{}{}
			c.scoped[s] = keys
		}
		keys[key] = struct{}{}
	}
}

// forgetAll empties the cache; c.mu is held.
func (c *Cache) forgetAll() {
	clear(c.entries)
	clear(c.scoped)
	clear(c.unscoped)
	c.bytes = 0
}

// remove forgets key's entry and its place in the scopes' index; c.mu is held.
func (c *Cache) remove(key string) {
	e, ok := c.entries[key]
	if !ok {
		return
	}
	delete(c.entries, key)
	c.bytes -= len(e.Body)
	delete(c.unscoped, key)
	for _, s := range e.Scopes {
		if keys := c.scoped[s]; keys != nil {
			delete(keys, key)
			if len(keys) == 0 {
				delete(c.scoped, s)
			}
		}
	}
}
