package cache

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeVersion is a catalogue whose version the test moves.
type fakeVersion struct {
	v   atomic.Int64
	err error
}

func (f *fakeVersion) read(context.Context) (int64, error) { return f.v.Load(), f.err }

func entry(body string) func() *Entry {
	return func() *Entry { return &Entry{Body: []byte(body), ETag: `"` + body + `"`} }
}

func TestGetHitsUntilTheVersionMoves(t *testing.T) {
	ver := &fakeVersion{}
	c := New(ver.read, 1<<20)
	ctx := context.Background()
	for i, step := range []struct {
		version       int64
		key, computes string
		want, outcome string
	}{
		{1, "a", "a1", "a1", Miss},
		{1, "a", "a1 again", "a1", Hit},
		{1, "b", "b1", "b1", Miss},
		{2, "a", "a2", "a2", Miss}, // a write: everything held is stale
		{2, "b", "b2", "b2", Miss},
		{2, "a", "a2 again", "a2", Hit},
	} {
		ver.v.Store(step.version)
		e, outcome, err := c.Get(ctx, step.key, entry(step.computes))
		if err != nil || string(e.Body) != step.want || outcome != step.outcome {
			t.Fatalf("step %d: %q %s %v, want %q %s", i, e.Body, outcome, err, step.want, step.outcome)
		}
	}
}

func TestGetKeepsNothingComputeDeclines(t *testing.T) {
	c := New((&fakeVersion{}).read, 1<<20)
	for range 2 {
		if e, outcome, err := c.Get(context.Background(), "k", func() *Entry { return nil }); e != nil || outcome != Miss || err != nil {
			t.Fatalf("got %v %s %v, want nil miss", e, outcome, err)
		}
	}
}

func TestGetReportsTheVersionReadsError(t *testing.T) {
	broken := errors.New("database closed")
	c := New((&fakeVersion{err: broken}).read, 1<<20)
	_, _, err := c.Get(context.Background(), "k", func() *Entry { t.Fatal("computed without a version"); return nil })
	if !errors.Is(err, broken) {
		t.Fatalf("err %v, want %v", err, broken)
	}
}

// An answer computed at an older version than the cache holds is not filed.
func TestPutNeverFilesAnOlderVersion(t *testing.T) {
	c := New((&fakeVersion{}).read, 1<<20)
	c.put(5, "k", &Entry{Body: []byte("new")})
	c.put(4, "k", &Entry{Body: []byte("old")})
	if e := c.lookup(5, "k"); e == nil || string(e.Body) != "new" {
		t.Fatalf("held %v, want the version 5 answer", e)
	}
	// A lookup that read an older version may be given the newer answer: it
	// has seen every write the caller must see.
	if e := c.lookup(4, "k"); e == nil || string(e.Body) != "new" {
		t.Fatalf("a version 4 lookup got %v, want the version 5 answer", e)
	}
	if c.lookup(6, "k") != nil {
		t.Fatal("answered a version 6 lookup with a version 5 answer")
	}
}

func TestPutStaysWithinTheBudget(t *testing.T) {
	c := New((&fakeVersion{}).read, 10)
	for _, k := range []string{"a", "b", "c", "d"} {
		c.put(1, k, &Entry{Body: []byte("1234")})
		if c.bytes > 10 || c.lookup(1, k) == nil {
			t.Fatalf("after %s: %d bytes held, newest held %v", k, c.bytes, c.lookup(1, k) != nil)
		}
	}
	if len(c.entries) != 2 {
		t.Fatalf("%d entries of 4 bytes within 10, want 2", len(c.entries))
	}
}

