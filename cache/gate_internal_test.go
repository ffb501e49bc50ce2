package cache

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A request must never be given a version read that began before it arrived:
// a write completed before the request would then be missed.
func TestVersionGateNeverAnswersWithAReadFromBeforeTheRequest(t *testing.T) {
	var writes, reads atomic.Int64
	g := &versionGate{read: func(context.Context) (int64, error) {
		reads.Add(1)
		v := writes.Load() // the snapshot a query starting now would see
		time.Sleep(200 * time.Microsecond)
		return v, nil
	}}
	const workers, each = 32, 100
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				w := writes.Add(1) // a write that completes before this request arrives
				v, err := g.get(context.Background())
				if err != nil || v < w {
					t.Errorf("got version %d (err %v) after write %d completed", v, err, w)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := reads.Load(); n >= workers*each {
		t.Errorf("%d reads for %d requests: concurrent requests did not share them", n, workers*each)
	}
	idle := func() bool { // the last round's goroutine may still be handing over
		g.mu.Lock()
		defer g.mu.Unlock()
		return !g.running && g.next == nil
	}
	for i := 0; !idle(); i++ {
		if i == 100 {
			t.Fatal("the gate is not idle after the last request")
		}
		time.Sleep(time.Millisecond)
	}
}
