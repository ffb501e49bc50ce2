package cache

import (
	"context"
	"errors"
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
	if c.lookup(4, "k") != nil {
		t.Fatal("answered a version 4 lookup")
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