// Identical lookups at one version arriving together compute the answer once.
func TestGetComputesOnceForABurst(t *testing.T) {
	c := New((&fakeVersion{}).read, 1<<20)
	var computes atomic.Int64
	release := make(chan struct{})
	compute := func() *Entry {
		computes.Add(1)
		<-release
		return &Entry{Body: []byte("answer")}
	}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if e, _, err := c.Get(context.Background(), "k", compute); err != nil || string(e.Body) != "answer" {
				t.Errorf("got %v, %v", e, err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond) // let the burst arrive before the answer does
	close(release)
	wg.Wait()
	if n := computes.Load(); n != 1 {
		t.Fatalf("%d computes for one key and version, want 1", n)
	}
}

// fakeChanges reports, for each version, the scopes its write touched; a
// version it does not list touched everything.
type fakeChanges struct {
	byVersion map[int64][]string
	err       error
	calls     atomic.Int64
}

func (f *fakeChanges) read(_ context.Context, since, until int64) (Changes, error) {
	f.calls.Add(1)
	if f.err != nil {
		return Changes{}, f.err
	}
	var ch Changes
	for v := since + 1; v <= until; v++ {
		scopes, ok := f.byVersion[v]
		if !ok {
			return Changes{All: true}, nil
		}
		ch.Scopes = append(ch.Scopes, scopes...)
	}
	return ch, nil
}

func scopedEntry(body string, scopes ...string) func() *Entry {
	return func() *Entry { return &Entry{Body: []byte(body), ETag: `"` + body + `"`, Scopes: scopes} }
}

// A write forgets the entries that depend on what it touched, and those that
// name no scope; the others are kept and answer at the new version.
func TestScopedEntriesOutliveWritesThatDoNotTouchThem(t *testing.T) {
	ver := &fakeVersion{}
	ch := &fakeChanges{byVersion: map[int64][]string{
		2: {"council:A"},
		3: {"component:x", "council:B"},
		5: {"component:x"},
	}}
	c := New(ver.read, 1<<20)
	c.FollowChanges(ch.read)
	ctx := context.Background()
	computes := map[string]func(v int64) func() *Entry{
		"council A":   func(v int64) func() *Entry { return scopedEntry(fmt.Sprint("A", v), "council:A") },
		"council B":   func(v int64) func() *Entry { return scopedEntry(fmt.Sprint("B", v), "council:B") },
		"list x y":    func(v int64) func() *Entry { return scopedEntry(fmt.Sprint("xy", v), "component:x", "component:y") },
		"list y":      func(v int64) func() *Entry { return scopedEntry(fmt.Sprint("y", v), "component:y") },
		"coverage":    func(v int64) func() *Entry { return entry(fmt.Sprint("cov", v)) },
		"empty scope": func(v int64) func() *Entry { return scopedEntry(fmt.Sprint("e", v)) },
	}
	for i, step := range []struct {
		version int64
		key     string
		want    string
		outcome string
	}{
		{1, "council A", "A1", Miss}, {1, "council B", "B1", Miss}, {1, "list x y", "xy1", Miss},
		{1, "list y", "y1", Miss}, {1, "coverage", "cov1", Miss}, {1, "empty scope", "e1", Miss},
		// version 2 touched council A only
		{2, "council A", "A2", Miss}, {2, "council B", "B1", Hit}, {2, "list x y", "xy1", Hit},
		{2, "list y", "y1", Hit}, {2, "coverage", "cov2", Miss}, {2, "empty scope", "e2", Miss},
		// versions 3 and 4 together: 4 is unknown, so everything goes
		{4, "council B", "B4", Miss}, {4, "list y", "y4", Miss}, {4, "council A", "A4", Miss},
		{4, "list x y", "xy4", Miss},
		// version 5 touched component x: the list holding it goes, the rest stay
		{5, "list x y", "xy5", Miss}, {5, "list y", "y4", Hit}, {5, "council A", "A4", Hit}, {5, "council B", "B4", Hit},
	} {
		ver.v.Store(step.version)
		e, outcome, err := c.Get(ctx, step.key, computes[step.key](step.version))
		if err != nil || string(e.Body) != step.want || outcome != step.outcome {
			t.Fatalf("step %d (%s at %d): %q %s %v, want %q %s", i, step.key, step.version, e.Body, outcome, err, step.want, step.outcome)
		}
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	for s, keys := range c.scoped { // the index names only what is held
		for k := range keys {
			if e, ok := c.entries[k]; !ok || !slices.Contains(e.Scopes, s) {
				t.Errorf("scope %s lists %q, which is not held under it", s, k)
			}
		}
	}
}

// When what changed cannot be read, nothing held is trusted.
func TestScopedEntriesGoWhenTheChangesCannotBeRead(t *testing.T) {
	ver := &fakeVersion{}
	ch := &fakeChanges{byVersion: map[int64][]string{2: {"council:A"}}, err: errors.New("database closed")}
	c := New(ver.read, 1<<20)
	c.FollowChanges(ch.read)
	ctx := context.Background()
	ver.v.Store(1)
	c.Get(ctx, "council B", scopedEntry("B1", "council:B"))
	ver.v.Store(2)
	e, outcome, err := c.Get(ctx, "council B", scopedEntry("B2", "council:B"))
	if err != nil || string(e.Body) != "B2" || outcome != Miss {
		t.Fatalf("got %q %s %v, want B2 computed afresh", e.Body, outcome, err)
	}
	if ch.calls.Load() != 1 {
		t.Fatalf("%d reads of what changed, want 1", ch.calls.Load())
	}
}

// Budget evictions keep the scopes' index in step with what is held.
func TestBudgetEvictionsLeaveNoScopeBehind(t *testing.T) {
	c := New((&fakeVersion{}).read, 10)
	for i, k := range []string{"a", "b", "c", "d"} {
		c.put(1, k, &Entry{Body: []byte("1234"), Scopes: []string{"s", fmt.Sprint("only-", i)}})
	}
	if len(c.entries) != 2 || len(c.scoped["s"]) != 2 || len(c.scoped) != 3 {
		t.Fatalf("%d entries, scope s lists %d, %d scopes; want 2, 2, 3", len(c.entries), len(c.scoped["s"]), len(c.scoped))
	}
}
